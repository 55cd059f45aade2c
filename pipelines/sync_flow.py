"""The Prefect flow: thin tasks around the plain stage functions in ``pipelines.stages``.

Task results are never persisted (they hold personal data) and no task logs a value, only
counts. The flow returns a summary of counts.
"""

from __future__ import annotations

import gc
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from connectors.base import ParseIssue
from pipelines import progress, stages, warehouse
from pipelines.discover import (
    DiscoveryError,
    ParsedFile,
    discover,
    exported_at,
    identify,
    parse_export,
    unrecognised_issue,
)
from pipelines.faults import pause_point
from pipelines.overrides import OverridesError
from pipelines.overrides import load_overrides as read_overrides
from pipelines.transforms.changes import change_counts, person_changes
from pipelines.transforms.resolve import PARTITION_WORKERS, Overrides, PartitionWork, ResolveConfig


@dataclass
class SyncSummary:
    run_id: str
    db_path: str
    status: str
    files_seen: int = 0
    files_parsed: int = 0
    files_unchanged: int = 0
    files_failed: int = 0
    files_unrecognised: int = 0
    records: int = 0
    hidden_records: int = 0
    people: int = 0
    merges: int = 0
    interactions: int = 0
    seconds: float = 0.0
    error: str | None = None  # one line for the user when the sync could not run
    changes: dict[str, int] = field(default_factory=dict)
    issues: list[ParseIssue] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)


@task(
    name="parse-file",
    retries=2,
    retry_delay_seconds=[2, 10],
    cache_policy=NO_CACHE,
    persist_result=False,
    log_prints=False,
)
def parse_file_task(fingerprint: stages.Fingerprint) -> ParsedFile:
    file = fingerprint.file
    connector, issues = identify(file)
    pause_point("parse")
    result = None
    if connector is not None:
        result, parse_issues = parse_export(file, connector)
        issues += parse_issues
    elif (issue := unrecognised_issue(file)) is not None:
        issues.append(issue)
    return ParsedFile(
        file=file,
        sha256=fingerprint.sha256,
        size_bytes=fingerprint.size_bytes,
        exported_at=exported_at(file),
        connector=connector.name if connector else None,
        source=connector.source if connector else None,
        result=result,
        issues=issues,
    )


@task(name="match-partition", cache_policy=NO_CACHE, persist_result=False, log_prints=False)
def match_partition_task(work: PartitionWork, partition: pl.DataFrame) -> pl.DataFrame:
    """One independent unit of matching work: local threads, or a Dask worker."""
    return work(partition)


def map_partitions_as_tasks(
    work: PartitionWork, partitions: list[pl.DataFrame]
) -> list[pl.DataFrame]:
    if len(partitions) == 1:
        return [work(partitions[0])]  # nothing to spread: skip the task overhead
    futures = match_partition_task.map(unmapped(work), partitions)
    return [future.result() for future in futures]


@task(name="store-records", cache_policy=NO_CACHE, persist_result=False, log_prints=False)
def store_task(snapshot: warehouse.Snapshot, incoming: stages.Incoming) -> None:
    """The new files' rows, raw JSON included, into the snapshot, written in the background
    while the records are prepared for the resolver (``build`` settles before resolving)."""
    snapshot.load_soon("load/insert_records", incoming_records=incoming.records)
    snapshot.load_soon("load/insert_interactions", incoming_interactions=incoming.interactions)
    snapshot.load_soon("load/insert_owner_identities", incoming_owner=incoming.owner)
    snapshot.load_soon("load/upsert_source_files", incoming_source_files=incoming.source_files)
    # committed: DuckDB would hold every inserted row in memory until then
    snapshot.load_soon("load/clear_derived", save=True)


def store_derived(snapshot: warehouse.Snapshot) -> stages.Store:
    """Each derived table is written (and committed) while the next one is built."""

    def write(table: str, frame: pl.DataFrame) -> None:
        snapshot.load_soon(f"load/insert_{table}", save=True, **{f"incoming_{table}": frame})

    return stages.Store(write=write, settle=snapshot.settle)


@task(name="load-duckdb", cache_policy=NO_CACHE, persist_result=False, log_prints=False)
def load_task(
    snapshot: warehouse.Snapshot,
    built: stages.Built,
    changes: pl.DataFrame,
    summary: SyncSummary,
    started: datetime,
    input_paths: list[str],
) -> str | None:
    """The run's own rows, then commit and swap the snapshot in (records and derived tables
    are in it already)."""
    run_row = pl.DataFrame(
        {
            "run_id": [summary.run_id],
            "started_at": [started],
            "finished_at": [datetime.now(UTC)],
            "status": ["succeeded"],
            "input_paths": [input_paths],
            "files_seen": [summary.files_seen],
            "files_parsed": [summary.files_parsed],
            "files_unchanged": [summary.files_unchanged],
            "files_failed": [summary.files_failed],
            "files_unrecognised": [summary.files_unrecognised],
            "records": [summary.records],
            "hidden_records": [summary.hidden_records],
            "people": [summary.people],
            "merges": [summary.merges],
            "interactions": [summary.interactions],
            "seconds": [sum(summary.stage_seconds.values())],
            "changes": [json.dumps(summary.changes, sort_keys=True)],
            "stats": [
                json.dumps(
                    {"stage_seconds": summary.stage_seconds, "resolver": built.stats},
                    sort_keys=True,
                )
            ],
            "errors": [
                [
                    {"file": i.source_file, "row": i.row, "message": i.message}
                    for i in summary.issues
                ]
            ],
        }
    )
    history = built.history.with_columns(
        pl.lit(summary.run_id).alias("run_id"), pl.lit(started).alias("changed_at")
    )
    try:
        snapshot.load("load/insert_person_id_history", incoming_person_id_history=history)
        snapshot.load(
            "load/insert_person_changes",
            incoming_person_changes=changes.with_columns(pl.lit(summary.run_id).alias("run_id")),
        )
        snapshot.load("load/insert_sync_run", incoming_sync_run=run_row)
        snapshot.publish()
    except warehouse.WarehouseError as error:
        return str(error)  # a full disk or a read-only folder: reported, previous state kept
    return None


# files parsed and partitions scored at once: as many as the resolver's own local threads
@flow(
    name="kith-sync",
    task_runner=ThreadPoolTaskRunner(max_workers=PARTITION_WORKERS),  # type: ignore[arg-type]
    persist_result=False,
    log_prints=False,
)
def sync_flow(
    paths: list[str],
    db: str,
    run_id: str | None = None,
    default_region: str = "US",
    overrides_path: str | None = None,
    dry_run: bool = False,
    pairs_per_partition: int = ResolveConfig.pairs_per_partition,
) -> SyncSummary:
    logger = get_run_logger()
    started = datetime.now(UTC)
    clock = time.monotonic()
    db_path = Path(db)
    run_id = run_id or stages.new_run_id(started)
    summary = SyncSummary(run_id=run_id, db_path=str(db_path), status="running")
    config = ResolveConfig(default_region=default_region, pairs_per_partition=pairs_per_partition)
    try:
        overrides = load_overrides(overrides_path)
        with warehouse.sync_lock(db_path):
            warehouse.remove_stale_temporaries(db_path)
            return _sync(paths, db_path, summary, config, overrides, dry_run, started, clock)
    except (DiscoveryError, warehouse.WarehouseError, OverridesError) as error:
        summary.status = "failed"
        summary.error = str(error)
        summary.seconds = time.monotonic() - clock
        logger.info("sync failed before writing anything: %s", type(error).__name__)
        return summary


class _Stage:
    """Times one stage into the summary and reports it through the progress reporter."""

    def __init__(
        self, summary: SyncSummary, name: str, total: float | None = None, in_bytes: bool = False
    ) -> None:
        self.summary, self.name, self.detail = summary, name, ""
        self._clock = time.monotonic()
        progress.current().start(name, total, in_bytes)

    def __enter__(self) -> _Stage:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        self.summary.stage_seconds[self.name] = time.monotonic() - self._clock
        if kind is None:
            progress.current().finish(self.detail)


def _sync(
    paths: list[str],
    db_path: Path,
    summary: SyncSummary,
    config: ResolveConfig,
    overrides: Overrides,
    dry_run: bool,
    started: datetime,
    clock: float,
) -> SyncSummary:
    logger = get_run_logger()
    discovery = discover(stages.resolve_paths(paths))
    summary.files_seen = len(discovery.files)
    summary.issues += discovery.issues
    if not discovery.files and not discovery.issues:
        raise DiscoveryError(
            f"{', '.join(paths)}: no files found; expected export files or zip archives"
        )
    with _Stage(summary, "discover", stages.total_size(discovery.files), in_bytes=True) as stage:
        prints, hash_issues = stages.fingerprint(discovery.files)
        summary.issues += hash_issues
        previous = warehouse.read_previous_state(db_path)
        known = (
            set(previous.source_files["sha256"].to_list())
            if previous.source_files.height
            else set()
        )
        new_prints = [p for p in prints if p.sha256 not in known]
        summary.files_unchanged = len(prints) - len(new_prints)
        stage.detail = (
            f"{len(prints)} files, {len(new_prints)} new, {summary.files_unchanged} unchanged"
        )

    with _Stage(summary, "parse", sum(p.size_bytes for p in new_prints), in_bytes=True) as stage:
        parsed = (
            [future.result() for future in parse_file_task.map(new_prints)] if new_prints else []
        )
        summary.issues += [issue for p in parsed for issue in p.issues]
        summary.files_parsed = sum(1 for p in parsed if p.result is not None)
        summary.files_failed = sum(
            1 for p in parsed if p.connector is not None and p.result is None
        )
        summary.files_unrecognised = sum(1 for p in parsed if p.connector is None and p.issues)
        records = sum(p.result.records.height for p in parsed if p.result is not None)
        stage.detail = f"{summary.files_parsed} files read, {records:,} new records"
    if summary.files_parsed == 0 and summary.files_unchanged == 0:
        first = summary.issues[0].message if summary.issues else "no recognisable export"
        raise DiscoveryError(
            f"{', '.join(paths)}: no recognisable export found ({len(prints)} file(s); first problem: {first})"
        )

    with warehouse.open_snapshot(db_path, dry_run) as snapshot:
        with _Stage(summary, "resolve") as stage:
            incoming = stages.stack_parsed(
                previous.source_files, parsed, {p.sha256 for p in prints}, summary.run_id
            )
            del parsed  # the stacked frames share their buffers; nothing else holds them
            incoming = stages.without_forgotten(
                incoming, previous.suppressed, previous.salt, config
            )
            earlier = [
                snapshot.read(name)
                for name in (
                    "load/records_to_resolve",
                    "queries/previous_interactions",
                    "queries/previous_owner_identities",
                )
            ]
            store_task(snapshot, incoming)
            new_records = incoming.records.height
            combined = stages.combine(incoming, *earlier)
            del incoming, earlier  # raw JSON is in the snapshot now, and only there
            # the parse tasks' futures still hold every parsed file, in reference cycles
            # (future <-> its done callback) that only the cyclic collector frees, and
            # polars makes too few Python objects to trigger it: 0.6 GB at 1 M records
            gc.collect()
            combined = stages.without_forgotten(
                combined, previous.suppressed, previous.salt, config
            )
            summary.records = combined.records.height
            summary.interactions = (
                combined.interactions.select("channel", "message_id").unique().height
            )
            built = stages.build(
                combined,
                previous.person_keys,
                overrides,
                config,
                started,
                store_derived(snapshot),
                map_partitions_as_tasks,
            )
            del combined
            pause_point("resolve")
            summary.hidden_records = built.hidden_records
            summary.people = built.people.height
            summary.merges = built.merges
            changes = person_changes(previous.people, built.people, built.history)
            summary.changes = change_counts(changes)
            pairs = int(built.stats.get("blocking.candidate_pairs", 0))
            stage.detail = (
                f"{summary.records:,} records, {pairs:,} candidate pairs, {summary.people:,} people"
            )
        publish_change_artifact(summary)

        if dry_run:
            summary.status = "dry_run"
        else:
            with _Stage(summary, "load") as stage:
                failure = load_task(snapshot, built, changes, summary, started, paths)
                if failure:
                    raise warehouse.WarehouseError(failure)
                stage.detail = f"{new_records:,} new records, {summary.people:,} people written"
            summary.status = "succeeded"
    summary.seconds = time.monotonic() - clock
    logger.info(
        "sync %s: %d records, %d people, %d merges",
        summary.status,
        summary.records,
        summary.people,
        summary.merges,
    )
    return summary


def publish_change_artifact(summary: SyncSummary) -> None:
    """A markdown artifact in Prefect with counts only (Prefect's database never sees names)."""
    lines = [f"# kith sync {summary.run_id}", "", "| change | people |", "|---|---|"]
    lines += [f"| {change} | {count} |" for change, count in summary.changes.items()]
    lines += [
        "",
        f"{summary.people} people from {summary.records} records, {summary.merges} merges.",
    ]
    create_markdown_artifact(
        markdown="\n".join(lines), key="kith-sync-changes", description="What this sync changed"
    )


def load_overrides(path: str | None) -> Overrides:
    try:
        return read_overrides(Path(path)) if path else Overrides()
    except OverridesError as error:
        raise OverridesError(f"{path}: {error}") from None
