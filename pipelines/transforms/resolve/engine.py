"""The resolver's stages in order: normalise, block, score, cluster, name.

Kept apart from the package ``__init__`` (the interface) so the interface imports nothing
heavy. Stats hold counts and seconds only, never a value from a record.
"""

from __future__ import annotations

import functools
import re
import time
from concurrent.futures import ThreadPoolExecutor

import polars as pl

from pipelines.transforms.normalize import (
    NormalizeConfig,
    email_key,
    linkedin_key,
    normalize_records,
    phones_e164,
    x_handle_key,
)
from pipelines.transforms.resolve import (
    LINK_SCHEMA,
    Overrides,
    PartitionMapper,
    Resolution,
    ResolveConfig,
    map_locally,
)
from pipelines.transforms.resolve.addresses import (
    with_names_from_addresses,
    with_names_from_work_addresses,
    with_spelled_names,
    with_surnames_from_handles,
)
from pipelines.transforms.resolve.blocking import DEFAULT_RULES, block
from pipelines.transforms.resolve.clustering import EDGE_SCHEMA, cluster
from pipelines.transforms.resolve.comparisons import (
    FULL_NAME_LEVELS,
    Comparison,
    default_comparisons,
)
from pipelines.transforms.resolve.ids import assign_person_ids, record_keys, seed_ids
from pipelines.transforms.resolve.namesakes import (
    join_near_names_at_one_employer,
    join_sole_namesakes,
)
from pipelines.transforms.resolve.scoring import add_features, explain, score_pairs

# the record columns the resolver reads (everything else is ignored)
INPUT_COLUMNS = (
    "record_id",
    "source",
    "full_name",
    "first_name",
    "last_name",
    "emails",
    "phones",
    "company",
    "location",
    "linkedin_url",
    "x_handle",
    "x_account_id",
    "urls",
    "birthday",
    "street",
)
_EXPLAIN_CHUNK = 50_000  # links explained at once (two chunks at a time)
_PERSON_ID = re.compile(r"^p_[0-9a-f]{12}$")


def _identifier_rids(
    identifier: str, features: pl.DataFrame, previous_ids: pl.DataFrame, region: str
) -> list[int]:
    """Records an override identifier names, matched through the normalised keys."""
    value = identifier.strip()
    if _PERSON_ID.match(value):
        return previous_ids.filter(pl.col("person_id") == value)["rid"].to_list()
    one = pl.DataFrame({"v": [value]})
    if "linkedin.com" in value.lower():
        key = one.select(linkedin_key(pl.col("v"))).item()
        hits = features.filter(pl.col("linkedin_key") == key) if key else None
    elif "@" in value[1:] and not value.startswith("@"):
        key = one.select(email_key(pl.col("v"))).item()
        hits = features.filter(pl.col("email_keys").list.contains(key)) if key else None
    elif value.startswith("@") or re.search(r"(?i)(twitter|x)\.com/", value):
        key = one.select(x_handle_key(pl.col("v"))).item()
        hits = features.filter(pl.col("x_handle_key") == key) if key else None
    else:
        phones = phones_e164(pl.Series([[value]]), region)[0]
        key = phones[0] if len(phones) else None
        hits = features.filter(pl.col("phone_keys").list.contains(key)) if key else None
    return [] if hits is None else hits["rid"].to_list()


def _override_constraints(
    overrides: Overrides,
    features: pl.DataFrame,
    previous_ids: pl.DataFrame,
    region: str,
) -> tuple[pl.DataFrame, dict[int, set[str]], int]:
    """Must-link edges, cannot-link tokens per rid, and how many identifiers matched nothing."""
    unmatched = 0
    edges: list[tuple[int, int]] = []
    for a, b in overrides.must_link:
        rids_a = _identifier_rids(a, features, previous_ids, region)
        rids_b = _identifier_rids(b, features, previous_ids, region)
        unmatched += (not rids_a) + (not rids_b)
        group = sorted(set(rids_a) | set(rids_b))
        edges.extend((group[0], other) for other in group[1:])
    tokens: dict[int, set[str]] = {}
    for index, (a, b) in enumerate(overrides.cannot_link):
        for side, identifier in (("a", a), ("b", b)):
            rids = _identifier_rids(identifier, features, previous_ids, region)
            unmatched += not rids
            for rid in rids:
                tokens.setdefault(rid, set()).add(f"cannot{index}:{side}")
    must = pl.DataFrame(
        {
            "rid_l": [min(e) for e in edges],
            "rid_r": [max(e) for e in edges],
            "score": [float("inf")] * len(edges),
            "strong": [True] * len(edges),
            "must": [True] * len(edges),
        },
        schema=EDGE_SCHEMA,
    )
    return must, tokens, unmatched


def _keys_and_seed_ids(features: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
    keys = record_keys(features)
    return keys, seed_ids(keys)


def _score_partition(
    pairs: pl.DataFrame,
    features: pl.DataFrame,
    merge_threshold: float,
    maybe_threshold: float,
    comparisons: tuple[Comparison, ...],
) -> pl.DataFrame:
    """score_pairs for one partition, keeping only the pairs later stages read.

    'no' pairs are counted nowhere and linked nowhere, so a partition returns its merge,
    maybe and cannot pairs, and the 'no' pairs the employer pass reads (_near_names): about
    a third of the candidates at 1 M records.
    """
    scored = score_pairs(
        pairs.select("rid_l", "rid_r"),
        features=features,
        merge_threshold=merge_threshold,
        maybe_threshold=maybe_threshold,
        comparisons=comparisons,
    )
    return scored.filter((pl.col("decision") != "no") | _near_names())


def _near_names() -> pl.Expr:
    """Pairs the employer pass may join: the full names agree (exactly or nearly) and the
    score leans neither way or better. Below the maybe threshold too: at 100 k records,
    scores 0-2 added 0.4 % recall at unchanged precision."""
    return pl.col("name").is_in(FULL_NAME_LEVELS) & (pl.col("score") >= 0.0)


def prepare(records: pl.DataFrame, config: ResolveConfig) -> pl.DataFrame:
    """Records sorted by record_id with ``rid`` (0..n-1) and every normalised feature."""
    present = [c for c in INPUT_COLUMNS if c in records.columns]
    base = records.select(present).sort("record_id").with_row_index("rid")
    base = base.with_columns(pl.col("rid").cast(pl.UInt32))
    base = with_names_from_addresses(base)
    features = normalize_records(base, NormalizeConfig(default_region=config.default_region))
    features = with_surnames_from_handles(with_names_from_work_addresses(features))
    features = with_spelled_names(features)
    # the raw input columns are read by nothing after here: drop them (a third of the frame)
    raw = [c for c in INPUT_COLUMNS if c not in ("record_id", "source")]
    return add_features(features).drop(raw, strict=False)


def run(
    records: pl.DataFrame,
    previous: pl.DataFrame,
    overrides: Overrides,
    config: ResolveConfig,
    map_partitions: PartitionMapper = map_locally,
) -> Resolution:
    stats: dict[str, float] = {"records": float(records.height)}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        stats[f"seconds.{stage}"] = round(now - clock, 3)
        clock = now

    features = prepare(records, config)
    n = features.height
    lap("normalize")
    # record keys and the ids they would seed hash every record in Python while blocking
    # and scoring run in polars and rapidfuzz (which release the GIL): on a thread of their
    # own, they fill the idle time
    background = ThreadPoolExecutor(max_workers=1)
    keys_soon = background.submit(_keys_and_seed_ids, features)
    background.shutdown(wait=False)
    blocking = block(features, DEFAULT_RULES)
    stats.update(blocking.stats)
    lap("blocking")
    comparisons = default_comparisons()
    partitions = [
        blocking.pairs.slice(start, config.pairs_per_partition)
        for start in range(0, max(blocking.pairs.height, 1), config.pairs_per_partition)
    ]
    score = functools.partial(
        _score_partition,
        features=features,
        merge_threshold=config.merge_threshold,
        maybe_threshold=config.maybe_threshold,
        comparisons=comparisons,
    )
    scored = pl.concat(map_partitions(score, partitions))
    stats["scoring.partitions"] = float(len(partitions))
    lap("scoring")
    keys, seeds = keys_soon.result()
    previous_ids = (
        features.select("rid")
        .with_columns(keys.alias("record_key"))
        .join(previous.select("record_key", "person_id").unique("record_key"), on="record_key")
        if previous.height
        else pl.DataFrame(
            schema={"rid": pl.UInt32, "record_key": pl.String, "person_id": pl.String}
        )
    )
    must, tokens, unmatched = _override_constraints(
        overrides, features, previous_ids, config.default_region
    )
    # only a name-level edge is 'weak' in clustering: an identifier, or the employer,
    # birthday or street agreeing, lets a link join groups whose other fields differ
    merges = scored.filter(pl.col("decision") == "merge").select(
        "rid_l",
        "rid_r",
        "score",
        (pl.col("strong") | pl.col("corroborated")).alias("strong"),
        pl.lit(False).alias("must"),
    )
    edges = pl.concat([must, merges.cast(EDGE_SCHEMA)]) if must.height else merges
    labels, refused = cluster(n, edges.cast(EDGE_SCHEMA), features, tokens)
    labels, namesakes = join_sole_namesakes(labels, features, list(tokens))
    stats["pairs.sole_namesakes"] = float(namesakes.height)
    near_names = scored.filter(pl.col("decision").is_in(["maybe", "no"]) & _near_names()).select(
        "rid_l", "rid_r"
    )
    labels, colleagues = join_near_names_at_one_employer(labels, near_names, features, list(tokens))
    stats["pairs.same_employer"] = float(colleagues.height)
    stats["overrides.unmatched_identifiers"] = float(unmatched)
    stats["pairs.merge"] = float(merges.height)
    stats["pairs.maybe"] = float(scored.filter(pl.col("decision") == "maybe").height)
    stats["pairs.cannot"] = float(scored.filter(pl.col("decision") == "cannot").height)
    stats["pairs.refused_by_guards"] = float(refused.height)
    lap("clustering")

    clusters = pl.DataFrame({"record_key": keys, "cluster": labels, "seed_id": seeds})
    mapping, history = assign_person_ids(clusters, previous)
    assignments = (
        features.select("rid", "record_id")
        .with_columns(keys.alias("record_key"), labels.alias("cluster"))
        .join(mapping, on="cluster", how="left")
        .select("record_id", "person_id", "record_key")
    )
    stats["people"] = float(mapping.height)
    # pairs the group-level passes joined, scored for their explanation
    group_joins = score_pairs(
        pl.concat(
            [
                namesakes.with_columns(pl.lit("sole_namesake").alias("_pass")),
                colleagues.with_columns(pl.lit("same_employer").alias("_pass")),
            ]
        ),
        features,
        config.merge_threshold,
        config.maybe_threshold,
        comparisons,
    )
    links = _links(scored, group_joins, refused, must, features, labels, map_partitions)
    lap("ids_and_links")
    return Resolution(assignments=assignments, links=links, history=history, stats=stats)


def _explained(candidates: pl.DataFrame, features: pl.DataFrame) -> pl.DataFrame:
    """Link rows (by rid) of candidate pairs: the decision as linked, why, and the details."""
    linked = ((pl.col("decision") == "merge") & pl.col("_same")) | pl.col("_pass").is_not_null()
    decision = pl.when(linked).then(pl.lit("merge")).otherwise(pl.lit("maybe"))
    rule = (
        pl.when(pl.col("_pass").is_not_null())
        .then(pl.col("_pass") + pl.lit(" ") + pl.col("rule"))
        .when(pl.col("reason").is_not_null())
        .then(pl.lit("guard:") + pl.col("reason") + pl.lit(" ") + pl.col("rule"))
        .otherwise(pl.col("rule"))
    )
    return explain(candidates, features).select(
        "rid_l", "rid_r", decision.alias("decision"), rule.alias("rule"), "score", "details"
    )


def _links(
    scored: pl.DataFrame,
    group_joins: pl.DataFrame,
    refused: pl.DataFrame,
    must: pl.DataFrame,
    features: pl.DataFrame,
    labels: pl.Series,
    map_partitions: PartitionMapper,
) -> pl.DataFrame:
    """LINK_SCHEMA rows: merges that joined records, maybes, guard refusals, the group-level
    joins (``group_joins``: those pairs scored, ``_pass`` naming the pass), must-links."""
    candidates = pl.concat(
        [
            scored.filter(pl.col("decision").is_in(["merge", "maybe"])).join(
                group_joins, on=["rid_l", "rid_r"], how="anti"
            ),
            group_joins,
        ],
        how="diagonal_relaxed",
    )
    same = labels.gather(candidates["rid_l"]) == labels.gather(candidates["rid_r"])
    candidates = candidates.with_columns(same.alias("_same")).join(
        refused, on=["rid_l", "rid_r"], how="left"
    )
    # explained in chunks, like scoring partitions: two at once, and only the link columns
    # survive, each chunk's wide _l/_r frame (every compared value of both sides) is dropped
    chunks = [
        candidates.slice(start, _EXPLAIN_CHUNK)
        for start in range(0, max(candidates.height, 1), _EXPLAIN_CHUNK)
    ]
    explained = pl.concat(map_partitions(functools.partial(_explained, features=features), chunks))
    record_id = features.get_column("record_id")  # row i is rid i (prepare)

    def with_record_ids(pairs: pl.DataFrame) -> pl.DataFrame:
        return pairs.with_columns(
            record_id.gather(pairs["rid_l"]).alias("record_id_l"),
            record_id.gather(pairs["rid_r"]).alias("record_id_r"),
        )

    out = [with_record_ids(explained).select(list(LINK_SCHEMA))]
    if must.height:
        out.append(
            with_record_ids(must).select(
                "record_id_l",
                "record_id_r",
                pl.lit("must_link").alias("decision"),
                pl.lit("override:must_link").alias("rule"),
                pl.lit(None, pl.Float64).alias("score"),
                pl.lit("{}").alias("details"),
            )
        )
    return pl.concat(out).cast(LINK_SCHEMA).sort("record_id_l", "record_id_r")
