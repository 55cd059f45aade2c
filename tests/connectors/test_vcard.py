"""vCard 2.1 / 3.0 / 4.0 parsing: folds, QP, Apple groups, company and group cards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectors.base import RECORD_SCHEMA, ExportFile, FormatError
from connectors.vcard import VCardFile, split_unescaped, unescape

FIXTURE = Path(__file__).parent.parent / "fixtures" / "vcard" / "contacts.vcf"


@pytest.fixture(scope="module")
def rows() -> list[dict[str, object]]:
    records = VCardFile().parse(ExportFile(FIXTURE)).records
    assert records.schema == RECORD_SCHEMA
    return list(records.iter_rows(named=True))


def test_card_numbers_are_source_rows(rows: list[dict[str, object]]) -> None:
    assert [r["source_row"] for r in rows] == [1, 2, 3, 4, 5, 6, 7]
    assert {r["source"] for r in rows} == {"vcard"}
    assert {r["channel"] for r in rows} == {"address_book"}


def test_apple_card(rows: list[dict[str, object]]) -> None:
    mara = rows[0]
    assert (mara["full_name"], mara["first_name"], mara["last_name"]) == (
        "Mara Quillfeather",
        "Mara",
        "Quillfeather",
    )
    # item1.EMAIL is found despite the group prefix
    assert mara["emails"] == ["mara.q@northgate.example", "maraq@example.net"]
    assert mara["phones"] == ["+49 151 5550 1001", "+49 30 5550 4400"]
    assert mara["company"] == "Northgate Analytics, Inc."  # '\,' unescaped, trailing ';' dropped
    assert mara["title"] == "Staff Data Engineer"
    assert mara["location"] == "Berlin"
    assert mara["urls"] == ["https://www.linkedin.com/in/mara-quillfeather-7f3a21"]  # '\:'
    raw = json.loads(str(mara["raw"]))
    assert raw["PHOTO;ENCODING=b;TYPE=JPEG"] == ["[binary omitted]"]
    assert raw["NOTE"] == [
        "Met at PyData\\nlikes climbing and a very long note that an exporter will fold "
        "onto the next physical line"
    ]
    assert raw["item1.X-ABLabel"] == ["_$!<Other>!$_"]


def test_android_21_quoted_printable(rows: list[dict[str, object]]) -> None:
    ines = rows[1]
    assert ines["full_name"] == "Inès Talvik (Tallinn Research Lab)"  # soft break joined
    assert (ines["first_name"], ines["last_name"]) == ("Inès", "Talvik")
    assert ines["emails"] == ["ines.talvik@example.com", "ines@example.net"]
    assert ines["phones"] == ["+37255501212", "+3726555000"]
    raw = json.loads(str(ines["raw"]))
    assert raw["NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1"] == ["Köln trip"]
    assert raw["PHOTO;ENCODING=BASE64;TYPE=JPEG"] == ["[binary omitted]"]


def test_company_card_has_company_but_no_person_name(rows: list[dict[str, object]]) -> None:
    company = rows[2]
    assert company["kind"] == "contact"
    assert company["full_name"] is None and company["first_name"] is None
    assert company["company"] == "Pell & Vos GmbH"
    assert company["phones"] == ["+49 89 5550 3300"]


def test_vcard_40_card(rows: list[dict[str, object]]) -> None:
    tobiah = rows[3]
    assert tobiah["phones"] == ["+1-555-0100"]  # VALUE=uri 'tel:' scheme removed
    assert tobiah["middle_name"] == "J." and tobiah["nickname"] == "Toby"
    assert tobiah["company"] == "Lumen Works"
    assert tobiah["title"] == "Director, Partnerships"
    assert tobiah["labels"] == ["Friends", "Conference, 2024", "Work"]
    assert tobiah["urls"] == ["https://x.com/trenwick"]
    assert tobiah["birthday"] == "19850704"


def test_group_card_is_hidden(rows: list[dict[str, object]]) -> None:
    assert rows[4]["kind"] == "hidden" and rows[4]["full_name"] == "Book Club"


def test_problem_cards_become_issues_and_others_load() -> None:
    result = VCardFile().parse(ExportFile(FIXTURE))
    assert [(i.row, i.message) for i in result.issues] == [
        (6, "card 6: a line without 'NAME:value' shape was skipped"),
        (7, "card 7: file ended before END:VCARD"),
    ]
    noor, pia = result.records.filter(result.records["source_row"] >= 6).iter_rows(named=True)
    assert noor["emails"] == ["noor.haddad@example.org"]
    assert pia["emails"] == ["pia@example.net"]  # truncated last card still kept


def test_fold_inside_multibyte_character_and_cp1252_21(tmp_path: Path) -> None:
    folded = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zo\xc3\r\n \xab Example\r\nEND:VCARD\r\n"
    path = tmp_path / "folded.vcf"
    path.write_bytes(folded)
    assert VCardFile().parse(ExportFile(path)).records["full_name"].to_list() == ["Zoë Example"]
    outlook = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Müller;Jörg\r\nFN:Jörg Müller\r\nEND:VCARD\r\n"
    path.write_bytes(outlook.encode("cp1252"))
    records = VCardFile().parse(ExportFile(path)).records
    assert records["full_name"].to_list() == ["Jörg Müller"]
    assert records["first_name"].to_list() == ["Jörg"]


def test_qp_with_declared_windows_charset(tmp_path: Path) -> None:
    card = (
        "BEGIN:VCARD\nVERSION:2.1\n"
        "FN;CHARSET=windows-1252;ENCODING=QUOTED-PRINTABLE:Andr=E9 Example\n"
        "FN;CHARSET=no-such-charset;QUOTED-PRINTABLE:x\nEND:VCARD\n"
    )
    path = tmp_path / "qp.vcf"
    path.write_text(card, encoding="ascii")
    assert VCardFile().parse(ExportFile(path)).records["full_name"].to_list() == ["André Example"]


def test_escape_helpers() -> None:
    assert unescape(r"a\,b\;c\\d\ne\Nf") == "a,b;c\\d\ne\nf"
    assert split_unescaped(r"Acme\; Ltd;Unit;", ";") == ["Acme; Ltd", "Unit", ""]


def test_sniff_and_wrong_content(tmp_path: Path) -> None:
    assert VCardFile().sniff("x.vcf", "\ufeffBEGIN:VCARD\nVERSION:3.0\n")
    assert not VCardFile().sniff("x.vcf", "First Name,Last Name\n")
    path = tmp_path / "x.vcf"
    path.write_text("not a card\n", encoding="utf-8")
    with pytest.raises(FormatError, match="BEGIN:VCARD"):
        VCardFile().parse(ExportFile(path))
