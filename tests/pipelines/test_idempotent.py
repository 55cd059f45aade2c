"""Running the same sync 20 times leaves people, sources and relationships identical.

The 20 runs share one process so Prefect's temporary server starts once; each is a full
flow run (discover, fingerprint, resolve every record again, write a new snapshot).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLE, cli_env

SCRIPT = """
import hashlib, json, sys
from datetime import UTC, datetime
import duckdb
from pipelines.settings import configure_environment
configure_environment()
from pipelines.stages import new_run_id
from pipelines.sync_flow import sync_flow

sample, db, fresh = sys.argv[1], sys.argv[2], sys.argv[3]
TABLES = {
    "people_all_columns": "select * from people order by all",
    "people": "select * exclude (first_seen_at, last_seen_at) from people order by all",
    "person_sources": "select * from person_sources order by all",
    "relationships": "select * from relationships order by all",
}

def digest(path):
    con = duckdb.connect(path, read_only=True)
    try:
        return {name: hashlib.sha256(repr(con.execute(q).fetchall()).encode()).hexdigest()
                for name, q in TABLES.items()}
    finally:
        con.close()

digests = []
for _ in range(20):
    summary = sync_flow(paths=[sample], db=db, run_id=new_run_id(datetime.now(UTC)))
    assert summary.status == "succeeded", summary.error
    digests.append(digest(db))
sync_flow(paths=[sample], db=fresh, run_id=new_run_id(datetime.now(UTC)))
print(json.dumps({"runs": digests, "fresh": digest(fresh)}))
"""


def test_twenty_syncs_and_a_fresh_one_agree(tmp_path: Path, prefect_home: Path) -> None:
    env = cli_env(prefect_home)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            SCRIPT,
            str(SAMPLE),
            str(tmp_path / "a.duckdb"),
            str(tmp_path / "b.duckdb"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    first = result["runs"][0]
    assert all(run == first for run in result["runs"]), "a re-run changed a table"
    # a fresh database differs only in when people were first seen
    del first["people_all_columns"], result["fresh"]["people_all_columns"]
    assert result["fresh"] == first, "a fresh database resolved differently"
