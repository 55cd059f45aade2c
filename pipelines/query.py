"""Read-only SQL for ``kith sql``: one statement, on a read-only connection, formatted."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import polars as pl

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
        return pl.from_arrow(relation.to_arrow_table())  # type: ignore[return-value]
    except duckdb.Error as error:
        message = str(error).splitlines()[0]
        raise QueryError(message) from None
    finally:
        con.close()


def format_result(frame: pl.DataFrame, output: str) -> str:
    if output == "csv":
        flat = frame.with_columns(
            pl.col(name).cast(pl.List(pl.String)).list.join("; ")
            if isinstance(dtype, pl.List)
            else pl.col(name)
            for name, dtype in frame.schema.items()
        )
        buffer = io.StringIO()
        flat.write_csv(buffer)
        return buffer.getvalue()
    if output == "json":
        return frame.write_json() + "\n"
    with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=60, tbl_hide_dataframe_shape=True):
        return f"{frame}\n({frame.height} row{'s' if frame.height != 1 else ''})\n"
