"""``kith export``: one contact per person, in a format address books and spreadsheets import.

* ``google``: Google Contacts' current "Google CSV" (FORMATS.md §3.1). The 17 fixed leading
  columns, then ``E-mail N``/``Phone N`` groups, one value per group, numbered up to the most
  any person needs; ``Website N`` likewise; ``Labels`` joined with `` ::: ``.
* ``outlook``: the Outlook.com / Microsoft 365 web CSV (§4.2), all 61 columns. Three e-mail
  slots and six phone slots; what does not fit is listed in ``Notes``.
* ``vcard``: vCard 3.0 (RFC 2426): text values escaped (``\\`` ``,`` ``;`` newline), lines
  folded at 75 octets without splitting a UTF-8 character, CRLF line ends.
* ``csv``: the full flat table: every identifier, the relationship columns, the records the
  person came from and ``match_explanation`` (a summary of the ``match_links`` rules).

CSV files are UTF-8 *with* a BOM and CRLF rows: Google's own export carries a BOM and its
importer reads it back; Outlook and Excel need the BOM to read UTF-8 instead of the ANSI code
page; kith's connectors strip it. Spreadsheet safety: a cell starting with ``= + - @``, tab or
CR is prefixed with ``'`` so no spreadsheet runs it as a formula, EXCEPT a phone number (or a
list of them) made only of ``+``, digits and spaces: E.164 numbers start with ``+``, a quote
would break the Google/Outlook import, and a cell without letters or parentheses cannot call a
function. The mapping functions are pure; only ``export`` reads the database and writes files.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipelines import warehouse

Person = Mapping[str, Any]
Table = tuple[list[str], list[list[str]]]

FORMATS = ("google", "outlook", "vcard", "csv")
LIST_SEPARATOR = "; "
GOOGLE_SEPARATOR = " ::: "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PHONE_ONLY = re.compile(r"^\+[0-9 ]+((; | ::: )\+[0-9 ]+)*$")

GOOGLE_LEADING = [
    "First Name",
    "Middle Name",
    "Last Name",
    "Phonetic First Name",
    "Phonetic Middle Name",
    "Phonetic Last Name",
    "Name Prefix",
    "Name Suffix",
    "Nickname",
    "File As",
    "Organization Name",
    "Organization Title",
    "Organization Department",
    "Birthday",
    "Notes",
    "Photo",
    "Labels",
]
GOOGLE_ADDRESS = [
    "Address 1 - Label",
    "Address 1 - Formatted",
    "Address 1 - Street",
    "Address 1 - City",
    "Address 1 - PO Box",
    "Address 1 - Region",
    "Address 1 - Postal Code",
    "Address 1 - Country",
    "Address 1 - Extended Address",
]
OUTLOOK_HEADER = (
    "First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,"
    "E-mail Address,E-mail 2 Address,E-mail 3 Address,Home Phone,Home Phone 2,Business Phone,"
    "Business Phone 2,Mobile Phone,Car Phone,Other Phone,Primary Phone,Pager,Business Fax,"
    "Home Fax,Other Fax,Company Main Phone,Callback,Radio Phone,Telex,TTY/TDD Phone,IMAddress,"
    "Job Title,Department,Company,Office Location,Manager's Name,Assistant's Name,"
    "Assistant's Phone,Company Yomi,Business Street,Business City,Business State,"
    "Business Postal Code,Business Country/Region,Home Street,Home City,Home State,"
    "Home Postal Code,Home Country/Region,Other Street,Other City,Other State,Other Postal Code,"
    "Other Country/Region,Personal Web Page,Spouse,Schools,Hobby,Location,Web Page,Birthday,"
    "Anniversary,Notes"
).split(",")
OUTLOOK_EMAILS = ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address")
# a person's own numbers, in the order kith's Outlook connector reads them back
OUTLOOK_PHONES = (
    "Mobile Phone",
    "Other Phone",
    "Home Phone",
    "Business Phone",
    "Home Phone 2",
    "Business Phone 2",
)


class ExportError(Exception):
    """An export problem explained in one line."""


# --- pure helpers ----------------------------------------------------------------------------


def neutralise(cell: str) -> str:
    """Spreadsheet-safe cell: formula starters get a leading ``'`` (phone numbers excepted)."""
    if cell.startswith(FORMULA_STARTS) and not PHONE_ONLY.match(cell):
        return "'" + cell
    return cell


def text(value: Any) -> str:
    """One cell: '' for null, lists joined with '; ', ISO dates, lower-case booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(text(item) for item in value if item is not None)
    return str(value)


def values(person: Person, column: str) -> list[str]:
    found = person.get(column) or []
    return [str(item).strip() for item in found if item is not None and str(item).strip()]


def x_profile_url(person: Person) -> str | None:
    handle = (person.get("x_handle") or "").strip().lstrip("@")
    return f"https://x.com/{handle}" if handle else None


def web_links(person: Person) -> list[str]:
    """LinkedIn profile, X profile, then other URLs, without repeats (trailing '/' ignored)."""
    links: list[str] = []
    seen: set[str] = set()
    for url in [person.get("linkedin_url"), x_profile_url(person), *values(person, "urls")]:
        if not url:
            continue
        key = str(url).strip().rstrip("/").lower()
        if key not in seen:
            seen.add(key)
            links.append(str(url).strip())
    return links


def name_parts(person: Person) -> tuple[str, str]:
    """(first, last); a person known only by a display name gets it as the first name."""
    first = (person.get("first_name") or "").strip()
    last = (person.get("last_name") or "").strip()
    if not first and not last:
        first = (person.get("display_name") or "").strip()
    return first, last


def notes(person: Person, extra: Iterable[tuple[str, Sequence[str]]] = ()) -> str:
    lines = [f"kith person {person['person_id']}"]
    sources = values(person, "sources")
    if sources:
        lines.append("sources: " + ", ".join(sources))
    for label, items in extra:
        if items:
            lines.append(f"{label}: " + ", ".join(items))
    return "\n".join(lines)


def google_table(people: Sequence[Person]) -> Table:
    emails = max((len(values(p, "emails")) for p in people), default=0)
    phones = max((len(values(p, "phones")) for p in people), default=0)
    sites = max((len(web_links(p)) for p in people), default=0)
    header = list(GOOGLE_LEADING)
    for kind, count in (("E-mail", max(emails, 1)), ("Phone", max(phones, 1))):
        for number in range(1, count + 1):
            header += [f"{kind} {number} - Label", f"{kind} {number} - Value"]
    header += GOOGLE_ADDRESS
    for number in range(1, max(sites, 1) + 1):
        header += [f"Website {number} - Label", f"Website {number} - Value"]
    rows = []
    for person in people:
        first, last = name_parts(person)
        cells = {
            "First Name": first,
            "Last Name": last,
            "Organization Name": person.get("company") or "",
            "Organization Title": person.get("title") or "",
            "Notes": notes(person),
            "Labels": GOOGLE_SEPARATOR.join(["* myContacts", *values(person, "labels")]),
        }
        for number, email in enumerate(values(person, "emails"), start=1):
            cells[f"E-mail {number} - Label"] = "* Other" if number == 1 else "Other"
            cells[f"E-mail {number} - Value"] = email
        for number, phone in enumerate(values(person, "phones"), start=1):
            cells[f"Phone {number} - Label"] = "* Other" if number == 1 else "Other"
            cells[f"Phone {number} - Value"] = phone
        if person.get("location"):
            cells["Address 1 - Label"] = "Other"
            cells["Address 1 - Formatted"] = person["location"]
            cells["Address 1 - City"] = person["location"]
        for number, url in enumerate(web_links(person), start=1):
            cells[f"Website {number} - Label"] = "Profile"
            cells[f"Website {number} - Value"] = url
        rows.append([cells.get(column, "") for column in header])
    return header, rows


def outlook_table(people: Sequence[Person]) -> Table:
    rows = []
    for person in people:
        first, last = name_parts(person)
        emails, phones, links = (
            values(person, "emails"),
            values(person, "phones"),
            web_links(person),
        )
        cells = {
            "First Name": first,
            "Last Name": last,
            "Job Title": person.get("title") or "",
            "Company": person.get("company") or "",
            "Other City": person.get("location") or "",
            "Web Page": links[0] if links else "",
            "Personal Web Page": links[1] if len(links) > 1 else "",
            "Notes": notes(
                person,
                [
                    ("more e-mail", emails[len(OUTLOOK_EMAILS) :]),
                    ("more phones", phones[len(OUTLOOK_PHONES) :]),
                    ("more links", links[2:]),
                ],
            ),
        }
        cells.update(zip(OUTLOOK_EMAILS, emails, strict=False))
        cells.update(zip(OUTLOOK_PHONES, phones, strict=False))
        rows.append([cells.get(column, "") for column in OUTLOOK_HEADER])
    return list(OUTLOOK_HEADER), rows


def flat_table(people: Sequence[Person]) -> Table:
    header = list(people[0].keys()) if people else ["person_id"]
    return header, [[text(person.get(column)) for column in header] for person in people]


def render_csv(table: Table) -> str:
    """CSV text (CRLF rows, minimal quoting) with every cell neutralised; no BOM here."""
    header, rows = table
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def vcard_escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str, limit: int = 75) -> str:
    """RFC 2425 folding: at most ``limit`` octets per physical line, never inside a character."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append("".join(current))
            current, size = [" "], 1  # the continuation's leading space counts
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n".join(out)


def vcard(person: Person) -> str:
    first, last = name_parts(person)
    display = (
        (person.get("display_name") or "").strip()
        or " ".join(p for p in (first, last) if p)
        or ("@" + (person.get("x_handle") or "").lstrip("@") if person.get("x_handle") else "")
        or (person.get("company") or "").strip()
        or next(iter(values(person, "emails")), "")
        or str(person["person_id"])
    )
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "PRODID:-//kith//export//EN",
        f"UID:kith-{vcard_escape(str(person['person_id']))}",
        f"N:{vcard_escape(last)};{vcard_escape(first)};;;",
        f"FN:{vcard_escape(display)}",
    ]
    if person.get("company"):
        lines.append(f"ORG:{vcard_escape(person['company'])}")
    if person.get("title"):
        lines.append(f"TITLE:{vcard_escape(person['title'])}")
    for number, email in enumerate(values(person, "emails")):
        kind = "INTERNET,pref" if number == 0 else "INTERNET"
        lines.append(f"EMAIL;TYPE={kind}:{vcard_escape(email)}")
    for number, phone in enumerate(values(person, "phones")):
        kind = ";TYPE=pref" if number == 0 else ""
        lines.append(f"TEL{kind}:{vcard_escape(phone)}")
    if person.get("location"):
        lines.append(f"ADR:;;;{vcard_escape(person['location'])};;;")
    for url in web_links(person):
        lines.append(f"URL:{url}")  # a URI value, not text: no escaping
    labels = values(person, "labels")
    if labels:
        lines.append("CATEGORIES:" + ",".join(vcard_escape(label) for label in labels))
    lines.append(f"NOTE:{vcard_escape(notes(person))}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def is_addressable(person: Person) -> bool:
    """Something an address book can hold: a name, e-mail, phone, profile or company.

    People known only by an X account id (ID-only follower edges) are not: Google and Outlook
    would create blank contacts, and re-importing them could never match anyone.
    """
    return bool(
        (person.get("display_name") or "").strip()
        or any(name_parts(person))
        or values(person, "emails")
        or values(person, "phones")
        or person.get("linkedin_url")
        or x_profile_url(person)
        or (person.get("company") or "").strip()
    )


def select_people(people: Sequence[Person], output: str) -> list[Person]:
    """Everyone for ``csv``; only addressable people for the address-book formats."""
    return list(people) if output == "csv" else [p for p in people if is_addressable(p)]


def render(people: Sequence[Person], output: str) -> str:
    """The whole export as text (CSV without the BOM; ``write`` adds it)."""
    if output == "google":
        return render_csv(google_table(people))
    if output == "outlook":
        return render_csv(outlook_table(people))
    if output == "csv":
        return render_csv(flat_table(people))
    if output == "vcard":
        return "".join(vcard(person) for person in people)
    raise ExportError(f"unknown format {output!r} (choose one of {', '.join(FORMATS)})")


# --- I/O -------------------------------------------------------------------------------------


def read_people(db: Path) -> list[dict[str, Any]]:
    if not db.exists():
        raise ExportError(f"{db}: no database yet; run 'kith sync' first")
    try:
        with warehouse.connect_read_only(db) as con:
            result = con.execute(warehouse.sql("export/people"))
            columns = [column[0] for column in result.description or []]
            return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
    except warehouse.WarehouseError as error:
        raise ExportError(str(error)) from None
    except duckdb.Error as error:
        raise ExportError(f"{db}: cannot read people ({str(error).splitlines()[0]})") from None


DEFAULT_NAMES = {
    "google": "kith-export-google.csv",
    "outlook": "kith-export-outlook.csv",
    "vcard": "kith-export.vcf",
    "csv": "kith-export.csv",
}


def default_out(output: str) -> Path:
    """In the current folder; the two address-book CSVs get their own names."""
    return Path(DEFAULT_NAMES[output])


@dataclass(frozen=True)
class Written:
    path: Path | None  # None: stdout
    count: int
    skipped: int  # people with nothing an address book can hold (see is_addressable)


def write(content: str, output: str, out: Path) -> None:
    """Atomically (temp file + rename) write ``content``; CSV gets a UTF-8 BOM."""
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"{out}: the folder {folder} does not exist")
    if out.is_dir():
        raise ExportError(f"{out}: is a folder; give a file name")
    encoding = "utf-8" if output == "vcard" else "utf-8-sig"
    handle, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline="") as tmp:
            tmp.write(content)
        os.replace(tmp_name, out)
    except OSError as error:
        Path(tmp_name).unlink(missing_ok=True)
        raise ExportError(f"{out}: cannot write ({error.strerror})") from None


def export(db: Path, output: str, out: str | None) -> Written:
    """Read, map, write. ``out`` '-' means stdout (no BOM there); default ``DEFAULT_NAMES``."""
    if output not in FORMATS:
        raise ExportError(f"unknown format {output!r} (choose one of {', '.join(FORMATS)})")
    target = None if out == "-" else Path(out).expanduser() if out else default_out(output)
    if target is not None and not (target.parent if str(target.parent) else Path(".")).is_dir():
        raise ExportError(f"{target}: the folder {target.parent} does not exist")
    everyone = read_people(db.expanduser())
    people = select_people(everyone, output)
    content = render(people, output)
    if target is None:
        sys.stdout.write(content)
    else:
        write(content, output, target)
    return Written(target, len(people), len(everyone) - len(people))
