"""Outlook / Microsoft 365 contacts CSV exports (FORMATS.md §4).

* Desktop (Windows) "Comma Separated Values": every header cell quoted, starts
  ``"Title","First Name","Middle Name","Last Name","Suffix","Company"``; ANSI (cp1252) on
  Western systems; older versions write ``Business Country`` instead of
  ``Business Country/Region`` and may omit ``E-mail N Type``. ``E-mail Type`` ``EX`` rows can
  hold an X.500 DN instead of an address: values without ``@`` are dropped, falling back to
  the ``name (addr)`` shape of ``E-mail Display Name``. The older live.com export (``Title,
  First Name,...,Given Name Yomi``) has the same leading cells and the same column names.
* Outlook.com / new Outlook / M365 web: starts ``First Name,Middle Name,Last Name,Title,
  Suffix,Nickname,Given Yomi``; UTF-8 (BOM or not); no ``Categories`` or e-mail type columns.

Both map through ``outlook_to_records``, which Google's own "Outlook CSV" (§3.3) reuses.
``Title`` is an honorific (kept in ``raw`` only); the job title is ``Job Title``.
Localised (French/German) headers are not recognised: such files are reported as unknown.
"""

from __future__ import annotations

import polars as pl

from connectors._text import HeaderCsvConnector, raw_json
from connectors.base import RECORD_SCHEMA, conform

SOURCE = "outlook"
DESKTOP_HEADER_PREFIX = ["title", "first name", "middle name", "last name", "suffix"]
WEB_HEADER_PREFIX = [
    "first name",
    "middle name",
    "last name",
    "title",
    "suffix",
    "nickname",
    "given yomi",
]
EMAIL_SLOTS = ("e-mail", "e-mail 2", "e-mail 3")
# The person's own numbers, best first. Assistant's and company switchboard numbers are left
# out on purpose: they are shared by many people and would merge strangers in dedupe.
PHONE_COLUMNS = (
    "mobile phone",
    "primary phone",
    "business phone",
    "business phone 2",
    "home phone",
    "home phone 2",
    "other phone",
    "car phone",
    "radio phone",
    "pager",
    "callback",
    "isdn",
    "tty/tdd phone",
)
URL_COLUMNS = ("web page", "personal web page")
CITY_COLUMNS = ("business city", "home city", "other city")
# Outlook writes an unset date as 0/0/00 in some versions.
EMPTY_DATES = ("0/0/00", "0/0/0000", "00/00/00")
DISPLAY_NAME_ADDRESS = r"\(\s*([^()\s]+@[^()\s]+)\s*\)\s*$"


def _email_expr(raw: pl.DataFrame, slot: str) -> pl.Expr:
    """One e-mail slot: the address if it has an '@', else the '(addr)' of the display name."""

    def col(name: str) -> pl.Expr:
        return pl.col(name) if name in raw.columns else pl.lit(None, dtype=pl.String)

    address = col(f"{slot} address")
    from_display = col(f"{slot} display name").str.extract(DISPLAY_NAME_ADDRESS, 1)
    return (
        pl.when(address.str.contains("@", literal=True))
        .then(address)
        .otherwise(from_display)
        .str.strip_chars()
    )


def _listed(exprs: list[pl.Expr]) -> pl.Expr:
    """Non-empty values of several string columns, as a list without duplicates."""
    if not exprs:
        return pl.lit([], dtype=pl.List(pl.String))
    return (
        pl.concat_list(exprs)
        .list.eval(pl.element().filter(pl.element().str.len_chars() > 0))
        .list.drop_nulls()
        .list.unique(maintain_order=True)
    )


def split_on(column: pl.Expr, separator: str) -> pl.Expr:
    """Split a multi-value cell, trimming parts and dropping empty ones (null stays [])."""
    return (
        column.fill_null("")
        .str.split(separator)
        .list.eval(pl.element().str.strip_chars().filter(pl.element().str.len_chars() > 0))
    )


def outlook_to_records(raw: pl.DataFrame, source_file: str, source: str = SOURCE) -> pl.DataFrame:
    """Pure mapping of any Outlook-style all-string contacts frame onto RECORD_SCHEMA."""

    def col(name: str) -> pl.Expr:
        return pl.col(name) if name in raw.columns else pl.lit(None, dtype=pl.String)

    person_name = pl.concat_str(
        [col("first name"), col("middle name"), col("last name"), col("suffix")],
        separator=" ",
        ignore_nulls=True,
    )
    display_name = (
        col("e-mail display name").str.replace(DISPLAY_NAME_ADDRESS, "").str.strip_chars()
    )
    full_name = pl.coalesce(
        pl.when(person_name.str.len_chars() > 0).then(person_name),
        col("nickname"),
        pl.when(display_name.str.len_chars() > 0).then(display_name),
    )
    birthday = col("birthday")
    frame = raw.with_columns(raw_json(raw)).with_row_index("source_row", offset=1)
    records = frame.select(
        pl.lit(source).alias("source"),
        pl.lit(source_file).alias("source_file"),
        pl.col("source_row").cast(pl.Int64),
        pl.lit("contact").alias("kind"),
        pl.lit("address_book").alias("channel"),
        full_name.alias("full_name"),
        col("first name").alias("first_name"),
        col("middle name").alias("middle_name"),
        col("last name").alias("last_name"),
        col("nickname").alias("nickname"),
        _listed([_email_expr(raw, slot) for slot in EMAIL_SLOTS]).alias("emails"),
        _listed([pl.col(c) for c in PHONE_COLUMNS if c in raw.columns]).alias("phones"),
        col("company").alias("company"),
        col("job title").alias("title"),
        pl.coalesce([col(c) for c in CITY_COLUMNS]).alias("location"),
        _listed([pl.col(c) for c in URL_COLUMNS if c in raw.columns]).alias("urls"),
        split_on(col("categories"), ";").alias("labels"),
        pl.when(birthday.is_in(EMPTY_DATES)).then(None).otherwise(birthday).alias("birthday"),
        pl.col("raw"),
    )
    return conform(records, RECORD_SCHEMA)


class OutlookDesktopCsv(HeaderCsvConnector):
    """Outlook for Windows "Comma Separated Values" export (§4.1) and the older live.com one."""

    name = "outlook_csv"
    source = SOURCE
    header_prefix = DESKTOP_HEADER_PREFIX

    def to_records(self, raw: pl.DataFrame, source_file: str) -> pl.DataFrame:
        return outlook_to_records(raw, source_file)


class OutlookWebCsv(HeaderCsvConnector):
    """Outlook.com / new Outlook / Microsoft 365 web export (§4.2)."""

    name = "outlook_web_csv"
    source = SOURCE
    header_prefix = WEB_HEADER_PREFIX

    def to_records(self, raw: pl.DataFrame, source_file: str) -> pl.DataFrame:
        return outlook_to_records(raw, source_file)
