"""`kith explain` on the synced sample: why a person is one person, and what was not merged."""

from __future__ import annotations

import re

from tests.conftest import KithRunner, SyncedSample


def test_explain_shows_sources_links_and_only_real_near_misses(
    synced_sample: SyncedSample, kith: KithRunner
) -> None:
    # Ines Whitlock: Google card + LinkedIn (name and employer) and three X files (account
    # id); the X side joins the rest only as the one group of that name (sole namesake)
    done = kith("explain", "@ineswhitlo1", "--db", str(synced_sample.db))
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith("p_") and "Ines Whitlock" in text
    assert "5 record(s) from 3 source(s)" in text
    why, _, near = text.partition("Near-misses not merged")
    assert "rule x:id_exact" in why
    assert "rule name:exact company:exact" in why
    assert "rule sole_namesake name:exact" in why
    # a 'maybe' pair whose two records ended up in this person is not a near-miss
    records = set(re.findall(r"^    (\S+)  ", text, flags=re.MULTILINE))
    maybes = re.findall(r"^    (\S+) \+ (\S+): maybe,", near, flags=re.MULTILINE)
    assert all(not (left in records and right in records) for left, right in maybes), maybes
