"""Typo-tolerant blocking keys: soundex codes, prefixes and digits from raw text."""

from __future__ import annotations

import random

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


def _brute_force_blocks(
    frame: pl.DataFrame, rules: tuple[BlockingRule, ...]
) -> tuple[dict[tuple[int, int], int], dict[str, float]]:
    """Blocking by its definition, in plain Python: pairs -> rule mask, and the stats."""
    rows = frame.to_dicts()
    masks: dict[tuple[int, int], int] = {}
    stats: dict[str, float] = {}
    for bit, rule in enumerate(rules):
        blocks: dict[tuple[object, ...], set[int]] = {}
        for row in rows:
            values: list[tuple[object, ...]] = [()]
            for key in rule.keys:
                options = row[key] if isinstance(row[key], list) else [row[key]]
                values = [v + (o,) for v in values for o in options if o is not None]
            for value in values:
                blocks.setdefault(value, set()).add(row["rid"])
        pairs = set()
        capped = [len(rids) for rids in blocks.values() if len(rids) > rule.cap]
        for rids in blocks.values():
            if len(rids) <= rule.cap:
                pairs |= {(a, b) for a in rids for b in rids if a < b}
        for pair in pairs:
            masks[pair] = masks.get(pair, 0) | 1 << bit
        stats[f"blocking.pairs.{rule.name}"] = float(len(pairs))
        if capped:
            stats[f"blocking.capped_blocks.{rule.name}"] = float(len(capped))
            stats[f"blocking.capped_records.{rule.name}"] = float(sum(capped))
    # two different profiles or X accounts are never one person: never proposed
    accounts = [key for key in ("linkedin_key", "x_id_key") if key in frame.columns]
    conflicting = {
        pair
        for pair in masks
        if any(
            None not in (rows[pair[0]][key], rows[pair[1]][key])
            and rows[pair[0]][key] != rows[pair[1]][key]
            for key in accounts
        )
    }
    masks = {pair: mask for pair, mask in masks.items() if pair not in conflicting}
    stats["blocking.conflicting_pairs"] = float(len(conflicting))
    stats["blocking.candidate_pairs"] = float(len(masks))
    return masks, stats


def test_block_pairs_masks_and_stats_match_the_definition() -> None:
    """Lists with repeats and nulls, multi-column rules over lists and strings, caps."""
    rng = random.Random(3)
    n = 400

    def word(pool: int) -> str | None:
        return None if rng.random() < 0.15 else f"w{rng.randrange(pool)}"

    def words(pool: int) -> list[str | None] | None:
        if rng.random() < 0.1:
            return None
        return [word(pool) for _ in range(rng.randrange(4))]

    frame = pl.DataFrame(
        {
            "rid": pl.Series(range(n), dtype=pl.UInt32),
            "first_key": [word(30) for _ in range(n)],
            "last_key": [word(8) for _ in range(n)],
            "company_key": [word(5) for _ in range(n)],
            "first_canon": [words(12) for _ in range(n)],
            "email_keys": [words(150) for _ in range(n)],
            "email_domains": [words(4) for _ in range(n)],
            "linkedin_key": [word(200) if rng.random() < 0.4 else None for _ in range(n)],
            "birthday_key": [None] * n,
            "street_key": [None] * n,
        },
        schema_overrides={
            "first_canon": pl.List(pl.String),
            "email_keys": pl.List(pl.String),
            "email_domains": pl.List(pl.String),
            "birthday_key": pl.String,
            "street_key": pl.String,
        },
    )
    rules = (
        BlockingRule("email", ("email_keys",), cap=3),
        BlockingRule("last", ("last_key",), cap=40),
        BlockingRule("name_canon", ("first_canon", "last_key"), cap=6),
        BlockingRule("name_company", ("first_canon", "last_key", "company_key"), cap=4),
        BlockingRule("name_domain", ("first_canon", "last_key", "email_domains"), cap=5),
        BlockingRule("initial_company", ("last_key", "first_initial", "company_key"), cap=8),
        BlockingRule("absent", ("no_such_key",), cap=8),
    )
    result = block(frame, rules)
    with_initial = frame.with_columns(pl.col("first_key").str.slice(0, 1).alias("first_initial"))
    masks, stats = _brute_force_blocks(with_initial, rules[:-1])
    assert result.pairs.rows() == sorted((a, b, mask) for (a, b), mask in masks.items())
    assert result.stats == stats
    assert any(k.startswith("blocking.capped_blocks.") for k in stats)
    assert stats["blocking.conflicting_pairs"] > 0
