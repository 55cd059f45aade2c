"""Merge the records of each person into one ``people`` row and one ``person_sources`` row each.

Field choice is explainable: LinkedIn wins for company/title (it is the person's own, current
headline), address books win for names people typed themselves, and lists are unions.
"""

from __future__ import annotations

import polars as pl

# Lower rank wins when records disagree on a single-valued field.
SOURCE_RANK = {
    "linkedin": 0,
    "google": 1,
    "outlook": 2,
    "vcard": 3,
    "x": 4,
    "gmail": 5,
    "email_log": 6,
}


def _ranked(records: pl.DataFrame) -> pl.DataFrame:
    return records.with_columns(
        pl.col("source")
        .replace_strict(SOURCE_RANK, default=9, return_dtype=pl.Int32)
        .alias("_rank")
    ).sort("person_id", "_rank", "is_current", "record_id", descending=[False, False, True, False])


def _display_name() -> pl.Expr:
    joined = pl.concat_str(
        [pl.col("first_name"), pl.col("last_name")], separator=" ", ignore_nulls=True
    )
    name = pl.when(joined.str.strip_chars() != "").then(joined).otherwise(pl.col("full_name"))
    return name.str.strip_chars()


def _first_non_null(column: str) -> pl.Expr:
    return pl.col(column).drop_nulls().first().alias(column)


def _union(column: str) -> pl.Expr:
    return (
        pl.col(column)
        .list.explode(keep_nulls=False, empty_as_null=False)
        .unique(maintain_order=True)
        .alias(column)
    )


# the columns build_people reads: only these are filtered and sorted (not every record column)
PEOPLE_INPUT = [
    "person_id",
    "record_id",
    "source",
    "is_current",
    "first_seen_at",
    "last_seen_at",
    "first_name",
    "last_name",
    "full_name",
    "emails_norm",
    "phones_norm",
    "company",
    "title",
    "location",
    "linkedin_url",
    "x_handle",
    "x_account_id",
    "urls",
    "labels",
]


def build_people(records: pl.DataFrame) -> pl.DataFrame:
    """``records``: contact records with ``person_id``, ``is_current`` and file timestamps.

    Columns used besides RECORD_SCHEMA: person_id, record_id, is_current, first_seen_at,
    last_seen_at (of the file each record came from), emails_norm, phones_norm.
    """
    ranked = _ranked(
        records.select(PEOPLE_INPUT).filter(pl.col("person_id").is_not_null())
    ).with_columns(_display_name().alias("_display"))
    people = ranked.group_by("person_id", maintain_order=True).agg(
        pl.col("_display").filter(pl.col("_display") != "").first().alias("display_name"),
        _first_non_null("first_name"),
        _first_non_null("last_name"),
        pl.col("emails_norm")
        .list.explode(keep_nulls=False, empty_as_null=False)
        .unique(maintain_order=True)
        .alias("emails"),
        pl.col("phones_norm")
        .list.explode(keep_nulls=False, empty_as_null=False)
        .unique(maintain_order=True)
        .alias("phones"),
        _first_non_null("company"),
        _first_non_null("title"),
        _first_non_null("location"),
        _first_non_null("linkedin_url"),
        _first_non_null("x_handle"),
        _first_non_null("x_account_id"),
        _union("urls"),
        _union("labels"),
        pl.col("source").unique().sort().alias("sources"),
        pl.len().cast(pl.Int32).alias("record_count"),
        pl.col("first_seen_at").min(),
        pl.col("last_seen_at").max(),
        pl.col("is_current").any(),
    )
    return people.with_columns(
        pl.when(pl.col("is_current"))
        .then(None)
        .otherwise(pl.col("last_seen_at"))
        .alias("last_seen_at")
    ).sort("person_id")


def build_person_sources(records: pl.DataFrame) -> pl.DataFrame:
    """Every record of every recognised file, once (person_id null for non-people)."""
    return records.select(
        "person_id",
        "record_id",
        "source",
        "source_file",
        "source_row",
        "kind",
        "channel",
        "record_key",
        pl.col("file_sha256"),
        "is_current",
    ).sort("source", "source_file", "file_sha256", "source_row")
