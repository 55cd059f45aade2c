"""Storage that fails: a full disk mid-sync and a file that is not a DuckDB database."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SAMPLE, KithRunner, query


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 6 MB filesystem: room for one small database, not for its next copy."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=6m,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    assert mounted.returncode == 0, f"this test needs root to mount a tmpfs: {mounted.stderr}"
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_full_disk_mid_sync_keeps_the_previous_database(kith: KithRunner, tiny_disk: Path) -> None:
    db = tiny_disk / "kith.duckdb"
    first = kith("sync", str(FIXTURES / "google"), "--db", str(db), "--quiet")
    assert first.returncode == 0, first.stderr
    before = db.read_bytes()
    people = query(db, "select count(*) from people")[0][0]

    full = kith("sync", str(SAMPLE), "--db", str(db), "--quiet")
    assert full.returncode == 1
    assert "No space left on device" in full.stderr and "nothing changed" in full.stderr
    assert full.stderr.count("\n") == 1 and "Traceback" not in full.stderr + full.stdout
    assert db.read_bytes() == before
    assert query(db, "select count(*) from people")[0][0] == people
    assert sorted(p.name for p in tiny_disk.iterdir()) == [".kith.duckdb.lock", "kith.duckdb"]


def test_a_file_that_is_not_duckdb_is_never_overwritten(kith: KithRunner, tmp_path: Path) -> None:
    db = tmp_path / "notes.duckdb"
    db.write_text("my notes, not a database\n")
    for args in (("sync", str(FIXTURES / "google")), ("sql", "select 1")):
        done = kith(*args, "--db", str(db))
        assert done.returncode == 1
        assert "not a DuckDB database" in done.stderr and "Traceback" not in done.stderr
    assert db.read_text() == "my notes, not a database\n"


def test_an_unwritable_database_path_is_one_line(kith: KithRunner, tmp_path: Path) -> None:
    a_file = tmp_path / "plain.txt"
    a_file.write_text("x")
    done = kith("sync", str(FIXTURES / "google"), "--db", str(a_file / "kith.duckdb"))
    assert done.returncode == 1
    assert "cannot write there" in done.stderr and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr + done.stdout
