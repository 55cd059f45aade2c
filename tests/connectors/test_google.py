"""Google Contacts CSV: current, legacy (UTF-16) and Google's "Outlook CSV" shapes."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from connectors._text import decode
from connectors.base import RECORD_SCHEMA, ExportFile, FormatError
from connectors.google import GoogleContactsCsv, GoogleLegacyCsv, GoogleOutlookCsv

FIXTURES = Path(__file__).parent.parent / "fixtures" / "google"


def _head(path: Path) -> str:
    return decode(ExportFile(path).head())


def test_current_export_values_by_row() -> None:
    records = GoogleContactsCsv().parse(ExportFile(FIXTURES / "contacts.csv")).records
    assert records.schema == RECORD_SCHEMA
    assert records["source_row"].to_list() == [1, 2, 3, 4]
    assert set(records["source"]) == {"google"} and set(records["channel"]) == {"address_book"}
    mara, phone_only, tobiah, zoe = records.iter_rows(named=True)
    assert mara["full_name"] == "Mara Quillfeather"
    assert mara["emails"] == ["mara.q@northgate.example", "maraq@example.net"]
    assert mara["phones"] == ["+49 151 5550 1001"]
    assert mara["company"] == "Northgate Analytics, Inc."
    assert mara["title"] == "Staff Data Engineer"
    assert mara["location"] == "Berlin"
    assert mara["birthday"] == "1991-02-14"
    assert mara["labels"] == ["myContacts", "Conference"]
    assert mara["urls"] == ["https://www.linkedin.com/in/mara-quillfeather-7f3a21"]
    # quoted CRLF inside Notes survives as a newline, and the row count is not disturbed
    assert json.loads(mara["raw"])["notes"] == "Met at PyData\n(likes climbing)"
    # phone-only row: no name at all, two numbers packed into one cell with ' ::: '
    assert phone_only["full_name"] is None and phone_only["emails"] == []
    assert phone_only["phones"] == ["+49 30 5550 2002", "+49 30 5550 2003"]
    # ' ::: ' in an e-mail cell, three numbered e-mail groups, '* starred' system label
    assert tobiah["emails"] == [
        "tobiah.renwick@example.org",
        "toby@example.com",
        "t.renwick@example.net",
        "tr@lumen.example",
    ]
    assert tobiah["phones"] == ["+1 555 0100", "+1 555 0101"]
    assert tobiah["labels"] == ["myContacts", "starred"]
    assert tobiah["full_name"] == "Tobiah J. Renwick" and tobiah["nickname"] == "Toby"
    assert tobiah["urls"] == []
    assert zoe["full_name"] == "Dr. Zoë Ångström"  # BOM-stripped UTF-8, prefix kept


def test_current_header_with_four_email_groups_is_discovered(tmp_path: Path) -> None:
    header = "First Name,Middle Name,Last Name,Phonetic First Name," + ",".join(
        f"E-mail {n} - Label,E-mail {n} - Value" for n in range(1, 5)
    )
    row = "Ada,,Byron,,,a1@example.org,,,,,,a4@example.org"
    path = tmp_path / "contacts.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    records = GoogleContactsCsv().parse(ExportFile(path)).records
    assert records["emails"].to_list() == [["a1@example.org", "a4@example.org"]]
    assert records["labels"].to_list() == [[]]


def test_raw_keeps_every_original_field() -> None:
    records = GoogleContactsCsv().parse(ExportFile(FIXTURES / "contacts.csv")).records
    raw = json.loads(records["raw"][2])
    assert len(raw) == 38  # every header column, including the empty ones
    assert raw["e-mail 1 - value"] == "tobiah.renwick@example.org ::: toby@example.com"
    assert raw["e-mail 1 - label"] == "*"


def test_legacy_utf16_export() -> None:
    path = FIXTURES / "contacts_legacy.csv"
    assert path.read_bytes()[:2] == b"\xff\xfe"
    assert GoogleLegacyCsv().sniff(path.name, _head(path))
    assert not GoogleContactsCsv().sniff(path.name, _head(path))
    records = GoogleLegacyCsv().parse(ExportFile(path)).records
    assert records.schema == RECORD_SCHEMA
    ines, dario, lucja = records.iter_rows(named=True)
    assert ines["full_name"] == "Ines Talvik"
    assert (ines["first_name"], ines["last_name"]) == ("Ines", "Talvik")
    assert ines["emails"] == ["ines.talvik@example.com", "ines@example.net"]
    assert ines["phones"] == ["+372 5550 1212"]
    assert (ines["company"], ines["title"]) == ("Tallinn Research Lab", "Principal Scientist")
    assert ines["labels"] == ["myContacts", "Tallinn"]  # '* My Contacts' normalised
    assert ines["urls"] == ["https://x.com/ines_talvik"]
    assert dario["emails"] == ["dario.pell@example.org", "dario@example.com"]
    assert json.loads(dario["raw"])["notes"] == "Key account,\nMunich"
    assert lucja["full_name"] == "Łucja Żak" and lucja["emails"] == []
    assert lucja["labels"] == ["myContacts", "Starred"]


def test_google_outlook_csv_export() -> None:
    path = FIXTURES / "contacts_outlook.csv"
    assert GoogleOutlookCsv().sniff(path.name, _head(path))
    records = GoogleOutlookCsv().parse(ExportFile(path)).records
    assert set(records["source"]) == {"google"}
    mara, tobiah, phone_only = records.iter_rows(named=True)
    assert mara["full_name"] == "Mara Quillfeather"  # 'Dr.' in Title is an honorific only
    assert mara["title"] == "Staff Data Engineer"
    assert mara["labels"] == ["myContacts", "starred"]
    assert mara["phones"] == ["+49 151 5550 1001"]  # Company Main Phone is not hers
    assert mara["urls"] == ["https://northgate.example/team/mara"]
    assert mara["location"] == "Berlin"
    assert tobiah["location"] == "Portland" and tobiah["middle_name"] == "J."
    assert phone_only["full_name"] is None and phone_only["phones"] == ["+1 555 0177"]


@pytest.mark.parametrize(
    ("connector", "fixture"),
    [
        (GoogleContactsCsv(), "contacts.csv"),
        (GoogleLegacyCsv(), "contacts_legacy.csv"),
        (GoogleOutlookCsv(), "contacts_outlook.csv"),
    ],
)
def test_each_shape_is_claimed_by_exactly_one_google_connector(
    connector: object, fixture: str
) -> None:
    head = _head(FIXTURES / fixture)
    claims = [c for c in (GoogleContactsCsv(), GoogleLegacyCsv(), GoogleOutlookCsv())]
    assert [type(c) for c in claims if c.sniff(fixture, head)] == [type(connector)]


def test_wrong_csv_raises_format_error(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("Subject,Body\nhello,world\n", encoding="utf-8")
    with pytest.raises(FormatError, match="first name"):
        GoogleContactsCsv().parse(ExportFile(path))


def test_header_only_file_gives_no_records(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("First Name,Middle Name,Last Name,Phonetic First Name\n", encoding="utf-8")
    records = GoogleContactsCsv().parse(ExportFile(path)).records
    assert records.height == 0 and records.schema == RECORD_SCHEMA
    assert isinstance(records, pl.DataFrame)
