from __future__ import annotations

import polars as pl

from pipelines.transforms.resolve.blocking import _one_key


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
