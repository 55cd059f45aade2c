"""Run settings: the only place kith reads environment variables and default paths."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = Path("data/kith.duckdb")
DEFAULT_SAMPLE = PROJECT_ROOT / "data" / "sample"
DEFAULT_OVERRIDES = Path("data/overrides.tsv")

# Prefect runs ephemerally: no server to configure, no telemetry, quiet console, and a
# generous start-up timeout because its temporary server can take > 20 s on a cold machine.
PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_LOG_PRINTS": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300",
    "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
    "PREFECT_TASKS_REFRESH_CACHE": "false",
}


# polars' allocator (jemalloc) returns freed pages to the system after 100 ms instead of
# 10 s: a sync's frames come and go in seconds, and kept pages count as resident memory
# (1 M records: peak 2.93 -> 2.80 GB, same time). Read when polars is first imported.
MEMORY_DEFAULTS = {
    "_RJEM_MALLOC_CONF": "background_thread:true,dirty_decay_ms:100,muzzy_decay_ms:0"
}


def configure_environment() -> None:
    """Set Prefect's and the allocator's environment before either is imported; the user's
    own settings win."""
    for key, value in {**PREFECT_DEFAULTS, **MEMORY_DEFAULTS}.items():
        os.environ.setdefault(key, value)


@dataclass(frozen=True)
class SyncSettings:
    paths: tuple[str, ...]
    db: Path
    overrides: Path
    default_region: str = "US"
    dask_address: str | None = None  # a Dask scheduler: parse and match on its workers
    pairs_per_partition: int = 250_000  # candidate pairs per unit of matching work

    @classmethod
    def from_cli(
        cls,
        paths: list[str],
        db: str | None,
        overrides: str | None,
        region: str | None,
        dask: str | None = None,
    ) -> SyncSettings:
        return cls(
            paths=tuple(paths) if paths else (str(DEFAULT_SAMPLE),),
            db=Path(db) if db else Path(os.environ.get("KITH_DB", DEFAULT_DB)),
            overrides=Path(overrides)
            if overrides
            else Path(os.environ.get("KITH_OVERRIDES", DEFAULT_OVERRIDES)),
            default_region=region or os.environ.get("KITH_DEFAULT_REGION", "US"),
            dask_address=dask or os.environ.get("KITH_DASK_ADDRESS"),
            pairs_per_partition=int(os.environ.get("KITH_PAIRS_PER_PARTITION", 250_000)),
        )
