"""Shared fixtures: run the real ``kith`` CLI (real Prefect, real DuckDB) in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
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


@pytest.fixture
def kith(prefect_home: Path, tmp_path: Path) -> KithRunner:
    def run(
        *args: str, cwd: Path | None = None, timeout: float = 600
    ) -> subprocess.CompletedProcess[str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PREFECT_", "KITH_"))
        }
        env["PREFECT_HOME"] = str(prefect_home)
        return subprocess.run(
            [sys.executable, "-m", "pipelines.cli", *args],
            cwd=cwd or tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )

    return run


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
