"""Typo-tolerant blocking keys: soundex codes, prefixes and digits from raw text."""

from __future__ import annotations

import polars as pl
import pytest

from pipelines.transforms.resolve.blocking import BlockingRule, block
from pipelines.transforms.resolve.scoring import soundex


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("robert", "r163"),
        ("rupert", "r163"),
        ("ashcraft", "a261"),
        ("tymczak", "t522"),
        ("pfister", "p236"),
        ("lee", "l000"),
        ("", None),
        (None, None),
    ],
)
def test_soundex(name: str | None, code: str | None) -> None:
    got = pl.DataFrame({"n": [name]}, schema={"n": pl.String}).select(soundex(pl.col("n")))
    assert got.item() == code


def test_soundex_pairs_typos_that_exact_names_miss() -> None:
    frame = pl.DataFrame(
        {
            "rid": pl.Series([0, 1, 2], dtype=pl.UInt32),
            "first_key": ["catherine", "kathryn", "catherine"],
            "last_key": ["smith", "smyth", "jones"],
            "birthday_key": [None, None, None],
            "street_key": [None, None, None],
        },
        schema_overrides={"birthday_key": pl.String, "street_key": pl.String},
    ).with_columns(
        soundex(pl.col("first_key")).alias("first_soundex"),
        soundex(pl.col("last_key")).alias("last_soundex"),
    )
    rules = (BlockingRule("name_soundex", ("first_soundex", "last_soundex")),)
    pairs = block(frame, rules).pairs
    # 'catherine' is c365 and 'kathryn' k365: soundex keeps the first letter, so no pair
    assert pairs.height == 0
    frame = frame.with_columns(pl.Series("first_key", ["kathrine", "kathryn", "kate"]))
    frame = frame.with_columns(soundex(pl.col("first_key")).alias("first_soundex"))
    pairs = block(frame, rules).pairs
    assert pairs.select("rid_l", "rid_r").rows() == [(0, 1)]
