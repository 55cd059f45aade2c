"""connected_components against a plain union-find on random graphs."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from pipelines.transforms.resolve.clustering import connected_components


def _smallest_member(n: int, edges: list[tuple[int, int]]) -> list[int]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)
    return [find(x) for x in range(n)]


@given(
    st.integers(min_value=1, max_value=60).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n),
        )
    )
)
def test_components_are_labelled_by_their_smallest_node(
    graph: tuple[int, list[tuple[int, int]]],
) -> None:
    n, edges = graph
    frame = pl.DataFrame(edges, schema={"rid_l": pl.UInt32, "rid_r": pl.UInt32}, orient="row")
    assert connected_components(n, frame).to_list() == _smallest_member(n, edges)
