"""Identity resolution: contact records in, one person per human out.

The public surface the flow relies on is ``resolve`` with its config, overrides and result
types. Everything here is pure polars/rapidfuzz: no Prefect, no DuckDB.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import polars as pl

LINK_SCHEMA = pl.Schema(
    {
        "record_id_l": pl.String,
        "record_id_r": pl.String,
        "decision": pl.String,  # merge | maybe | must_link | cannot_link
        "rule": pl.String,  # which rule or comparison levels fired, human-readable
        "score": pl.Float64,  # combined match weight
        "details": pl.String,  # JSON: per-field level and the compared normalised values
    }
)

HISTORY_SCHEMA = pl.Schema(
    {"old_person_id": pl.String, "new_person_id": pl.String, "change": pl.String}
)


@dataclass(frozen=True)
class ResolveConfig:
    default_region: str = "US"  # phones without a country code
    merge_threshold: float = 5.0  # match weight (log2 odds) at or above which pairs merge
    maybe_threshold: float = 2.0  # at or above: kept as a 'maybe' link for review
    pairs_per_partition: int = 250_000  # candidate pairs scored per independent unit of work


@dataclass(frozen=True)
class Overrides:
    """Hard constraints by identifier (e-mail, profile URL, handle, phone or person_id)."""

    must_link: tuple[tuple[str, str], ...] = ()
    cannot_link: tuple[tuple[str, str], ...] = ()
    strength: tuple[tuple[str, float], ...] = ()  # per-person strength, for relationships


@dataclass
class Resolution:
    # one row per input record: record_id, person_id, record_key (the stable identity key)
    assignments: pl.DataFrame
    links: pl.DataFrame = field(default_factory=lambda: LINK_SCHEMA.to_frame())
    history: pl.DataFrame = field(default_factory=lambda: HISTORY_SCHEMA.to_frame())
    stats: dict[str, float] = field(default_factory=dict)


# one independent unit of matching work on a partition of pairs (scoring candidates,
# explaining links): it reads nothing but its partition and what it was built with
PartitionWork = Callable[[pl.DataFrame], pl.DataFrame]
# Runs one piece of work over independent partitions and returns their results in the same
# order: local threads by default, Prefect tasks (possibly on Dask) in the flow.
PartitionMapper = Callable[[PartitionWork, list[pl.DataFrame]], list[pl.DataFrame]]


# partitions worked on at once: the two cores kith is sized for; each holds wide left/right
# frames, so more at once would multiply the peak (the flow's task runner uses as many)
PARTITION_WORKERS = 2


def map_locally(work: PartitionWork, partitions: list[pl.DataFrame]) -> list[pl.DataFrame]:
    """On local threads: polars and rapidfuzz release the GIL while they work."""
    if len(partitions) == 1:
        return [work(partitions[0])]
    with ThreadPoolExecutor(max_workers=PARTITION_WORKERS) as pool:
        return list(pool.map(work, partitions))


def resolve(
    records: pl.DataFrame,
    previous: pl.DataFrame,
    overrides: Overrides,
    config: ResolveConfig,
    map_partitions: PartitionMapper = map_locally,
) -> Resolution:
    """Assign a person_id to every record.

    ``records``: RECORD_SCHEMA columns plus a unique ``record_id`` (kind 'contact' only).
    ``previous``: ``record_key, person_id`` from the last run, so IDs stay stable.
    ``map_partitions``: how the independent scoring partitions are run (the result does not
    depend on it: every pair is scored on its own).
    """
    from pipelines.transforms.resolve.engine import run

    return run(records, previous, overrides, config, map_partitions)
