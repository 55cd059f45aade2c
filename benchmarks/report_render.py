"""Render the bundled sample's report, time it, and screenshot it in headless Chromium.

Writes ``docs/report.png`` (the picture in the README) and prints the report's size, render time
and what the browser saw. Needs Debian's ``chromium`` (see .ci/run) and ``pip install -e .[test]``.

    python benchmarks/report_render.py [--screenshot docs/report.png] [--scale 50000]

``--scale N`` also times the report on a copy whose people and relationships are repeated to
about N people (made-up ids; the same names), to show how it grows.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.report import write_report  # noqa: E402
from tests.pipelines.browser import open_offline  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--screenshot", default=str(ROOT / "docs" / "report.png"))
    parser.add_argument("--scale", type=int, default=0, help="also time ~N people (0: skip)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        db = work / "kith.duckdb"
        env = {k: v for k, v in os.environ.items() if not k.startswith("KITH_")}
        subprocess.run(
            [sys.executable, "-m", "pipelines.cli", "sync", "--db", str(db), "--quiet"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        out = work / "kith-report.html"
        result = write_report(db, out)
        print(
            f"sample report: {result.size_bytes / 1024:.0f} KB, {result.charts} charts, "
            f"{result.sections_missing} parts not available, rendered in {result.seconds:.2f} s"
        )
        started = time.perf_counter()
        raw = work / "report.png"
        run = open_offline(out, raw)
        print(
            f"chromium: loaded and screenshotted in {time.perf_counter() - started:.2f} s; "
            f"{len(run.charts)} charts drawn, {len(run.console_errors)} console errors, "
            f"{len(run.blocked)} network requests attempted"
        )
        _save_small_png(raw, Path(args.screenshot))
        print(f"screenshot: {args.screenshot} ({Path(args.screenshot).stat().st_size // 1024} KB)")
        if args.scale:
            _scaled(db, work, args.scale)
    return 0


def _save_small_png(source: Path, target: Path) -> None:
    """A 256-colour PNG: the page is flat colours, so it looks the same at a third the size."""
    from PIL import Image

    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
            target, optimize=True
        )


def _scaled(db: Path, work: Path, people: int) -> None:
    big = work / "big.duckdb"
    shutil.copy(db, big)
    con = duckdb.connect(str(big))
    base = con.sql("select count(*) from people").fetchone()
    copies = max(1, people // max(1, int(base[0] if base else 1)))
    for statement in (ROOT / "benchmarks" / "report_scale.sql").read_text().split(";"):
        if statement.strip():
            params = {"copies": copies} if "$copies" in statement else {}
            con.execute(statement, params)
    total = con.sql("select count(*) from people").fetchone()
    con.close()
    result = write_report(big, work / "big.html")
    print(
        f"scaled report: {total[0] if total else 0:,} people, {result.size_bytes / 1024:.0f} KB, "
        f"rendered in {result.seconds:.2f} s"
    )


if __name__ == "__main__":
    sys.exit(main())
