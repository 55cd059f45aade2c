"""The sync's stages as plain functions (the Prefect flow only wraps them).

Order: discover → fingerprint → parse new files → combine with the previous state →
resolve → build people, sources and relationships → write one atomic snapshot.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import polars as pl

from connectors.base import INTERACTION_SCHEMA, OWNER_SCHEMA, RECORD_SCHEMA, ExportFile, ParseIssue
from pipelines.discover import ParsedFile
from pipelines.transforms import keys
from pipelines.transforms.people import build_people, build_person_sources
from pipelines.transforms.relationships import build_relationships, strength_overrides_by_person
from pipelines.transforms.resolve import (
    Overrides,
    PartitionMapper,
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
class Incoming:
    """What the newly parsed files hold, stacked: stored as it is (raw JSON included)."""

    source_files: pl.DataFrame  # the whole ledger: previous files and new ones
    records: pl.DataFrame
    interactions: pl.DataFrame
    owner: pl.DataFrame


@dataclass
class Combined:
    """Every record, interaction and owner row, previous and new, for the resolution.

    ``records`` leave out raw JSON (it is stored, never resolved). ``build`` takes the records
    out (``take_records``), so the frame it resolves is the only copy alive.
    """

    source_files: pl.DataFrame
    records: pl.DataFrame
    interactions: pl.DataFrame
    owner: pl.DataFrame

    def take_records(self) -> pl.DataFrame:
        records, self.records = self.records, self.records.clear()
        return records


# the rows of new files, or of every file: both carry records and interactions
RowsT = TypeVar("RowsT", Incoming, Combined)


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


def stack_parsed(
    previous_ledger: pl.DataFrame, parsed: list[ParsedFile], seen_shas: set[str], run_id: str
) -> Incoming:
    """The new files' rows with record ids and file hashes, and the updated ledger."""
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
    return Incoming(ledger, new_records, new_interactions, new_owner)


def combine(
    incoming: Incoming,
    previous_records: pl.DataFrame,
    previous_interactions: pl.DataFrame,
    previous_owner: pl.DataFrame,
) -> Combined:
    """Previous rows (read without raw JSON) followed by the new ones."""
    records = incoming.records.drop("raw", strict=False)
    return Combined(
        source_files=incoming.source_files,
        records=_concat_like(previous_records, records),
        interactions=_concat_like(previous_interactions, incoming.interactions),
        owner=_concat_like(previous_owner, incoming.owner),
    )


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


def without_forgotten(
    rows: RowsT, suppressed: pl.DataFrame, salt: str | None, config: ResolveConfig
) -> RowsT:
    """Drop the records and interaction rows of forgotten people: from new files before
    anything is stored, and from stored rows so they stay out of every derived table."""
    if salt is None or suppressed.height == 0:
        return rows
    return dataclasses.replace(
        rows,
        records=_records_kept(rows.records, suppressed, salt, config),
        interactions=_interactions_kept(rows.interactions, suppressed, salt),
    )


def _records_kept(
    records: pl.DataFrame, suppressed: pl.DataFrame, salt: str, config: ResolveConfig
) -> pl.DataFrame:
    return records.filter(
        keys.records_not_suppressed(keys.add_keys(records, config), suppressed, salt)
    )


def _interactions_kept(
    interactions: pl.DataFrame, suppressed: pl.DataFrame, salt: str
) -> pl.DataFrame:
    return interactions.filter(keys.interactions_not_suppressed(interactions, suppressed, salt))


def _nothing_pending() -> None:
    return None


@dataclass
class Store:
    """Where each derived table goes as soon as it is built (the flow writes it to the
    snapshot), so no derived frame outlives its own step."""

    write: Callable[[str, pl.DataFrame], None]
    # wait until earlier writes are done: nothing of theirs is held under the resolver's peak
    settle: Callable[[], None] = _nothing_pending


@dataclass
class Built:
    people: pl.DataFrame  # person_id, company, title, is_current (what person_changes compares)
    history: pl.DataFrame  # the resolver's old -> new person ids
    stats: dict[str, float]
    hidden_records: int
    merges: int  # records assigned to a person beyond one per person


def build(
    combined: Combined,
    previous_person_keys: pl.DataFrame,
    overrides: Overrides,
    config: ResolveConfig,
    run_started: datetime,
    store: Store,
    map_partitions: PartitionMapper = map_locally,
) -> Built:
    """Resolve every record again (stable ids come from the previous keys) and derive tables.

    Takes ``combined.records``; each derived table goes to ``store`` as soon as it exists and
    is dropped, so the peak is the resolver's plus the records, never every table at once.
    """
    ledger = combined.source_files
    records = combined.take_records()
    current = dict(zip(ledger["sha256"], ledger["status"] == "active", strict=True))
    first_seen = dict(zip(ledger["sha256"], ledger["first_seen_run"], strict=True))
    last_seen = dict(zip(ledger["sha256"], ledger["last_seen_run"], strict=True))
    sha = pl.col("file_sha256")
    records = records.with_columns(
        sha.replace_strict(current, default=True, return_dtype=pl.Boolean).alias("is_current"),
        run_time(
            sha.replace_strict(first_seen, default=None, return_dtype=pl.String), run_started
        ).alias("first_seen_at"),
        run_time(
            sha.replace_strict(last_seen, default=None, return_dtype=pl.String), run_started
        ).alias("last_seen_at"),
    )
    owner_keys = keys.owner_keys(combined.owner, config)
    if owner_keys.height:  # the owner's own rows are not contacts; marking them needs keys
        marked = keys.mark_owner_records(keys.add_keys(records, config), owner_keys)
        records = records.with_columns(marked["kind"])
        del marked
    # contacts and the rest apart: the resolver's input is then a view of a frame already
    # held, not another copy of every record
    is_contact = (pl.col("kind") == "contact").fill_null(False)
    contacts, others = _where(records, is_contact), records.filter(~is_contact)
    del records
    store.settle()
    resolution = resolve(
        contacts.select(RESOLVER_COLUMNS), previous_person_keys, overrides, config, map_partitions
    )
    assignments = resolution.assignments
    links, resolution.links = resolution.links, resolution.links.clear()
    store.write(
        "match_links",
        links.with_columns(_looked_up(links["record_id_l"], assignments, ["person_id"])),
    )
    del links

    # display keys only now: not held while the resolver runs (+0.4 GB at 1 M records)
    records = keys.add_keys(pl.concat([contacts, others], how="vertical"), config)
    del contacts, others
    records = records.with_columns(
        _looked_up(records["record_id"], assignments, ["person_id", "record_key"])
    )
    del assignments
    people_records = _where(records, pl.col("person_id").is_not_null())

    # person_sources first: it is cheap to build while the links are still being written
    person_sources = build_person_sources(records)
    merges = person_sources["person_id"].is_not_null().sum()
    hidden = person_sources.filter(pl.col("kind") == "hidden").height
    store.write("person_sources", person_sources)
    del person_sources, records

    people = build_people(people_records)
    store.write("people", people)
    person_ids = people["person_id"]
    merges -= people.height
    people = people.select("person_id", "company", "title", "is_current")

    identity = keys.identity_keys(people_records)
    store.write("identity_keys", identity)
    attributed = keys.attribute_interactions(combined.interactions, identity, owner_keys, config)
    strength = strength_overrides_by_person(
        overrides.strength, identity, person_ids, config.default_region
    )
    del identity
    store.write("relationships", build_relationships(people_records, attributed, strength))
    return Built(
        people=people,
        history=resolution.history,
        stats=resolution.stats,
        hidden_records=hidden,
        merges=int(merges),
    )


# what the resolver reads: the record schema and the record id (never the derived keys)
RESOLVER_COLUMNS = ["record_id", *(c for c in RECORD_SCHEMA.names() if c != "raw")]


def _where(frame: pl.DataFrame, predicate: pl.Expr) -> pl.DataFrame:
    """``frame.filter(predicate)``, without a copy when every row is kept."""
    mask = frame.select(predicate.fill_null(False)).to_series()
    return frame if mask.all() else frame.filter(mask)


def _looked_up(
    record_ids: pl.Series, assignments: pl.DataFrame, columns: list[str]
) -> list[pl.Series]:
    """``columns`` of the assignments for each record id, in order (null for records no
    person holds)."""
    return (
        record_ids.to_frame("record_id")
        .join(
            assignments.select("record_id", *columns),
            on="record_id",
            how="left",
            maintain_order="left",
        )
        .drop("record_id")
        .get_columns()
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
