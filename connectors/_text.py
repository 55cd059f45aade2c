"""Shared helpers for text exports: decoding by sniffing, header finding, all-string CSV reads."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import zipfile
import zlib
from collections.abc import Sequence

import polars as pl

from connectors.base import ExportFile, FormatError, ParseResult


def decode(data: bytes) -> str:
    """UTF-8 BOM, then UTF-16 BOM, then strict UTF-8, then cp1252; line ends become LF."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            # a cut at the end of a sniffing window may split one multi-byte character
            if error.start >= len(data) - 3 and error.reason.startswith("unexpected end"):
                text = data[: error.start].decode("utf-8")
            else:
                text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_export(file: ExportFile) -> bytes:
    """All bytes of ``file``; a damaged zip or unreadable file becomes a FormatError."""
    try:
        return file.read_bytes()
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, KeyError) as error:
        raise FormatError(f"{file.name}: cannot read the file ({type(error).__name__})") from None


def header_key(cell: str) -> str:
    """Case-, space- and quote-insensitive column key (FORMATS.md §0 rule 3)."""
    return re.sub(r"\s+", " ", cell.strip().strip('"').strip("\ufeff").strip()).lower()


def first_line(text: str) -> str:
    return text.lstrip("\ufeff").split("\n", 1)[0]


def header_cells(line: str) -> list[str]:
    """The normalised cells of one CSV header line ([] for a line no header could be).

    Only the first 64 KiB are read: a longer line is data (csv would raise on a 10 MB field).
    """
    try:
        return [header_key(cell) for cell in next(csv.reader(io.StringIO(line[:65536])), [])]
    except csv.Error:
        return []


def read_csv_text(text: str, source_file: str, required: Sequence[str] = ()) -> pl.DataFrame:
    """Read CSV text with every column as a string; keys are normalised header names.

    Raises FormatError naming the missing columns when ``required`` ones are absent.
    """
    try:
        frame = pl.read_csv(
            io.StringIO(text),
            infer_schema=False,
            truncate_ragged_lines=True,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError as error:
        raise FormatError(f"{source_file}: not a readable CSV ({type(error).__name__})") from None
    renamed: dict[str, str] = {}
    for column in frame.columns:
        key = header_key(column)
        while key in renamed.values():
            key += "_"
        renamed[column] = key
    frame = frame.rename(renamed)
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise FormatError(
            f"{source_file}: missing required column(s) {', '.join(missing)}; "
            f"found {', '.join(frame.columns[:12])}",
            row=1,
        )
    return frame.with_columns(pl.col(pl.String).str.strip_chars().replace("", None))


def raw_json(frame: pl.DataFrame) -> pl.Series:
    """One JSON object per row holding every original field (the 'raw' column)."""
    if frame.width == 0:
        return pl.Series("raw", [None] * frame.height, dtype=pl.String)
    return frame.select(pl.struct(pl.all()).struct.json_encode().alias("raw")).to_series()


def to_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


class HeaderCsvConnector:
    """A CSV export recognised by the first cells of its header row, mapped by a pure function.

    Subclasses set ``name``, ``source``, ``header_prefix``, ``required`` and ``to_records``.
    """

    name: str
    source: str
    header_prefix: Sequence[str]
    required: Sequence[str] = ("first name",)

    def to_records(self, raw: pl.DataFrame, source_file: str) -> pl.DataFrame:
        raise NotImplementedError

    def sniff(self, file_name: str, head: str) -> bool:
        prefix = list(self.header_prefix)
        return header_cells(first_line(head))[: len(prefix)] == prefix

    def parse(self, file: ExportFile) -> ParseResult:
        raw = read_csv_text(decode(read_export(file)), file.name, required=self.required)
        return ParseResult(records=self.to_records(raw, file.name))
