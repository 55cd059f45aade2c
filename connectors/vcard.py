"""vCard (.vcf) address books: Apple Contacts / iCloud, Google, Android, Outlook (FORMATS.md §5).

One file holds many ``BEGIN:VCARD`` … ``END:VCARD`` cards; ``source_row`` is the card's
1-based position. Versions 2.1, 3.0 and 4.0 are read by one small hand-written parser:

* folded lines (``\\r?\\n`` + space/tab) are unfolded; 2.1 quoted-printable soft line breaks
  (a trailing ``=``) are joined *before* properties are split, then the bytes are decoded
  with the declared ``CHARSET`` (UTF-8 when none);
* Apple's ``itemN.`` group prefixes are stripped (``item1.EMAIL`` is an EMAIL);
* ``\\,`` ``\\;`` ``\\\\`` ``\\n`` escapes are undone after structured values (N, ORG, ADR) are
  split on unescaped ``;`` and CATEGORIES on unescaped ``,``;
* ``TEL;VALUE=uri:tel:+1-…`` loses its ``tel:`` scheme; ``PHOTO``/``LOGO``/``SOUND`` and any
  base64 (``ENCODING=b``/``BASE64``) value is skipped;
* ``X-ABShowAs:COMPANY`` (Apple) and ``KIND:org`` (4.0) cards are organisations: kind
  ``contact`` with the company but no person name. Apple group cards
  (``X-ADDRESSBOOKSERVER-KIND:group``, 4.0 ``KIND:group``) are kind ``hidden``.

A card that cannot be read becomes a ParseIssue with its card number; the others load.
Why by hand: vobject is not installed, is slow per card, and raises on the very quirks
(QP soft breaks, Apple groups, broken folds) that we must tolerate card by card.
"""

from __future__ import annotations

import codecs
import json
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import polars as pl

from connectors._text import decode, read_export
from connectors.base import RECORD_SCHEMA, ExportFile, FormatError, ParseIssue, ParseResult, conform

SOURCE = "vcard"
BINARY_PROPERTIES = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_FOLD_BYTES = re.compile(rb"\r?\n[ \t]")
_BEGIN = re.compile(r"^BEGIN:VCARD\s*$", re.IGNORECASE | re.MULTILINE)


@dataclass
class Property:
    """One content line: ``[group.]NAME;params:value``, value already QP/charset-decoded."""

    name: str  # upper-case, group stripped
    params: dict[str, list[str]]  # upper-case keys; bare 2.1 params under "TYPE"
    value: str
    line: str  # the property as written (name and params), for ``raw``


@dataclass
class Card:
    number: int
    properties: list[Property] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    complete: bool = False


def unescape(value: str) -> str:
    """Undo vCard text escaping: ``\\n``/``\\N`` → newline, ``\\x`` → ``x``."""
    if "\\" not in value:
        return value
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def split_unescaped(value: str, separator: str) -> list[str]:
    """Split on ``separator`` where it is not backslash-escaped, then unescape each part."""
    if "\\" not in value:
        return value.split(separator)
    parts: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            current.append(value[index : index + 2])
            index += 2
            continue
        if char == separator:
            parts.append(unescape("".join(current)))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append(unescape("".join(current)))
    return parts


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    if '"' not in text:
        return text.split(separator)
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _is_quoted_printable(head: str) -> bool:
    return "QUOTED-PRINTABLE" in head.upper()


def logical_lines(text: str) -> Iterator[str]:
    """Unfold RFC folds and 2.1 QP soft line breaks into one line per property."""
    current: str | None = None
    for line in text.split("\n"):
        if current is not None:
            if current.endswith("=") and _is_quoted_printable(current.split(":", 1)[0]):
                current = current[:-1] + line.lstrip(" \t")
                continue
            if line[:1] in (" ", "\t"):
                current += line[1:]
                continue
            yield current
        current = line
    if current is not None:
        yield current


def parse_property(line: str) -> Property | None:
    """One logical line → Property, or None when it has no ``name:value`` shape."""
    colon = line.find(":")
    if '"' in line[:colon]:  # a quoted parameter value may hold ':'
        quoted = False
        colon = -1
        for index, char in enumerate(line):
            if char == '"':
                quoted = not quoted
            elif char == ":" and not quoted:
                colon = index
                break
    if colon <= 0:
        return None
    head, value = line[:colon], line[colon + 1 :]
    pieces = _split_outside_quotes(head, ";")
    name = pieces[0].rsplit(".", 1)[-1].strip().upper()
    if not name:
        return None
    params: dict[str, list[str]] = {}
    for piece in pieces[1:]:
        key, has_value, param_value = piece.partition("=")
        if has_value:
            values = [v.strip().strip('"') for v in _split_outside_quotes(param_value, ",")]
            params.setdefault(key.strip().upper(), []).extend(values)
        elif key.strip():
            bare = key.strip()
            upper = bare.upper()
            if upper in ("QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"):
                params.setdefault("ENCODING", []).append(bare)
            else:
                params.setdefault("TYPE", []).append(bare)
    return Property(name=name, params=params, value=value, line=head)


def _decode_value(prop: Property) -> str | None:
    """QP → bytes → declared charset; None for binary (base64) values."""
    encodings = {e.upper() for e in prop.params.get("ENCODING", [])}
    if encodings & {"B", "BASE64"} or prop.name in BINARY_PROPERTIES:
        return None
    if "QUOTED-PRINTABLE" in encodings:
        charset = (prop.params.get("CHARSET") or ["utf-8"])[0]
        try:
            codecs.lookup(charset)
        except LookupError:
            charset = "utf-8"
        data = quopri.decodestring(prop.value.encode("utf-8", errors="replace"))
        return data.decode(charset, errors="replace")
    return prop.value


def iter_cards(text: str) -> Iterator[Card]:
    """Cards in file order; lines outside BEGIN/END are ignored."""
    card: Card | None = None
    number = 0
    in_base64 = False  # 2.1 writers may continue base64 without indenting it
    for line in logical_lines(text):
        stripped = line.strip()
        if not stripped:
            continue
        upper = stripped.upper()
        if upper == "BEGIN:VCARD":
            if card is not None:
                card.problems.append("BEGIN:VCARD before the previous card's END:VCARD")
                yield card
            number += 1
            card = Card(number=number)
            continue
        if card is None:
            continue
        if upper == "END:VCARD":
            card.complete = True
            yield card
            card = None
            continue
        prop = parse_property(stripped)
        if prop is None and in_base64:
            continue
        in_base64 = prop is not None and bool(
            {e.upper() for e in prop.params.get("ENCODING", [])} & {"B", "BASE64"}
        )
        if prop is None:
            if len(card.problems) < 5:
                card.problems.append("a line without 'NAME:value' shape was skipped")
            continue
        card.properties.append(prop)
    if card is not None:
        card.problems.append("file ended before END:VCARD")
        yield card


_COLUMNS = (
    "source_row",
    "kind",
    "full_name",
    "first_name",
    "middle_name",
    "last_name",
    "nickname",
    "emails",
    "phones",
    "company",
    "title",
    "location",
    "urls",
    "labels",
    "birthday",
    "raw",
)


def card_to_row(card: Card) -> dict[str, object]:
    """Pure mapping of one card onto the record fields (lists of strings, never None)."""
    values: dict[str, list[str]] = {}
    raw: dict[str, list[str]] = {}
    emails: list[str] = []
    phones: list[str] = []
    urls: list[str] = []
    labels: list[str] = []
    for prop in card.properties:
        decoded = _decode_value(prop)
        raw.setdefault(prop.line, []).append("[binary omitted]" if decoded is None else decoded)
        if decoded is None:
            continue
        values.setdefault(prop.name, []).append(decoded)
        if prop.name == "EMAIL":
            address = unescape(decoded).strip()
            address = address[7:] if address.lower().startswith("mailto:") else address
            if address:
                emails.append(address)
        elif prop.name == "TEL":
            number = unescape(decoded).strip()
            number = number[4:] if number.lower().startswith("tel:") else number
            if number:
                phones.append(number)
        elif prop.name in ("URL", "X-SOCIALPROFILE"):
            url = unescape(decoded).strip()
            if url:
                urls.append(url)
        elif prop.name == "CATEGORIES":
            labels.extend(p.strip() for p in split_unescaped(decoded, ",") if p.strip())

    def first(name: str) -> str | None:
        found = values.get(name)
        return unescape(found[0]).strip() or None if found else None

    def component(name: str, index: int) -> str | None:
        found = values.get(name)
        if not found:
            return None
        parts = split_unescaped(found[0], ";")
        return parts[index].strip() or None if index < len(parts) else None

    kind_value = (first("KIND") or first("X-ADDRESSBOOKSERVER-KIND") or "").lower()
    show_as = (first("X-ABSHOWAS") or "").upper()
    is_org = show_as == "COMPANY" or kind_value == "org"
    family, given, additional = component("N", 0), component("N", 1), component("N", 2)
    full_name = first("FN")
    if full_name is None:
        joined = " ".join(p for p in (given, additional, family) if p)
        full_name = joined or None
    company = component("ORG", 0)
    if is_org:
        full_name = given = additional = family = None
    location = component("ADR", 3) or component("ADR", 4) or component("ADR", 6)
    return {
        "source_row": card.number,
        "kind": "hidden" if kind_value == "group" else "contact",
        "full_name": full_name,
        "first_name": given,
        "middle_name": additional,
        "last_name": family,
        "nickname": first("NICKNAME"),
        "emails": list(dict.fromkeys(emails)),
        "phones": list(dict.fromkeys(phones)),
        "company": company,
        "title": first("TITLE"),
        "location": location,
        "urls": list(dict.fromkeys(urls)),
        "labels": list(dict.fromkeys(labels)),
        "birthday": first("BDAY"),
        "raw": json.dumps(raw, ensure_ascii=False, sort_keys=True),
    }


def cards_to_records(cards: list[Card], source_file: str) -> tuple[pl.DataFrame, list[ParseIssue]]:
    """Build RECORD_SCHEMA rows column by column; a card that fails becomes an issue."""
    columns: dict[str, list[object]] = {name: [] for name in _COLUMNS}
    issues: list[ParseIssue] = []
    for card in cards:
        for problem in card.problems:
            issues.append(ParseIssue(source_file, card.number, f"card {card.number}: {problem}"))
        try:
            row = card_to_row(card)
        except (ValueError, IndexError, LookupError, UnicodeError) as error:
            issues.append(
                ParseIssue(
                    source_file,
                    card.number,
                    f"card {card.number}: unreadable ({type(error).__name__}); card skipped",
                )
            )
            continue
        for name in _COLUMNS:
            columns[name].append(row[name])
    frame = pl.DataFrame(
        columns,
        schema={name: RECORD_SCHEMA.get(name, pl.Int64) for name in _COLUMNS},
    ).with_columns(
        pl.lit(SOURCE).alias("source"),
        pl.lit(source_file).alias("source_file"),
        pl.lit("address_book").alias("channel"),
    )
    return conform(frame, RECORD_SCHEMA), issues


class VCardFile:
    """A ``.vcf`` holding one or many vCards of any version."""

    name = "vcard"
    source = SOURCE

    def sniff(self, file_name: str, head: str) -> bool:
        return head.lstrip("\ufeff \t\n").upper().startswith("BEGIN:VCARD")

    def parse(self, file: ExportFile) -> ParseResult:
        data = read_export(file)
        if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # unfold bytes first: broken writers fold inside a multi-byte character
            data = _FOLD_BYTES.sub(b"", data)
        text = decode(data)
        if not _BEGIN.search(text):
            raise FormatError(f"{file.name}: expected vCards ('BEGIN:VCARD' lines), found none")
        records, issues = cards_to_records(list(iter_cards(text)), file.name)
        return ParseResult(records=records, issues=issues)
