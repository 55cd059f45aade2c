"""``kith forget``: delete a person everywhere and keep them from coming back.

Their records, sources, interactions, links and relationship rows are deleted in one atomic
snapshot. What remains is a list of salted SHA-256 hashes of their identifiers (e-mail,
phone, LinkedIn, X id and handle, and a content fingerprint for identifier-less records),
so a later sync of the same or a newer export drops matching records before storing them.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines import warehouse
from pipelines.explain import find_person
from pipelines.transforms import keys
from pipelines.transforms.resolve import ResolveConfig


def forget(db: Path, identifier: str, config: ResolveConfig) -> tuple[str, int]:
    """Forget the person ``identifier`` names; returns their id and how many records went."""
    person_id = find_person(db, identifier, config.default_region)
    records = warehouse.read_query(db, "queries/person_records", {"person_id": person_id})
    salt_rows = warehouse.read_query(db, "queries/suppression_salt")
    salt = salt_rows.item() if salt_rows.height else secrets.token_hex(16)
    keyed = keys.add_keys(records, config)
    hashes = (
        keys.hash_keys(keys.suppression_keys(keyed), salt)
        .select("kind", "key_hash", pl.lit(datetime.now(UTC)).alias("forgotten_at"))
        .unique(subset=["kind", "key_hash"])
    )
    interactions = warehouse.read_query(db, "queries/previous_interactions")
    kept = interactions.filter(keys.interactions_not_suppressed(interactions, hashes, salt))
    record_ids = records["record_id"].to_list()

    def write(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(warehouse.sql("load/ensure_salt"), {"salt": salt})
        warehouse.load_frames(con, "load/insert_suppressed", incoming_suppressed=hashes)
        warehouse.execute_script(
            con, "load/forget_person", {"person_id": person_id, "record_ids": record_ids}
        )
        warehouse.load_frames(con, "load/replace_interactions", incoming_interactions=kept)

    with warehouse.sync_lock(db):
        warehouse.write_snapshot(db, write)
    return person_id, len(record_ids)
