"""Google Contacts exports (FORMATS.md §3): three CSV shapes, all source ``google``.

* "Google CSV", current (§3.1): header starts ``First Name,Middle Name,Last Name,Phonetic
  First Name``. No ``Name`` column; numbered groups (``E-mail N - Value``, ``Phone N -
  Value``, ``Website N - Value``) vary per file and each value cell may pack several values
  joined by `` ::: ``. ``Labels`` holds group memberships (``* myContacts ::: * starred``).
  UTF-8, often with a BOM; notes may hold quoted newlines; phone-only rows occur.
* "Google CSV", legacy (§3.2, to about 2021): header starts ``Name,Given Name,Additional
  Name,Family Name``; groups in ``Group Membership`` (``* My Contacts``), ``E-mail N -
  Type/Value``, ``Organization N - Name/Title``. Reported as UTF-16LE with a BOM.
* "Outlook CSV" written by Google (§3.3): header starts ``First Name,Middle Name,Last
  Name,Title,Suffix,Initials,Web Page``. ``Categories`` split on ``;``; ``Title`` is an
  honorific, the job title is ``Job Title``. Mapped like Outlook's own exports.

Every original cell is kept in ``raw``; the ``* `` primary marker of labels is dropped and
the old system group ``My Contacts`` is normalised to the current ``myContacts``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import polars as pl

from connectors._text import HeaderCsvConnector, raw_json
from connectors.base import RECORD_SCHEMA, conform
from connectors.outlook import outlook_to_records

SOURCE = "google"
MULTI_VALUE_SEPARATOR = ":::"  # written " ::: "; parts are stripped
CURRENT_HEADER_PREFIX = ["first name", "middle name", "last name", "phonetic first name"]
LEGACY_HEADER_PREFIX = ["name", "given name", "additional name", "family name"]
OUTLOOK_HEADER_PREFIX = [
    "first name",
    "middle name",
    "last name",
    "title",
    "suffix",
    "initials",
    "web page",
]


def numbered_values(columns: list[str], kind: str) -> pl.Expr:
    """All values of the numbered group ``kind`` (e.g. 'e-mail'), split on ' ::: '.

    Empty and null cells contribute nothing, so a contact with no e-mail gets ``[]``.
    """
    pattern = re.compile(rf"^{re.escape(kind)} \d+ - value$")
    cells = [pl.col(c) for c in columns if pattern.match(c)]
    if not cells:
        return pl.lit([], dtype=pl.List(pl.String))
    return (
        pl.concat_list([c.fill_null("").str.split(MULTI_VALUE_SEPARATOR) for c in cells])
        .list.eval(pl.element().str.strip_chars().filter(pl.element().str.len_chars() > 0))
        .list.drop_nulls()
    )


def split_labels(column: pl.Expr) -> pl.Expr:
    """' ::: '-separated group names; system groups lose their '* ' prefix.

    A cell of ``* My Contacts ::: * starred`` (the ``:::`` may also be written without
    spaces) gives ``["myContacts", "starred"]``; a null cell gives ``[]``.
    """
    return (
        column.fill_null("")
        .str.split(MULTI_VALUE_SEPARATOR)
        .list.eval(
            pl.element()
            .str.strip_chars()
            .str.strip_prefix("*")
            .str.strip_chars()
            .replace("My Contacts", "myContacts")
            .filter(pl.element().str.len_chars() > 0)
        )
    )


def _person_name(parts: list[pl.Expr]) -> pl.Expr:
    joined = pl.concat_str(parts, separator=" ", ignore_nulls=True)
    return pl.when(joined.str.len_chars() > 0).then(joined)


class GoogleContactsCsv(HeaderCsvConnector):
    """Current "Google CSV" (§3.1)."""

    name = "google_csv"
    source = SOURCE
    header_prefix = CURRENT_HEADER_PREFIX

    def to_records(self, raw: pl.DataFrame, source_file: str) -> pl.DataFrame:
        return google_to_records(raw, source_file)


class GoogleLegacyCsv(HeaderCsvConnector):
    """Legacy "Google CSV" (§3.2), Name / Group Membership era."""

    name = "google_legacy_csv"
    source = SOURCE
    header_prefix = LEGACY_HEADER_PREFIX
    required = ("name",)

    def to_records(self, raw: pl.DataFrame, source_file: str) -> pl.DataFrame:
        return google_legacy_to_records(raw, source_file)


class GoogleOutlookCsv(HeaderCsvConnector):
    """The "Outlook CSV" Google Contacts writes (§3.3)."""

    name = "google_outlook_csv"
    source = SOURCE
    header_prefix = OUTLOOK_HEADER_PREFIX

    def to_records(self, raw: pl.DataFrame, source_file: str) -> pl.DataFrame:
        return outlook_to_records(raw, source_file, source=SOURCE)


def _column_getter(raw: pl.DataFrame) -> Callable[[str], pl.Expr]:
    """A column by normalised header name, or null when this export has no such column."""

    def col(name: str) -> pl.Expr:
        return pl.col(name) if name in raw.columns else pl.lit(None, dtype=pl.String)

    return col


def _address_book_records(
    raw: pl.DataFrame, source_file: str, fields: dict[str, pl.Expr]
) -> pl.DataFrame:
    """What both Google CSV eras share; ``fields`` maps record columns to era-specific ones."""
    frame = raw.with_columns(raw_json(raw)).with_row_index("source_row", offset=1)
    records = frame.select(
        pl.lit(SOURCE).alias("source"),
        pl.lit(source_file).alias("source_file"),
        pl.col("source_row").cast(pl.Int64),
        pl.lit("contact").alias("kind"),
        pl.lit("address_book").alias("channel"),
        *(expr.alias(name) for name, expr in fields.items()),
        numbered_values(raw.columns, "e-mail").alias("emails"),
        numbered_values(raw.columns, "phone").alias("phones"),
        numbered_values(raw.columns, "website").alias("urls"),
        pl.col("raw"),
    )
    return conform(records, RECORD_SCHEMA)


def google_to_records(raw: pl.DataFrame, source_file: str) -> pl.DataFrame:
    """Pure mapping of the all-string current Google CSV frame onto RECORD_SCHEMA."""
    col = _column_getter(raw)
    full_name = pl.coalesce(
        _person_name(
            [col("name prefix"), col("first name"), col("middle name"), col("last name")]
            + [col("name suffix")]
        ),
        col("file as"),
        col("nickname"),
    )
    return _address_book_records(
        raw,
        source_file,
        {
            "full_name": full_name,
            "first_name": col("first name"),
            "middle_name": col("middle name"),
            "last_name": col("last name"),
            "nickname": col("nickname"),
            "company": col("organization name"),
            "title": col("organization title"),
            "location": col("address 1 - city"),
            "labels": split_labels(col("labels")),
            "birthday": col("birthday"),
        },
    )


def google_legacy_to_records(raw: pl.DataFrame, source_file: str) -> pl.DataFrame:
    """Pure mapping of the all-string legacy Google CSV frame onto RECORD_SCHEMA."""
    col = _column_getter(raw)
    full_name = pl.coalesce(
        col("name"),
        _person_name([col("given name"), col("additional name"), col("family name")]),
        col("nickname"),
    )
    return _address_book_records(
        raw,
        source_file,
        {
            "full_name": full_name,
            "first_name": col("given name"),
            "middle_name": col("additional name"),
            "last_name": col("family name"),
            "nickname": col("nickname"),
            "company": col("organization 1 - name"),
            "title": col("organization 1 - title"),
            "location": pl.coalesce(col("address 1 - city"), col("location")),
            "labels": split_labels(col("group membership")),
            "birthday": col("birthday"),
        },
    )
