"""Stable keys per record and stable person ids across runs.

``record_key`` depends on content, not on row position, so a newer export of the same
contact gets the same key: the source plus its strongest normalised identifier (LinkedIn
profile, X account id, X handle, smallest e-mail key, smallest phone), else the source plus
a hash of name, company and location keys. Keys are hashed: they never show a value.

A cluster keeps the previous person_id most of its records carry; each old id goes to at
most one cluster (the one holding most of its records; ties by smallest record_key).
Other clusters get ``p_`` + 12 hex of sha1(min record_key). Merges and splits are written
to history.
"""

from __future__ import annotations

import hashlib

import polars as pl

from pipelines.transforms.normalize import stable_hash
from pipelines.transforms.resolve import HISTORY_SCHEMA


def _list_min(column: str) -> pl.Expr:
    """Smallest value of a list column (``list.min`` on strings allocates gigabytes at 1 M)."""
    return pl.col(column).list.eval(pl.element().min()).list.first()


def record_keys(features: pl.DataFrame) -> pl.Series:
    """Content-derived key per record (needs normalize_records' key columns and ``source``)."""
    identity = pl.coalesce(
        pl.lit("li|") + pl.col("linkedin_key"),
        pl.lit("xid|") + pl.col("x_id_key"),
        pl.lit("xh|") + pl.col("x_handle_key"),
        pl.lit("em|") + _list_min("email_keys"),
        pl.lit("ph|") + _list_min("phone_keys"),
        pl.lit("nm|")
        + pl.concat_str(
            [
                pl.col("first_key").fill_null(""),
                pl.col("last_key").fill_null(""),
                pl.col("company_key").fill_null(""),
                pl.col("location_key").fill_null(""),
                pl.col("birthday_key").fill_null(""),
                pl.col("street_key").fill_null(""),
            ],
            separator="|",
        ),
    )
    text = features.select(
        (pl.col("source").fill_null("") + pl.lit("\x1f") + identity).alias("k")
    ).get_column("k")
    hashed = ":" + stable_hash(text, 20).fill_null("")
    return features.select(pl.col("source").fill_null("unknown")).get_column("source") + hashed


def seed_ids(record_keys: pl.Series) -> pl.Series:
    """Per record key, the person id of a new cluster whose smallest key it is (``p_`` + 12
    hex of sha1), unless another cluster holds that id already (then it is salted)."""
    return "p_" + stable_hash(record_keys, 12)


def _new_id(seed: str, taken: set[str]) -> str:
    candidate = "p_" + hashlib.sha1(seed.encode()).hexdigest()[:12]
    salt = 0
    while candidate in taken:
        salt += 1
        candidate = "p_" + hashlib.sha1(f"{seed}#{salt}".encode()).hexdigest()[:12]
    return candidate


def assign_person_ids(
    clusters: pl.DataFrame, previous: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``clusters``: record_key, cluster (any id), seed_id (``seed_ids`` of the record key:
    the resolver hashes them while it blocks and scores) -> (cluster, person_id) and
    history rows."""
    prev = (
        previous.select("record_key", "person_id")
        .drop_nulls()
        .unique(subset="record_key", keep="first")
        if previous.height
        else pl.DataFrame(schema={"record_key": pl.String, "person_id": pl.String})
    )
    tagged = clusters.join(prev, on="record_key", how="left")
    seeds = clusters.group_by("cluster").agg(
        pl.col("record_key").min().alias("seed"),
        pl.col("seed_id").get(pl.col("record_key").arg_min()),
    )
    votes = (
        tagged.filter(pl.col("person_id").is_not_null())
        .group_by("cluster", "person_id")
        .agg(pl.len().alias("n"))
        .join(seeds, on="cluster")
    )
    # each old id goes to the cluster holding most of its records
    owner = votes.sort(
        ["person_id", "n", "seed", "cluster"], descending=[False, True, False, False]
    ).unique(subset="person_id", keep="first", maintain_order=True)
    # each cluster keeps the old id most of its records carry
    kept = owner.sort(["cluster", "n", "person_id"], descending=[False, True, False]).unique(
        subset="cluster", keep="first", maintain_order=True
    )
    # nothing below depends on prev's row order (votes are sorted before use), so it is
    # not sorted: sorting a million record keys took 1.3 s at 1 M records
    # two clusters can share a seed (the same contact twice in one export, kept apart by a
    # guard): the cluster label breaks the tie, so the salted ids do not depend on row order
    fresh = seeds.join(kept.select("cluster"), on="cluster", how="anti").sort("seed", "cluster")
    new_ids = fresh.get_column("seed_id")
    # salted in seed order where an old id or an earlier cluster (same seed) holds the id;
    # a salted id also avoids every unsalted one
    clash = new_ids.is_in(prev["person_id"].implode()) | ~new_ids.is_first_distinct()
    rows = clash.arg_true()
    if rows.len():
        taken = set(prev["person_id"].unique().to_list()) | set(new_ids.to_list())
        salted = []
        for seed in fresh.get_column("seed").gather(rows).to_list():
            salted.append(_new_id(seed, taken))
            taken.add(salted[-1])
        new_ids = new_ids.scatter(rows, pl.Series(salted, dtype=pl.String))
    mapping = pl.concat(
        [
            kept.select("cluster", "person_id"),
            fresh.select("cluster", new_ids.alias("person_id")),
        ]
    )
    moved = (
        votes.select("cluster", pl.col("person_id").alias("old_person_id"))
        .join(mapping.rename({"person_id": "new_person_id"}), on="cluster")
        .filter(pl.col("old_person_id") != pl.col("new_person_id"))
    )
    spread = votes.group_by("person_id").agg(pl.len().alias("clusters"))
    history = (
        moved.join(spread, left_on="old_person_id", right_on="person_id", how="left")
        .with_columns(
            pl.when(pl.col("clusters") > 1)
            .then(pl.lit("split"))
            .otherwise(pl.lit("merged"))
            .alias("change")
        )
        .select(list(HISTORY_SCHEMA))
        .unique()
        .sort(list(HISTORY_SCHEMA))
    )
    return mapping, history
