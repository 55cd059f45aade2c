"""Progress for long syncs: a live line per stage on a terminal, one plain line per stage
elsewhere (CI, cron, Prefect workers), nothing with --quiet. Counts and rates only.

The flow reports through ``current()``; the CLI installs a reporter for its own run. Bytes
read from export files are counted through the connectors' read hook, so even one 4 GB
mailbox shows steady progress with a rate and an ETA.
"""

from __future__ import annotations

import threading
import time
from typing import TextIO

from connectors import base

RENDER_EVERY_SECONDS = 0.2


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


class Progress:
    def __init__(self, stream: TextIO | None, live: bool) -> None:
        self._stream = stream
        self._live = live
        self._lock = threading.Lock()
        self._stage = ""
        self._done = 0.0
        self._total: float | None = None
        self._bytes = False
        self._started = 0.0
        self._rendered = 0.0

    def start(self, stage: str, total: float | None = None, in_bytes: bool = False) -> None:
        with self._lock:
            self._stage, self._done, self._total, self._bytes = stage, 0.0, total, in_bytes
            self._started = self._rendered = time.monotonic()
        if in_bytes:
            base.set_read_hook(self.advance)

    def advance(self, amount: float) -> None:
        with self._lock:
            self._done += amount
            now = time.monotonic()
            if self._live and self._stream and now - self._rendered >= RENDER_EVERY_SECONDS:
                self._rendered = now
                self._write("\r\033[K" + self._line(now))

    def _line(self, now: float) -> str:
        elapsed = max(now - self._started, 1e-6)
        rate = self._done / elapsed
        shown = _size(self._done) if self._bytes else f"{self._done:,.0f}"
        text = f"{self._stage}: {shown}"
        if self._total:
            total = _size(self._total) if self._bytes else f"{self._total:,.0f}"
            text += f" / {total} ({100 * self._done / self._total:.0f} %)"
        text += f", {(_size(rate) if self._bytes else f'{rate:,.0f}')}/s"
        if self._total and rate > 0 and self._done < self._total:
            text += f", ETA {max(self._total - self._done, 0) / rate:.0f} s"
        return text

    def finish(self, detail: str) -> None:
        """Close the stage with one summary line (always, also when not a terminal)."""
        base.set_read_hook(None)
        with self._lock:
            seconds = time.monotonic() - self._started
            prefix = "\r\033[K" if self._live else ""
            self._write(f"{prefix}{self._stage}: {detail} in {seconds:.1f} s\n")

    def _write(self, text: str) -> None:
        """Progress must never fail a sync: a closed pipe just silences it."""
        if self._stream is None:
            return
        try:
            self._stream.write(text)
            self._stream.flush()
        except (OSError, ValueError):
            self._stream = None


_current = Progress(None, live=False)


def current() -> Progress:
    return _current


def install(progress: Progress) -> None:
    global _current
    _current = progress
