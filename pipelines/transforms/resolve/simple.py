"""Placeholder resolver: exact e-mail or exact normalised full name (replaced by the real one)."""

from __future__ import annotations

import hashlib

import polars as pl

from pipelines.transforms.resolve import Resolution


def resolve_exact(records: pl.DataFrame, previous: pl.DataFrame) -> Resolution:
    name = (
        pl.concat_str([pl.col("first_name"), pl.col("last_name")], separator=" ", ignore_nulls=True)
        .str.to_lowercase()
        .str.strip_chars()
    )
    frame = records.select(
        "record_id",
        pl.col("emails").list.eval(pl.element().str.to_lowercase()).list.first().alias("email"),
        name.alias("name"),
    ).sort("record_id")
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for key in ("email", "name"):
        for group in frame.filter(pl.col(key).is_not_null() & (pl.col(key) != "")).group_by(key):
            ids = group[1]["record_id"].to_list()
            for other in ids[1:]:
                a, b = sorted((find(ids[0]), find(other)))
                parent[b] = a
    roots = [find(r) for r in frame["record_id"].to_list()]
    person_ids = ["p_" + hashlib.sha1(r.encode()).hexdigest()[:12] for r in roots]
    assignments = frame.select("record_id").with_columns(
        pl.Series("person_id", person_ids), pl.col("record_id").alias("record_key")
    )
    return Resolution(assignments=assignments)
