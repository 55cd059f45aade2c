"""A pause point for the crash and concurrency tests (inactive unless both variables are set).

``KITH_PAUSE_AT=<stage>`` and ``KITH_PAUSE_FILE=<path>``: on reaching ``stage`` the sync
creates the file and waits while it exists (at most two minutes), so a test can SIGKILL the
process, or query the database, at a known point of the sync.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

MAX_PAUSE_SECONDS = 120


def pause_point(stage: str) -> None:
    if os.environ.get("KITH_PAUSE_AT") != stage or not os.environ.get("KITH_PAUSE_FILE"):
        return
    marker = Path(os.environ["KITH_PAUSE_FILE"])
    marker.write_text(stage)
    deadline = time.monotonic() + MAX_PAUSE_SECONDS
    while marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
