"""The progress reporter: live line with rate and ETA on a terminal, plain lines elsewhere."""

from __future__ import annotations

import io
import time
from pathlib import Path

from connectors.base import ExportFile
from pipelines.progress import Progress


def test_live_progress_counts_bytes_read_from_export_files(tmp_path: Path) -> None:
    export = tmp_path / "big.mbox"
    export.write_bytes(b"x" * 3_000_000)
    out = io.StringIO()
    progress = Progress(out, live=True)
    progress.start("parse", total=3_000_000, in_bytes=True)
    with ExportFile(export).open() as handle:
        for _ in range(3):
            handle.read(1_000_000)
            time.sleep(0.25)
    progress.finish("1 file read")
    text = out.getvalue()
    assert "\r" in text and "/s" in text and "ETA" in text and "%" in text
    assert text.endswith("parse: 1 file read in " + text.rsplit(" in ", 1)[1])
    # the hook is removed after the stage: later reads are not counted
    with ExportFile(export).open() as handle:
        handle.read()
    assert out.getvalue() == text


def test_plain_progress_is_one_line_per_stage() -> None:
    out = io.StringIO()
    progress = Progress(out, live=False)
    progress.start("resolve")
    progress.advance(10)
    progress.finish("10 records")
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("resolve: 10 records in ")
