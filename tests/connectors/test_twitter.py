"""X / Twitter connectors on a synthetic archive (data/*.js) and third-party CSVs."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from connectors import detect
from connectors._text import decode
from connectors.base import (
    INTERACTION_SCHEMA,
    OWNER_SCHEMA,
    RECORD_SCHEMA,
    ExportFile,
    FormatError,
    ParseResult,
)
from connectors.twitter import (
    XAccount,
    XArchiveOther,
    XContacts,
    XDirectMessages,
    XFollowersCsv,
    XFollows,
    account_id,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "x"
OWNER_ID = "1000000000000000001"


def parse(connector: object, relative: str) -> ParseResult:
    result = connector.parse(ExportFile(FIXTURES / relative))  # type: ignore[attr-defined]
    assert result.records.schema == RECORD_SCHEMA
    assert result.interactions.schema == INTERACTION_SCHEMA
    assert result.owner.schema == OWNER_SCHEMA
    return result


def rows(frame: pl.DataFrame, *columns: str) -> list[tuple[object, ...]]:
    return list(frame.select(columns).iter_rows())


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("data/account.js", "x_account"),
        ("data/follower.js", "x_follows"),
        ("data/follower-part1.js", "x_follows"),
        ("data/following.js", "x_follows"),
        ("data/direct-messages.js", "x_direct_messages"),
        ("data/direct-messages-group.js", "x_direct_messages"),
        ("data/contact.js", "x_contacts"),
        ("data/tweets.js", "x_archive_other"),
        ("data/manifest.js", "x_archive_other"),
        ("broken/like.js", "x_archive_other"),
        ("third_party/followers2csv.csv", "x_followers_csv"),
        ("third_party/twarc_following.csv", "x_followers_csv"),
        ("third_party/apify_export.csv", "x_followers_csv"),
    ],
)
def test_each_file_is_recognised_by_content(relative: str, expected: str) -> None:
    file = ExportFile(FIXTURES / relative)
    head = decode(file.head())
    connector = detect(file, head)
    assert connector is not None and connector.name == expected
    assert connector.sniff("renamed.txt", head)  # the name plays no part


def test_type_comes_from_the_ytd_prefix_not_the_file_name(tmp_path: Path) -> None:
    misnamed = tmp_path / "account.js"
    misnamed.write_bytes((FIXTURES / "data" / "follower.js").read_bytes())
    file = ExportFile(misnamed)
    connector = detect(file, decode(file.head()))
    assert connector is not None and connector.name == "x_follows"


def test_account_gives_owner_ids_and_one_owner_record() -> None:
    result = parse(XAccount(), "data/account.js")
    assert rows(result.owner, "source", "kind", "value") == [
        ("x", "x_account_id", OWNER_ID),
        ("x", "x_handle", "sam_owner_x"),
        ("x", "email", "sam.owner@example.org"),
        ("x", "name", "Sam Owner"),
    ]
    columns = ("source_file", "source_row", "kind", "channel", "full_name", "emails")
    assert rows(result.records, *columns) == [
        ("account.js", 1, "owner", "x_account", "Sam Owner", ["sam.owner@example.org"])
    ]
    assert rows(result.records, "x_handle", "x_account_id") == [("sam_owner_x", OWNER_ID)]
    assert json.loads(result.records.get_column("raw")[0])["createdVia"] == "web"


def test_account_with_bom_and_crlf(tmp_path: Path) -> None:
    copy = tmp_path / "account.js"
    text = (FIXTURES / "data" / "account.js").read_bytes().replace(b"\n", b"\r\n")
    copy.write_bytes(b"\xef\xbb\xbf" + text)
    file = ExportFile(copy)
    assert detect(file, decode(file.head())) is not None
    owner = XAccount().parse(file).owner
    assert owner.get_column("value")[0] == OWNER_ID


def test_followers_keep_snowflake_ids_exact() -> None:
    result = parse(XFollows(), "data/follower.js")
    assert rows(result.records, "source_file", "source_row", "kind", "channel", "x_account_id") == [
        ("follower.js", 1, "contact", "x_follower", "1000000000000000101"),
        # 2^53 + 1: a float would turn it into ...992
        ("follower.js", 2, "contact", "x_follower", "9007199254740993"),
    ]  # fmt: skip
    assert result.issues == []
    assert json.loads(result.records.get_column("raw")[0]) == {
        "accountId": "1000000000000000101",
        "userLink": "https://twitter.com/intent/user?user_id=1000000000000000101",
    }


def test_follower_part_file_with_a_bare_number_id_and_an_entry_without_id() -> None:
    result = parse(XFollows(), "data/follower-part1.js")
    assert rows(result.records, "source_file", "source_row", "x_account_id") == [
        ("follower-part1.js", 1, "1000000000000000203"),  # written as a JSON number
        ("follower-part1.js", 3, "1000000000000000305"),
    ]
    assert [(i.source_file, i.row) for i in result.issues] == [("follower-part1.js", 2)]


def test_empty_following_array_gives_an_empty_result() -> None:
    result = parse(XFollows(), "data/following.js")
    assert result.records.is_empty() and result.issues == []


DM_COLUMNS = ("source_row", "message_id", "thread_id", "occurred_at", "role", "x_account_id")


def test_one_to_one_dms_give_from_and_to_rows() -> None:
    result = parse(XDirectMessages(), "data/direct-messages.js")
    thread = "1000000000000000001-1000000000000000101"
    first = datetime(2024, 3, 6, 9, 15, 0, 120000, tzinfo=UTC)
    second = datetime(2024, 3, 6, 8, 59, 41, tzinfo=UTC)
    other = "1000000000000000001-1000000000000000203"
    assert rows(result.interactions, *DM_COLUMNS) == [
        (1, "1700000000000000555", thread, first, "from", OWNER_ID),
        (1, "1700000000000000555", thread, first, "to", "1000000000000000101"),
        (1, "1700000000000000444", thread, second, "from", "1000000000000000101"),
        (1, "1700000000000000444", thread, second, "to", OWNER_ID),
        (2, "1700000000000000777", other, None, "from", "1000000000000000203"),
        (2, "1700000000000000777", other, None, "to", OWNER_ID),
    ]
    frame = result.interactions
    assert frame.get_column("channel").unique().to_list() == ["x_dm"]
    assert frame.get_column("source").unique().to_list() == ["x"]
    assert frame.get_column("is_bulk").to_list() == [False] * 6
    assert [(i.source_file, i.row) for i in result.issues] == [("direct-messages.js", 2)]


def test_group_dms_give_sender_and_participant_rows() -> None:
    result = parse(XDirectMessages(), "data/direct-messages-group.js")
    thread = "1600000000000000900"
    join = f"{thread}:participantsJoin:2024-05-01T09:59:00.000Z"
    snapshot = f"{thread}:joinConversation:2024-05-01T09:58:00.000Z"
    at = datetime(2024, 5, 1, 10, tzinfo=UTC)
    joined = datetime(2024, 5, 1, 9, 59, tzinfo=UTC)
    snapped = datetime(2024, 5, 1, 9, 58, tzinfo=UTC)
    assert rows(result.interactions, *DM_COLUMNS) == [
        (1, "1700000000000000999", thread, at, "from", "1000000000000000101"),
        (1, join, thread, joined, "participant", "1000000000000000101"),
        (1, join, thread, joined, "participant", OWNER_ID),
        (1, join, thread, joined, "participant", "1000000000000000305"),
        (1, snapshot, thread, snapped, "participant", "1000000000000000101"),
        (1, snapshot, thread, snapped, "participant", "1000000000000000203"),
    ]
    assert result.issues == []


def test_uploaded_contacts_give_emails_and_phones() -> None:
    result = parse(XContacts(), "data/contact.js")
    assert rows(result.records, "source_row", "kind", "channel", "emails", "phones") == [
        (1, "contact", "x_uploaded_contact", ["ines.talvik@example.com"], ["+37255501212"]),
        (2, "contact", "x_uploaded_contact", [], ["+15555550100", "+15555550101"]),
    ]


@pytest.mark.parametrize("relative", ["data/tweets.js", "data/manifest.js"])
def test_other_x_files_are_skipped_cleanly(relative: str) -> None:
    result = parse(XArchiveOther(), relative)
    assert result.records.is_empty() and result.interactions.is_empty()
    assert result.owner.is_empty() and result.issues == []


@pytest.mark.parametrize(
    ("connector", "relative", "message"),
    [
        (XFollows(), "broken/follower.js", r"follower\.js: the follower payload is not valid JSON"),
        (XAccount(), "broken/account.js", r"account\.js: .* expected a JSON array"),
        (XArchiveOther(), "broken/like.js", r"like\.js: expected a JSON array"),
        (XFollows(), "third_party/apify_export.csv", r"apify_export\.csv: expected an X archive"),
    ],
)
def test_a_js_that_is_not_a_ytd_array_is_a_format_error(
    connector: object, relative: str, message: str
) -> None:
    with pytest.raises(FormatError, match=message):
        connector.parse(ExportFile(FIXTURES / relative))  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1000000000000000101", "1000000000000000101"),
        (1000000000000000101, "1000000000000000101"),
        (" 42 ", "42"),
        ("42.0", "42"),
        (1.0e18, None),  # precision already lost: refuse rather than guess
        ("1.00000000000000E+18", None),
        (True, None),
        (None, None),
        ("", None),
    ],
)
def test_account_id_never_goes_through_a_float(value: object, expected: str | None) -> None:
    assert account_id(value) == expected


# ----------------------------------------------------------------- third-party CSVs

CSV_COLUMNS = (
    "source_file",
    "source_row",
    "kind",
    "channel",
    "x_account_id",
    "x_handle",
    "full_name",
    "location",
    "urls",
)


def test_followers2csv_shape() -> None:
    result = parse(XFollowersCsv(), "third_party/followers2csv.csv")
    name = "followers2csv.csv"
    assert rows(result.records, *CSV_COLUMNS) == [
        (name, 1, "contact", "x_follower", "1000000000000000101", "maraq_data",
         "Mara Quillfeather", None, []),
        (name, 2, "contact", "x_follower", "1000000000000000202", "dpell", "Dario Pell", None, []),
        # a spreadsheet turned the id into a float: the row is kept, the id is not guessed
        (name, 3, "contact", "x_follower", None, "floaty", "Broken Float", None, []),
    ]  # fmt: skip
    assert result.records.get_column("source").unique().to_list() == ["x"]
    assert [(i.source_file, i.row) for i in result.issues] == [(name, 3)]
    assert json.loads(result.records.get_column("raw")[0])["followers"] == "812"


def test_twarc_shape_with_a_quoted_newline_in_description() -> None:
    result = parse(XFollowersCsv(), "third_party/twarc_following.csv")
    assert rows(result.records, *CSV_COLUMNS) == [
        ("twarc_following.csv", 1, "contact", "x_following", "1000000000000000305", "ines_t",
         "Ines Talvik", "Tallinn", ["https://ines.example.com"]),
    ]  # fmt: skip
    raw = json.loads(result.records.get_column("raw")[0])
    assert raw["description"] == "Maps, data\nand coffee"


def test_apify_shape_without_follow_direction_is_x_profile() -> None:
    result = parse(XFollowersCsv(), "third_party/apify_export.csv")
    assert rows(result.records, *CSV_COLUMNS) == [
        ("apify_export.csv", 1, "contact", "x_profile", "1000000000000000406", "kofib",
         "Kofi Brand", "Accra", []),
    ]  # fmt: skip


def test_a_generic_id_name_csv_is_not_taken_for_a_follower_list() -> None:
    assert not XFollowersCsv().sniff("people.csv", "id,name,username,email\n1,A,b,c\n")


# ----------------------------------------------------------------- a zipped archive


def test_zipped_archive_members(tmp_path: Path) -> None:
    archive = tmp_path / "twitter-2026-02-08-0a1b2c.zip"
    data = FIXTURES / "data"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(data.iterdir()):
            zipped.write(path, f"data/{path.name}")
    names = {}
    for path in sorted(data.iterdir()):
        file = ExportFile(archive, f"data/{path.name}")
        connector = detect(file, decode(file.head()))
        assert connector is not None
        names[path.name] = connector.name
        zipped_result = connector.parse(file)
        loose = connector.parse(ExportFile(path))
        assert zipped_result.records.equals(loose.records)
        assert zipped_result.interactions.equals(loose.interactions)
        assert zipped_result.owner.equals(loose.owner)
        assert zipped_result.issues == loose.issues
    assert names["follower-part1.js"] == "x_follows"
    followers = XFollows().parse(ExportFile(archive, "data/follower-part1.js")).records
    assert followers.get_column("source_file").to_list() == ["follower-part1.js"] * 2
