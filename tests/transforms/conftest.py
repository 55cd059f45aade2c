"""Helpers: build RECORD_SCHEMA frames from a few dicts (synthetic people only)."""

from __future__ import annotations

import polars as pl
import pytest

from connectors.base import RECORD_SCHEMA, conform


def make_records(rows: list[dict[str, object]]) -> pl.DataFrame:
    if not rows:
        return RECORD_SCHEMA.to_frame().with_columns(pl.lit(None, pl.String).alias("record_id"))
    out = conform(pl.DataFrame(rows, infer_schema_length=None), RECORD_SCHEMA)
    ids = [str(row.get("record_id", f"r{i:03d}")) for i, row in enumerate(rows)]
    out = out.with_columns(pl.Series("record_id", ids, dtype=pl.String))
    return out.with_columns(
        pl.col("kind").fill_null("contact"), pl.col("source").fill_null("google")
    )


@pytest.fixture
def no_previous() -> pl.DataFrame:
    return pl.DataFrame(schema={"record_key": pl.String, "person_id": pl.String})
