"""A sync lands completely or not at all, and readers never wait for it.

The sync is paused at a known stage through the pause point (pipelines/faults.py), then
killed with SIGKILL or queried while paused.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, KithRunner, SyncedSample, cli_env, query

EXTRA_GOOGLE = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Organization Name,E-mail 1 - Label,"
    "E-mail 1 - Value\nZelda,,Farquharson,,Brightline Co,* Work,zelda.f@brightline.example.com\n"
)
STATE_QUERY = "select person_id, display_name, emails from people order by person_id"


@pytest.fixture(scope="module")
def base_db(synced_sample: SyncedSample) -> Path:
    return synced_sample.db


def start_paused_sync(
    db: Path, extra: Path, stage: str, marker: Path, prefect_home: Path
) -> subprocess.Popen[str]:
    env = cli_env(prefect_home, KITH_PAUSE_AT=stage, KITH_PAUSE_FILE=str(marker))
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "sync", str(SAMPLE), str(extra), "--db", str(db)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while not marker.exists():
        if process.poll() is not None:
            raise AssertionError(
                f"sync ended before reaching {stage}: {process.stderr.read() if process.stderr else ''}"
            )
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            raise AssertionError(f"sync never reached {stage}")
        time.sleep(0.05)
    return process


@pytest.mark.parametrize("stage", ["parse", "resolve", "load"])
def test_sigkill_at_any_stage_leaves_the_previous_state(
    stage: str, base_db: Path, prefect_home: Path, tmp_path: Path, kith: KithRunner
) -> None:
    db = tmp_path / "kith.duckdb"
    db.write_bytes(base_db.read_bytes())
    before = query(db, STATE_QUERY)
    runs_before = query(db, "select count(*) from sync_runs")[0][0]
    extra = tmp_path / "more.csv"
    extra.write_text(EXTRA_GOOGLE)
    process = start_paused_sync(db, extra, stage, tmp_path / "paused", prefect_home)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)

    assert query(db, STATE_QUERY) == before
    assert query(db, "select count(*) from sync_runs")[0][0] == runs_before
    # the next sync cleans up what the killed one left and lands the new file
    done = kith("sync", str(SAMPLE), str(extra), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert (
        query(db, "select count(*) from people where display_name = 'Zelda Farquharson'")[0][0] == 1
    )
    assert not list(tmp_path.glob(".kith.duckdb.*.tmp*"))


def test_readers_see_the_previous_state_while_a_sync_writes(
    base_db: Path, prefect_home: Path, tmp_path: Path, kith: KithRunner
) -> None:
    db = tmp_path / "kith.duckdb"
    db.write_bytes(base_db.read_bytes())
    people_before = query(db, "select count(*) from people")[0][0]
    extra = tmp_path / "more.csv"
    extra.write_text(EXTRA_GOOGLE)
    marker = tmp_path / "paused"
    process = start_paused_sync(db, extra, "load", marker, prefect_home)
    try:
        during = kith("sql", "select count(*) as n from people", "--db", str(db), "--format", "csv")
        assert during.returncode == 0, during.stderr
        assert during.stdout.splitlines()[1] == str(people_before)
        assert query(db, "select count(*) from people")[0][0] == people_before
    finally:
        marker.unlink()
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    assert query(db, "select count(*) from people")[0][0] == people_before + 1
