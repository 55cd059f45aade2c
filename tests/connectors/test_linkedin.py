"""LinkedIn connectors on synthetic fixtures that copy the real export's quirks."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import UTC, date, datetime
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
from connectors.linkedin import (
    LinkedInConnections,
    LinkedInEmailAddresses,
    LinkedInImportedContacts,
    LinkedInInvitations,
    LinkedInMessages,
    LinkedInPhoneNumbers,
    LinkedInProfile,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "linkedin"
IN = "https://www.linkedin.com/in/"
OWNER_URL = IN + "sam-owner-example"
MARA_URL = IN + "mara-quillfeather-7f3a21"


def parse(connector: object, name: str) -> ParseResult:
    file = ExportFile(FIXTURES / name)
    result = connector.parse(file)  # type: ignore[attr-defined]
    assert result.records.schema == RECORD_SCHEMA
    assert result.interactions.schema == INTERACTION_SCHEMA
    assert result.owner.schema == OWNER_SCHEMA
    return result


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def rows(frame: pl.DataFrame, *columns: str) -> list[tuple[object, ...]]:
    return list(frame.select(columns).iter_rows())


# ----------------------------------------------------------------- detection by content


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Connections.csv", "linkedin_connections"),
        ("Connections_2020.csv", "linkedin_connections"),
        ("Connections_2022.csv", "linkedin_connections"),
        ("Connections_excel.csv", "linkedin_connections"),
        ("messages.csv", "linkedin_messages"),
        ("messages_2021.csv", "linkedin_messages"),
        ("messages_2023.csv", "linkedin_messages"),
        ("guide_messages.csv", "linkedin_messages"),
        ("Invitations.csv", "linkedin_invitations"),
        ("Invitations_2022.csv", "linkedin_invitations"),
        ("Profile.csv", "linkedin_profile"),
        ("Email Addresses.csv", "linkedin_email_addresses"),
        ("PhoneNumbers.csv", "linkedin_phone_numbers"),
        ("Whatsapp Phone Numbers.csv", "linkedin_phone_numbers"),
        ("messages_no_urls.csv", "linkedin_messages"),
        ("ImportedContacts.csv", "linkedin_imported_contacts"),
        ("Contacts.csv", "linkedin_imported_contacts"),
    ],
)
def test_each_file_is_claimed_by_its_own_connector_only(name: str, expected: str) -> None:
    file = ExportFile(FIXTURES / name)
    head = decode(file.head())
    connector = detect(file, head)
    assert connector is not None and connector.name == expected
    # the content decides: the same text under a neutral name is still recognised
    assert connector.sniff("export.csv", head)


# ----------------------------------------------------------------- Connections.csv


CONNECTION_COLUMNS = (
    "source_row",
    "kind",
    "first_name",
    "last_name",
    "linkedin_url",
    "emails",
    "company",
    "title",
    "connected_on",
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (  # until mid-2021: no preamble, no URL, no newline after the last row
            "Connections_2020.csv",
            [
                (1, "contact", "Tobiah", "Renwick", None, ["tobiah.renwick@example.org"],
                 "Lumen Works", "Director, Partnerships", date(2019, 1, 3)),
                (2, "hidden", None, None, None, [], None, None, date(2020, 6, 14)),
            ],
        ),
        (  # mid-2021 to mid-2023: Notes preamble, no URL
            "Connections_2022.csv",
            [
                (1, "contact", "Ada", "Vexley, PhD", None, [], "Orbit Labs", "Researcher",
                 date(2022, 2, 22)),
                (2, "hidden", None, None, None, [], None, None, date(2022, 3, 1)),
            ],
        ),
        (  # since mid-2023: preamble and URL
            "Connections.csv",
            [
                (1, "contact", "Mara", "Quillfeather", MARA_URL, [], "Northgate Analytics, Inc.",
                 "Staff Data Engineer", date(2024, 11, 25)),
                (2, "contact", "Tobiah", "Renwick", IN + "trenwick",
                 ["tobiah.renwick@example.org"], "Lumen Works", "Director, Partnerships",
                 date(2019, 1, 3)),
                (3, "hidden", None, None, None, [], None, None, date(2025, 6, 14)),
            ],
        ),
        (  # Excel re-save: BOM, CRLF, %d-%b-%y dates
            "Connections_excel.csv",
            [
                (1, "contact", "Mara", "Quillfeather", MARA_URL, [], "Northgate Analytics, Inc.",
                 "Staff Data Engineer", date(2024, 11, 25)),
                (2, "hidden", None, None, None, [], None, None, date(2021, 4, 4)),
            ],
        ),
    ],
)  # fmt: skip
def test_connections_in_every_header_era(name: str, expected: list[tuple[object, ...]]) -> None:
    result = parse(LinkedInConnections(), name)
    assert rows(result.records, *CONNECTION_COLUMNS) == expected
    assert result.records.get_column("source_file").unique().to_list() == [name]
    assert result.records.get_column("channel").unique().to_list() == ["linkedin_connection"]
    assert result.interactions.is_empty() and result.owner.is_empty()


def test_connections_raw_keeps_the_original_cells() -> None:
    raw = parse(LinkedInConnections(), "Connections_excel.csv").records.get_column("raw")
    assert raw[1] == (
        '{"first name":null,"last name":null,"url":null,"email address":null,'
        '"company":null,"position":null,"connected on":"4-Apr-21"}'
    )


# ----------------------------------------------------------------- messages.csv

MESSAGE_COLUMNS = ("source_row", "role", "linkedin_url", "name", "occurred_at", "is_bulk")


def test_messages_one_row_per_participant_split_on_url_shape() -> None:
    result = parse(LinkedInMessages(), "messages_2023.csv")
    frame = result.interactions
    assert rows(frame, *MESSAGE_COLUMNS) == [
        (1, "from", MARA_URL, "Mara Quillfeather", utc(2025, 6, 1, 14, 3, 22), False),
        (1, "to", OWNER_URL, "Sam Owner", utc(2025, 6, 1, 14, 3, 22), False),
        (2, "from", OWNER_URL, "Sam Owner", utc(2025, 6, 2, 8, 40, 5), False),
        (2, "to", MARA_URL, "Mara Quillfeather", utc(2025, 6, 2, 8, 40, 5), False),
        # sponsored InMail: no sender URL, spinmail markup
        (3, "from", None, "Recruiter Example", utc(2025, 7, 10, 9), True),
        (3, "to", OWNER_URL, "Sam Owner", utc(2025, 7, 10, 9), True),
        # two recipients: URLs split, the TO names ("Renwick, Tobiah, Ada Vexley") never split
        (4, "from", OWNER_URL, "Sam Owner", utc(2025, 8, 1, 17), False),
        (4, "to", IN + "trenwick", None, utc(2025, 8, 1, 17), False),
        (4, "to", IN + "ada-vexley-55", None, utc(2025, 8, 1, 17), False),
        # 'LinkedIn Member' sender; its unreadable DATE is an issue, the row is kept
        (5, "from", None, "LinkedIn Member", None, True),
        (5, "to", OWNER_URL, "Sam Owner", None, True),
    ]
    assert frame.get_column("channel").unique().to_list() == ["linkedin_message"]
    assert frame.get_column("source").unique().to_list() == ["linkedin"]
    assert frame.get_column("thread_id").to_list()[::2][:4] == [
        "2-ZmFrZS1jb252LTAwMQ==",
        "2-ZmFrZS1jb252LTAwMQ==",
        "2-ZmFrZS1jb252LTAwMg==",
        "2-ZmFrZS1jb252LTAwMw==",
    ]
    first = digest(
        "2-ZmFrZS1jb252LTAwMQ==",
        "2025-06-01 14:03:22 UTC",
        MARA_URL,
        "Great meeting you at the meetup, coffee next week?",
    )
    assert frame.get_column("message_id").to_list()[:2] == [first, first]
    assert frame.get_column("message_id").n_unique() == 5
    assert [(i.row, i.source_file) for i in result.issues] == [(5, "messages_2023.csv")]


def test_messages_2026_all_quoted_with_newlines_and_drafts_dropped() -> None:
    frame = parse(LinkedInMessages(), "messages.csv").interactions
    ines = IN + "ines-talvik-09b1"
    assert rows(frame, *MESSAGE_COLUMNS) == [
        (1, "from", ines, "Ines Talvik", utc(2026, 2, 1, 10), False),
        (1, "to", OWNER_URL, "Sam Owner", utc(2026, 2, 1, 10), False),
        # row 2 is a draft (IS MESSAGE DRAFT = Yes): dropped
        (3, "from", OWNER_URL, "Sam Owner", utc(2026, 2, 1, 12), False),
        (3, "to", ines, "Ines Talvik", utc(2026, 2, 1, 12), False),
    ]
    content = "Line one,\nline two\n\nline four"
    expected = digest("2-bmV3LWNvbnY=", "2026-02-01 10:00:00 UTC", ines, content)
    assert frame.get_column("message_id")[0] == expected


def test_messages_2021_without_recipient_urls_keep_the_to_name() -> None:
    frame = parse(LinkedInMessages(), "messages_2021.csv").interactions
    when = utc(2021, 3, 4, 5, 6, 7)
    assert rows(frame, *MESSAGE_COLUMNS) == [
        (1, "from", IN + "dariopell", "Dario Pell", when, False),
        (1, "to", None, "Sam Owner", when, False),
    ]


def test_messages_without_a_sender_url_column_are_not_bulk() -> None:
    """A header lacking SENDER PROFILE URL says nothing about sponsored senders."""
    frame = parse(LinkedInMessages(), "messages_no_urls.csv").interactions
    when = utc(2020, 1, 2, 3, 4, 5)
    assert rows(frame, *MESSAGE_COLUMNS) == [
        (1, "from", None, "Dario Pell", when, False),
        (1, "to", None, "Sam Owner", when, False),
    ]


def test_message_id_is_the_same_in_a_re_saved_copy(tmp_path: Path) -> None:
    """Basic and Complete archives (or an Excel re-save) must give the same ids."""
    original = FIXTURES / "messages.csv"
    copy = tmp_path / "messages.csv"
    copy.write_bytes(b"\xef\xbb\xbf" + original.read_bytes().replace(b"\n", b"\r\n"))
    first = LinkedInMessages().parse(ExportFile(original)).interactions
    second = LinkedInMessages().parse(ExportFile(copy)).interactions
    assert first.get_column("message_id").to_list() == second.get_column("message_id").to_list()


def test_header_only_sibling_gives_an_empty_result() -> None:
    result = parse(LinkedInMessages(), "guide_messages.csv")
    assert result.interactions.is_empty() and result.records.is_empty()
    assert result.issues == []


def test_a_file_without_the_header_is_a_format_error_naming_it() -> None:
    with pytest.raises(FormatError, match=r"Profile\.csv: expected a LinkedIn messages header"):
        LinkedInMessages().parse(ExportFile(FIXTURES / "Profile.csv"))


# ----------------------------------------------------------------- Invitations.csv

INVITATION_COLUMNS = ("source_row", "role", "linkedin_url", "name", "occurred_at")


def test_invitations_with_urls_and_owner_url() -> None:
    result = parse(LinkedInInvitations(), "Invitations.csv")
    assert rows(result.interactions, *INVITATION_COLUMNS) == [
        (1, "from", OWNER_URL, "Sam Owner", utc(2026, 1, 29, 14, 37)),
        (1, "to", IN + "ines-talvik-09b1", "Ines Talvik", utc(2026, 1, 29, 14, 37)),
        (2, "from", IN + "dariopell", "Dario Pell", utc(2026, 2, 3, 10, 5)),
        (2, "to", OWNER_URL, "Sam Owner", utc(2026, 2, 3, 10, 5)),
    ]  # fmt: skip
    frame = result.interactions
    assert frame.get_column("channel").unique().to_list() == ["linkedin_invitation"]
    assert frame.get_column("is_bulk").to_list() == [False] * 4
    assert frame.get_column("message_id").n_unique() == 2
    # OUTGOING inviter and INCOMING invitee are both the owner: one URL, once
    assert rows(result.owner, "source", "kind", "value") == [
        ("linkedin", "linkedin_url", OWNER_URL)
    ]


def test_invitations_before_late_2023_have_names_only() -> None:
    result = parse(LinkedInInvitations(), "Invitations_2022.csv")
    assert rows(result.interactions, *INVITATION_COLUMNS) == [
        (1, "from", None, "Sam Owner", utc(2022, 11, 7, 9, 15)),
        (1, "to", None, "Ada Vexley", utc(2022, 11, 7, 9, 15)),
        (2, "from", None, "Kofi Brand", utc(2022, 12, 25, 0, 0)),  # 12:00 AM is midnight
        (2, "to", None, "Sam Owner", utc(2022, 12, 25, 0, 0)),
    ]  # fmt: skip
    assert result.owner.is_empty()


# ----------------------------------------------------------------- the owner's files


def test_profile_gives_owner_name_handles_and_an_owner_record() -> None:
    result = parse(LinkedInProfile(), "Profile.csv")
    assert rows(result.owner, "source", "kind", "value") == [
        ("linkedin", "name", "Sam Owner"),
        ("linkedin", "x_handle", "sam_owner_x"),
        ("linkedin", "x_handle", "sam_alt"),
    ]
    columns = ("source_file", "source_row", "kind", "channel", "full_name", "first_name")
    assert rows(result.records, *columns) == [
        ("Profile.csv", 1, "owner", "linkedin_profile", "Sam Owner", "Sam")
    ]
    more = ("last_name", "title", "location", "birthday", "x_handle", "urls")
    assert rows(result.records, *more) == [
        (
            "Owner",
            "Head of Data at Example Co",
            "Berlin, Germany",
            "Apr 9, 1988",
            "sam_owner_x",
            ["https://sam.example.org", "https://blog.example.org/sam"],
        )
    ]


def test_email_addresses_are_owner_emails_and_owner_records() -> None:
    result = parse(LinkedInEmailAddresses(), "Email Addresses.csv")
    assert rows(result.owner, "kind", "value") == [
        ("email", "sam.owner@example.org"),
        ("email", "sam.old@example.net"),
    ]
    assert rows(result.records, "source_row", "kind", "channel", "emails") == [
        (1, "owner", "linkedin_email_address", ["sam.owner@example.org"]),
        (2, "owner", "linkedin_email_address", ["sam.old@example.net"]),
    ]


def test_phone_numbers_are_owner_phones_and_owner_records() -> None:
    result = parse(LinkedInPhoneNumbers(), "PhoneNumbers.csv")
    assert rows(result.owner, "kind", "value") == [
        ("phone", "+49 30 5550 1234"),
        ("phone", "+1 555 0100"),
    ]
    assert rows(result.records, "source_row", "kind", "channel", "phones") == [
        (1, "owner", "linkedin_phone_number", ["+49 30 5550 1234"]),
        (2, "owner", "linkedin_phone_number", ["+1 555 0100"]),
    ]
    assert '"extension":"12"' in result.records.get_column("raw")[1]


def test_whatsapp_numbers_are_owner_phones_too() -> None:
    result = parse(LinkedInPhoneNumbers(), "Whatsapp Phone Numbers.csv")
    assert rows(result.owner, "kind", "value") == [("phone", "+49 30 5550 1234")]
    assert rows(result.records, "source_row", "kind", "phones") == [
        (1, "owner", ["+49 30 5550 1234"])
    ]


# ----------------------------------------------------------------- address-book uploads

CONTACT_COLUMNS = (
    "source_row",
    "kind",
    "channel",
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
)


def test_imported_contacts_split_multi_values_defensively() -> None:
    result = parse(LinkedInImportedContacts(), "ImportedContacts.csv")
    channel = "linkedin_imported_contact"
    assert rows(result.records, *CONTACT_COLUMNS) == [
        (1, "contact", channel, None, "Ines", None, "Talvik", None,
         ["ines.talvik@example.com"], ["+372 5550 1212"], None, None, "Tallinn"),
        (2, "contact", channel, None, "Kofi", "Ama", "Brand", "Kof",
         ["kofi@example.com", "kofi.b@example.net", "kb@example.org"],
         ["+1 555 0101", "+1 555 0102", "(555) 0103"], None, "CTO", None),
        (3, "contact", channel, None, None, None, None, None, [], [], None, None, None),
    ]  # fmt: skip
    assert result.owner.is_empty()


def test_contacts_csv_uses_fullname_and_companies() -> None:
    result = parse(LinkedInImportedContacts(), "Contacts.csv")
    assert rows(result.records, *CONTACT_COLUMNS) == [
        (1, "contact", "linkedin_imported_contact", "Dario Pell", "Dario", None, "Pell", None,
         ["dario@example.com", "dario.p@example.net"], ["+44 20 5550 0199"], "Pell & Co",
         "Founder", "London"),
    ]  # fmt: skip


# ----------------------------------------------------------------- zip members


def test_zip_members_parse_like_loose_files(tmp_path: Path) -> None:
    archive = tmp_path / "Complete_LinkedInDataExport_02-08-2026.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name in ("Connections.csv", "messages.csv", "Invitations.csv"):
            zipped.write(FIXTURES / name, name)
        zipped.write(FIXTURES / "guide_messages.csv", "Guides/guide_messages.csv")
    for member, connector in [
        ("Connections.csv", LinkedInConnections()),
        ("messages.csv", LinkedInMessages()),
        ("Invitations.csv", LinkedInInvitations()),
        ("Guides/guide_messages.csv", LinkedInMessages()),
    ]:
        file = ExportFile(archive, member)
        assert detect(file, decode(file.head())) is not None
        zipped_result = connector.parse(file)
        loose = connector.parse(ExportFile(FIXTURES / Path(member).name))
        for frame, expected in [
            (zipped_result.records, loose.records),
            (zipped_result.interactions, loose.interactions),
            (zipped_result.owner, loose.owner),
        ]:
            assert frame.equals(expected)
    messages = LinkedInMessages().parse(ExportFile(archive, "messages.csv")).interactions
    assert messages.get_column("source_file").unique().to_list() == ["messages.csv"]
