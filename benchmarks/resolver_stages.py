"""Seconds and memory of the resolver's record-wise stages: normalise, block, record keys, ids.

    python benchmarks/resolver_stages.py --records 100000 [--records 1000000] [--repeat 3]
    python benchmarks/resolver_stages.py --records 100000 --save-reference   # first
    python benchmarks/resolver_stages.py --records 100000 --stage block --repeat 3
    python benchmarks/resolver_stages.py --records 100000 --check

Records come from benchmarks/generate_network.py (cached in benchmarks/out/resolver/).
Each stage runs in its own subprocess on inputs read from disk. Per stage it prints the
wall and CPU seconds (best of ``--repeat``; CPU time is steadier on a shared machine) and
the peak RSS above the RSS at the stage's start (sampled every 20 ms) and the process's
peak RSS (inputs included; memory freed before the stage may be reused by it, so both).
``--save-reference`` writes the stage outputs (features, candidate pairs with their rule
masks, record keys, person ids and history for a first and a second run) next to the
records; ``--check`` asserts the current code reproduces them exactly (``frame.equals``).
Clusters for the ids stage are the generator's true people (a second run splits and merges
some of them), so the ids stage does not need scoring. Counts and seconds only.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

OUT = ROOT / "benchmarks" / "out" / "resolver"
# prepare runs before block and ids: they read its saved features (reference_<size>/)
STAGES = ("normalize", "prepare", "block", "ids")


def _rss() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


class _Peak:
    """Peak RSS (bytes) in a background thread while the block runs."""

    def __enter__(self) -> _Peak:
        self.start = _rss()
        self.peak = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss())


def records_for(size: int) -> pl.DataFrame:
    path = OUT / f"records_{size}.parquet"
    if not path.exists():
        from generate_network import generate

        OUT.mkdir(parents=True, exist_ok=True)
        generate(size).write_parquet(path)
    return pl.read_parquet(path)


def clusters_for(features: pl.DataFrame, truth: pl.DataFrame, second: bool) -> pl.DataFrame:
    """Cluster labels from the true people; the second run moves every 17th record to a
    cluster of its own and merges every 11th person into the next one."""
    labels = features.select("rid", "record_id").join(truth, on="record_id", how="left")
    labels = labels.sort("rid").with_columns(
        pl.col("person_id_true").rank("dense").cast(pl.Int64).alias("cluster")
    )
    if second:
        labels = labels.with_columns(
            pl.when(pl.col("rid") % 17 == 0)
            .then(-pl.col("rid").cast(pl.Int64) - 1)
            .when(pl.col("cluster") % 11 == 0)
            .then(pl.col("cluster") + 1)
            .otherwise(pl.col("cluster"))
            .alias("cluster")
        )
    return labels.select("cluster")


def run_stage(size: int, stage: str, repeat: int, mode: str) -> dict[str, Any]:
    """One stage on inputs read from disk, so its peak is its own (a fresh process)."""
    from pipelines.transforms.normalize import NormalizeConfig, normalize_records
    from pipelines.transforms.resolve import ResolveConfig
    from pipelines.transforms.resolve.blocking import block
    from pipelines.transforms.resolve.ids import assign_person_ids, record_keys, seed_ids

    reference = OUT / f"reference_{size}"
    out: dict[str, Any] = {}
    outputs: dict[str, pl.DataFrame] = {}

    def timed(name: str, fn: Callable[[], Any]) -> Any:
        best = cpu = float("inf")
        peak = absolute = 0
        result = None
        for _ in range(repeat):
            result = None
            gc.collect()
            with _Peak() as memory:
                started, cpu_started = time.perf_counter(), time.process_time()
                result = fn()
                seconds = time.perf_counter() - started
                cpu = min(cpu, time.process_time() - cpu_started)
            best = min(best, seconds)
            peak = max(peak, memory.peak - memory.start)
            absolute = max(absolute, memory.peak)
        out[f"{name}.seconds"] = round(best, 3)
        out[f"{name}.cpu_seconds"] = round(cpu, 3)
        out[f"{name}.peak_gb"] = round(peak / 1e9, 3)
        out[f"{name}.process_peak_gb"] = round(absolute / 1e9, 3)
        return result

    config = ResolveConfig()
    if stage == "normalize":
        records = records_for(size).drop("person_id_true")
        out["records"] = records.height
        from pipelines.transforms.resolve.engine import INPUT_COLUMNS

        present = [c for c in INPUT_COLUMNS if c in records.columns]
        base = records.select(present).sort("record_id").with_row_index("rid")
        base = base.with_columns(pl.col("rid").cast(pl.UInt32))
        region = NormalizeConfig(default_region=config.default_region)
        del records
        outputs["normalized"] = timed("normalize_records", lambda: normalize_records(base, region))
    elif stage == "prepare":
        from pipelines.transforms.resolve.engine import prepare

        records = records_for(size).drop("person_id_true")
        outputs["features"] = timed("prepare", lambda: prepare(records, config))
    elif stage == "block":
        features = pl.read_parquet(reference / "features.parquet")
        blocking = timed("block", lambda: block(features))
        outputs["pairs"] = blocking.pairs
        out["candidate_pairs"] = blocking.pairs.height
        if mode == "save":
            (reference / "stats.json").write_text(json.dumps(blocking.stats, sort_keys=True))
        elif mode == "check":
            stats = json.loads((reference / "stats.json").read_text())
            out["identical.stats"] = stats == blocking.stats
    elif stage == "ids":
        features = pl.read_parquet(reference / "features.parquet")
        truth = pl.read_parquet(
            OUT / f"records_{size}.parquet", columns=["record_id", "person_id_true"]
        )
        keys = timed("record_keys", lambda: record_keys(features))
        seeds = timed("seed_ids", lambda: seed_ids(keys))
        first = clusters_for(features, truth, second=False).with_columns(
            keys.alias("record_key"), seeds.alias("seed_id")
        )
        second = clusters_for(features, truth, second=True).with_columns(
            keys.alias("record_key"), seeds.alias("seed_id")
        )
        del features, truth
        empty = pl.DataFrame(schema={"record_key": pl.String, "person_id": pl.String})
        mapping1, history1 = timed("assign_ids.first", lambda: assign_person_ids(first, empty))
        previous = first.join(mapping1, on="cluster").select("record_key", "person_id")
        mapping2, history2 = timed("assign_ids.second", lambda: assign_person_ids(second, previous))
        outputs.update(
            keys=keys.to_frame("record_key"),
            mapping1=mapping1.sort("cluster"),
            history1=history1,
            mapping2=mapping2.sort("cluster"),
            history2=history2,
        )
    if mode == "save":
        reference.mkdir(parents=True, exist_ok=True)
        for name, frame in outputs.items():
            frame.write_parquet(reference / f"{name}.parquet")
    elif mode == "check":
        for name, frame in outputs.items():
            expected = pl.read_parquet(reference / f"{name}.parquet")
            same = frame.schema == expected.schema and frame.equals(expected)
            out[f"identical.{name}"] = same
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, action="append")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--stage", choices=STAGES, action="append")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--save-reference", action="store_true")
    group.add_argument("--check", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    mode = "save" if args.save_reference else "check" if args.check else "time"
    stages = args.stage or list(STAGES)
    if args.child:
        print(json.dumps(run_stage(args.records[0], stages[0], args.repeat, mode)))
        return
    for size in args.records or [100_000]:
        print(f"{size:>9,} records (generator size)")
        for stage in stages:
            command = [sys.executable, __file__, "--child", "--records", str(size)]
            command += ["--stage", stage, "--repeat", str(args.repeat)]
            command += {"save": ["--save-reference"], "check": ["--check"], "time": []}[mode]
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            if result.returncode:
                sys.stderr.write(result.stderr)
                raise SystemExit(result.returncode)
            stats = json.loads(result.stdout.strip().splitlines()[-1])
            for key, value in stats.items():
                print(f"  {key:<28} {value}", flush=True)


if __name__ == "__main__":
    main()
