"""X / Twitter "Download an archive of your data" (zip or folder), plus third-party CSVs.

Every ``data/*.js`` file is one assignment ``window.YTD.<type>.part<N> = [ ... ]``
(FORMATS.md §2.2). The type is read from that prefix, never from the file name, and the
payload with ``json.loads(text[text.index('=') + 1:])``. Integers are kept as their exact
digits (``parse_int=str``): snowflake IDs exceed 2^53 and must never pass through a float.
Large types are split into ``<name>-part<N>.js``; each part is parsed on its own.

* ``account.js``: the owner (account id, handle, e-mail, display name).
* ``follower.js`` / ``following.js``: account ids only, no names, no dates.
* ``direct-messages.js`` (1:1), ``direct-messages-group.js`` and the two ``*-headers``
  files (the same messages without text): one interaction per (message, participant).
* ``contact.js``: the owner's uploaded address book (e-mails and phones, no names).
* every other YTD type (tweets, like, ...) and ``manifest.js``: recognised, then skipped.

Third-party follower/following CSVs (§2.8: followers2csv, twarc-csv, Apify) have no
standard: columns are found through an alias map. Whether a CSV lists followers or
followings is not in its content, so the channel comes from the file name when it says
(``...following...`` → ``x_following``, ``...follower...`` → ``x_follower``) and is
``x_profile`` otherwise.
"""

from __future__ import annotations

import json
import re
import zipfile
import zlib
from typing import Any

import polars as pl

from connectors._text import decode, first_line, header_cells, raw_json, read_csv_text, read_export
from connectors.base import (
    INTERACTION_SCHEMA,
    OWNER_SCHEMA,
    RECORD_SCHEMA,
    ExportFile,
    FormatError,
    ParseIssue,
    ParseResult,
    conform,
)

SOURCE = "x"
YTD_PREFIX = re.compile(r"\s*window\.YTD\.(\w+)\.part(\d+)\s*=\s*")
MANIFEST_PREFIX = re.compile(r"\s*window\.__THAR_CONFIG\s*=")
FOLLOW_TYPES = {"follower": "x_follower", "following": "x_following"}
DM_TYPES = frozenset(
    {
        "direct_messages",
        "direct_messages_group",
        "direct_message_headers",
        "direct_message_group_headers",
    }
)
HANDLED_TYPES = frozenset({"account", "contact", *FOLLOW_TYPES, *DM_TYPES})
# createdAt is ISO-8601 UTC, with milliseconds in every sample
TIMESTAMP_FORMATS = ("%Y-%m-%dT%H:%M:%S%.fZ", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%.f%z")
GROUP_EVENTS = ("joinConversation", "participantsJoin", "participantsLeave")
MAX_ROW_ISSUES = 20
YTD_SHAPE = "'window.YTD.<type>.partN = [ ... ]'"


def ytd_type(head: str) -> str | None:
    """The ``<type>`` of a ``window.YTD.<type>.partN =`` file, else None."""
    match = YTD_PREFIX.match(head.lstrip("\ufeff"))
    return match.group(1) if match else None


def account_id(value: object) -> str | None:
    """An id as its exact digits; a float (precision already lost) or junk gives None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d+\.0*", text):  # a spreadsheet's '123.0'
            text = text.split(".", 1)[0]
        return text if text.isdigit() else None
    return None


def load_ytd(file: ExportFile) -> tuple[str, list[Any]]:
    """The type and the JSON array of a YTD file; anything else is a FormatError."""
    text = decode(read_export(file))
    kind = ytd_type(text)
    if kind is None:
        raise FormatError(f"{file.name}: expected an X archive data file {YTD_SHAPE}", row=1)
    try:
        data = json.loads(text[text.index("=") + 1 :], parse_int=str)
    except json.JSONDecodeError as error:
        raise FormatError(
            f"{file.name}: the {kind} payload is not valid JSON (line {error.lineno}); "
            f"expected {YTD_SHAPE}",
            row=error.lineno,
        ) from None
    if not isinstance(data, list):
        raise FormatError(
            f"{file.name}: the {kind} payload is a {type(data).__name__}, expected a JSON array"
        )
    return kind, data


def _inner(element: object, key: str) -> dict[str, Any] | None:
    """``element[key]`` of ``[{"<key>": {...}}]`` (or the single wrapped object)."""
    if not isinstance(element, dict):
        return None
    value = element.get(key)
    if value is None and len(element) == 1:
        value = next(iter(element.values()))
    return value if isinstance(value, dict) else None


def _strings(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    return [str(item).strip() for item in value if isinstance(item, str | int) and str(item)]


def _row_issues(source_file: str, rows: list[int], problem: str) -> list[ParseIssue]:
    """One issue per bad element, capped so a broken large file stays readable."""
    issues = [ParseIssue(source_file, row, problem) for row in rows[:MAX_ROW_ISSUES]]
    if len(rows) > MAX_ROW_ISSUES:
        issues.append(
            ParseIssue(source_file, None, f"{len(rows) - MAX_ROW_ISSUES} more rows: {problem}")
        )
    return issues


def parse_timestamp(column: pl.Expr) -> pl.Expr:
    return pl.coalesce(
        [column.str.strptime(pl.Datetime("us", "UTC"), f, strict=False) for f in TIMESTAMP_FORMATS]
    )


def _text(value: object) -> str | None:
    """A trimmed non-empty string, else None."""
    text = value.strip() if isinstance(value, str) else None
    return text or None


def _to_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _with_source(frame: pl.DataFrame, source_file: str) -> pl.DataFrame:
    return frame.with_columns(
        pl.lit(SOURCE).alias("source"), pl.lit(source_file).alias("source_file")
    )


# --------------------------------------------------------------------------- account.js


class XAccount:
    name = "x_account"
    source = SOURCE

    def sniff(self, file_name: str, head: str) -> bool:
        return ytd_type(head) == "account"

    def parse(self, file: ExportFile) -> ParseResult:
        _, data = load_ytd(file)
        records, owner = account_to_frames(data, file.name)
        return ParseResult(records=records, owner=owner)


def account_to_frames(data: list[Any], source_file: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One 'owner' record per account element, and the owner's four identifiers."""
    accounts = [_inner(element, "account") or {} for element in data]
    frame = pl.DataFrame(
        {
            "source_row": list(range(1, len(accounts) + 1)),
            "x_account_id": [account_id(a.get("accountId")) for a in accounts],
            "x_handle": [_text(a.get("username")) for a in accounts],
            "email": [_text(a.get("email")) for a in accounts],
            "full_name": [_text(a.get("accountDisplayName")) for a in accounts],
            "raw": [_to_json(a) for a in accounts],
        },
        schema={
            "source_row": pl.Int64,
            "x_account_id": pl.String,
            "x_handle": pl.String,
            "email": pl.String,
            "full_name": pl.String,
            "raw": pl.String,
        },
    )
    records = _with_source(frame, source_file).with_columns(
        pl.lit("owner").alias("kind"),
        pl.lit("x_account").alias("channel"),
        pl.concat_list(pl.col("email")).list.drop_nulls().alias("emails"),
    )
    owner = pl.concat(
        [
            frame.select(pl.lit(kind).alias("kind"), pl.col(column).alias("value"))
            for kind, column in (
                ("x_account_id", "x_account_id"),
                ("x_handle", "x_handle"),
                ("email", "email"),
                ("name", "full_name"),
            )
        ]
    )
    owner = owner.filter(pl.col("value").is_not_null()).unique(maintain_order=True)
    owner = owner.with_columns(pl.lit(SOURCE).alias("source"))
    return conform(records, RECORD_SCHEMA), conform(owner, OWNER_SCHEMA)


# --------------------------------------------------------------------------- follower / following


class XFollows:
    """``follower.js`` / ``following.js`` and their ``-partN`` files: id-only edges."""

    name = "x_follows"
    source = SOURCE

    def sniff(self, file_name: str, head: str) -> bool:
        return ytd_type(head) in FOLLOW_TYPES

    def parse(self, file: ExportFile) -> ParseResult:
        kind, data = load_ytd(file)
        if kind not in FOLLOW_TYPES:
            raise FormatError(
                f"{file.name}: expected a follower or following list, found YTD type '{kind}'"
            )
        records, missing = follows_to_records(data, kind, file.name)
        return ParseResult(
            records=records,
            issues=_row_issues(file.name, missing, f"{kind} entry without an accountId; skipped"),
        )


def follows_to_records(
    data: list[Any], kind: str, source_file: str
) -> tuple[pl.DataFrame, list[int]]:
    """One contact record per array element holding an accountId; rows without one."""
    inner = [_inner(element, kind) or {} for element in data]
    frame = pl.DataFrame(
        {
            "source_row": pl.int_range(1, len(inner) + 1, eager=True, dtype=pl.Int64),
            "x_account_id": [account_id(entry.get("accountId")) for entry in inner],
            "raw": [_to_json(entry) for entry in inner],
        }
    )
    missing = frame.filter(pl.col("x_account_id").is_null()).get_column("source_row").to_list()
    records = _with_source(frame.drop_nulls("x_account_id"), source_file).with_columns(
        pl.lit("contact").alias("kind"), pl.lit(FOLLOW_TYPES[kind]).alias("channel")
    )
    return conform(records, RECORD_SCHEMA), missing


# --------------------------------------------------------------------------- direct messages


class XDirectMessages:
    """1:1 and group DMs (and their ``*-headers`` twins): one row per message participant."""

    name = "x_direct_messages"
    source = SOURCE

    def sniff(self, file_name: str, head: str) -> bool:
        return ytd_type(head) in DM_TYPES

    def parse(self, file: ExportFile) -> ParseResult:
        _, data = load_ytd(file)
        interactions, bad_rows = dms_to_interactions(data, file.name)
        return ParseResult(
            interactions=interactions,
            issues=_row_issues(
                file.name, bad_rows, "DM without a usable createdAt; kept without a time"
            ),
        )


def _dm_rows(data: list[Any]) -> list[tuple[int, str | None, str | None, Any, str, str]]:
    """(source_row, message_id, thread_id, createdAt, role, account id) per participant.

    A 1:1 ``messageCreate`` gives 'from' (senderId) and 'to' (recipientId); a group one has
    no recipient, so group members come as 'participant' rows from the join/leave events.
    """
    out: list[tuple[int, str | None, str | None, Any, str, str]] = []
    for row, element in enumerate(data, start=1):
        conversation = _inner(element, "dmConversation") or {}
        thread = conversation.get("conversationId")
        thread = str(thread) if thread is not None else None
        for item in conversation.get("messages") or []:
            if not isinstance(item, dict):
                continue
            message = item.get("messageCreate")
            if isinstance(message, dict):
                created = message.get("createdAt")
                sender = account_id(message.get("senderId"))
                message_id = account_id(message.get("id")) or f"{thread}:{created}:{sender}"
                if sender:
                    out.append((row, message_id, thread, created, "from", sender))
                recipient = account_id(message.get("recipientId"))
                if recipient:
                    out.append((row, message_id, thread, created, "to", recipient))
                continue
            for event in GROUP_EVENTS:
                change = item.get(event)
                if not isinstance(change, dict):
                    continue
                created = change.get("createdAt")
                people = [change.get("initiatingUserId")]
                people += change.get("userIds") or []
                people += change.get("participantsSnapshot") or []
                event_id = f"{thread}:{event}:{created}"
                seen: set[str] = set()
                for person in people:
                    user = account_id(person)
                    if user and user not in seen:
                        seen.add(user)
                        out.append((row, event_id, thread, created, "participant", user))
    return out


def dms_to_interactions(data: list[Any], source_file: str) -> tuple[pl.DataFrame, list[int]]:
    rows = _dm_rows(data)
    frame = pl.DataFrame(
        rows,
        schema={
            "source_row": pl.Int64,
            "message_id": pl.String,
            "thread_id": pl.String,
            "created_at": pl.String,
            "role": pl.String,
            "x_account_id": pl.String,
        },
        orient="row",
        strict=False,
    ).with_columns(parse_timestamp(pl.col("created_at")).alias("occurred_at"))
    bad = (
        frame.filter(pl.col("occurred_at").is_null())
        .get_column("source_row")
        .unique(maintain_order=True)
        .to_list()
    )
    frame = _with_source(frame, source_file).with_columns(
        pl.lit("x_dm").alias("channel"), pl.lit(False).alias("is_bulk")
    )
    return conform(frame, INTERACTION_SCHEMA), bad


# --------------------------------------------------------------------------- contact.js


class XContacts:
    """``contact.js``: address book uploaded to X (no names: e-mail/phone matching only)."""

    name = "x_contacts"
    source = SOURCE

    def sniff(self, file_name: str, head: str) -> bool:
        return ytd_type(head) == "contact"

    def parse(self, file: ExportFile) -> ParseResult:
        _, data = load_ytd(file)
        return ParseResult(records=contacts_to_records(data, file.name))


def contacts_to_records(data: list[Any], source_file: str) -> pl.DataFrame:
    contacts = [_inner(element, "contact") or {} for element in data]
    frame = pl.DataFrame(
        {
            "source_row": pl.int_range(1, len(contacts) + 1, eager=True, dtype=pl.Int64),
            "emails": [_strings(c.get("emails")) for c in contacts],
            "phones": [_strings(c.get("phoneNumbers")) for c in contacts],
            "raw": [_to_json(c) for c in contacts],
        },
        schema_overrides={"emails": pl.List(pl.String), "phones": pl.List(pl.String)},
    )
    records = _with_source(frame, source_file).with_columns(
        pl.lit("contact").alias("kind"), pl.lit("x_uploaded_contact").alias("channel")
    )
    return conform(records, RECORD_SCHEMA)


# --------------------------------------------------------------------------- everything else


class XArchiveOther:
    """Other YTD types (tweets, like, ...) and ``manifest.js``: known X files, nothing to load.

    Only the opening is checked (a JSON array must follow the '='), so a 1 GB ``tweets.js``
    is never parsed just to be skipped.
    """

    name = "x_archive_other"
    source = SOURCE

    def sniff(self, file_name: str, head: str) -> bool:
        kind = ytd_type(head)
        if kind is not None:
            return kind not in HANDLED_TYPES
        return MANIFEST_PREFIX.match(head.lstrip("\ufeff")) is not None

    def parse(self, file: ExportFile) -> ParseResult:
        try:
            head = decode(file.head(4096))
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
            raise FormatError(
                f"{file.name}: cannot read the file ({type(error).__name__})"
            ) from None
        match = YTD_PREFIX.match(head.lstrip("\ufeff"))
        if match is None:
            if MANIFEST_PREFIX.match(head.lstrip("\ufeff")):
                return ParseResult()
            raise FormatError(f"{file.name}: expected an X archive data file {YTD_SHAPE}", row=1)
        if not head.lstrip("\ufeff")[match.end() :].startswith("["):
            raise FormatError(
                f"{file.name}: expected a JSON array after 'window.YTD.{match.group(1)}.part"
                f"{match.group(2)} ='"
            )
        return ParseResult()


# --------------------------------------------------------------------------- third-party CSVs

ID_ALIASES = ("id", "userid", "user_id", "accountid", "account_id")
HANDLE_ALIASES = ("user", "username", "screen_name", "screenname", "handle")
NAME_ALIASES = ("name", "display_name", "displayname")
LOCATION_ALIASES = ("location",)
URL_ALIASES = ("url",)
# columns only a Twitter user export has: keeps generic id/name/username CSVs out
X_EVIDENCE = frozenset(
    {
        "followers",
        "following",
        "followers_count",
        "followerscount",
        "followingcount",
        "friends_count",
        "public_metrics.followers_count",
        "statuses",
        "statusescount",
        "statuses_count",
        "listed",
        "listedcount",
        "profile_image",
        "profile_image_url",
        "verified",
        "protected",
        "pinned_tweet_id",
    }
)


def _first(columns: list[str], aliases: tuple[str, ...]) -> str | None:
    return next((alias for alias in aliases if alias in columns), None)


def is_follower_csv_header(cells: list[str]) -> bool:
    return (
        _first(cells, ID_ALIASES) is not None
        and _first(cells, HANDLE_ALIASES) is not None
        and _first(cells, NAME_ALIASES) is not None
        and not X_EVIDENCE.isdisjoint(cells)
    )


def follower_csv_channel(file_name: str) -> str:
    lowered = file_name.lower()
    if "following" in lowered or "friends" in lowered:
        return "x_following"
    if "follower" in lowered:
        return "x_follower"
    return "x_profile"


class XFollowersCsv:
    """Follower/following lists written by third-party tools (FORMATS.md §2.8)."""

    name = "x_followers_csv"
    source = SOURCE

    def sniff(self, file_name: str, head: str) -> bool:
        return is_follower_csv_header(header_cells(first_line(head)))

    def parse(self, file: ExportFile) -> ParseResult:
        raw = read_csv_text(decode(read_export(file)), file.name)
        if not is_follower_csv_header(raw.columns):
            raise FormatError(
                f"{file.name}: expected a follower CSV header with an id "
                f"({'|'.join(ID_ALIASES)}), a handle ({'|'.join(HANDLE_ALIASES)}) and a name",
                row=1,
            )
        records, bad = follower_csv_to_records(raw, file.name, follower_csv_channel(file.name))
        return ParseResult(
            records=records,
            issues=_row_issues(
                file.name, bad, "account id is not a whole number (a float or text); left empty"
            ),
        )


def follower_csv_to_records(
    raw: pl.DataFrame, source_file: str, channel: str
) -> tuple[pl.DataFrame, list[int]]:
    """Alias-mapped columns onto RECORD_SCHEMA; rows whose id was mangled are reported."""

    def col(aliases: tuple[str, ...]) -> pl.Expr:
        name = _first(raw.columns, aliases)
        return pl.col(name) if name else pl.lit(None, dtype=pl.String)

    ids = col(ID_ALIASES).str.replace(r"^(\d+)\.0*$", "${1}")
    frame = (
        raw.with_columns(raw_json(raw))
        .with_row_index("source_row", offset=1)
        .select(
            pl.col("source_row").cast(pl.Int64),
            pl.when(ids.str.contains(r"^\d+$")).then(ids).otherwise(None).alias("x_account_id"),
            ids.is_not_null().alias("has_id"),
            col(HANDLE_ALIASES).str.strip_prefix("@").alias("x_handle"),
            col(NAME_ALIASES).alias("full_name"),
            col(LOCATION_ALIASES).alias("location"),
            pl.concat_list(col(URL_ALIASES)).list.drop_nulls().alias("urls"),
            pl.col("raw"),
        )
    )
    bad = (
        frame.filter(pl.col("has_id") & pl.col("x_account_id").is_null())
        .get_column("source_row")
        .to_list()
    )
    records = _with_source(frame, source_file).with_columns(
        pl.lit("contact").alias("kind"), pl.lit(channel).alias("channel")
    )
    return conform(records, RECORD_SCHEMA), bad
