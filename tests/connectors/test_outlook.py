"""Outlook desktop (cp1252, all-quoted header, EX addresses) and Outlook.com CSV exports."""

from __future__ import annotations

import json
from pathlib import Path

from connectors._text import decode
from connectors.base import RECORD_SCHEMA, ExportFile
from connectors.google import GoogleOutlookCsv
from connectors.outlook import OutlookDesktopCsv, OutlookWebCsv

FIXTURES = Path(__file__).parent.parent / "fixtures" / "outlook"


def _head(path: Path) -> str:
    return decode(ExportFile(path).head())


def test_desktop_export_values_by_row() -> None:
    path = FIXTURES / "contacts.csv"
    assert b"M\xfcnchen" in path.read_bytes()  # really cp1252 on disk
    assert OutlookDesktopCsv().sniff(path.name, _head(path))
    records = OutlookDesktopCsv().parse(ExportFile(path)).records
    assert records.schema == RECORD_SCHEMA
    assert set(records["source"]) == {"outlook"} and set(records["channel"]) == {"address_book"}
    dario, ines, sam, rex = records.iter_rows(named=True)
    assert dario["full_name"] == "Dario Pell"
    assert dario["location"] == "München"
    assert dario["emails"] == ["dario.pell@example.org"]
    # mobile first; the assistant's number is not Dario's
    assert dario["phones"] == ["+49 170 5550 3301", "+49 89 5550 3300"]
    assert dario["labels"] == ["Customers", "Munich"]
    assert dario["birthday"] is None  # Outlook's 0/0/00 means "no date"
    assert json.loads(dario["raw"])["notes"] == "Prefers calls,\nnot e-mail"
    assert ines["full_name"] == "Inès Talvik"  # 'Dr.' is Title, an honorific
    assert ines["title"] == "Principal Scientist"
    assert ines["emails"] == ["ines.talvik@example.com", "ines@example.net"]
    assert ines["birthday"] == "12/28/1969"
    assert ines["urls"] == ["https://www.linkedin.com/in/ines-talvik-09b1"]
    # EX: the X.500 DN is dropped; the SMTP address in the display name is used instead
    assert sam["emails"] == ["sam.colleague@example.com"]
    assert rex["emails"] == [] and rex["location"] == "Leeds"
    assert "/o=ExchangeLabs" in json.loads(rex["raw"])["e-mail address"]


def test_outlook_2003_variant_without_email_type_columns() -> None:
    path = FIXTURES / "contacts_outlook2003.csv"
    assert OutlookDesktopCsv().sniff(path.name, _head(path))
    records = OutlookDesktopCsv().parse(ExportFile(path)).records
    noor, pia = records.iter_rows(named=True)
    assert noor["emails"] == ["noor.haddad@example.org"] and noor["location"] == "Beirut"
    assert json.loads(noor["raw"])["business country"] == "Lebanon"
    assert pia["emails"] == ["pia@example.net"] and pia["labels"] == []


def test_outlook_com_export() -> None:
    path = FIXTURES / "outlook_com.csv"
    head = _head(path)
    assert OutlookWebCsv().sniff(path.name, head)
    assert not OutlookDesktopCsv().sniff(path.name, head)
    assert not GoogleOutlookCsv().sniff(path.name, head)
    records = OutlookWebCsv().parse(ExportFile(path)).records
    assert records.schema == RECORD_SCHEMA
    mara, tobiah, kiko = records.iter_rows(named=True)
    assert mara["first_name"] == "Mara"  # BOM did not leak into the first column name
    assert mara["nickname"] == "Mara Q"
    assert mara["phones"] == ["+49 151 5550 1001", "+49 30 5550 4400"]
    assert mara["company"] == "Northgate Analytics, Inc."
    assert mara["labels"] == []
    assert tobiah["urls"] == ["https://x.com/trenwick"]
    assert kiko["full_name"] == "Kiko" and kiko["phones"] == ["+81 3 5550 7788"]


def test_desktop_header_is_not_claimed_by_web_or_google_connectors() -> None:
    head = _head(FIXTURES / "contacts.csv")
    assert not OutlookWebCsv().sniff("contacts.csv", head)
    assert not GoogleOutlookCsv().sniff("contacts.csv", head)


def test_localised_header_is_not_recognised() -> None:
    head = '"Anrede","Vorname","Weitere Vornamen","Nachname","Suffix","Firma"\n'
    assert not OutlookDesktopCsv().sniff("kontakte.csv", head)
    assert not OutlookWebCsv().sniff("kontakte.csv", head)
