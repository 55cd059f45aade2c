"""Scale-out: the same sync on a local Dask cluster with 2 workers gives the same database."""

from __future__ import annotations

from pathlib import Path

from distributed import LocalCluster

from tests.conftest import SAMPLE, SyncedSample, query, run_cli

TABLES = {
    "people": "select * exclude (first_seen_at, last_seen_at) from people order by all",
    "person_sources": "select * from person_sources order by all",
    "relationships": "select * exclude (first_seen_on) from relationships order by all",
    "match_links": "select * from match_links order by all",
}


def test_dask_run_matches_the_local_run(
    synced_sample: SyncedSample, prefect_home: Path, tmp_path: Path
) -> None:
    db = tmp_path / "dask.duckdb"
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        done = run_cli(
            "sync",
            str(SAMPLE),
            "--db",
            str(db),
            "--dask",
            cluster.scheduler_address,
            prefect_home=prefect_home,
            cwd=tmp_path,
            KITH_PAIRS_PER_PARTITION="40",  # several partitions even on the small sample
        )
        assert done.returncode == 0, done.stderr[-2000:]
    stats = query(db, "select stats->>'$.resolver.\"scoring.partitions\"' from sync_runs")[0][0]
    assert float(str(stats)) >= 4
    for name, sql in TABLES.items():
        assert query(db, sql) == query(synced_sample.db, sql), f"{name} differs on Dask"
