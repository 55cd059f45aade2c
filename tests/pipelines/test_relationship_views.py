"""The views in sql/views on an in-memory DuckDB: schema and views applied, a few rows inserted.

Dates are relative to today because the views talk about "now" (current_date).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import duckdb
import polars as pl
import pytest

from pipelines import warehouse

TODAY = date.today()


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(":memory:")
    warehouse.apply_ddl(connection)
    warehouse.create_views(connection)
    yield connection
    connection.close()


def add_person(
    con: duckdb.DuckDBPyConnection,
    person_id: str,
    company: str | None = None,
    title: str | None = None,
    **relationship: object,
) -> None:
    con.execute(
        "insert into people (person_id, display_name, company, title) values ($1, $2, $3, $4)",
        [person_id, f"Person {person_id}", company, title],
    )
    values = {"person_id": person_id, "first_seen_on": days_ago(400), **relationship}
    con.register("incoming", pl.DataFrame([values]).to_arrow())
    con.execute("insert into relationships by name select * from incoming")
    con.unregister("incoming")


def ids(con: duckdb.DuckDBPyConnection, query: str) -> list[str]:
    return [row[0] for row in con.execute(query).fetchall()]


def test_people_at_company_finds_by_company_with_strength(con: duckdb.DuckDBPyConnection) -> None:
    add_person(con, "p_1", "Acme Corp", "Engineer", strength=0.3, tier="weak")
    add_person(con, "p_2", "ACME Labs", "CTO", strength=0.7, tier="strong")
    add_person(con, "p_3", "Globex", "Analyst", strength=0.9, tier="strong")
    add_person(con, "p_4", "  ", None, strength=0.5, tier="regular")  # blank company
    rows = con.execute(
        "select person_id, company, title, strength, tier from people_at_company "
        "where company ilike '%acme%'"
    ).fetchall()
    assert rows == [
        ("p_2", "ACME Labs", "CTO", 0.7, "strong"),
        ("p_1", "Acme Corp", "Engineer", 0.3, "weak"),
    ]
    assert ids(con, "select person_id from people_at_company") == ["p_2", "p_1", "p_3"]


def test_reconnect_list_is_quiet_strong_or_regular_ties_by_strength(
    con: duckdb.DuckDBPyConnection,
) -> None:
    old = datetime.combine(days_ago(400), datetime.min.time())
    recent = datetime.combine(days_ago(10), datetime.min.time())
    add_person(con, "p_1", strength=0.50, tier="regular", last_interaction_at=old)
    add_person(con, "p_2", strength=0.80, tier="strong", last_interaction_at=old)
    add_person(con, "p_3", strength=0.90, tier="strong", last_interaction_at=recent)
    add_person(con, "p_4", strength=0.30, tier="dormant", last_interaction_at=old)
    add_person(con, "p_5", strength=0.60, tier="strong", last_interaction_at=None)
    assert ids(con, "select person_id from reconnect_list") == ["p_2", "p_1"]
    assert con.execute("select distinct days_quiet from reconnect_list").fetchall() == [(400,)]


def test_recent_connections_last_90_days(con: duckdb.DuckDBPyConnection) -> None:
    add_person(con, "p_old", connected_on=days_ago(200))
    add_person(con, "p_new", connected_on=days_ago(5))
    add_person(
        con,
        "p_msg",
        first_interaction_at=datetime.combine(days_ago(30), datetime.min.time()),
    )
    # seen in a later sync than the first one (the first sync saw everyone: not news)
    add_person(con, "p_seen", first_seen_on=days_ago(20))
    add_person(con, "p_first_sync", first_seen_on=days_ago(60))
    con.execute(
        "update relationships set first_seen_on = $1 where person_id <> 'p_seen'", [days_ago(60)]
    )
    rows = con.execute("select person_id, arrived_by from recent_connections").fetchall()
    assert rows == [
        ("p_new", "linkedin_connection"),
        ("p_seen", "new_in_exports"),
        ("p_msg", "first_message"),
    ]


def test_multi_channel_people_two_platforms_or_more(con: duckdb.DuckDBPyConnection) -> None:
    add_person(con, "p_1", platforms=["linkedin", "x"], platform_count=2, strength=0.2)
    add_person(
        con,
        "p_2",
        platforms=["address_book", "email", "linkedin"],
        platform_count=3,
        strength=0.1,
    )
    add_person(con, "p_3", platforms=["linkedin"], platform_count=1, strength=0.9)
    assert ids(con, "select person_id from multi_channel_people") == ["p_2", "p_1"]


def add_export(con: duckdb.DuckDBPyConnection, sha: str, exported: str) -> None:
    con.execute(
        "insert into source_files (sha256, source_file, locator, connector, source, exported_at, "
        "status) values ($1, 'Connections.csv', $1, 'linkedin_connections', 'linkedin', $2, "
        "'active')",
        [sha, datetime.fromisoformat(exported)],
    )


def add_record(
    con: duckdb.DuckDBPyConnection,
    sha: str,
    row: int,
    url: str,
    company: str | None,
    title: str | None,
    person_id: str,
    channel: str = "linkedin_connection",
) -> None:
    record_id = f"{sha}:{row}"
    con.execute(
        "insert into records (record_id, file_sha256, source, source_file, source_row, kind, "
        "channel, linkedin_url, company, title) values ($1, $2, 'linkedin', 'Connections.csv', "
        "$3, 'contact', $4, $5, $6, $7)",
        [record_id, sha, row, channel, url, company, title],
    )
    con.execute(
        "insert into person_sources (person_id, record_id, source, source_file, source_row, kind) "
        "values ($1, $2, 'linkedin', 'Connections.csv', $3, 'contact')",
        [person_id, record_id, row],
    )


def test_job_changes_between_two_linkedin_exports(con: duckdb.DuckDBPyConnection) -> None:
    add_person(con, "p_x")
    add_person(con, "p_y")
    add_person(con, "p_z")
    add_person(con, "p_w")
    add_export(con, "old", "2025-01-01T00:00:00+00:00")
    add_export(con, "new", "2025-06-01T00:00:00+00:00")
    # the newer file is listed first: order comes from exported_at, not insertion
    add_record(con, "new", 1, "https://www.linkedin.com/in/xavier", "Globex", "Engineer", "p_x")
    add_record(con, "new", 2, "https://www.linkedin.com/in/yara", "Initech", "Analyst", "p_y")
    # the same profile written differently, title changed
    add_record(con, "new", 3, "http://LinkedIn.com/in/Zoe/", "Hooli", "Head of Data", "p_z")
    add_record(con, "new", 4, "https://www.linkedin.com/in/wes", "Umbrella", "CEO", "p_w")
    add_record(con, "old", 1, "https://www.linkedin.com/in/xavier", "Acme", "Engineer", "p_x")
    add_record(con, "old", 2, "https://www.linkedin.com/in/yara", "initech", "Analyst", "p_y")
    add_record(con, "old", 3, "https://www.linkedin.com/in/zoe", "Hooli", "Data Lead", "p_z")
    # an address-book row with a LinkedIn URL is not a Connections export
    add_record(
        con, "old", 4, "https://www.linkedin.com/in/wes", "Old Co", "CEO", "p_w", "address_book"
    )
    rows = con.execute(
        "select person_id, display_name, previous_company, company, previous_title, title, "
        "company_changed, title_changed, previous_exported_at::date, exported_at::date "
        "from job_changes order by person_id"
    ).fetchall()
    assert rows == [
        ("p_x", "Person p_x", "Acme", "Globex", "Engineer", "Engineer", True, False,
         date(2025, 1, 1), date(2025, 6, 1)),
        ("p_z", "Person p_z", "Hooli", "Hooli", "Data Lead", "Head of Data", False, True,
         date(2025, 1, 1), date(2025, 6, 1)),
    ]  # fmt: skip


def test_job_changes_empty_with_one_export(con: duckdb.DuckDBPyConnection) -> None:
    add_person(con, "p_x")
    add_export(con, "only", "2025-01-01T00:00:00+00:00")
    add_record(con, "only", 1, "https://www.linkedin.com/in/xavier", "Acme", "Engineer", "p_x")
    assert ids(con, "select person_id from job_changes") == []
