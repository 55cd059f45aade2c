"""Read-only SQL for ``kith sql``: one statement, on a read-only connection, formatted."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

from pipelines import warehouse


class QueryError(Exception):
    pass


def run_read_only(db_path: Path, query: str) -> pl.DataFrame:
    if not db_path.exists():
        raise QueryError(f"{db_path}: no database yet; run 'kith sync' first")
    try:
        warehouse.check_is_duckdb(db_path)
        con = duckdb.connect(str(db_path), read_only=True)
    except (duckdb.Error, warehouse.WarehouseError) as error:
        raise QueryError(f"{db_path}: cannot open the database ({error})") from None
    try:
        statements = con.extract_statements(query)
        if len(statements) != 1:
            raise QueryError(f"expected exactly one SQL statement, got {len(statements)}")
        if statements[0].type != duckdb.StatementType.SELECT:
            raise QueryError(
                f"only read queries are allowed (got a {statements[0].type.name} statement)"
            )
        relation = con.sql(query)
        if relation is None:
            return pl.DataFrame()
        return to_polars(relation.to_arrow_table())
    except duckdb.Error as error:
        message = str(error).splitlines()[0]
        raise QueryError(message) from None
    finally:
        con.close()


def _plain(value: Any) -> Any:
    """A JSON-ready Python value (dates ISO, decimals and other scalars as text)."""
    if isinstance(value, pa.MonthDayNano):  # a tuple subclass: before the list case
        return f"{value.months} months {value.days} days {value.nanoseconds / 1e9:g} seconds"
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        if all(isinstance(item, tuple) and len(item) == 2 for item in value) and value:
            return {str(key): _plain(item) for key, item in value}  # a MAP from Arrow
        return [_plain(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, Decimal | timedelta):
        return str(value)
    return str(value)


def _has_interval(kind: pa.DataType) -> bool:
    """polars cannot import Arrow month_day_nano intervals (nested ones make it panic)."""
    if pa.types.is_interval(kind):
        return True
    return any(_has_interval(kind.field(i).type) for i in range(kind.num_fields))


def to_polars(table: pa.Table) -> pl.DataFrame:
    """Arrow → polars; a column holding an INTERVAL anywhere becomes text (JSON if nested)."""
    columns = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        if _has_interval(column.type):
            texts = [None if v is None else _text_value(_plain(v)) for v in column.to_pylist()]
            columns.append(pl.Series(name, texts, dtype=pl.String))
        else:
            columns.append(pl.Series(name, pl.from_arrow(column)))
    return pl.DataFrame(columns)


def _text_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _is_scalar_list(dtype: pl.DataType) -> bool:
    return isinstance(dtype, pl.List | pl.Array) and not dtype.inner.is_nested()


def flatten_for_csv(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists of scalars joined with '; '; structs, maps and nested lists as JSON; bytes as hex."""
    columns = []
    for name, dtype in frame.schema.items():
        series = frame[name]
        if _is_scalar_list(dtype):
            series = series.cast(pl.List(pl.String)).list.join("; ")
        elif dtype.is_nested():
            series = pl.Series(
                name,
                [None if v is None else _text_value(_plain(v)) for v in series.to_list()],
                dtype=pl.String,
            )
        elif dtype == pl.Binary:
            series = pl.Series(
                name, [None if v is None else v.hex() for v in series.to_list()], dtype=pl.String
            )
        columns.append(series)
    return pl.DataFrame(columns)


def format_result(frame: pl.DataFrame, output: str) -> str:
    if output == "csv":
        buffer = io.StringIO()
        flatten_for_csv(frame).write_csv(buffer)
        return buffer.getvalue()
    if output == "json":
        rows = [_plain(row) for row in frame.to_dicts()]
        return json.dumps(rows, ensure_ascii=False) + "\n"
    with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=60, tbl_hide_dataframe_shape=True):
        return f"{frame}\n({frame.height} row{'s' if frame.height != 1 else ''})\n"
