"""``kith sql`` output formats on every table and view and on nested/odd DuckDB types."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest

from pipelines import warehouse
from pipelines.query import format_result, run_read_only
from tests.conftest import KithRunner

ODD_TYPES = (
    "select {'a': 1, 'b': ['x', 'y']} as s, [[1, 2], [3]] as ll, map {'k': 1} as m, "
    "1.50::decimal(5, 2) as d, interval 1 day as i, [interval 2 hours] as li, "
    "'00000000-0000-0000-0000-000000000001'::uuid as u, 123::hugeint as h, '\\x01'::blob as b, "
    "[{'x': 1}] as ls, ['a', null, 'c'] as sl, timestamptz '2024-01-01 00:00:00+00' as ts, "
    "null::varchar as n"
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("query") / "kith.duckdb"

    def build(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(
            "insert into people (person_id, display_name, emails, sources) values "
            "('p_1', 'Mara Q', ['m@example.com', 'q@example.org'], ['google', 'vcard'])"
        )
        con.execute(
            "insert into sync_runs (run_id, started_at, status, errors) values "
            "('r1', now(), 'succeeded', [{'file': 'f.csv', 'row': 3, 'message': 'bad'}])"
        )

    warehouse.write_snapshot(path, build)
    return path


def relations(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select table_name from duckdb_tables() union "
            "select view_name from duckdb_views() where not internal and schema_name = 'main'"
        ).fetchall()
    finally:
        con.close()
    return sorted(row[0] for row in rows)


def test_every_table_and_view_in_every_format(db: Path) -> None:
    names = relations(db)
    assert {"people", "relationships", "sync_runs", "match_links"} <= set(names)
    for name in names:
        frame = run_read_only(db, f"select * from {name}")
        for output in ("table", "csv", "json"):
            assert format_result(frame, output)


def test_csv_flattens_lists_and_structs(db: Path) -> None:
    people = list(
        csv.DictReader(io.StringIO(format_result(run_read_only(db, "from people"), "csv")))
    )
    assert people[0]["emails"] == "m@example.com; q@example.org"
    runs = list(
        csv.DictReader(io.StringIO(format_result(run_read_only(db, "from sync_runs"), "csv")))
    )
    assert json.loads(runs[0]["errors"]) == [{"file": "f.csv", "row": 3, "message": "bad"}]
    odd = next(csv.DictReader(io.StringIO(format_result(run_read_only(db, ODD_TYPES), "csv"))))
    assert json.loads(odd["s"]) == {"a": 1, "b": ["x", "y"]}
    assert json.loads(odd["ll"]) == [[1, 2], [3]] and json.loads(odd["m"]) == {"k": 1}
    assert odd["sl"] == "a; c" and odd["d"] == "1.50" and odd["b"] == "01"
    assert odd["i"] == "0 months 1 days 0 seconds" and odd["n"] == ""


def test_json_keeps_nesting(db: Path) -> None:
    rows = json.loads(format_result(run_read_only(db, ODD_TYPES), "json"))
    assert rows[0]["s"] == {"a": 1, "b": ["x", "y"]} and rows[0]["ls"] == [{"x": 1}]
    assert rows[0]["sl"] == ["a", None, "c"] and rows[0]["ts"].startswith("2024-01-01T00:00:00")
    errors = json.loads(format_result(run_read_only(db, "select errors from sync_runs"), "json"))
    assert errors[0]["errors"][0]["row"] == 3


def test_cli_formats_and_refusals(kith: KithRunner, db: Path) -> None:
    done = kith("sql", "select person_id, emails from people", "--db", str(db), "--format", "json")
    assert done.returncode == 0 and json.loads(done.stdout)[0]["person_id"] == "p_1"
    refused = kith("sql", "select 1; drop table people", "--db", str(db))
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
