"""relationships: channels, counts, as_of, strength components, tiers and overrides.

Hand-built frames; every expected number is worked out from the README formula below, with the
published constants written out (not imported), so a change of weights fails here.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from connectors.base import INTERACTION_SCHEMA
from pipelines.transforms.relationships import build_relationships, strength_overrides_by_person

AS_OF = date(2025, 7, 1)  # the bulk newsletter below is the latest date in the data


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def people_records() -> pl.DataFrame:
    rows = [
        # person, source, channel, connected_on, is_current
        ("p_a", "google", "address_book", None, True),
        ("p_a", "linkedin", "linkedin_connection", date(2025, 1, 1), True),
        ("p_b", "x", "x_follower", None, True),
        ("p_b", "x", "x_following", None, True),
        ("p_c", "vcard", "address_book", None, True),
        # C was a connection in an older export only: no longer one
        ("p_c", "linkedin", "linkedin_connection", date(2020, 5, 5), False),
        ("p_d", "outlook", "address_book", None, True),
    ]
    return pl.DataFrame(
        [(*row[:4], at("2025-07-02"), row[4]) for row in rows],
        schema={
            "person_id": pl.String,
            "source": pl.String,
            "channel": pl.String,
            "connected_on": pl.Date,
            "first_seen_at": pl.Datetime("us", "UTC"),
            "is_current": pl.Boolean,
        },
        orient="row",
    )


def interaction(
    channel: str,
    message_id: str,
    thread: str,
    day: str,
    role: str,
    person: str | None,
    is_owner: bool = False,
    bulk: bool = False,
) -> dict[str, object]:
    return {
        "source": "gmail",
        "source_file": "mail.mbox",
        "source_row": 1,
        "channel": channel,
        "message_id": message_id,
        "thread_id": thread,
        "occurred_at": at(day),
        "role": role,
        "email": f"{person or 'owner'}@example.org",
        "linkedin_url": None,
        "x_account_id": None,
        "name": None,
        "is_bulk": bulk,
        "person_id": person,
        "is_owner": is_owner,
    }


def attributed() -> pl.DataFrame:
    rows = [
        # owner -> A (To), 30 days before as_of
        interaction("email", "m1", "e1", "2025-06-01T10:00:00", "from", None, is_owner=True),
        interaction("email", "m1", "e1", "2025-06-01T10:00:00", "to", "p_a"),
        # the same message again from an overlapping mbox: counts once
        interaction("email", "m1", "e1", "2025-06-01T10:00:00", "from", None, is_owner=True),
        interaction("email", "m1", "e1", "2025-06-01T10:00:00", "to", "p_a"),
        # owner -> B (To), A in Cc: 21 days
        interaction("email", "m2", "e2", "2025-06-10T09:00:00", "from", None, is_owner=True),
        interaction("email", "m2", "e2", "2025-06-10T09:00:00", "to", "p_b"),
        interaction("email", "m2", "e2", "2025-06-10T09:00:00", "cc", "p_a"),
        # A -> owner, same thread as m1: 26 days
        interaction("email", "m3", "e1", "2025-06-05T08:00:00", "from", "p_a"),
        interaction("email", "m3", "e1", "2025-06-05T08:00:00", "to", None, is_owner=True),
        # A -> owner on LinkedIn: 11 days
        interaction("linkedin_message", "l1", "t1", "2025-06-20T12:00:00", "from", "p_a"),
        interaction("linkedin_message", "l1", "t1", "2025-06-20T12:00:00", "to", None, True),
        # a newsletter from A's address: never counts, but its date is the exports' as_of
        interaction("email", "m4", "", "2025-07-01T06:00:00", "from", "p_a", bulk=True),
        interaction("email", "m4", "", "2025-07-01T06:00:00", "to", None, True, bulk=True),
        # owner -> owner: self-addressed, ignored
        interaction("email", "m5", "e5", "2025-06-15T06:00:00", "from", None, is_owner=True),
        interaction("email", "m5", "e5", "2025-06-15T06:00:00", "to", None, is_owner=True),
        # D -> owner once, 547 days before as_of
        interaction("email", "m6", "e6", "2024-01-01T07:00:00", "from", "p_d"),
        interaction("email", "m6", "e6", "2024-01-01T07:00:00", "to", None, is_owner=True),
    ]
    schema = pl.Schema(
        [*INTERACTION_SCHEMA.items(), ("person_id", pl.String()), ("is_owner", pl.Boolean())]
    )
    return pl.DataFrame(rows, schema=schema)


def by_person(frame: pl.DataFrame) -> dict[str, dict[str, object]]:
    return {row["person_id"]: row for row in frame.iter_rows(named=True)}


def strength(frequency: float, recency: float, reciprocity: float, channels: float) -> float:
    return 0.30 * frequency + 0.35 * recency + 0.15 * reciprocity + 0.20 * channels


def test_channels_counts_and_dates() -> None:
    rows = by_person(build_relationships(people_records(), attributed()))
    a = rows["p_a"]
    assert a["channels"] == [
        "address_book:google",
        "email",
        "linkedin_connection",
        "linkedin_message",
    ]
    assert a["platforms"] == ["address_book", "email", "linkedin"]
    assert a["platform_count"] == 3
    assert (a["is_linkedin_connection"], a["in_address_book"], a["is_x_follower"]) == (
        True,
        True,
        False,
    )
    assert a["connected_on"] == date(2025, 1, 1)
    # To and Cc both count as sent; the duplicate m1 and the bulk m4 do not count
    assert (a["emails_sent"], a["emails_received"]) == (2, 1)
    assert (a["linkedin_messages_sent"], a["linkedin_messages_received"]) == (0, 1)
    assert (a["messages_sent"], a["messages_received"]) == (2, 2)
    assert (a["email_threads"], a["linkedin_threads"], a["x_dm_threads"]) == (2, 1, 0)
    assert a["active_months"] == 1
    assert a["first_interaction_at"] == at("2025-06-01T10:00:00")
    assert a["last_interaction_at"] == at("2025-06-20T12:00:00")
    assert a["days_since_last_interaction"] == 11
    assert a["as_of"] == AS_OF

    b = rows["p_b"]
    assert b["channels"] == ["email", "x_follower", "x_following"]
    assert (b["is_x_follower"], b["is_x_following"], b["in_address_book"]) == (True, True, False)
    assert (b["emails_sent"], b["emails_received"]) == (1, 0)

    c = rows["p_c"]  # the old connection no longer counts
    assert c["channels"] == ["address_book:vcard"]
    assert c["is_linkedin_connection"] is False and c["connected_on"] is None
    assert c["last_interaction_at"] is None and c["days_since_last_interaction"] is None
    assert c["messages_sent"] == c["messages_received"] == 0


def test_strength_components_tiers_by_hand() -> None:
    rows = by_person(build_relationships(people_records(), attributed()))

    a = rows["p_a"]
    decayed = sum(math.exp(-days / 180) for days in (30, 21, 26, 11))  # 3.5426
    expected_a = {
        "strength_frequency": math.log(5) / math.log(51),  # 4 messages: 0.4093
        "strength_recency": math.log(1 + decayed) / math.log(11),  # 0.6312
        "strength_reciprocity": 2 / (2 + 1),
        "strength_channels": 4 / 4,  # address book, e-mail, connection, LinkedIn message
    }
    for column, value in expected_a.items():
        assert a[column] == pytest.approx(value, abs=5e-5), column
    assert a["strength"] == pytest.approx(strength(*expected_a.values()), abs=2e-4)  # 0.6437
    assert a["tier"] == "strong" and a["strength_source"] == "computed"

    b = rows["p_b"]  # one e-mail sent 21 days ago, mutual X follow
    expected_b = strength(
        math.log(2) / math.log(51), math.log(1 + math.exp(-21 / 180)) / math.log(11), 0, 3 / 4
    )
    assert b["strength_reciprocity"] == 0
    assert b["strength"] == pytest.approx(expected_b, abs=2e-4)  # 0.2958
    assert b["tier"] == "weak"

    c = rows["p_c"]  # a vCard entry and nothing else
    assert c["strength"] == pytest.approx(0.20 * 1 / 4)
    assert c["tier"] == "weak"

    d = rows["p_d"]  # one e-mail received 547 days before as_of: gone quiet
    expected_d = strength(
        math.log(2) / math.log(51), math.log(1 + math.exp(-547 / 180)) / math.log(11), 0, 2 / 4
    )
    assert d["strength"] == pytest.approx(expected_d, abs=2e-4)  # 0.1597
    assert d["days_since_last_interaction"] == 547
    assert d["tier"] == "dormant"


def test_overrides_replace_strength_last_one_wins_and_clamp() -> None:
    overrides = pl.DataFrame(
        {"person_id": ["p_b", "p_c", "p_b", "p_nobody"], "strength": [0.2, -0.3, 0.9, 0.5]}
    )
    rows = by_person(build_relationships(people_records(), attributed(), overrides))
    assert (rows["p_b"]["strength"], rows["p_b"]["strength_source"]) == (0.9, "override")
    assert rows["p_b"]["tier"] == "strong"
    assert rows["p_b"]["strength_computed"] == pytest.approx(0.2958, abs=1e-4)
    assert (rows["p_c"]["strength"], rows["p_c"]["tier"]) == (0.0, "weak")
    assert rows["p_a"]["strength_source"] == "computed"
    assert "p_nobody" not in rows


def test_same_inputs_in_any_order_give_identical_rows() -> None:
    first = build_relationships(people_records(), attributed())
    shuffled = build_relationships(
        people_records().sample(fraction=1.0, shuffle=True, seed=7),
        attributed().sample(fraction=1.0, shuffle=True, seed=11),
    )
    assert_frame_equal(first, shuffled)
    assert first["person_id"].to_list() == ["p_a", "p_b", "p_c", "p_d"]


def test_no_dates_at_all_gives_null_as_of_and_static_strength() -> None:
    empty = attributed().clear()
    records = people_records().with_columns(pl.lit(None, pl.Date).alias("connected_on"))
    rows = by_person(build_relationships(records, empty))
    assert rows["p_a"]["as_of"] is None
    assert rows["p_a"]["strength_recency"] == 0
    assert rows["p_a"]["strength"] == pytest.approx(0.20 * 2 / 4)  # address book + connection
    assert rows["p_a"]["tier"] == "weak"


def test_strength_overrides_resolve_identifiers_through_keys() -> None:
    identity = pl.DataFrame(
        {
            "kind": ["email", "linkedin", "email"],
            "key": ["janedoe@gmail.com", "in/jane-doe", "kim@example.org"],
            "person_id": ["p_0000000000aa", "p_0000000000aa", "p_0000000000bb"],
        }
    )
    people = ["p_0000000000aa", "p_0000000000bb", "p_0000000000cc"]
    pairs = [
        ("Jane.Doe+news@GMAIL.com", 0.4),  # gmail dots, +tag and case fold to the key
        ("https://www.linkedin.com/in/Jane-Doe/", 0.7),
        ("p_0000000000cc", 0.1),  # a person id with no identifier keys
        ("p_0000000000dd", 0.3),  # an id from nobody
        ("someone-else@example.org", 0.8),  # names nobody
    ]
    frame = strength_overrides_by_person(pairs, identity, people, "US")
    assert frame.rows() == [
        ("p_0000000000aa", 0.4),
        ("p_0000000000aa", 0.7),
        ("p_0000000000cc", 0.1),
    ]
