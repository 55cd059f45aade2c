"""``kith export``: pure mappers, then the real CLI, then a real round trip through ``kith sync``."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from connectors.google import GoogleContactsCsv
from connectors.outlook import OutlookWebCsv
from connectors.vcard import VCardFile, card_to_row, iter_cards
from pipelines.export import (
    OUTLOOK_HEADER,
    export,
    fold,
    google_table,
    neutralise,
    outlook_table,
    render,
    vcard,
)
from tests.conftest import KithRunner, SyncedSample, query

PERSON = {
    "person_id": "p_1",
    "display_name": "Mara Quillfeather",
    "first_name": "Mara",
    "last_name": "Quillfeather",
    "emails": ["mara.q@northgate.example", "maraq@example.net", "m3@example.org", "m4@x.example"],
    "phones": ["+4915155501001"],
    "company": "Northgate Analytics, Inc.; Berlin\\Office",
    "title": '=HYPERLINK("http://evil.example")',
    "location": "Berlin",
    "linkedin_url": "https://www.linkedin.com/in/mara-q",
    "x_handle": "maraq",
    "urls": ["https://www.linkedin.com/in/mara-q/"],
    "labels": ["Work"],
    "sources": ["google", "linkedin"],
}
ONLY_X_ID = {"person_id": "p_2", "x_account_id": "123", "emails": [], "phones": []}


def test_neutralise_formulas_but_not_phone_numbers() -> None:
    for dangerous in ("=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(dangerous) == "'" + dangerous
    for phone in ("+4915155501001", "+1 555 0100", "+1 555 0100 ::: +44 20 7946 0000"):
        assert neutralise(phone) == phone
    assert neutralise("+1 555 CALL") == "'+1 555 CALL"
    assert neutralise("Mara") == "Mara"


def test_google_table_shape() -> None:
    header, rows = google_table([PERSON, ONLY_X_ID])
    assert header[:4] == ["First Name", "Middle Name", "Last Name", "Phonetic First Name"]
    assert "E-mail 4 - Value" in header and "E-mail 5 - Value" not in header
    assert "Phone 1 - Value" in header and "Phone 2 - Value" not in header
    row = dict(zip(header, rows[0], strict=True))
    assert row["E-mail 1 - Label"] == "* Other" and row["E-mail 2 - Value"] == "maraq@example.net"
    assert row["Labels"] == "* myContacts ::: Work"
    assert row["Website 1 - Value"] == "https://www.linkedin.com/in/mara-q"
    assert row["Website 2 - Value"] == "https://x.com/maraq"  # the trailing-/ URL is a repeat
    text = render([PERSON], "google")
    assert "'=HYPERLINK" in text and ",+4915155501001," in text
    assert text.endswith("\r\n")


def test_outlook_table_has_the_61_web_columns_and_spills_extra_emails_to_notes() -> None:
    header, rows = outlook_table([PERSON])
    assert header == OUTLOOK_HEADER and len(header) == 61
    row = dict(zip(header, rows[0], strict=True))
    assert (row["E-mail Address"], row["E-mail 3 Address"]) == (
        "mara.q@northgate.example",
        "m3@example.org",
    )
    assert "more e-mail: m4@x.example" in row["Notes"]
    assert row["Mobile Phone"] == "+4915155501001"


def test_vcard_escapes_folds_and_reads_back() -> None:
    card = vcard({**PERSON, "title": "Lead; data, and\nmore " + "é" * 60})
    lines = card.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert r"ORG:Northgate Analytics\, Inc.\; Berlin\\Office" in card.replace("\r\n ", "")
    parsed = card_to_row(next(iter_cards(card.replace("\r\n ", ""))))
    assert parsed["title"] == "Lead; data, and\nmore " + "é" * 60
    assert parsed["company"] == "Northgate Analytics, Inc.; Berlin\\Office"
    assert parsed["emails"] == PERSON["emails"] and parsed["phones"] == PERSON["phones"]
    assert fold("x" * 200).split("\r\n")[1].startswith(" ")


def test_exports_are_recognised_by_kiths_own_connectors() -> None:
    google = render([PERSON], "google")
    outlook = render([PERSON], "outlook")
    assert GoogleContactsCsv().sniff("any.csv", google)
    assert OutlookWebCsv().sniff("any.csv", outlook)
    assert VCardFile().sniff("any.vcf", render([PERSON], "vcard"))


@pytest.fixture(scope="module")
def synced(synced_sample: SyncedSample) -> Path:
    return synced_sample.db


def test_cli_writes_every_format_with_bom_and_one_line_errors(
    kith: KithRunner, synced: Path, tmp_path: Path
) -> None:
    people = query(synced, "select count(*) from people")[0][0]
    for output in ("google", "outlook", "csv"):
        out = tmp_path / f"{output}.csv"
        written = export(synced, output, str(out))  # in-process: the CLI is tested below
        assert written.path == out and written.count + written.skipped == people
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(out.open(encoding="utf-8-sig", newline="")))
        if output == "csv":
            assert len(rows) - 1 == people
            assert {"person_id", "emails", "match_explanation", "source_records"} <= set(rows[0])
    done = kith("export", "--format", "vcard", "--db", str(synced), "--out", "-")
    assert done.stdout.count("BEGIN:VCARD") == done.stdout.count("END:VCARD") > 0
    assert "@" not in done.stderr and "people to stdout" in done.stderr
    missing = kith("export", "--format", "google", "--db", str(synced), "--out", "/no/such/x.csv")
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1
    assert "does not exist" in missing.stderr


def test_round_trip_creates_no_new_people(kith: KithRunner, synced: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(synced, copy)
    files = []
    for output, name in (("google", "g.csv"), ("outlook", "o.csv"), ("vcard", "v.vcf")):
        assert kith("export", "--format", output, "--db", str(copy), "--out", name).returncode == 0
        files.append(name)
    before = {row[0] for row in query(copy, "select person_id from people")}
    done = kith("sync", *files, "--db", str(copy))
    assert done.returncode == 0, done.stderr
    assert "3 file(s) read" in done.stdout and "0 unrecognised" in done.stdout
    after = {row[0] for row in query(copy, "select person_id from people")}
    assert after == before  # no new people, none merged away
    imported = query(
        copy,
        "select count(*), count(distinct person_id) from person_sources "
        "where source_file in ('g.csv', 'o.csv', 'v.vcf')",
    )[0]
    assert imported[0] > 0 and imported[1] == imported[0] // 3
