"""The sync's stages as plain functions (the Prefect flow only wraps them).

Order: discover → fingerprint → parse new files → combine with the previous state →
resolve → build people, sources and relationships → write one atomic snapshot.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl

from connectors.base import INTERACTION_SCHEMA, OWNER_SCHEMA, RECORD_SCHEMA, ExportFile, ParseIssue
from pipelines.discover import ParsedFile
from pipelines.transforms import keys
from pipelines.transforms.people import build_people, build_person_sources
from pipelines.transforms.relationships import build_relationships, strength_overrides_by_person
from pipelines.transforms.resolve import (
    Overrides,
    PartitionMapper,
    Resolution,
    ResolveConfig,
    map_locally,
    resolve,
)


@dataclass
class Fingerprint:
    file: ExportFile
    sha256: str
    size_bytes: int


def fingerprint(files: list[ExportFile]) -> tuple[list[Fingerprint], list[ParseIssue]]:
    """Hash every file; the same content twice (a loose copy and a zipped one) is read once."""
    seen: set[str] = set()
    prints: list[Fingerprint] = []
    issues: list[ParseIssue] = []
    for file in files:
        try:
            digest = file.sha256()
            size = file.size
        except (OSError, EOFError, Exception) as error:  # noqa: BLE001 - corrupt zip members
            issues.append(ParseIssue(file.name, None, f"cannot be read ({type(error).__name__})"))
            continue
        if digest not in seen:
            seen.add(digest)
            prints.append(Fingerprint(file, digest, size))
    return prints, issues


def total_size(files: list[ExportFile]) -> int:
    """Bytes to read (for progress); unreadable files count as zero, they become issues later."""
    total = 0
    for file in files:
        try:
            total += file.size
        except Exception:  # noqa: BLE001 - a corrupt zip member is reported by fingerprint
            continue
    return total


def record_id_expr(sha256: str) -> pl.Expr:
    """Unique per record and stable for the same file content: file hash prefix + row."""
    return pl.concat_str(
        [pl.lit(sha256[:16]), pl.col("source_row").cast(pl.String())], separator=":"
    )


@dataclass
class Combined:
    source_files: pl.DataFrame
    records: pl.DataFrame
    interactions: pl.DataFrame
    owner: pl.DataFrame
    new_records: pl.DataFrame
    new_interactions: pl.DataFrame
    new_owner: pl.DataFrame
    issues: list[ParseIssue] = field(default_factory=list)


def ledger_rows(parsed: list[ParsedFile], run_id: str) -> pl.DataFrame:
    rows = [
        {
            "sha256": p.sha256,
            "source_file": p.file.name,
            "locator": p.file.locator,
            "connector": p.connector,
            "source": p.source,
            "size_bytes": p.size_bytes,
            "exported_at": p.exported_at,
            "first_seen_run": run_id,
            "last_seen_run": run_id,
            "status": "active",
            "superseded_by": None,
            "record_count": p.result.records.height if p.result else 0,
            "interaction_count": p.result.interactions.height if p.result else 0,
        }
        for p in parsed
        if p.result is not None
    ]
    return pl.DataFrame(rows, schema=LEDGER_SCHEMA)


LEDGER_SCHEMA = pl.Schema(
    {
        "sha256": pl.String(),
        "source_file": pl.String(),
        "locator": pl.String(),
        "connector": pl.String(),
        "source": pl.String(),
        "size_bytes": pl.Int64(),
        "exported_at": pl.Datetime("us", "UTC"),
        "first_seen_run": pl.String(),
        "last_seen_run": pl.String(),
        "status": pl.String(),
        "superseded_by": pl.String(),
        "record_count": pl.Int64(),
        "interaction_count": pl.Int64(),
    }
)


def supersede(ledger: pl.DataFrame) -> pl.DataFrame:
    """Within each (format, file name) of record-bearing files, only the newest export is current."""
    bearing = pl.col("record_count") > 0
    ranked = ledger.with_columns(
        pl.col("sha256")
        .sort_by(["exported_at", "first_seen_run", "sha256"], descending=True, nulls_last=True)
        .first()
        .over(["connector", "source_file"])
        .alias("_newest")
    )
    return ranked.with_columns(
        pl.when(bearing & (pl.col("_newest") != pl.col("sha256")))
        .then(pl.lit("superseded"))
        .otherwise(pl.lit("active"))
        .alias("status"),
        pl.when(bearing & (pl.col("_newest") != pl.col("sha256")))
        .then(pl.col("_newest"))
        .otherwise(None)
        .alias("superseded_by"),
    ).drop("_newest")


def combine(
    previous_ledger: pl.DataFrame,
    previous_records: pl.DataFrame,
    previous_interactions: pl.DataFrame,
    previous_owner: pl.DataFrame,
    parsed: list[ParsedFile],
    seen_shas: set[str],
    run_id: str,
) -> Combined:
    new_ledger = ledger_rows(parsed, run_id)
    old_ledger = (
        previous_ledger.cast(LEDGER_SCHEMA).select(LEDGER_SCHEMA.names())  # type: ignore[arg-type]
        if previous_ledger.height
        else LEDGER_SCHEMA.to_frame()
    )
    old_ledger = old_ledger.with_columns(
        pl.when(pl.col("sha256").is_in(list(seen_shas)))
        .then(pl.lit(run_id))
        .otherwise(pl.col("last_seen_run"))
        .alias("last_seen_run")
    )
    ledger = supersede(pl.concat([old_ledger, new_ledger]))

    new_records = _stack(
        [
            p.result.records.with_columns(
                record_id_expr(p.sha256).alias("record_id"), pl.lit(p.sha256).alias("file_sha256")
            )
            for p in parsed
            if p.result is not None
        ],
        RECORD_SCHEMA,
        extra={"record_id": pl.String(), "file_sha256": pl.String()},
    )
    new_interactions = _stack(
        [
            p.result.interactions.with_columns(pl.lit(p.sha256).alias("file_sha256"))
            for p in parsed
            if p.result is not None
        ],
        INTERACTION_SCHEMA,
        extra={"file_sha256": pl.String()},
    )
    new_owner = _stack(
        [
            p.result.owner.with_columns(pl.lit(p.sha256).alias("file_sha256"))
            for p in parsed
            if p.result is not None
        ],
        OWNER_SCHEMA,
        extra={"file_sha256": pl.String()},
    )
    records = _concat_like(previous_records, new_records)
    interactions = _concat_like(previous_interactions, new_interactions)
    owner = _concat_like(previous_owner, new_owner)
    return Combined(ledger, records, interactions, owner, new_records, new_interactions, new_owner)


def _stack(
    frames: list[pl.DataFrame], schema: pl.Schema, extra: dict[str, pl.DataType]
) -> pl.DataFrame:
    full = pl.Schema({**extra, **schema})
    if not frames:
        return full.to_frame()
    return pl.concat([f.select(full.names()).cast(full) for f in frames], how="vertical")  # type: ignore[arg-type]


def _concat_like(previous: pl.DataFrame, new: pl.DataFrame) -> pl.DataFrame:
    if previous.height == 0:
        return new
    return pl.concat([previous.select(new.columns).cast(new.schema), new], how="vertical")  # type: ignore[arg-type]


def apply_suppression(
    combined: Combined, suppressed: pl.DataFrame, salt: str | None, config: ResolveConfig
) -> Combined:
    """Drop records and interaction rows of forgotten people before anything is stored."""
    if salt is None or suppressed.height == 0:
        return combined

    def keep_records(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.filter(
            keys.records_not_suppressed(keys.add_keys(frame, config), suppressed, salt)
        )

    def keep_interactions(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.filter(keys.interactions_not_suppressed(frame, suppressed, salt))

    return Combined(
        source_files=combined.source_files,
        records=keep_records(combined.records),
        interactions=keep_interactions(combined.interactions),
        owner=combined.owner,
        new_records=keep_records(combined.new_records),
        new_interactions=keep_interactions(combined.new_interactions),
        new_owner=combined.new_owner,
    )


@dataclass
class Built:
    resolution: Resolution
    people: pl.DataFrame
    person_sources: pl.DataFrame
    relationships: pl.DataFrame
    identity_keys: pl.DataFrame
    match_links: pl.DataFrame
    hidden_records: int


def build(
    combined: Combined,
    previous_person_keys: pl.DataFrame,
    overrides: Overrides,
    config: ResolveConfig,
    run_started: datetime,
    map_partitions: PartitionMapper = map_locally,
) -> Built:
    """Resolve every record again (stable ids come from the previous keys) and derive tables."""
    ledger = combined.source_files.select(
        pl.col("sha256").alias("file_sha256"),
        (pl.col("status") == "active").alias("is_current"),
        pl.col("first_seen_run"),
        pl.col("last_seen_run"),
    )
    # raw JSON is only stored, never resolved: leaving it out keeps every copy below small
    records = (
        combined.records.drop("raw")
        .join(ledger, on="file_sha256", how="left")
        .with_columns(
            pl.col("is_current").fill_null(True),
            run_time(pl.col("first_seen_run"), run_started).alias("first_seen_at"),
            run_time(pl.col("last_seen_run"), run_started).alias("last_seen_at"),
        )
    )
    records = keys.add_keys(records, config)
    owner_keys = keys.owner_keys(combined.owner, config)
    records = keys.mark_owner_records(records, owner_keys)
    contacts = records.filter(pl.col("kind") == "contact")
    resolution = resolve(
        contacts.drop("is_owner_match"), previous_person_keys, overrides, config, map_partitions
    )
    assigned = records.join(resolution.assignments, on="record_id", how="left")
    people_records = assigned.filter(pl.col("person_id").is_not_null())
    people = build_people(people_records)
    identity = keys.identity_keys(people_records)
    attributed = keys.attribute_interactions(combined.interactions, identity, owner_keys, config)
    strength = strength_overrides_by_person(
        overrides.strength, identity, people["person_id"], config.default_region
    )
    relationships = build_relationships(people_records, attributed, strength)
    links = resolution.links.join(
        resolution.assignments.select(pl.col("record_id").alias("record_id_l"), "person_id"),
        on="record_id_l",
        how="left",
    )
    return Built(
        resolution=resolution,
        people=people,
        person_sources=build_person_sources(assigned),
        relationships=relationships,
        identity_keys=identity,
        match_links=links,
        hidden_records=records.filter(pl.col("kind") == "hidden").height,
    )


def run_time(run_id: pl.Expr, fallback: datetime) -> pl.Expr:
    """Run ids start with their UTC start time (YYYYmmddTHHMMSSffffffZ)."""
    return (
        run_id.str.slice(0, 22)
        .str.strptime(pl.Datetime("us", "UTC"), "%Y%m%dT%H%M%S%6fZ", strict=False)
        .fill_null(pl.lit(fallback))
    )


def new_run_id(started: datetime) -> str:
    stamp = started.strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{hashlib.sha1(stamp.encode()).hexdigest()[:6]}"


def resolve_paths(paths: list[str]) -> list[Path]:
    return [Path(p).expanduser() for p in paths]
