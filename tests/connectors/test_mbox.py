"""Gmail Takeout mbox: boundaries, headers, dates, bulk flags, owner, streaming."""

from __future__ import annotations

import io
import tracemalloc
from datetime import UTC, datetime
from email.utils import getaddresses
from pathlib import Path

import pytest

from connectors._text import decode
from connectors.base import INTERACTION_SCHEMA, OWNER_SCHEMA, ExportFile, FormatError, ParseResult
from connectors.mbox import Mbox, iter_raw_messages, parse_address_list, parse_labels

FIXTURE = (
    Path(__file__).parent.parent / "fixtures" / "mail" / ("All mail Including Spam and Trash.mbox")
)


def _parse(path: Path = FIXTURE) -> ParseResult:
    return Mbox().parse(ExportFile(path))


def test_participants_per_message() -> None:
    result = _parse()
    frame = result.interactions
    assert frame.schema == INTERACTION_SCHEMA
    assert result.records.height == 0
    assert set(frame["source"]) == {"gmail"} and set(frame["channel"]) == {"email"}
    first = frame.filter(frame["source_row"] == 1)
    assert first.select("role", "email", "name").rows() == [
        ("from", "sam.owner@example.org", "Sam Owner"),
        ("to", "mara.q@northgate.example", "Quillfeather, Mara"),  # comma inside the name
        ("to", "tobiah.renwick@example.org", None),  # folded To header
        ("cc", "ines.talvik@example.com", "Inès Talvik"),  # RFC 2047
        ("bcc", "archive@example.net", None),
    ]
    assert set(first["message_id"]) == {"<CAF1x+abc123@mail.example.org>"}
    assert set(first["thread_id"]) == {"1790120000000000001"}
    assert first["occurred_at"][0] == datetime(2024, 3, 4, 11, 20, 34, tzinfo=UTC)


def test_body_from_lines_are_not_boundaries_and_duplicates_count_once() -> None:
    frame = _parse().interactions
    # 8 messages: the 7th repeats the 2nd's Message-ID; body 'From ' lines split nothing
    assert sorted(set(frame["source_row"])) == [1, 2, 3, 4, 5, 6, 8]
    assert frame["message_id"].n_unique() == 7


def test_dates_and_fallbacks() -> None:
    frame = _parse().interactions.filter(role="from")
    dates = dict(zip(frame["source_row"], frame["occurred_at"], strict=True))
    assert dates[2] == datetime(2024, 3, 5, 7, 2, 10, tzinfo=UTC)  # '(UTC)' comment
    assert dates[3] == datetime(2024, 3, 6, 9, 0, tzinfo=UTC)  # 'GMT' via the stdlib
    assert dates[5] == datetime(2024, 3, 8, 10, 0, tzinfo=UTC)  # no Date: From_ line
    assert dates[6] == datetime(2014, 1, 21, 5, 30, 14, tzinfo=UTC)  # From_ without zone


def test_bulk_flags() -> None:
    frame = _parse().interactions.filter(role="from")
    bulk = dict(zip(frame["source_row"], frame["is_bulk"], strict=True))
    # 3 List-Id, 4 no-reply sender, 5 Spam label, 8 Auto-Submitted: auto-replied
    assert bulk == {1: False, 2: False, 3: True, 4: True, 5: True, 6: False, 8: True}


def test_missing_message_id_gets_a_stable_hash() -> None:
    first = _parse().interactions.filter(source_row=8)["message_id"][0]
    again = _parse().interactions.filter(source_row=8)["message_id"][0]
    assert first.startswith("sha1:") and len(first) == 45 and first == again


def test_owner_from_delivered_to_and_sent() -> None:
    owner = _parse().owner
    assert owner.schema == OWNER_SCHEMA
    assert owner.rows() == [
        ("gmail", "email", "sam.owner@example.org"),
        ("gmail", "email", "sam@example.com"),
    ]


def test_labels_with_quoted_commas() -> None:
    assert parse_labels('Sent,Opened,"Projects, Apollo"') == ["Sent", "Opened", "Projects, Apollo"]


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1 << 20])
def test_chunk_size_does_not_change_the_split(chunk: int) -> None:
    data = FIXTURE.read_bytes()
    crlf = data.replace(b"\n", b"\r\n")
    for blob in (data, crlf):
        messages = list(iter_raw_messages(io.BytesIO(blob), chunk_bytes=chunk))
        assert [m.number for m in messages] == list(range(1, 9))
        assert messages[5].from_line == "From 1457000000000000001@xxx Tue Jan 21 05:30:14 2014"
        assert all(m.complete for m in messages)


def test_huge_body_is_streamed_in_constant_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.mbox"
    line = b"x" * 99 + b"\n"
    with path.open("wb") as handle:
        handle.write(b"From a@xxx Mon Mar 04 11:20:34 +0000 2024\nFrom: a@example.org\n")
        handle.write(b"To: b@example.org\nMessage-ID: <big@example.org>\n\n")
        for _ in range(300):  # 30 MB body
            handle.write(line * 1000)
        handle.write(b"\nFrom b@xxx Mon Mar 04 11:20:35 +0000 2024\nFrom: b@example.org\n")
        handle.write(b"To: a@example.org\nMessage-ID: <small@example.org>\n\nhi\n")
    tracemalloc.start()
    result = Mbox().parse(ExportFile(path))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.interactions["message_id"].unique().sort().to_list() == [
        "<big@example.org>",
        "<small@example.org>",
    ]
    assert peak < 8 * 1024 * 1024  # a few chunks, not the 30 MB body


def test_truncated_headers_are_an_issue(tmp_path: Path) -> None:
    path = tmp_path / "cut.mbox"
    path.write_bytes(FIXTURE.read_bytes()[:120])
    result = Mbox().parse(ExportFile(path))
    assert [(i.row, i.message) for i in result.issues] == [
        (1, "message 1: header block not terminated"),
        (1, "message 1: no From/To/Cc/Bcc address"),  # the cut fell before From:
    ]


def test_sniff_and_wrong_content(tmp_path: Path) -> None:
    assert Mbox().sniff(FIXTURE.name, decode(FIXTURE.read_bytes()[:4096]))
    assert not Mbox().sniff("Invitations.csv", "From,To,Sent At,Message,Direction\n")
    assert not Mbox().sniff("x.txt", "From here on it is prose.\nNothing else.\n")
    path = tmp_path / "x.mbox"
    path.write_text("Subject: hi\n\nbody\n", encoding="utf-8")
    with pytest.raises(FormatError, match="From "):
        Mbox().parse(ExportFile(path))


@pytest.mark.parametrize(
    "value",
    [
        "a@example.org",
        "Sam Owner <s@example.org>, b@example.com",
        "Sam Owner <s@example.org>,, b@example.com",
        '"Doe, J" <j@example.org>, x@example.net',
        "a@example.org (Comment Name)",
        "undisclosed-recipients:;",
    ],
)
def test_address_fast_path_agrees_with_getaddresses(value: str) -> None:
    expected = tuple((address, name or None) for name, address in getaddresses([value]) if address)
    assert parse_address_list(value) == expected
