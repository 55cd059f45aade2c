"""LinkedIn "Get a copy of your data" export (Basic or Complete zip, or its loose CSVs).

Files (FORMATS.md §1), each recognised by its header, never by its name, and each read on
its own (the flow hands over one zip member at a time):

* ``Connections.csv``: first-degree connections. Three header eras: no preamble
  (until mid-2021), a 3-line ``Notes:`` preamble without ``URL`` (to mid-2023), and the
  preamble with ``URL`` (since). Date-only rows are hidden profiles: kept as records of
  kind ``hidden`` (counted, never people). ``Connected On`` is ``%d %b %Y``; Excel re-saves
  give ``%d-%b-%y``.
* ``messages.csv``: DMs and InMail, at least six header versions, so columns are matched
  by name; since 2026 every field is quoted and ``CONTENT`` holds real line breaks. One
  interaction per (message, participant); drafts dropped; sponsored / ``LinkedIn Member``
  senders flagged ``is_bulk``. Header-only siblings (``guide_messages.csv``) give nothing.
* ``Invitations.csv``: connection requests (5 or 7 columns). ``Sent At`` has no zone and is
  read as UTC. The owner's own profile URL is only known from here (inviter on OUTGOING,
  invitee on INCOMING rows).
* ``Profile.csv``, ``Email Addresses.csv``, ``PhoneNumbers.csv`` (and
  ``Whatsapp Phone Numbers.csv``): the owner's identifiers, plus one ``owner`` record per row.
* ``Contacts.csv`` / ``ImportedContacts.csv``: the owner's address book as uploaded to
  LinkedIn; the multi-value separator is unverified, so values are split defensively.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

import polars as pl

from connectors._text import decode, header_cells, raw_json, read_csv_text, read_export
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

SOURCE = "linkedin"
CONNECTED_ON_FORMATS = ("%d %b %Y", "%d-%b-%y", "%Y-%m-%d", "%m/%d/%Y")
MESSAGE_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S UTC", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S UTC")
INVITATION_DATE_FORMATS = ("%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p", "%m/%d/%y %I:%M %p")
# A recipient URL ends at a comma or whitespace: LinkedIn percent-encodes slugs.
PROFILE_URL_PATTERN = r"(?:https?://|www\.)[^\s,]+"
SPONSORED_MARKER = "spinmail-quill-editor"
ANONYMOUS_SENDER = "linkedin member"
MAX_ROW_ISSUES = 20
HEADER_SEARCH_LINES = 8

CellsTest = Callable[[list[str]], bool]


def _header_at(text: str, accept: CellsTest) -> int | None:
    """Offset of the first of the opening lines whose cells ``accept`` (preambles skipped)."""
    offset = 0
    for _ in range(HEADER_SEARCH_LINES):
        end = text.find("\n", offset)
        line = text[offset:] if end == -1 else text[offset:end]
        if accept(header_cells(line)):
            return offset
        if end == -1:
            return None
        offset = end + 1
    return None


def _is_connections(cells: list[str]) -> bool:
    return cells[:2] == ["first name", "last name"] and "connected on" in cells


def _connections_header_at(text: str) -> int | None:
    """Offset of the Connections header line, found by content within the first lines."""
    return _header_at(text, _is_connections)


def parse_date(column: pl.Expr, formats: tuple[str, ...]) -> pl.Expr:
    """First format that parses wins; anything else becomes null (kept in ``raw``)."""
    return pl.coalesce([column.str.strptime(pl.Date, fmt, strict=False) for fmt in formats])


def parse_utc(column: pl.Expr, formats: tuple[str, ...]) -> pl.Expr:
    """Zone-less timestamps read as UTC; first matching format wins, otherwise null."""
    return pl.coalesce(
        [column.str.strptime(pl.Datetime("us"), fmt, strict=False) for fmt in formats]
    ).dt.replace_time_zone("UTC")


def stable_hash(frame: pl.DataFrame, columns: Iterable[str]) -> pl.Series:
    """A digest that stays the same across runs and polars versions (``Expr.hash`` does not).

    This is the one per-row Python step: polars has no stable digest, and a message id
    must match between the Basic and Complete archives of the same account.
    """
    keys = frame.select(
        pl.concat_str([pl.col(c).fill_null("") for c in columns], separator="\x1f")
    ).to_series()
    return pl.Series(
        [hashlib.blake2b(key.encode(), digest_size=16).hexdigest() for key in keys],
        dtype=pl.String,
    )


def _col(raw: pl.DataFrame, name: str) -> pl.Expr:
    return pl.col(name) if name in raw.columns else pl.lit(None, dtype=pl.String)


def _row_issues(source_file: str, rows: list[int], problem: str) -> list[ParseIssue]:
    """One issue per bad row, capped so a broken million-row file stays readable."""
    issues = [ParseIssue(source_file, row, problem) for row in rows[:MAX_ROW_ISSUES]]
    if len(rows) > MAX_ROW_ISSUES:
        issues.append(
            ParseIssue(source_file, None, f"{len(rows) - MAX_ROW_ISSUES} more rows: {problem}")
        )
    return issues


def _read_with_header(
    file: ExportFile, accept: CellsTest, expected: str, required: tuple[str, ...]
) -> pl.DataFrame:
    text = decode(read_export(file))
    start = _header_at(text, accept)
    if start is None:
        raise FormatError(f"{file.name}: expected a LinkedIn {expected} header", row=1)
    return read_csv_text(text[start:], file.name, required=required)


def _numbered(raw: pl.DataFrame) -> pl.DataFrame:
    """Every original field as ``raw`` JSON, plus the 1-based data row number."""
    return (
        raw.with_columns(raw_json(raw))
        .with_row_index("source_row", offset=1)
        .with_columns(pl.col("source_row").cast(pl.Int64))
    )


# --------------------------------------------------------------------------- Connections


class LinkedInConnections:
    name = "linkedin_connections"
    source = SOURCE

    def sniff(self, file_name: str, head: str) -> bool:
        return _connections_header_at(head) is not None

    def parse(self, file: ExportFile) -> ParseResult:
        text = decode(read_export(file))
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
        return _col(raw, name)

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


# --------------------------------------------------------------------------- messages


def _is_messages(cells: list[str]) -> bool:
    return {"conversation id", "from", "date"} <= set(cells) and (
        "content" in cells or "subject" in cells
    )


class LinkedInMessages:
    name = "linkedin_messages"
    source = SOURCE

    def sniff(self, file_name: str, head: str) -> bool:
        return _header_at(head, _is_messages) is not None

    def parse(self, file: ExportFile) -> ParseResult:
        raw = _read_with_header(
            file,
            _is_messages,
            "messages header 'CONVERSATION ID,...,FROM,...,DATE,...'",
            ("conversation id", "from", "date"),
        )
        interactions, bad_dates = messages_to_interactions(raw, file.name)
        issues = _row_issues(
            file.name, bad_dates, "DATE is not 'YYYY-MM-DD HH:MM:SS UTC'; kept without a time"
        )
        return ParseResult(interactions=interactions, issues=issues)


def messages_to_interactions(raw: pl.DataFrame, source_file: str) -> tuple[pl.DataFrame, list[int]]:
    """One row per (message, participant), drafts dropped; also the rows with a bad DATE.

    Recipients come from RECIPIENT PROFILE URLS split on URL shape. ``TO`` is never split
    (names contain ', '): it names the recipient only when there is exactly one URL, or
    stands alone as one 'to' row in the 9-column era that has no URL column.
    """

    def col(name: str) -> pl.Expr:
        return _col(raw, name)

    def says_yes(name: str) -> pl.Expr:
        return col(name).str.to_lowercase().is_in(["yes", "true"]).fill_null(False)

    frame = _numbered(raw).filter(
        ~says_yes("is message draft")
        & ~says_yes("is conversation draft")
        & ~col("folder").str.to_uppercase().is_in(["DRAFT", "DRAFTS"]).fill_null(False)
    )
    messages = frame.select(
        pl.col("source_row"),
        col("conversation id").alias("thread_id"),
        col("date").alias("date_text"),
        parse_utc(col("date"), MESSAGE_DATE_FORMATS).alias("occurred_at"),
        col("from").alias("from_name"),
        col("sender profile url").alias("from_url"),
        col("to").alias("to_name"),
        col("recipient profile urls")
        .str.extract_all(PROFILE_URL_PATTERN)
        .fill_null(pl.lit([], dtype=pl.List(pl.String)))
        .alias("to_urls"),
        (
            # no URL means an anonymous or sponsored sender, if the column exists at all
            (col("sender profile url").is_null() & pl.lit("sender profile url" in raw.columns))
            | (col("from").str.to_lowercase() == ANONYMOUS_SENDER).fill_null(False)
            | col("content").str.contains(SPONSORED_MARKER, literal=True).fill_null(False)
        ).alias("is_bulk"),
        col("content").alias("content"),
    )
    messages = messages.with_columns(
        stable_hash(messages, ("thread_id", "date_text", "from_url", "content")).alias("message_id")
    )
    bad_dates = (
        messages.filter(pl.col("occurred_at").is_null() & pl.col("date_text").is_not_null())
        .get_column("source_row")
        .to_list()
    )
    common = ["source_row", "message_id", "thread_id", "occurred_at", "is_bulk"]
    senders = messages.select(
        *common,
        pl.lit("from").alias("role"),
        pl.col("from_url").alias("linkedin_url"),
        pl.col("from_name").alias("name"),
    )
    recipients = (
        messages.with_columns(pl.col("to_urls").list.len().alias("url_count"))
        .with_columns(
            pl.when(pl.col("url_count") == 0)
            .then(pl.lit([None], dtype=pl.List(pl.String)))
            .otherwise(pl.col("to_urls"))
            .alias("to_urls")
        )
        .explode("to_urls")
        .select(
            *common,
            pl.lit("to").alias("role"),
            pl.col("to_urls").alias("linkedin_url"),
            pl.when(pl.col("url_count") <= 1).then(pl.col("to_name")).otherwise(None).alias("name"),
        )
        .filter(pl.col("linkedin_url").is_not_null() | pl.col("name").is_not_null())
    )
    rows = pl.concat([senders, recipients]).sort("source_row", maintain_order=True)
    rows = rows.with_columns(
        pl.lit(SOURCE).alias("source"),
        pl.lit(source_file).alias("source_file"),
        pl.lit("linkedin_message").alias("channel"),
    )
    return conform(rows, INTERACTION_SCHEMA), bad_dates


# --------------------------------------------------------------------------- Invitations


def _is_invitations(cells: list[str]) -> bool:
    return {"from", "to", "sent at", "direction"} <= set(cells)


class LinkedInInvitations:
    name = "linkedin_invitations"
    source = SOURCE

    def sniff(self, file_name: str, head: str) -> bool:
        return _header_at(head, _is_invitations) is not None

    def parse(self, file: ExportFile) -> ParseResult:
        raw = _read_with_header(
            file,
            _is_invitations,
            "Invitations header 'From,To,Sent At,Message,Direction'",
            ("from", "to", "sent at", "direction"),
        )
        interactions, bad_dates = invitations_to_interactions(raw, file.name)
        return ParseResult(
            interactions=interactions,
            owner=invitations_to_owner(raw),
            issues=_row_issues(
                file.name, bad_dates, "Sent At is not 'M/D/YY, h:mm AM'; kept without a time"
            ),
        )


def invitations_to_interactions(
    raw: pl.DataFrame, source_file: str
) -> tuple[pl.DataFrame, list[int]]:
    """Two rows per invitation: 'from' the inviter, 'to' the invitee; plus bad-date rows."""

    def col(name: str) -> pl.Expr:
        return _col(raw, name)

    frame = _numbered(raw).select(
        pl.col("source_row"),
        col("sent at").alias("sent_at"),
        parse_utc(col("sent at"), INVITATION_DATE_FORMATS).alias("occurred_at"),
        col("from").alias("from_name"),
        col("inviterprofileurl").alias("from_url"),
        col("to").alias("to_name"),
        col("inviteeprofileurl").alias("to_url"),
    )
    frame = frame.with_columns(
        stable_hash(frame, ("from_url", "from_name", "to_url", "to_name", "sent_at")).alias(
            "message_id"
        )
    )
    bad_dates = (
        frame.filter(pl.col("occurred_at").is_null() & pl.col("sent_at").is_not_null())
        .get_column("source_row")
        .to_list()
    )
    common = ["source_row", "message_id", "occurred_at"]
    rows = pl.concat(
        [
            frame.select(
                *common,
                pl.lit("from").alias("role"),
                pl.col("from_url").alias("linkedin_url"),
                pl.col("from_name").alias("name"),
            ),
            frame.select(
                *common,
                pl.lit("to").alias("role"),
                pl.col("to_url").alias("linkedin_url"),
                pl.col("to_name").alias("name"),
            ),
        ]
    ).sort("source_row", maintain_order=True)
    rows = rows.with_columns(
        pl.lit(SOURCE).alias("source"),
        pl.lit(source_file).alias("source_file"),
        pl.lit("linkedin_invitation").alias("channel"),
        pl.lit(False).alias("is_bulk"),
    )
    return conform(rows, INTERACTION_SCHEMA), bad_dates


def invitations_to_owner(raw: pl.DataFrame) -> pl.DataFrame:
    """The owner's profile URL: the inviter on OUTGOING rows, the invitee on INCOMING ones."""
    direction = _col(raw, "direction").str.to_uppercase()
    urls = raw.select(
        pl.when(direction == "OUTGOING")
        .then(_col(raw, "inviterprofileurl"))
        .when(direction == "INCOMING")
        .then(_col(raw, "inviteeprofileurl"))
        .otherwise(None)
        .alias("value")
    )
    owner = (
        urls.drop_nulls()
        .unique(maintain_order=True)
        .with_columns(pl.lit(SOURCE).alias("source"), pl.lit("linkedin_url").alias("kind"))
    )
    return conform(owner, OWNER_SCHEMA)


# --------------------------------------------------------------------------- owner files


def _owner_values(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    """OWNER_SCHEMA rows from a one-column frame named ``value`` (nulls and repeats dropped)."""
    owner = (
        frame.select(pl.col("value").cast(pl.String).str.strip_chars())
        .filter(pl.col("value").str.len_chars() > 0)
        .unique(maintain_order=True)
        .with_columns(pl.lit(SOURCE).alias("source"), pl.lit(kind).alias("kind"))
    )
    return conform(owner, OWNER_SCHEMA)


def _owner_records(frame: pl.DataFrame, source_file: str, channel: str) -> pl.DataFrame:
    """Records of kind 'owner' from a numbered frame already holding RECORD columns."""
    return conform(
        frame.with_columns(
            pl.lit(SOURCE).alias("source"),
            pl.lit(source_file).alias("source_file"),
            pl.lit("owner").alias("kind"),
            pl.lit(channel).alias("channel"),
        ),
        RECORD_SCHEMA,
    )


def _bracket_list(column: pl.Expr) -> pl.Expr:
    """``[a,b]`` cells of Profile.csv as a list; empty cells as an empty list."""
    return (
        column.str.strip_chars()
        .str.strip_prefix("[")
        .str.strip_suffix("]")
        .str.split(",")
        .list.eval(pl.element().str.strip_chars().filter(pl.element().str.len_chars() > 0))
        .fill_null(pl.lit([], dtype=pl.List(pl.String)))
    )


def _is_profile(cells: list[str]) -> bool:
    return {"first name", "last name", "headline"} <= set(cells) and (
        "maiden name" in cells or "twitter handles" in cells
    )


class LinkedInProfile:
    name = "linkedin_profile"
    source = SOURCE

    def sniff(self, file_name: str, head: str) -> bool:
        return _header_at(head, _is_profile) is not None

    def parse(self, file: ExportFile) -> ParseResult:
        raw = _read_with_header(
            file,
            _is_profile,
            "Profile header 'First Name,Last Name,Maiden Name,...,Headline,...'",
            ("first name", "last name"),
        )
        records = profile_to_records(raw, file.name)
        return ParseResult(records=records, owner=profile_to_owner(records))


def profile_to_records(raw: pl.DataFrame, source_file: str) -> pl.DataFrame:
    """The owner's profile row(s) as records of kind 'owner'."""

    def col(name: str) -> pl.Expr:
        return _col(raw, name)

    handles = _bracket_list(col("twitter handles")).list.eval(pl.element().str.strip_prefix("@"))
    frame = _numbered(raw).select(
        pl.col("source_row"),
        col("first name").alias("first_name"),
        col("last name").alias("last_name"),
        pl.concat_str([col("first name"), col("last name")], separator=" ", ignore_nulls=True)
        .replace("", None)
        .alias("full_name"),
        col("headline").alias("title"),
        col("geo location").alias("location"),
        col("birth date").alias("birthday"),
        handles.list.first().alias("x_handle"),
        _bracket_list(col("websites"))
        .list.eval(pl.element().str.extract(r"((?:https?://|www\.)\S+)"))
        .list.drop_nulls()
        .alias("urls"),
        pl.col("raw"),
    )
    return _owner_records(frame, source_file, "linkedin_profile")


def profile_to_owner(records: pl.DataFrame) -> pl.DataFrame:
    """Name and every X handle (from ``raw``'s Twitter Handles) of the owner."""
    handles = records.select(
        _bracket_list(pl.col("raw").str.json_path_match("$['twitter handles']"))
        .list.eval(pl.element().str.strip_prefix("@"))
        .explode()
        .alias("value")
    )
    return pl.concat(
        [
            _owner_values(records.select(pl.col("full_name").alias("value")), "name"),
            _owner_values(handles, "x_handle"),
        ]
    )


def _is_email_addresses(cells: list[str]) -> bool:
    return {"email address", "confirmed", "primary"} <= set(cells)


class LinkedInEmailAddresses:
    name = "linkedin_email_addresses"
    source = SOURCE

    def sniff(self, file_name: str, head: str) -> bool:
        return _header_at(head, _is_email_addresses) is not None

    def parse(self, file: ExportFile) -> ParseResult:
        raw = _read_with_header(
            file,
            _is_email_addresses,
            "Email Addresses header 'Email Address,Confirmed,Primary,Updated On'",
            ("email address",),
        )
        frame = _numbered(raw).select(
            pl.col("source_row"),
            pl.concat_list(pl.col("email address")).list.drop_nulls().alias("emails"),
            pl.col("raw"),
        )
        return ParseResult(
            records=_owner_records(frame, file.name, "linkedin_email_address"),
            owner=_owner_values(raw.select(pl.col("email address").alias("value")), "email"),
        )


def _is_phone_numbers(cells: list[str]) -> bool:
    names = set(cells)
    return {"number", "extension"} <= names and bool(names & {"type", "is_whatsapp_number"})


class LinkedInPhoneNumbers:
    """``PhoneNumbers.csv`` and ``Whatsapp Phone Numbers.csv``: the owner's numbers."""

    name = "linkedin_phone_numbers"
    source = SOURCE

    def sniff(self, file_name: str, head: str) -> bool:
        return _header_at(head, _is_phone_numbers) is not None

    def parse(self, file: ExportFile) -> ParseResult:
        raw = _read_with_header(
            file, _is_phone_numbers, "PhoneNumbers header 'Extension,Number,Type'", ("number",)
        )
        frame = _numbered(raw).select(
            pl.col("source_row"),
            pl.concat_list(pl.col("number")).list.drop_nulls().alias("phones"),
            pl.col("raw"),
        )
        return ParseResult(
            records=_owner_records(frame, file.name, "linkedin_phone_number"),
            owner=_owner_values(raw.select(pl.col("number").alias("value")), "phone"),
        )


# --------------------------------------------------------------------------- address book


def _is_imported_contacts(cells: list[str]) -> bool:
    return {"firstname", "lastname", "emails", "phonenumbers"} <= set(cells)


class LinkedInImportedContacts:
    """``ImportedContacts.csv`` and ``Contacts.csv``: address books synced to LinkedIn."""

    name = "linkedin_imported_contacts"
    source = SOURCE

    def sniff(self, file_name: str, head: str) -> bool:
        return _header_at(head, _is_imported_contacts) is not None

    def parse(self, file: ExportFile) -> ParseResult:
        raw = _read_with_header(
            file,
            _is_imported_contacts,
            "ImportedContacts header 'FirstName,...,LastName,...,Emails,PhoneNumbers,...'",
            ("firstname", "lastname"),
        )
        return ParseResult(records=imported_contacts_to_records(raw, file.name))


def split_emails(column: pl.Expr) -> pl.Expr:
    """Addresses hold no ',', ';' or spaces, so any of them separates two."""
    return column.str.extract_all(r"[^,;\s]+").fill_null(pl.lit([], dtype=pl.List(pl.String)))


def split_phones(column: pl.Expr) -> pl.Expr:
    """Split on ',' and ';' and before a '+', never on a bare space: numbers contain spaces."""
    return (
        column.str.replace_all(r"\s+\+", ";+")
        .str.extract_all(r"[^,;]+")
        .list.eval(pl.element().str.strip_chars().filter(pl.element().str.len_chars() > 0))
        .fill_null(pl.lit([], dtype=pl.List(pl.String)))
    )


def imported_contacts_to_records(raw: pl.DataFrame, source_file: str) -> pl.DataFrame:
    """Pure mapping of an address-book upload onto RECORD_SCHEMA (kind 'contact')."""

    def col(name: str) -> pl.Expr:
        return _col(raw, name)

    frame = _numbered(raw).select(
        pl.col("source_row"),
        pl.lit(SOURCE).alias("source"),
        pl.lit(source_file).alias("source_file"),
        pl.lit("contact").alias("kind"),
        pl.lit("linkedin_imported_contact").alias("channel"),
        col("fullname").alias("full_name"),
        col("firstname").alias("first_name"),
        col("middlename").alias("middle_name"),
        col("lastname").alias("last_name"),
        col("nickname").alias("nickname"),
        split_emails(col("emails")).alias("emails"),
        split_phones(col("phonenumbers")).alias("phones"),
        pl.coalesce(col("companies"), col("company")).alias("company"),
        col("title").alias("title"),
        col("location").alias("location"),
        col("birthday").alias("birthday"),
        pl.col("raw"),
    )
    return conform(frame, RECORD_SCHEMA)
