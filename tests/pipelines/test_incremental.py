"""A newer export of the same source supersedes the older one: who disappeared is marked with
when they were last seen, job changes are reported, and --dry-run writes nothing."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import KithRunner, query

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
ROWS = {
    "ada": "Ada,Quell,https://www.linkedin.com/in/ada-quell,,Northgate Analytics,Engineer,01 Feb 2024\n",
    "bo": "Bo,Strand,https://www.linkedin.com/in/bo-strand,,Lumen Works,Designer,02 Mar 2024\n",
    "cy": "Cy,Vantor,https://www.linkedin.com/in/cy-vantor,,Acme Robotics,CTO,03 Apr 2024\n",
}


def write_export(folder: Path, rows: list[str], mtime: int) -> None:
    path = folder / "Connections.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    os.utime(path, (mtime, mtime))


def test_newer_export_supersedes_and_reports(kith: KithRunner, tmp_path: Path) -> None:
    folder = tmp_path / "linkedin"
    folder.mkdir()
    db = tmp_path / "kith.duckdb"
    write_export(folder, [ROWS["ada"], ROWS["bo"], ROWS["cy"]], mtime=1_700_000_000)
    first = kith("sync", str(folder), "--db", str(db))
    assert first.returncode == 0, first.stderr
    ids = dict(query(db, "select last_name, person_id from people"))
    assert set(ids) == {"Quell", "Strand", "Vantor"}

    # a week later: Bo is gone, Cy moved to another company
    moved = ROWS["cy"].replace("Acme Robotics,CTO", "Bluefin Health,VP Engineering")
    write_export(folder, [ROWS["ada"], moved], mtime=1_700_600_000)
    before = db.read_bytes()
    dry = kith("sync", str(folder), "--db", str(db), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "kith sync dry_run" in dry.stdout
    assert "1 company_changed" in dry.stdout and "1 removed" in dry.stdout
    assert db.read_bytes() == before  # a dry run writes nothing

    second = kith("sync", str(folder), "--db", str(db))
    assert second.returncode == 0, second.stderr
    rows = {
        r[0]: r[1:]
        for r in query(
            db, "select last_name, person_id, is_current, last_seen_at, company from people"
        )
    }
    assert {name: row[0] for name, row in rows.items()} == ids  # ids are stable
    assert rows["Strand"][1] is False and rows["Strand"][2] is not None  # marked, not deleted
    assert rows["Quell"][1] is True and rows["Quell"][2] is None
    assert rows["Vantor"][3] == "Bluefin Health"
    changes = set(
        query(
            db,
            "select change, person_id, old_value, new_value from person_changes "
            "where run_id = (select max(run_id) from sync_runs)",
        )
    )
    assert ("removed", ids["Strand"], None, None) in changes
    assert ("company_changed", ids["Vantor"], "Acme Robotics", "Bluefin Health") in changes
    statuses = dict(query(db, "select status, count(*) from source_files group by 1"))
    assert statuses == {"active": 1, "superseded": 1}
    listed = kith("changes", "--db", str(db), "--format", "csv")
    assert listed.returncode == 0 and "company_changed" in listed.stdout
