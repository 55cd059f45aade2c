"""Gmail Takeout mbox (``Takeout/Mail/*.mbox``, FORMATS.md §6.1) → e-mail interactions.

Files run to tens of GB, so the file is streamed in fixed-size chunks from
``ExportFile.open()`` and never read whole: memory is one chunk plus one header block,
whatever the file size. A message starts at a ``From `` line at the start of the file or
after a blank line (the mboxrd/mboxo rule: body lines starting with ``From `` are quoted as
``>From ``). Only the header block is decoded; bodies are skipped by a byte search for the
next boundary and never stored.

Per message: one interaction row per participant (role ``from``/``to``/``cc``/``bcc``),
``message_id`` from ``Message-ID`` (or a ``sha1:`` of From, Date and Subject when absent;
each id is counted once per file), ``thread_id`` from ``X-GM-THRID``, ``occurred_at`` from
``Date`` with the ``From_`` line (with or without zone) as the fallback, and ``is_bulk`` for
``List-Id``, ``Precedence: bulk|list|junk``, ``Auto-Submitted`` other than ``no``, no-reply
style senders, and the Gmail ``Spam``/``Trash`` labels. Display names are RFC 2047 decoded.
The owner's addresses are ``Delivered-To`` values and the ``From`` of ``Sent`` messages.
An mbox holds no contact records.
"""

from __future__ import annotations

import csv
import hashlib
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache
from typing import IO

import polars as pl

from connectors.base import (
    INTERACTION_SCHEMA,
    OWNER_SCHEMA,
    ExportFile,
    FormatError,
    ParseIssue,
    ParseResult,
    conform,
)

SOURCE = "gmail"
CHUNK_BYTES = 1 << 20
MAX_HEADER_BYTES = 1 << 20  # a header block longer than this is cut (and reported)
BATCH_MESSAGES = 50_000  # rows are moved from Python lists into Arrow every this many
MAX_ROW_ISSUES = 50  # per-message issues beyond this are summarised in one issue
WANTED = frozenset(
    {
        "from",
        "to",
        "cc",
        "bcc",
        "date",
        "message-id",
        "subject",
        "x-gmail-labels",
        "x-gm-thrid",
        "delivered-to",
        "list-id",
        "precedence",
        "auto-submitted",
    }
)
ROLES = ("from", "to", "cc", "bcc")
BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})
NOREPLY = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer-daemon|postmaster|bounces?|notifications?)"
    r"([-_+.].*)?@",
    re.IGNORECASE,
)
_HEADER_END = re.compile(rb"\n\r?\n")
_BOUNDARY = re.compile(rb"\n\r?\nFrom ")
_FOLD = re.compile(r"\r?\n[ \t]+")
_FROM_LINE = re.compile(r"^From \S+ +\S")
_HEADER_LINE = re.compile(r"^[!-9;-~]+:")
_RFC_DATE_FORMATS = ("%d %b %Y %H:%M:%S %z", "%d %b %Y %H:%M %z")


@dataclass
class RawMessage:
    number: int  # 1-based position in the file
    from_line: str
    headers: bytes  # the header block without the From_ line
    complete: bool  # False when the file ended or the cap hit before the blank line


def iter_raw_messages(stream: IO[bytes], chunk_bytes: int = CHUNK_BYTES) -> Iterator[RawMessage]:
    """Header blocks of every message, reading ``stream`` chunk by chunk."""
    buffer = stream.read(max(chunk_bytes, 16))
    eof = not buffer
    position = 0
    number = 0
    if not buffer.startswith(b"From "):
        return
    while True:
        # position is at a 'From ' line: find the blank line that ends the headers
        search_from = position
        while True:
            match = _HEADER_END.search(buffer, search_from)
            if match or eof or len(buffer) - position > MAX_HEADER_BYTES:
                break
            search_from = max(position, len(buffer) - 2)
            more = stream.read(chunk_bytes)
            eof = not more
            buffer = buffer[position:] + more
            search_from -= position
            position = 0
        end = match.start() if match else min(len(buffer), position + MAX_HEADER_BYTES)
        block = buffer[position:end]
        line_end = block.find(b"\n")
        from_line = block if line_end == -1 else block[:line_end]
        number += 1
        yield RawMessage(
            number=number,
            from_line=from_line.rstrip(b"\r").decode("utf-8", errors="replace"),
            headers=b"" if line_end == -1 else block[line_end + 1 :],
            complete=match is not None,
        )
        # skip the body: search for the next boundary without keeping what was passed
        search_from = end
        while True:
            boundary = _BOUNDARY.search(buffer, search_from)
            if boundary or eof:
                break
            keep = max(search_from, len(buffer) - 8)
            more = stream.read(chunk_bytes)
            eof = not more
            buffer = buffer[keep:] + more
            search_from = 0
        if boundary is None:
            return
        position = boundary.end() - len(b"From ")


def parse_headers(block: bytes) -> dict[str, list[str]]:
    """The wanted headers of one block, unfolded; repeated headers keep every value."""
    text = _FOLD.sub(" ", block.decode("utf-8", errors="replace"))
    headers: dict[str, list[str]] = {}
    for line in text.split("\n"):
        name, colon, value = line.partition(":")
        if not colon:
            continue
        key = name.strip().lower()
        if key in WANTED:
            headers.setdefault(key, []).append(value.strip())
    return headers


def decode_name(name: str) -> str | None:
    """RFC 2047 display name → text; undecodable names are kept as written."""
    if "=?" in name:
        try:
            name = str(make_header(decode_header(name)))
        except (ValueError, LookupError, UnicodeError, AssertionError):
            pass
    name = name.strip().strip('"').strip()
    return name or None


_SIMPLE_ENTRY = re.compile(
    r"^\s*(?:([^\",<>()@;:\\\[\]]*?)\s*<([^<>\s\",()]+@[^<>\s\",()]+)>"
    r"|([^<>\s\",()]+@[^<>\s\",()]+))\s*$"
)


@lru_cache(maxsize=262_144)
def parse_address_list(value: str) -> tuple[tuple[str, str | None], ...]:
    """(address, display name) pairs of one address header; cached (values repeat a lot).

    Plain ``a@x`` / ``Name <a@x>`` lists take a regex fast path; anything with quotes,
    comments or odd characters goes through ``email.utils.getaddresses``.
    """
    if '"' not in value and "(" not in value:
        pairs: list[tuple[str, str | None]] = []
        for entry in value.split(","):
            if not entry.strip():
                continue
            match = _SIMPLE_ENTRY.match(entry)
            if match is None:
                break
            name, bracketed, bare = match.groups()
            pairs.append((bracketed or bare, decode_name(name) if name else None))
        else:
            return tuple(pairs)
    return tuple(
        (address.strip(), decode_name(name))
        for name, address in getaddresses([value])
        if address.strip()
    )


def parse_labels(value: str) -> list[str]:
    """``X-Gmail-Labels``: comma-separated, labels holding commas are quoted."""
    return [label.strip() for label in next(csv.reader([value]), []) if label.strip()]


def _is_bulk(headers: dict[str, list[str]], sender: str | None, labels: list[str]) -> bool:
    if "list-id" in headers:
        return True
    if any(v.strip().lower() in BULK_PRECEDENCE for v in headers.get("precedence", [])):
        return True
    if any(v.strip().lower() != "no" for v in headers.get("auto-submitted", [])):
        return True
    if sender is not None and NOREPLY.match(sender):
        return True
    return "Spam" in labels or "Trash" in labels


def parse_dates(rfc_dates: pl.Series, from_lines: pl.Series) -> pl.Series:
    """``Date`` header → UTC; common shapes in polars, odd ones via the stdlib, then From_."""
    cleaned = (
        rfc_dates.str.replace(r"\s*\([^)]*\)\s*$", "")
        .str.replace(r"^\s*[A-Za-z]{3},\s*", "")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    parsed = pl.select(
        pl.coalesce(
            [
                cleaned.str.to_datetime(fmt, strict=False, time_unit="us", time_zone="UTC")
                for fmt in _RFC_DATE_FORMATS
            ]
        )
    ).to_series()
    missing = (parsed.is_null() & rfc_dates.is_not_null()).arg_true().to_list()
    if missing:
        values = parsed.to_list()
        originals = rfc_dates.to_list()
        for index in missing:
            values[index] = _stdlib_date(originals[index])
        parsed = pl.Series(values, dtype=pl.Datetime("us", "UTC"))
    asctime = from_lines.str.replace(r"^From \S+\s+", "").str.replace_all(r"\s+", " ")
    fallback = pl.select(
        pl.coalesce(
            asctime.str.to_datetime(
                "%a %b %d %H:%M:%S %z %Y", strict=False, time_unit="us", time_zone="UTC"
            ),
            asctime.str.to_datetime(
                "%a %b %d %H:%M:%S %Y", strict=False, time_unit="us"
            ).dt.replace_time_zone("UTC"),
        )
    ).to_series()
    return parsed.fill_null(fallback).alias("occurred_at")


def _stdlib_date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


class _Builder:
    """Interaction rows in column lists, moved into Arrow batch by batch."""

    def __init__(self, source_file: str) -> None:
        self.source_file = source_file
        self.frames: list[pl.DataFrame] = []
        self.owner: set[str] = set()
        self.issues: list[ParseIssue] = []
        self.suppressed_issues = 0
        self._reset()

    def _reset(self) -> None:
        self.m_row: list[int] = []
        self.m_id: list[str] = []
        self.m_thread: list[str | None] = []
        self.m_date: list[str | None] = []
        self.m_from_line: list[str] = []
        self.m_bulk: list[bool] = []
        self.r_message: list[int] = []  # index into the m_* lists of this batch
        self.r_role: list[str] = []
        self.r_email: list[str] = []
        self.r_name: list[str | None] = []

    def issue(self, row: int, message: str) -> None:
        if len(self.issues) < MAX_ROW_ISSUES:
            self.issues.append(ParseIssue(self.source_file, row, message))
        else:
            self.suppressed_issues += 1

    def add(self, raw: RawMessage, seen: set[int]) -> None:
        headers = parse_headers(raw.headers)
        if not raw.complete:
            self.issue(raw.number, f"message {raw.number}: header block not terminated")
        participants: list[tuple[str, str, str | None]] = []
        for role in ROLES:
            values = headers.get(role)
            if not values:
                continue
            for value in values:
                for address, display in parse_address_list(value):
                    participants.append((role, address, display))
        sender = next((a for r, a, _ in participants if r == "from"), None)
        date = headers.get("date", [None])[0]
        message_id = headers.get("message-id", [""])[0].strip()
        if not message_id:
            subject = headers.get("subject", [""])[0]
            key = f"{sender or ''}\x1f{date or ''}\x1f{subject}".encode()
            message_id = "sha1:" + hashlib.sha1(key).hexdigest()
        digest = hash(message_id)
        if digest in seen:
            return
        seen.add(digest)
        if not participants:
            self.issue(raw.number, f"message {raw.number}: no From/To/Cc/Bcc address")
            return
        labels = parse_labels(headers["x-gmail-labels"][0]) if "x-gmail-labels" in headers else []
        for value in headers.get("delivered-to", []):
            for _, address in getaddresses([value]):
                if address.strip():
                    self.owner.add(address.strip().lower())
        if "Sent" in labels and sender is not None:
            self.owner.add(sender.lower())
        index = len(self.m_row)
        self.m_row.append(raw.number)
        self.m_id.append(message_id)
        self.m_thread.append(headers.get("x-gm-thrid", [None])[0])
        self.m_date.append(date)
        self.m_from_line.append(raw.from_line)
        self.m_bulk.append(_is_bulk(headers, sender, labels))
        for role, address, display in participants:
            self.r_message.append(index)
            self.r_role.append(role)
            self.r_email.append(address)
            self.r_name.append(display)
        if len(self.m_row) >= BATCH_MESSAGES:
            self.flush()

    def flush(self) -> None:
        if not self.m_row:
            return
        messages = pl.DataFrame(
            {
                "source_row": pl.Series(self.m_row, dtype=pl.Int64),
                "message_id": pl.Series(self.m_id, dtype=pl.String),
                "thread_id": pl.Series(self.m_thread, dtype=pl.String),
                "is_bulk": pl.Series(self.m_bulk, dtype=pl.Boolean),
            }
        ).with_columns(
            parse_dates(
                pl.Series(self.m_date, dtype=pl.String),
                pl.Series(self.m_from_line, dtype=pl.String),
            )
        )
        for position in messages["occurred_at"].is_null().arg_true().to_list():
            row = self.m_row[position]
            self.issue(row, f"message {row}: no readable Date header or From_ line date")
        take = pl.Series(self.r_message, dtype=pl.UInt32)
        rows = messages[take].with_columns(
            pl.Series("role", self.r_role, dtype=pl.String),
            pl.Series("email", self.r_email, dtype=pl.String),
            pl.Series("name", self.r_name, dtype=pl.String),
        )
        self.frames.append(rows)
        self._reset()

    def result(self) -> ParseResult:
        self.flush()
        if self.suppressed_issues:
            self.issues.append(
                ParseIssue(self.source_file, None, f"{self.suppressed_issues} more message issues")
            )
        frame = (
            pl.concat(self.frames)
            if self.frames
            else INTERACTION_SCHEMA.to_frame().select("source_row")
        )
        interactions = conform(
            frame.with_columns(
                pl.lit(SOURCE).alias("source"),
                pl.lit(self.source_file).alias("source_file"),
                pl.lit("email").alias("channel"),
            ),
            INTERACTION_SCHEMA,
        )
        owner = conform(
            pl.DataFrame({"value": sorted(self.owner)}, schema={"value": pl.String}).with_columns(
                pl.lit(SOURCE).alias("source"), pl.lit("email").alias("kind")
            ),
            OWNER_SCHEMA,
        )
        return ParseResult(interactions=interactions, owner=owner, issues=self.issues)


def looks_like_mbox(head: str) -> bool:
    """A ``From `` envelope line followed by an RFC 5322 header line."""
    lines = head.split("\n", 2)
    return (
        len(lines) >= 2
        and _FROM_LINE.match(lines[0]) is not None
        and _HEADER_LINE.match(lines[1]) is not None
    )


class Mbox:
    """Gmail Takeout mbox (any mbox with the same envelope lines reads the same way)."""

    name = "mbox"
    source = SOURCE

    def sniff(self, file_name: str, head: str) -> bool:
        return looks_like_mbox(head)

    def parse(self, file: ExportFile) -> ParseResult:
        builder = _Builder(file.name)
        seen: set[int] = set()
        try:
            with file.open() as stream:
                if not stream.read(5) == b"From ":
                    raise FormatError(
                        f"{file.name}: expected an mbox starting with a 'From ' line", row=1
                    )
            with file.open() as stream:
                for raw in iter_raw_messages(stream):
                    builder.add(raw, seen)
        except FormatError:
            raise
        except (OSError, EOFError, ValueError, zipfile.BadZipFile, zlib.error) as error:
            raise FormatError(
                f"{file.name}: cannot read the mbox ({type(error).__name__})"
            ) from None
        return builder.result()
