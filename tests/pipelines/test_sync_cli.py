"""End to end: the real CLI runs the real Prefect flow into a real DuckDB file."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, KithRunner, SyncedSample, query


@pytest.fixture(scope="module")
def synced(synced_sample: SyncedSample) -> tuple[Path, str, str]:
    return synced_sample.db, synced_sample.stdout, synced_sample.stderr


def test_sync_prints_summary_and_a_clean_console(synced: tuple[Path, str, str]) -> None:
    _, stdout, stderr = synced
    assert "kith sync succeeded" in stdout
    # not a terminal: one plain line per stage, before the summary
    stage_lines = [
        line.split(":")[0] for line in stdout.splitlines() if " in " in line and line.endswith(" s")
    ]
    assert stage_lines[:4] == ["discover", "parse", "resolve", "load"]
    assert "\r" not in stdout
    assert "people" in stdout and "merges" in stdout
    assert "Traceback" not in stderr and "Traceback" not in stdout
    assert "@" not in stdout + stderr  # no e-mail address is ever printed


def test_every_record_appears_once_in_person_sources(synced: tuple[Path, str, str]) -> None:
    db, _, _ = synced
    total, distinct = query(
        db, "select count(*), count(distinct (file_sha256, source_row)) from person_sources"
    )[0]
    assert total == distinct == query(db, "select count(*) from records")[0][0]
    # LinkedIn's date-only rows are records, never people
    hidden = query(
        db, "select count(*), count(person_id) from person_sources where kind = 'hidden'"
    )[0]
    assert hidden == (2, 0)
    files = {row[0] for row in query(db, "select distinct source_file from person_sources")}
    assert "Connections.csv" in files and "google_contacts.csv" in files


def test_cross_source_duplicates_merge_and_people_match_sources(
    synced: tuple[Path, str, str],
) -> None:
    db, _, _ = synced
    multi_source = query(db, "select count(*) from people where len(sources) > 1")[0][0]
    assert multi_source > 10
    orphan = query(
        db,
        "select count(*) from person_sources s left join people p using (person_id) "
        "where s.person_id is not null and p.person_id is null",
    )[0][0]
    assert orphan == 0
    assert (
        query(db, "select count(*) from relationships")[0][0]
        == query(db, "select count(*) from people")[0][0]
    )
    # the owner is never a person in their own network
    assert query(db, "select count(*) from people where display_name = 'Sam Owner'")[0][0] == 0


def test_database_is_owner_only(synced: tuple[Path, str, str]) -> None:
    db, _, _ = synced
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_second_sync_skips_unchanged_files_and_keeps_ids(
    synced: tuple[Path, str, str], kith: KithRunner, tmp_path: Path
) -> None:
    db, _, _ = synced
    copy = tmp_path / "again.duckdb"
    shutil.copy(db, copy)
    before = query(copy, "select * from people order by person_id")
    done = kith("sync", str(SAMPLE), "--db", str(copy), "--quiet")
    assert done.returncode == 0, done.stderr
    assert " 0 file(s) read" in done.stdout
    assert not any(line.startswith(("discover:", "parse:")) for line in done.stdout.splitlines())
    assert query(copy, "select * from people order by person_id") == before
    assert query(copy, "select count(*) from sync_runs")[0][0] == 2


def test_kith_sql_formats_and_refuses_writes(
    synced: tuple[Path, str, str], kith: KithRunner
) -> None:
    db, _, _ = synced
    csv_out = kith(
        "sql",
        "select source, count(*) as n from person_sources group by 1 order by 1",
        "--db",
        str(db),
        "--format",
        "csv",
    )
    assert csv_out.returncode == 0, csv_out.stderr
    lines = csv_out.stdout.strip().splitlines()
    assert lines[0] == "source,n" and len(lines) >= 4
    as_json = kith("sql", "select 1 as one", "--db", str(db), "--format", "json")
    assert json.loads(as_json.stdout) == [{"one": 1}]
    refused = kith("sql", "delete from people", "--db", str(db))
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    bad = kith("sql", "selec nothing", "--db", str(db))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr


@pytest.mark.parametrize("case", ["missing", "empty", "unrecognised"])
def test_bad_input_is_one_line_and_leaves_the_database_untouched(
    case: str, synced: tuple[Path, str, str], kith: KithRunner, tmp_path: Path
) -> None:
    db, _, _ = synced
    copy = tmp_path / "keep.duckdb"
    shutil.copy(db, copy)
    before = copy.read_bytes()
    target = tmp_path / "input"
    if case != "missing":
        target.mkdir()
    if case == "unrecognised":
        (target / "notes.csv").write_bytes(b"\x00\x01\x02 random bytes, not an export\n")
    done = kith("sync", str(target), "--db", str(copy))
    assert done.returncode == 1
    assert str(target) in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr + done.stdout
    assert copy.read_bytes() == before
