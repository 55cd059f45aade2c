"""LinkedIn "Get a copy of your data" export (Basic or Complete zip, or its loose CSVs).

Files (FORMATS.md §1), each recognised by its header, never by its name:

* ``Connections.csv``: first-degree connections. Three header eras: no preamble
  (until mid-2021), a 3-line ``Notes:`` preamble without ``URL`` (to mid-2023), and the
  preamble with ``URL`` (since). Date-only rows are hidden profiles: kept as records of
  kind ``hidden`` (counted, never people). ``Connected On`` is ``%d %b %Y``; Excel re-saves
  give ``%d-%b-%y``.
"""

from __future__ import annotations

import polars as pl

from connectors._text import decode, header_cells, raw_json, read_csv_text
from connectors.base import RECORD_SCHEMA, ExportFile, FormatError, ParseResult, conform

SOURCE = "linkedin"
CONNECTED_ON_FORMATS = ("%d %b %Y", "%d-%b-%y", "%Y-%m-%d", "%m/%d/%Y")


def _connections_header_at(text: str) -> int | None:
    """Offset of the Connections header line, found by content within the first lines."""
    offset = 0
    for _ in range(8):
        end = text.find("\n", offset)
        line = text[offset:] if end == -1 else text[offset:end]
        cells = header_cells(line)
        if cells[:2] == ["first name", "last name"] and "connected on" in cells:
            return offset
        if end == -1:
            return None
        offset = end + 1
    return None


def parse_date(column: pl.Expr, formats: tuple[str, ...]) -> pl.Expr:
    """First format that parses wins; anything else becomes null (kept in ``raw``)."""
    return pl.coalesce(
        [column.str.strptime(pl.Date, fmt, strict=False) for fmt in formats]
    )


class LinkedInConnections:
    name = "linkedin_connections"
    source = SOURCE

    def sniff(self, file_name: str, head: str) -> bool:
        return _connections_header_at(head) is not None

    def parse(self, file: ExportFile) -> ParseResult:
        text = decode(file.read_bytes())
        start = _connections_header_at(text)
        if start is None:
            raise FormatError(
                f"{file.name}: expected a LinkedIn Connections header "
                "'First Name,Last Name,...,Connected On'"
            )
        raw = read_csv_text(
            text[start:], file.name, required=("first name", "last name", "connected on")
        )
        return ParseResult(records=connections_to_records(raw, file.name))


def connections_to_records(raw: pl.DataFrame, source_file: str) -> pl.DataFrame:
    """Pure mapping of the all-string Connections frame onto RECORD_SCHEMA."""

    def col(name: str) -> pl.Expr:
        return pl.col(name) if name in raw.columns else pl.lit(None, dtype=pl.String)

    identity = [col(c) for c in ("first name", "last name", "url", "email address", "company")]
    is_hidden = pl.all_horizontal([c.is_null() for c in identity])
    frame = raw.with_columns(raw_json(raw)).with_row_index("source_row", offset=1)
    records = frame.select(
        pl.lit(SOURCE).alias("source"),
        pl.lit(source_file).alias("source_file"),
        pl.col("source_row").cast(pl.Int64),
        pl.when(is_hidden).then(pl.lit("hidden")).otherwise(pl.lit("contact")).alias("kind"),
        pl.lit("linkedin_connection").alias("channel"),
        col("first name").alias("first_name"),
        col("last name").alias("last_name"),
        pl.concat_list(col("email address")).list.drop_nulls().alias("emails"),
        col("company").alias("company"),
        col("position").alias("title"),
        col("url").alias("linkedin_url"),
        parse_date(col("connected on"), CONNECTED_ON_FORMATS).alias("connected_on"),
        pl.col("raw"),
    )
    return conform(records, RECORD_SCHEMA)

