"""E-mail log CSVs: generic, canonical (§6.2 c) and Outlook mail-folder shapes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from connectors._text import decode
from connectors.base import INTERACTION_SCHEMA, ExportFile, FormatError, ParseResult
from connectors.email_log import EmailLogCsv, parse_log_dates, split_addresses

FIXTURES = Path(__file__).parent.parent / "fixtures" / "mail"
LINKEDIN = Path(__file__).parent.parent / "fixtures" / "linkedin"


def _parse(name: str) -> ParseResult:
    return EmailLogCsv().parse(ExportFile(FIXTURES / name))


def test_generic_log() -> None:
    result = _parse("email_log.csv")
    frame = result.interactions
    assert frame.schema == INTERACTION_SCHEMA
    assert set(frame["source"]) == {"email_log"} and set(frame["channel"]) == {"email"}
    assert frame.filter(source_row=1).select("role", "email", "name").rows() == [
        ("from", "sam.owner@example.org", "Sam Owner"),
        ("to", "mara.q@northgate.example", "Quillfeather, Mara"),
        ("to", "tobiah.renwick@example.org", None),
        ("cc", "ines.talvik@example.com", None),
    ]
    first_dates = frame.group_by("source_row").agg(pl.col("occurred_at").first()).sort("source_row")
    assert first_dates["occurred_at"].to_list() == [
        datetime(2024, 3, 4, 11, 20, 34, tzinfo=UTC),  # RFC 2822 with +0100
        datetime(2024, 3, 5, 7, 2, 10, tzinfo=UTC),  # ISO Z
        datetime(2024, 3, 6, 9, 0, tzinfo=UTC),  # naive, taken as UTC
    ]
    assert frame.filter(source_row=3)["is_bulk"].to_list() == [True, True]  # noreply@
    assert frame.filter(source_row=1)["is_bulk"].to_list() == [False] * 4
    # no Message-ID column: a stable hash of sender, date and subject stands in
    assert frame.filter(source_row=1)["message_id"].n_unique() == 1
    assert frame["message_id"][0].startswith("sha1:")
    assert [(i.row, i.message) for i in result.issues] == [
        (4, "row 4: no sender or recipient address")
    ]


def test_canonical_log() -> None:
    frame = _parse("canonical_log.csv").interactions
    assert frame.filter(source_row=1).select("role", "email").rows() == [
        ("from", "sam.owner@example.org"),
        ("to", "mara.q@northgate.example"),  # ';'-separated list
        ("to", "tobiah.renwick@example.org"),
        ("cc", "ines.talvik@example.com"),
    ]
    row1 = frame.filter(source_row=1).row(0, named=True)
    assert row1["message_id"] == "<CAF1x+abc123@mail.example.org>"
    assert row1["thread_id"] == "1790120000000000001"
    assert row1["name"] == "Sam Owner"
    row3 = frame.filter(source_row=3)
    assert row3["occurred_at"].to_list() == [None, None]  # empty ts_utc
    assert row3["message_id"].to_list() == [None, None]  # no id and no date: no hash
    assert frame.filter(source_row=4)["is_bulk"].to_list() == [True, True]  # is_bulk column


def test_outlook_mail_folder_export() -> None:
    path = FIXTURES / "outlook_mail_folder.csv"
    assert b"f\xfcr" in path.read_bytes()  # cp1252 body
    frame = _parse("outlook_mail_folder.csv").interactions
    assert frame.filter(source_row=1).select("role", "email", "name").rows() == [
        ("from", "sam.owner@example.org", "Sam Owner"),
        ("to", "dario.pell@example.org", "Dario Pell"),
        ("to", "ines.talvik@example.com", "Inès Talvik"),  # names paired by position
        ("cc", "noor.haddad@example.org", "Noor Haddad"),
    ]
    assert frame["occurred_at"].null_count() == frame.height  # this export has no date


def test_split_addresses() -> None:
    assert split_addresses('"Doe, Jo" <jo@example.org>; b@example.com,c@example.net', "") == (
        ("jo@example.org", "Doe, Jo"),
        ("b@example.com", None),
        ("c@example.net", None),
    )
    assert split_addresses("a@example.org;b@example.org", "A;B") == (
        ("a@example.org", "A"),
        ("b@example.org", "B"),
    )
    assert split_addresses("a@example.org", "A;B") == (("a@example.org", None),)


def test_date_shapes() -> None:
    values = pl.Series(["3/4/2024 1:20:34 PM", "2024-03-04T12:20:34.5+01:00", "garbage", None])
    assert parse_log_dates(values).to_list() == [
        datetime(2024, 3, 4, 13, 20, 34, tzinfo=UTC),
        datetime(2024, 3, 4, 11, 20, 34, 500000, tzinfo=UTC),
        None,
        None,
    ]


def test_does_not_claim_linkedin_files() -> None:
    for path in sorted(LINKEDIN.glob("*.csv")):
        assert not EmailLogCsv().sniff(path.name, decode(path.read_bytes())), path.name
    assert not EmailLogCsv().sniff("i.csv", "From,To,Sent At,Message,Direction\n")
    assert not EmailLogCsv().sniff("x.csv", "from,to\n")  # nothing but two address columns


def test_unrecognised_columns_raise_format_error(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("sender,when\na@example.org,2024-01-01\n", encoding="utf-8")
    with pytest.raises(FormatError, match="recipient column"):
        EmailLogCsv().parse(ExportFile(path))
