"""kith's resolver and Splink 5 side by side on the same synthetic records.

    pip install splink            # optional, benchmark-only (Splink 5, DuckDB backend)
    python benchmarks/splink_compare.py --records 100000 [--seed 7]

Generates a network with ground truth (benchmarks/generate_network.py), runs kith's
``resolve`` on it and Splink 5 on the same records, and prints for both: seconds, pairwise
precision / recall / F1 against ``person_id_true`` (from cluster sizes, no pair enumeration),
this process's peak RSS after each run (a high-water mark), and the ratios kith/Splink
seconds (kith's whole ``resolve`` against Splink's train + predict + cluster, and like for
like with neither preparing its input: kith without its normalisation, Splink without
``splink_input``) and kith F1 − Splink F1. Counts and timings only: no record values are printed.

The Splink model (documented so the comparison can be checked, not tuned per run):

- Input: contact fields only, lightly standardised the way a Splink user would: first and
  last name (taken from ``full_name`` when the split fields are empty; lower-cased, text in
  parentheses / after a comma / non-letters dropped), e-mails (array, lower-cased), phones
  (array of the last 9 digits, so '+49 …' and '0049 …' agree); an e-mail or phone held
  by more than 5 records (team inbox, switchboard) is dropped; company (lower-cased, legal
  suffixes dropped), city (``location`` before the first comma), LinkedIn slug, X handle.
- Comparisons: first and last name ``JaroWinklerAtThresholds`` [0.92, 0.8] with
  term-frequency adjustment on the exact level; e-mails and phones
  ``ArrayIntersectAtSizes`` [1]; company, city, LinkedIn slug and X handle ``ExactMatch``
  (LinkedIn and X with fixed m 0.9 / u 1e-6: their agreement is too rare in random pairs
  and EM blocks to estimate).
- Prediction blocking (near-linear): e-mail (exploded array), phone (exploded array),
  LinkedIn slug, X handle, first + last name, last name + company.
- Training: λ by ``estimate_probability_two_random_records_match`` from exact e-mail or
  LinkedIn (recall 0.6), u by ``estimate_u_using_random_sampling`` (1e6 pairs, seeded),
  m by EM on two blocking rules (first + last name; first e-mail).
- Predict at match probability ≥ 0.5, then ``cluster_pairwise_predictions_at_threshold``
  at 0.5 (connected components).
"""

from __future__ import annotations

import argparse
import logging
import resource
import sys
import time
from pathlib import Path
from typing import Any

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from accuracy import pairwise_metrics  # noqa: E402

from pipelines.transforms.resolve import Overrides, ResolveConfig, resolve  # noqa: E402

MATCH_PROBABILITY = 0.5
# An e-mail or phone held by more records than this is a team inbox or switchboard, not an
# identifier: dropped before Splink sees it (a data-quality rule, not fitted to the truth).
SHARED_IDENTIFIER_RECORDS = 5
# Unique profile identifiers almost never agree in random pairs nor inside the EM blocks, so
# their m/u cannot be estimated from this data; fixed priors: m 0.9, u 1e-6.
IDENTIFIER_M = [0.9, 0.1]
IDENTIFIER_U = [1e-6, 1 - 1e-6]


def pairwise(assigned: pl.DataFrame, predicted: str, truth: str) -> dict[str, float]:
    """Precision, recall and F1 only (accuracy.pairwise_metrics also counts pairs)."""
    metrics = pairwise_metrics(assigned, predicted, truth)
    return {key: metrics[key] for key in ("precision", "recall", "f1")}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _clean_name(column: pl.Expr) -> pl.Expr:
    return (
        column.str.to_lowercase()
        .str.replace_all(r"\(.*?\)", " ")
        .str.replace(r",.*$", "")
        .str.replace_all(r"[^a-z\s'-]", "")
        .str.strip_chars()
    )


def splink_input(records: pl.DataFrame) -> pl.DataFrame:
    """One row per record with the standardised contact columns the Splink model compares."""
    full = (
        _clean_name(pl.col("full_name"))
        .str.split(" ")
        .list.eval(pl.element().filter(pl.element() != ""))
    )
    first = _clean_name(pl.col("first_name")).str.split(" ").list.first()
    last = _clean_name(pl.col("last_name")).str.split(" ").list.last()

    def as_array(column: str, element: pl.Expr) -> pl.Expr:
        values = (
            pl.col(column)
            .list.eval(element)
            .list.eval(pl.element().filter(pl.element() != ""))
            .list.unique()
        )
        return pl.when(values.list.len() > 0).then(values).otherwise(None)

    frame = records.select(
        pl.col("record_id"),
        pl.coalesce(first.replace("", None), full.list.first()).alias("first_name"),
        pl.coalesce(
            last.replace("", None),
            pl.when(full.list.len() > 1).then(full.list.last()),
        ).alias("last_name"),
        as_array("emails", pl.element().str.to_lowercase().str.strip_chars()).alias("emails"),
        as_array("phones", pl.element().str.replace_all(r"\D", "").str.slice(-9)).alias("phones"),
        pl.col("company")
        .str.to_lowercase()
        .str.replace_all(r"[.,]", "")
        .str.replace(r"\s+(inc|corp|llc|ltd|gmbh|ag|sa|plc|co)$", "")
        .str.strip_chars()
        .replace("", None)
        .alias("company"),
        pl.col("location")
        .str.split(",")
        .list.first()
        .str.to_lowercase()
        .str.strip_chars()
        .replace("", None)
        .alias("city"),
        pl.col("linkedin_url")
        .str.to_lowercase()
        .str.extract(r"linkedin\.com/in/([^/?#]+)")
        .alias("linkedin"),
        pl.col("x_handle")
        .str.to_lowercase()
        .str.strip_prefix("@")
        .replace("", None)
        .alias("x_handle"),
    )
    for column in ("emails", "phones"):
        counts = frame.select(pl.col(column).explode().drop_nulls()).group_by(column).len()
        shared = counts.filter(pl.col("len") > SHARED_IDENTIFIER_RECORDS)[column].implode()
        kept = pl.col(column).list.set_difference(shared)
        frame = frame.with_columns(
            pl.when(kept.list.len() > 0).then(kept).otherwise(None).alias(column)
        )
    return frame.with_columns(pl.col("emails").list.first().alias("email1"))


def run_splink(records: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, float]]:
    """Splink 5 on DuckDB: returns (record_id, cluster_id) and seconds per step."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    stats: dict[str, float] = {}
    started = time.perf_counter()
    frame = splink_input(records)
    stats["prepare"] = time.perf_counter() - started

    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=[
            cl.JaroWinklerAtThresholds("first_name", [0.92, 0.8]).configure(
                term_frequency_adjustments=True
            ),
            cl.JaroWinklerAtThresholds("last_name", [0.92, 0.8]).configure(
                term_frequency_adjustments=True
            ),
            cl.ArrayIntersectAtSizes("emails", [1]),
            cl.ArrayIntersectAtSizes("phones", [1]),
            cl.ExactMatch("company"),
            cl.ExactMatch("city"),
            cl.ExactMatch("linkedin").configure(
                m_probabilities=IDENTIFIER_M, u_probabilities=IDENTIFIER_U
            ),
            cl.ExactMatch("x_handle").configure(
                m_probabilities=IDENTIFIER_M, u_probabilities=IDENTIFIER_U
            ),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("emails", arrays_to_explode=["emails"]),
            block_on("phones", arrays_to_explode=["phones"]),
            block_on("linkedin"),
            block_on("x_handle"),
            block_on("first_name", "last_name"),
            block_on("last_name", "company"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    db_api = DuckDBAPI()
    started = time.perf_counter()
    linker = Linker(db_api.register(frame.to_arrow()), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("email1"), block_on("linkedin")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "last_name")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("email1"))
    stats["train"] = time.perf_counter() - started

    started = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=MATCH_PROBABILITY)
    stats["predict"] = time.perf_counter() - started
    stats["predicted_pairs"] = float(
        predictions.as_duckdbpyrelation().aggregate("count(*)").fetchone()[0]  # type: ignore[index]
    )

    started = time.perf_counter()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=MATCH_PROBABILITY
    )
    assigned = pl.from_arrow(
        clusters.as_duckdbpyrelation().select("record_id, cluster_id").to_arrow_table()
    )
    stats["cluster"] = time.perf_counter() - started
    assert isinstance(assigned, pl.DataFrame)
    return assigned, stats


def compare(records: pl.DataFrame, truth_column: str = "person_id_true") -> dict[str, Any]:
    """Run kith's resolver and Splink 5 on ``records``; return seconds, accuracy and ratios."""
    truth = records.select("record_id", pl.col(truth_column).alias("truth"))
    inputs = records.drop(truth_column)

    started = time.perf_counter()
    resolution = resolve(
        inputs,
        pl.DataFrame(schema={"record_key": pl.String, "person_id": pl.String}),
        Overrides(),
        ResolveConfig(),
    )
    kith_seconds = time.perf_counter() - started
    kith_peak = _peak_mb()
    kith = pairwise(resolution.assignments.join(truth, on="record_id"), "person_id", "truth")
    kith.update(
        seconds=kith_seconds,
        seconds_normalize=resolution.stats["seconds.normalize"],
        peak_mb=kith_peak,
    )

    assigned, stats = run_splink(inputs)
    splink_peak = _peak_mb()
    splink: dict[str, float] = pairwise(assigned.join(truth, on="record_id"), "cluster_id", "truth")
    splink.update({f"seconds_{k}": v for k, v in stats.items() if k != "predicted_pairs"})
    splink["seconds"] = stats["train"] + stats["predict"] + stats["cluster"]
    splink["predicted_pairs"] = stats["predicted_pairs"]
    # ru_maxrss is the process's high-water mark (generation, kith, then Splink): Splink's
    # figure is at least kith's, so only a rise above it says anything about Splink.
    splink["peak_mb"] = splink_peak
    return {
        "records": records.height,
        "people": records[truth_column].n_unique(),
        "kith": kith,
        "splink": splink,
        "time_ratio": kith["seconds"] / splink["seconds"] if splink["seconds"] else float("inf"),
        # like for like: each without preparing its input columns (kith's normalisation,
        # Splink's standardisation in splink_input)
        "time_ratio_unprepared": (kith["seconds"] - kith["seconds_normalize"]) / splink["seconds"]
        if splink["seconds"]
        else float("inf"),
        "f1_difference": kith["f1"] - splink["f1"],
    }


def report(result: dict[str, Any]) -> None:
    kith, splink = result["kith"], result["splink"]
    print(f"== {result['records']:,} records, {result['people']:,} people")
    print(f"   {'':8}{'seconds':>9}{'precision':>11}{'recall':>9}{'F1':>9}{'peak MB':>10}")
    for name, row in (("kith", kith), ("splink", splink)):
        print(
            f"   {name:8}{row['seconds']:9.1f}{row['precision']:11.4f}{row['recall']:9.4f}"
            f"{row['f1']:9.4f}{row['peak_mb']:10.0f}"
        )
    print(
        f"   splink steps: prepare {splink['seconds_prepare']:.1f} s (not counted), "
        f"train {splink['seconds_train']:.1f} s, predict {splink['seconds_predict']:.1f} s "
        f"({splink['predicted_pairs']:,.0f} pairs ≥ {MATCH_PROBABILITY}), "
        f"cluster {splink['seconds_cluster']:.1f} s"
    )
    print(
        f"   kith steps: normalise {kith['seconds_normalize']:.1f} s, "
        f"block + score + cluster + ids and links {kith['seconds'] - kith['seconds_normalize']:.1f} s"
    )
    print(
        f"   kith/splink time {result['time_ratio']:.2f}x "
        f"({result['time_ratio_unprepared']:.2f}x with neither preparing its input), "
        f"kith F1 − splink F1 {result['f1_difference']:+.4f}"
    )


def main() -> None:
    from generate_network import NAME_DENSITIES, generate

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, action="append", help="sizes (repeatable)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--names", choices=NAME_DENSITIES, default="census")
    args = parser.parse_args()
    for size in args.records or [10_000]:
        report(compare(generate(size, args.seed, args.names)))


if __name__ == "__main__":
    main()
