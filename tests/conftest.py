"""Shared fixtures: run the real ``kith`` CLI (real Prefect, real DuckDB) in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Prefect home for the session: its ephemeral database is created once."""
    return tmp_path_factory.mktemp("prefect_home")


KithRunner = Callable[..., subprocess.CompletedProcess[str]]


def cli_env(prefect_home: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without any PREFECT_/KITH_ setting, plus a Prefect home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "KITH_"))}
    return env | {"PREFECT_HOME": str(prefect_home)} | extra


def run_cli(
    *args: str, prefect_home: Path, cwd: Path | None = None, timeout: float = 600, **extra: str
) -> subprocess.CompletedProcess[str]:
    """Run the real ``kith`` CLI in a child process (real Prefect, real DuckDB)."""
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args],
        cwd=cwd,
        env=cli_env(prefect_home, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def kith(prefect_home: Path, tmp_path: Path) -> KithRunner:
    def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, prefect_home=prefect_home, cwd=cwd or tmp_path)

    return run


@dataclass(frozen=True)
class SyncedSample:
    db: Path
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def synced_sample(tmp_path_factory: pytest.TempPathFactory, prefect_home: Path) -> SyncedSample:
    """The bundled sample synced once by the real CLI, shared read-only (copy it to change it)."""
    work = tmp_path_factory.mktemp("synced_sample")
    db = work / "kith.duckdb"
    done = run_cli("sync", str(SAMPLE), "--db", str(db), prefect_home=prefect_home, cwd=work)
    assert done.returncode == 0, done.stderr
    return SyncedSample(db, done.stdout, done.stderr)


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
