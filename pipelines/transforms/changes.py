"""What a sync changed, person by person: new, merged, split, removed, job changes.

Compared between the previous ``people`` rows and the new ones, using the resolver's
old → new id history, so a merge is reported as a merge and not as one removal plus one new
person. Only ids, change kinds and company/title values are reported (never names).
"""

from __future__ import annotations

import polars as pl

CHANGE_SCHEMA = pl.Schema(
    {
        "person_id": pl.String,
        "change": pl.String,  # new | merged | split | removed | company_changed | title_changed
        "old_value": pl.String,
        "new_value": pl.String,
    }
)


def _empty() -> pl.DataFrame:
    return CHANGE_SCHEMA.to_frame()


def person_changes(
    previous: pl.DataFrame, current: pl.DataFrame, history: pl.DataFrame
) -> pl.DataFrame:
    """``previous``/``current``: person_id, company, title, is_current; ``history``: old/new ids."""
    if previous.height == 0:
        return current.select(
            "person_id",
            pl.lit("new").alias("change"),
            pl.lit(None, pl.String).alias("old_value"),
            pl.lit(None, pl.String).alias("new_value"),
        ).cast(CHANGE_SCHEMA)  # type: ignore[arg-type]
    involved_old = set(history["old_person_id"].to_list()) if history.height else set()
    involved_new = set(history["new_person_id"].to_list()) if history.height else set()
    old_ids = previous["person_id"].implode()
    new_ids = current["person_id"].implode()
    new = current.filter(
        ~pl.col("person_id").is_in(old_ids) & ~pl.col("person_id").is_in(list(involved_new))
    )
    structural = history.select(
        pl.col("new_person_id").alias("person_id"),
        pl.col("change"),
        pl.col("old_person_id").alias("old_value"),
        pl.col("new_person_id").alias("new_value"),
    )
    vanished = previous.filter(
        ~pl.col("person_id").is_in(new_ids) & ~pl.col("person_id").is_in(list(involved_old))
    )
    went_quiet = previous.filter(pl.col("is_current").fill_null(True)).join(
        current.filter(~pl.col("is_current").fill_null(True)).select("person_id"), on="person_id"
    )
    removed = pl.concat([vanished.select("person_id"), went_quiet.select("person_id")])
    both = previous.join(current, on="person_id", suffix="_new")
    jobs = [
        both.filter(
            pl.col(field).ne_missing(pl.col(f"{field}_new")) & pl.col(f"{field}_new").is_not_null()
        ).select(
            "person_id",
            pl.lit(f"{field}_changed").alias("change"),
            pl.col(field).alias("old_value"),
            pl.col(f"{field}_new").alias("new_value"),
        )
        for field in ("company", "title")
    ]
    frames = [
        new.select("person_id", pl.lit("new").alias("change")),
        structural,
        removed.select("person_id", pl.lit("removed").alias("change")),
        *jobs,
    ]
    return (
        pl.concat(
            [
                f.select(
                    [
                        pl.col(c) if c in f.columns else pl.lit(None, pl.String).alias(c)
                        for c in CHANGE_SCHEMA
                    ]
                )
                for f in frames
            ]
        )
        .cast(CHANGE_SCHEMA)  # type: ignore[arg-type]
        .unique()
        .sort("change", "person_id", "old_value", nulls_last=True)
    )


def change_counts(changes: pl.DataFrame) -> dict[str, int]:
    counts = changes.group_by("change").len().sort("change")
    return {row["change"]: int(row["len"]) for row in counts.iter_rows(named=True)}
