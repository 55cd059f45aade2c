"""Records + merge edges -> clusters, with cannot-link constraints that no edge can break.

Connected components are found in polars (label propagation with pointer jumping). Only
components that could violate a constraint are re-clustered in Python, greedily in the
order must-link, strong edges, weak edges (each by descending score): an edge is skipped
when it would put two LinkedIn profiles, two X accounts or two sides of a cannot-link
override into one cluster, and a weak edge (the name, with no shared identifier and no
agreeing employer, birthday or street) is also skipped when the two groups disagree on
company or e-mail. So a cluster never chains through one weak link.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

EDGE_SCHEMA = pl.Schema(
    {
        "rid_l": pl.UInt32,
        "rid_r": pl.UInt32,
        "score": pl.Float64,
        "strong": pl.Boolean,
        "must": pl.Boolean,
    }
)


def connected_components(n: int, edges: pl.DataFrame) -> pl.Series:
    """Component label per node 0..n-1: the smallest node id in its component.

    Min-label propagation in numpy: every edge lowers both ends to the smaller of their
    labels (``minimum.at``), then pointer jumping (label <- label[label]), until every edge
    joins equal labels. A hash group-by per pass cost ten times more at a million records.
    """
    labels = np.arange(n, dtype=np.uint32)
    left = edges.get_column("rid_l").cast(pl.UInt32).to_numpy()
    right = edges.get_column("rid_r").cast(pl.UInt32).to_numpy()
    while not np.array_equal(labels[left], labels[right]):
        lower = np.minimum(labels[left], labels[right])
        np.minimum.at(labels, left, lower)
        np.minimum.at(labels, right, lower)
        while not np.array_equal(jumped := labels[labels], labels):
            labels = jumped
    return pl.Series("label", labels, dtype=pl.UInt32)


@dataclass
class _Group:
    linkedin: set[str] = field(default_factory=set)
    x_ids: set[str] = field(default_factory=set)
    companies: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    tokens: set[str] = field(default_factory=set)

    def absorb(self, other: _Group) -> None:
        self.linkedin |= other.linkedin
        self.x_ids |= other.x_ids
        self.companies |= other.companies
        self.emails |= other.emails
        self.tokens |= other.tokens


def _opposite(token: str) -> str:
    head, side = token.rsplit(":", 1)
    return f"{head}:{'b' if side == 'a' else 'a'}"


def _conflict(a: _Group, b: _Group, strong: bool, must: bool) -> str | None:
    """Why two groups may not merge through this edge, or None."""
    if any(_opposite(token) in b.tokens for token in a.tokens):
        return "cannot_link_override"
    if must:
        return None
    if a.linkedin and b.linkedin and a.linkedin != b.linkedin:
        return "two_linkedin_profiles"
    if a.x_ids and b.x_ids and a.x_ids != b.x_ids:
        return "two_x_accounts"
    if not strong:
        if a.companies and b.companies and not a.companies & b.companies:
            return "weak_link_company_disagrees"
        if a.emails and b.emails and not a.emails & b.emails and not a.companies & b.companies:
            return "weak_link_email_disagrees"
    return None


def cluster(
    n: int,
    edges: pl.DataFrame,
    features: pl.DataFrame,
    cannot_tokens: dict[int, set[str]] | None = None,
) -> tuple[pl.Series, pl.DataFrame]:
    """Cluster label per rid (smallest rid of its cluster) and the edges refused, with why.

    ``edges``: EDGE_SCHEMA; ``features``: rid, linkedin_key, x_id_key, company_key,
    email_keys_personal. ``cannot_tokens``: rid -> {'<override>:a'} for cannot-link sides.
    """
    cannot_tokens = cannot_tokens or {}
    labels = connected_components(n, edges)
    refused_schema = {"rid_l": pl.UInt32, "rid_r": pl.UInt32, "reason": pl.String}
    if edges.height == 0:
        return labels, pl.DataFrame(schema=refused_schema)
    # a record on no edge is a cluster of its own with nothing to check: only the records on
    # an edge (under half at 1 M) are looked at
    linked = pl.concat([edges["rid_l"], edges["rid_r"]]).unique()
    node_info = features.select(
        "rid", "linkedin_key", "x_id_key", "company_key", "email_keys_personal"
    ).filter(pl.col("rid").is_in(linked.implode()))
    node_info = node_info.with_columns(labels.gather(node_info["rid"]).alias("label"))
    token_rids = pl.Series(list(cannot_tokens), dtype=pl.UInt32)
    # two distinct values in a group: its smallest and largest differ (no hash set per
    # group); the override test runs once over all records, not once per group
    stats = node_info.with_columns(pl.col("rid").is_in(token_rids.implode()).alias("tok"))
    stats = stats.group_by("label").agg(
        pl.len().alias("size"),
        (pl.col("linkedin_key").min() != pl.col("linkedin_key").max()).alias("two_profiles"),
        (pl.col("x_id_key").min() != pl.col("x_id_key").max()).alias("two_x_accounts"),
        pl.col("tok").any(),
    )
    must_labels = labels.gather(edges.filter(pl.col("must"))["rid_l"]).unique()
    # only a weak edge can be refused in a component without two profiles, two X accounts,
    # overrides: components joined by strong edges alone stay as they are
    weak_labels = labels.gather(edges.filter(~pl.col("strong"))["rid_l"]).unique()
    flagged = stats.filter(
        ((pl.col("size") >= 3) & pl.col("label").is_in(weak_labels.implode()))
        | pl.col("two_profiles")
        | pl.col("two_x_accounts")
        | pl.col("tok")
        | pl.col("label").is_in(must_labels.implode())
    ).get_column("label")
    if flagged.len() == 0:
        return labels, pl.DataFrame(schema=refused_schema)
    flagged_set = flagged.implode()
    nodes = node_info.filter(pl.col("label").is_in(flagged_set))
    edge_rows = (
        edges.with_columns(labels.gather(edges["rid_l"]).alias("label"))
        .filter(pl.col("label").is_in(flagged_set))
        .sort(
            ["must", "strong", "score", "rid_l", "rid_r"],
            descending=[True, True, True, False, False],
        )
    )
    groups: dict[int, _Group] = {}
    parent: dict[int, int] = {}
    for rid, li, xi, company, emails in nodes.select(
        "rid", "linkedin_key", "x_id_key", "company_key", "email_keys_personal"
    ).iter_rows():
        parent[rid] = rid
        groups[rid] = _Group(
            linkedin={li} if li else set(),
            x_ids={xi} if xi else set(),
            companies={company} if company else set(),
            emails=set(emails or ()),
            tokens=set(cannot_tokens.get(rid, ())),
        )

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    refused: list[tuple[int, int, str]] = []
    for rid_l, rid_r, strong, must in edge_rows.select(
        "rid_l", "rid_r", "strong", "must"
    ).iter_rows():
        a, b = find(rid_l), find(rid_r)
        if a == b:
            continue
        reason = _conflict(groups[a], groups[b], bool(strong), bool(must))
        if reason:
            refused.append((rid_l, rid_r, reason))
            continue
        keep, drop = (a, b) if a < b else (b, a)
        parent[drop] = keep
        groups[keep].absorb(groups.pop(drop))
    rids = list(parent)
    roots = [find(r) for r in rids]
    labels = labels.scatter(pl.Series(rids, dtype=pl.UInt32), pl.Series(roots, dtype=pl.UInt32))
    return labels, pl.DataFrame(refused, schema=refused_schema, orient="row")
