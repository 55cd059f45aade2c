"""Scale benchmark: synthetic exports of N contact records through the real ``kith sync``.

    python benchmarks/scale.py --records 100000 [--records 1000000] [--splink]

For each size it generates a network with ground truth (benchmarks/generate_network.py),
writes it as real export files (LinkedIn Connections.csv, Google CSV for Google and Gmail
contacts, Outlook.com CSV, vCard, X followers CSV),
runs ``kith sync`` on them in a fresh database, and prints seconds per stage (discover,
parse, normalise, block, score, cluster, load), candidate pairs per record, pairs/s, the
sync process's peak memory, and pairwise precision / recall / F1 against the truth.
With ``--splink`` it also runs Splink 5 (DuckDB backend; ``pip install splink``) on the same
records and prints the time and accuracy ratio. Figures go to stdout; nothing is logged.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from accuracy import pairwise_metrics  # noqa: E402
from generate_network import (  # noqa: E402
    EXPORT_FILES,
    NAME_DENSITIES,
    generate,
    write_exports,
)


def truth_by_row(frame: pl.DataFrame) -> pl.DataFrame:
    """(source_file, source_row) → person_id_true, in the order write_exports writes rows."""
    parts = [
        frame.filter(pl.col("source") == source)
        .drop("source_row")
        .with_row_index("source_row", offset=1)
        .select(
            pl.lit(name).alias("source_file"), pl.col("source_row").cast(pl.Int64), "person_id_true"
        )
        for source, name in EXPORT_FILES
    ]
    return pl.concat(parts)


def _peak_rss(pid: int) -> int:
    """The process's peak resident memory so far (VmHWM), in bytes."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return int(match.group(1)) * 1024 if match else 0


def run_sync(exports: Path, db: Path) -> tuple[float, int, str]:
    """The real CLI in a child process; returns wall seconds, its peak RSS in bytes, stdout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KITH_")}
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "sync", str(exports), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    peak = 0
    out: list[str] = []
    reader = threading.Thread(
        target=lambda: out.append(child.stdout.read() if child.stdout else "")
    )
    reader.start()
    while child.poll() is None:
        peak = max(peak, _peak_rss(child.pid))
        time.sleep(0.05)
    reader.join()
    stderr = child.stderr.read() if child.stderr else ""
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(
            f"kith sync failed: {stderr.strip().splitlines()[-1] if stderr else child.returncode}"
        )
    return seconds, peak, out[0]


def stage_seconds(stdout: str) -> dict[str, float]:
    """Seconds per stage from the sync's one-line-per-stage progress output."""
    return {
        match.group(1): float(match.group(2))
        for match in re.finditer(r"^(\w+): .* in ([0-9.]+) s$", stdout, re.M)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, action="append", help="sizes (repeatable)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--names", choices=NAME_DENSITIES, default="census")
    parser.add_argument(
        "--splink", action="store_true", help="also run Splink 5 on the same records"
    )
    args = parser.parse_args()
    for size in args.records or [10_000]:
        benchmark(size, args.seed, args.names, args.splink)


def benchmark(size: int, seed: int, names: str, with_splink: bool) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"kith-scale-{size}-"))
    frame = generate(size, seed, names)
    exports = work / "exports"
    write_exports(frame, exports)
    (exports / "truth.json").unlink(missing_ok=True)
    megabytes = sum(p.stat().st_size for p in exports.iterdir()) / 1e6
    db = work / "kith.duckdb"
    seconds, peak, stdout = run_sync(exports, db)
    con = duckdb.connect(str(db), read_only=True)
    stats = json.loads(con.execute("select stats from sync_runs").fetchone()[0])  # type: ignore[index]
    assigned = pl.from_arrow(
        con.execute(
            "select source_file, source_row, person_id from person_sources where person_id is not null"
        ).to_arrow_table()
    )
    con.close()
    assert isinstance(assigned, pl.DataFrame)
    joined = assigned.join(truth_by_row(frame), on=["source_file", "source_row"], how="inner")
    metrics = pairwise_metrics(joined, "person_id", "person_id_true")
    precision, recall, f1 = metrics["precision"], metrics["recall"], metrics["f1"]
    resolver = stats["resolver"]
    stages = stage_seconds(stdout)
    pairs = resolver.get("blocking.candidate_pairs", 0.0)
    print(
        f"== {size:,} records ({frame['person_id_true'].n_unique():,} people, {megabytes:.0f} MB of exports)"
    )
    flow_seconds = sum(stages.values())
    print(
        f"   end to end: {flow_seconds:.1f} s in the flow, {seconds:.1f} s wall incl. Prefect start-up; "
        f"peak memory {peak / 2**30:.2f} GB"
    )
    for stage in ("discover", "parse"):
        print(f"   {stage:<10} {stages.get(stage, 0):7.2f} s")
    for stage in ("normalize", "blocking", "scoring", "clustering", "ids_and_links"):
        print(f"   {stage:<10} {resolver.get(f'seconds.{stage}', 0):7.2f} s")
    resolver_seconds = sum(
        resolver.get(f"seconds.{s}", 0.0)
        for s in ("normalize", "blocking", "scoring", "clustering", "ids_and_links")
    )
    print(
        f"   {'build':<10} {stages.get('resolve', 0) - resolver_seconds:7.2f} s (keys, people, ...)"
    )
    print(f"   {'load':<10} {stages.get('load', 0):7.2f} s")
    print(
        f"   candidate pairs {pairs:,.0f} ({pairs / size:.1f} per record), "
        f"{pairs / max(resolver.get('seconds.scoring', 1e-9), 1e-9):,.0f} pairs/s scored"
    )
    print(
        f"   precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}  ({joined.height:,} records matched to truth)"
    )
    if with_splink:  # the resolver alone vs Splink 5 on the same frame: splink_compare.py
        from splink_compare import compare, report

        report(compare(frame))


if __name__ == "__main__":
    main()
