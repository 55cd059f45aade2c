"""Google Contacts "Google CSV" export (FORMATS.md §3.1).

Header starts ``First Name,Middle Name,Last Name,Phonetic First Name``; numbered groups
(``E-mail N - Value``, ``Phone N - Value``, ``Website N - Value``) vary per file and each
value cell may pack several values joined by `` ::: ``. ``Labels`` holds group memberships
(``* myContacts ::: Friends``). UTF-8, often with a BOM; notes may hold quoted newlines.
"""

from __future__ import annotations

import re

import polars as pl

from connectors._text import decode, first_line, header_cells, raw_json, read_csv_text
from connectors.base import RECORD_SCHEMA, ExportFile, ParseResult, conform

SOURCE = "google"
MULTI_VALUE_SEPARATOR = " ::: "
CURRENT_HEADER_PREFIX = ["first name", "middle name", "last name", "phonetic first name"]


def numbered_values(columns: list[str], kind: str) -> pl.Expr:
    """All values of the numbered group ``kind`` (e.g. 'e-mail'), split on ' ::: '."""
    pattern = re.compile(rf"^{re.escape(kind)} \d+ - value$")
    cells = [pl.col(c) for c in columns if pattern.match(c)]
    if not cells:
        return pl.lit([], dtype=pl.List(pl.String))
    return (
        pl.concat_list([c.str.split(MULTI_VALUE_SEPARATOR) for c in cells])
        .list.eval(pl.element().str.strip_chars().filter(pl.element().str.len_chars() > 0))
        .list.drop_nulls()
    )


def split_labels(column: pl.Expr) -> pl.Expr:
    """' ::: '-separated group names; system groups lose their '* ' prefix."""
    return column.str.split(MULTI_VALUE_SEPARATOR).list.eval(
        pl.element().str.strip_chars().str.strip_prefix("* ").str.strip_chars()
    )


class GoogleContactsCsv:
    name = "google_csv"
    source = SOURCE

    def sniff(self, file_name: str, head: str) -> bool:
        return header_cells(first_line(head))[:4] == CURRENT_HEADER_PREFIX

    def parse(self, file: ExportFile) -> ParseResult:
        raw = read_csv_text(decode(file.read_bytes()), file.name, required=("first name",))
        return ParseResult(records=google_to_records(raw, file.name))


def google_to_records(raw: pl.DataFrame, source_file: str) -> pl.DataFrame:
    """Pure mapping of the all-string Google CSV frame onto RECORD_SCHEMA."""

    def col(name: str) -> pl.Expr:
        return pl.col(name) if name in raw.columns else pl.lit(None, dtype=pl.String)

    frame = raw.with_columns(raw_json(raw)).with_row_index("source_row", offset=1)
    records = frame.select(
        pl.lit(SOURCE).alias("source"),
        pl.lit(source_file).alias("source_file"),
        pl.col("source_row").cast(pl.Int64),
        pl.lit("contact").alias("kind"),
        pl.lit("address_book").alias("channel"),
        col("first name").alias("first_name"),
        col("middle name").alias("middle_name"),
        col("last name").alias("last_name"),
        col("nickname").alias("nickname"),
        pl.coalesce(col("file as"), col("nickname")).alias("full_name"),
        numbered_values(raw.columns, "e-mail").alias("emails"),
        numbered_values(raw.columns, "phone").alias("phones"),
        numbered_values(raw.columns, "website").alias("urls"),
        col("organization name").alias("company"),
        col("organization title").alias("title"),
        col("address 1 - city").alias("location"),
        split_labels(col("labels")).alias("labels"),
        col("birthday").alias("birthday"),
        pl.col("raw"),
    )
    return conform(records, RECORD_SCHEMA)
