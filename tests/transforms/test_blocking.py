from __future__ import annotations

import polars as pl

from pipelines.transforms.resolve import ResolveConfig
from pipelines.transforms.resolve.blocking import _one_key, block
from pipelines.transforms.resolve.engine import prepare
from tests.transforms.conftest import make_records


def _keyed(**codes: list[int]) -> pl.DataFrame:
    rids = range(len(next(iter(codes.values()))))
    columns = {name: pl.Series(values, dtype=pl.UInt32) for name, values in codes.items()}
    return pl.DataFrame({"rid": pl.Series(rids, dtype=pl.UInt32), **columns})


def test_codes_that_fit_are_packed_into_one_key_equal_exactly_when_all_codes_are() -> None:
    keyed = _keyed(a=[1, 1, 2, 0, 1], b=[2, 2, 1, 3, 2], c=[0, 3, 0, 3, 0])
    packed = _one_key(keyed, ("a", "b", "c"))
    assert packed.columns == ["rid", "_key"]
    keys = packed["_key"].to_list()
    triples = list(keyed.select("a", "b", "c").iter_rows())
    assert all(
        (keys[i] == keys[j]) == (triples[i] == triples[j]) for i in range(5) for j in range(5)
    )


def test_codes_too_wide_to_pack_stay_columns() -> None:
    wide = _keyed(a=[2**31, 1], b=[2**31, 2], c=[5, 2**31])
    assert _one_key(wide, ("a", "b", "c")).equals(wide)
    assert _one_key(wide, ("a", "b")).columns == ["rid", "_key"]


def test_two_linkedin_profiles_or_x_accounts_are_never_proposed() -> None:
    jane = {"source": "linkedin", "first_name": "Jane", "last_name": "Doe"}
    rows = [
        {**jane, "record_id": "li1", "linkedin_url": "https://www.linkedin.com/in/janedoe"},
        {**jane, "record_id": "li2", "linkedin_url": "https://www.linkedin.com/in/jane-doe-2"},
        {**jane, "record_id": "x1", "source": "x", "x_account_id": "101"},
        {**jane, "record_id": "x2", "source": "x", "x_account_id": "202"},
        {**jane, "record_id": "card", "source": "google"},
    ]
    features = prepare(make_records(rows), ResolveConfig())
    result = block(features)
    ids = features["record_id"]
    proposed = {
        frozenset((ids[left], ids[right]))
        for left, right in result.pairs.select("rid_l", "rid_r").iter_rows()
    }
    apart = {frozenset(("li1", "li2")), frozenset(("x1", "x2"))}
    everyone = {frozenset((a["record_id"], b["record_id"])) for a in rows for b in rows if a != b}
    assert proposed == everyone - apart  # the same name pairs everyone else
    assert result.stats["blocking.conflicting_pairs"] == 2
