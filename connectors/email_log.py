"""E-mail log CSVs (FORMATS.md §6.2) → e-mail interactions, columns found through an alias map.

There is no standard, so any CSV with a sender column, a recipient column and one of
date / subject / message-id is accepted. Shapes seen in practice:

* generic: ``from,to,cc,date,subject``;
* kith's canonical shape (§6.2 c): ``source,owner_id,message_id,thread_id,ts_utc,direction,
  from_addr,from_name,to_addrs,cc_addrs,bcc_addrs,subject,is_bulk,is_reply``;
* Outlook desktop's mail-folder export: ``"Subject","Body","From: (Name)","From: (Address)",
  "From: (Type)","To: (Name)","To: (Address)",…`` with no date at all (``occurred_at`` null).

Recipient cells may hold several addresses separated by ``;`` or ``,`` (display names with
commas are handled by ``email.utils.getaddresses``); separate ``(Name)`` cells are paired
with the addresses by position. One interaction per participant; ``source_row`` is the CSV
row. This connector goes last in the registry: it must not claim LinkedIn message files.
"""

from __future__ import annotations

import hashlib
from datetime import UTC
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache

import polars as pl

from connectors._text import decode, first_line, header_cells, read_csv_text, read_export
from connectors.base import (
    INTERACTION_SCHEMA,
    ExportFile,
    FormatError,
    ParseIssue,
    ParseResult,
    conform,
)
from connectors.mbox import MAX_ROW_ISSUES, NOREPLY

SOURCE = "email_log"
ALIASES: dict[str, tuple[str, ...]] = {
    "from": (
        "from",
        "from_addr",
        "from address",
        "from_address",
        "from: (address)",
        "sender",
        "sender_address",
        "senderaddress",
        "sender address",
        "from_email",
    ),
    "from_name": ("from_name", "from: (name)", "sender name", "sender_name"),
    "to": (
        "to",
        "to_addrs",
        "to address",
        "to_address",
        "to: (address)",
        "recipient",
        "recipients",
        "recipient_address",
        "recipientaddress",
        "recipient address",
    ),
    "to_name": ("to: (name)", "to_name"),
    "cc": ("cc", "cc_addrs", "cc: (address)", "cc_address"),
    "cc_name": ("cc: (name)", "cc_name"),
    "bcc": ("bcc", "bcc_addrs", "bcc: (address)", "bcc_address"),
    "bcc_name": ("bcc: (name)", "bcc_name"),
    "date": (
        "date",
        "ts_utc",
        "sent",
        "sent at",
        "received",
        "timestamp",
        "datetime",
        "date_time_utc",
        "origin_timestamp_utc",
        "received_at",
        "sent_at",
    ),
    "subject": ("subject", "message_subject"),
    "message_id": ("message_id", "message-id", "messageid", "message id", "internet message id"),
    "thread_id": ("thread_id", "thread id", "conversation_id"),
    "is_bulk": ("is_bulk",),
}
# Columns of other exports (LinkedIn messages / invitations) that also have From and To.
FOREIGN_COLUMNS = frozenset(
    {
        "conversation id",
        "sender profile url",
        "recipient profile urls",
        "inviterprofileurl",
        "inviteeprofileurl",
    }
)
LINKEDIN_INVITATIONS = frozenset({"from", "to", "sent at", "message", "direction"})
ROLES = ("from", "to", "cc", "bcc")
TRUE_VALUES = ("true", "1", "yes", "y", "t")
_ISO_FORMATS = ("%Y-%m-%dT%H:%M:%S%.fZ", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%.f%:z")
_NAIVE_FORMATS = (
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M",
    "%Y-%m-%d",
)


def resolve_columns(columns: list[str]) -> dict[str, str]:
    """Canonical field → the file's column for it (first alias present wins)."""
    found: dict[str, str] = {}
    for field, aliases in ALIASES.items():
        for alias in aliases:
            if alias in columns:
                found[field] = alias
                break
    return found


def recognised(columns: list[str]) -> bool:
    fields = resolve_columns(columns)
    if FOREIGN_COLUMNS & set(columns) or LINKEDIN_INVITATIONS <= set(columns):
        return False
    has_detail = any(f in fields for f in ("date", "subject", "message_id"))
    return "from" in fields and "to" in fields and has_detail


@lru_cache(maxsize=65536)
def split_addresses(addresses: str, names: str) -> tuple[tuple[str, str | None], ...]:
    """``a@x; B <b@y>, c@z`` → ((address, name), …); ``names`` (``;``-joined) pair by position."""
    pairs = getaddresses([addresses.replace(";", ",")])
    found = [(a.strip(), n.strip().strip('"') or None) for n, a in pairs if a.strip()]
    name_list = [n.strip() for n in names.split(";")] if names else []
    if name_list and len(name_list) == len(found):
        found = [(a, n or name) for (a, n), name in zip(found, name_list, strict=True)]
    return tuple(found)


def parse_log_dates(values: pl.Series) -> pl.Series:
    """ISO / US / RFC 2822 date strings → UTC (naive values are taken as UTC)."""
    cleaned = values.str.strip_chars()
    aware = [
        cleaned.str.to_datetime(fmt, strict=False, time_unit="us", time_zone="UTC")
        for fmt in _ISO_FORMATS
    ]
    naive = [
        cleaned.str.to_datetime(fmt, strict=False, time_unit="us").dt.replace_time_zone("UTC")
        for fmt in _NAIVE_FORMATS
    ]
    parsed = pl.select(pl.coalesce(aware + naive)).to_series()
    missing = (parsed.is_null() & cleaned.is_not_null()).arg_true().to_list()
    if missing:
        result = parsed.to_list()
        originals = cleaned.to_list()
        for index in missing:
            try:
                value = parsedate_to_datetime(originals[index])
            except (TypeError, ValueError, IndexError, OverflowError):
                continue
            if value.tzinfo is None:
                value = value.replace(tzinfo=UTC)
            result[index] = value.astimezone(UTC)
        parsed = pl.Series(result, dtype=pl.Datetime("us", "UTC"))
    return parsed


def log_to_interactions(raw: pl.DataFrame, source_file: str) -> tuple[pl.DataFrame, list[int]]:
    """Pure mapping: one all-string email-log frame → INTERACTION_SCHEMA rows.

    Also returns the 1-based rows that held no address at all (reported, not guessed at).
    """
    fields = resolve_columns(raw.columns)

    def values(field: str) -> list[str | None]:
        column = fields.get(field)
        return raw[column].to_list() if column else [None] * raw.height

    dates = parse_log_dates(pl.Series(values("date"), dtype=pl.String))
    subjects = values("subject")
    message_ids = values("message_id")
    bulk_flags = values("is_bulk")
    columns: dict[str, list[object]] = {
        "source_row": [],
        "message_id": [],
        "thread_id": [],
        "occurred_at": [],
        "role": [],
        "email": [],
        "name": [],
        "is_bulk": [],
    }
    cells = {role: values(role) for role in ROLES}
    names = {role: values(f"{role}_name") for role in ROLES}
    threads = values("thread_id")
    date_values = dates.to_list()
    empty_rows: list[int] = []
    raw_dates = values("date")
    for index in range(raw.height):
        participants = [
            (role, address, name)
            for role in ROLES
            for address, name in split_addresses(cells[role][index] or "", names[role][index] or "")
        ]
        if not participants:
            empty_rows.append(index + 1)
            continue
        sender = next((a for r, a, _ in participants if r == "from"), None)
        message_id = message_ids[index]
        if message_id is None and raw_dates[index] is not None:
            key = f"{sender or ''}\x1f{raw_dates[index]}\x1f{subjects[index] or ''}"
            message_id = "sha1:" + hashlib.sha1(key.encode()).hexdigest()
        flag = bulk_flags[index]
        if flag is not None:
            is_bulk = flag.strip().lower() in TRUE_VALUES
        else:
            is_bulk = sender is not None and NOREPLY.match(sender) is not None
        for role, address, name in participants:
            columns["source_row"].append(index + 1)
            columns["message_id"].append(message_id)
            columns["thread_id"].append(threads[index])
            columns["occurred_at"].append(date_values[index])
            columns["role"].append(role)
            columns["email"].append(address)
            columns["name"].append(name)
            columns["is_bulk"].append(is_bulk)
    frame = pl.DataFrame(
        columns, schema={name: INTERACTION_SCHEMA[name] for name in columns}
    ).with_columns(
        pl.lit(SOURCE).alias("source"),
        pl.lit(source_file).alias("source_file"),
        pl.lit("email").alias("channel"),
    )
    return conform(frame, INTERACTION_SCHEMA), empty_rows


class EmailLogCsv:
    """Any e-mail log CSV whose columns the alias map understands."""

    name = "email_log_csv"
    source = SOURCE

    def sniff(self, file_name: str, head: str) -> bool:
        return recognised(header_cells(first_line(head)))

    def parse(self, file: ExportFile) -> ParseResult:
        raw = read_csv_text(decode(read_export(file)), file.name)
        if not recognised(raw.columns):
            raise FormatError(
                f"{file.name}: expected an e-mail log with a sender column (from, sender, "
                "from_addr, 'From: (Address)'), a recipient column (to, to_addrs, ...) and a "
                "date, subject or message-id column",
                row=1,
            )
        interactions, empty_rows = log_to_interactions(raw, file.name)
        issues = [
            ParseIssue(file.name, row, f"row {row}: no sender or recipient address")
            for row in empty_rows[:MAX_ROW_ISSUES]
        ]
        if len(empty_rows) > MAX_ROW_ISSUES:
            issues.append(
                ParseIssue(file.name, None, f"{len(empty_rows) - MAX_ROW_ISSUES} more such rows")
            )
        return ParseResult(interactions=interactions, issues=issues)
