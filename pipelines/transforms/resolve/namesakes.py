"""Group-level passes after clustering: sole namesakes, and near names at one employer.

An X account 'Ilse Vantongeren' and a LinkedIn connection 'Ilse Vantongeren' share only a
name, which pairwise scoring rightly refuses when the name is common. A person looks at the
whole network instead: when a name belongs to a few groups only, and nothing about those
groups disagrees (profiles, X accounts, employers by company or work domain unless they
share a city, cities, personal addresses, cannot-link overrides), they are one person, if
the name is rare enough for what they share: a name expected about once by chance needs
nothing more, a commoner one a shared city or employer. The name a record's e-mail address
spells counts as its own (``addresses.with_spelled_names``). A nickname counts as the name it
shortens ('Jimmy Chatha' carries 'james chatha' too), with a shared city or employer only:
nicknames are ambiguous (Pat, Chris), and joins through them alone were wrong 8 % of the
time. Of a very rare name's three groups, one that agrees with two groups differing only
by employer joins the larger (``_hub_joins``). A pair whose full names nearly agree joins
its two groups when they share an employer (``join_near_names_at_one_employer``).
Everything here is a group-level column operation.
"""

from __future__ import annotations

import polars as pl

from pipelines.transforms.normalize import FREEMAIL_DOMAINS, email_domain
from pipelines.transforms.resolve.clustering import connected_components

# at most this many groups may carry the name (a name of many groups is a common one)
MAX_GROUPS = 4
# and not a very common one: records expected to carry it by chance (first share x last
# share x records) at most this many when the groups share a city or an employer...
MAX_EXPECTED = 4.0
# ...and at most this many when they share nothing but the name. At 100 k records, joins
# sharing nothing were wrong 0.8-1.1 % of the time up to 0.25 expected, 2.2 % to 0.5, 3.7 %
# to 1, 5-9 % above; joins sharing a city or an employer 0.3 % at any of these.
MAX_EXPECTED_ALONE = 1.0
# a group agreeing with two others that differ only by employer joins one when its name
# is expected at most this many times by chance (``_hub_joins``)
MAX_EXPECTED_HUB = 0.1
# an employer of more than this share of the records (your own company, a big firm) does
# not vouch for two groups: near-identical names among its people are colleagues
MAX_EMPLOYER_SHARE = 0.02
# attributes a person holds one of at a time: a profile, an X account, an employer (company
# or work e-mail domain), a city, personal (freemail) addresses
_PROFILE = ("linkedin_key", "x_id_key", "employers", "city_key", "personal_emails")

NAMESAKE_SCHEMA = pl.Schema({"rid_l": pl.UInt32, "rid_r": pl.UInt32})


def join_sole_namesakes(
    labels: pl.Series, features: pl.DataFrame, cannot_rids: list[int]
) -> tuple[pl.Series, pl.DataFrame]:
    """New labels (smallest rid per cluster) and one record pair per joined pair of groups.

    ``features``: rid-indexed resolver features; ``cannot_rids``: records named by a
    cannot-link override (their groups are never joined here).
    """
    label = labels.gather(features["rid"]).alias("label")
    records = features.lazy().select(
        "rid",
        "first_key",
        "last_key",
        "first_canon",
        "spelled_first",
        "spelled_last",
        (pl.col("first_key_freq") * pl.col("last_key_freq") * pl.col("records")).alias("expected"),
        label,
    )
    # each record carries its own name ('own') and the names its first name may shorten,
    # those only when some record is called so (no pair could form under the others)
    own = _carried(records, "first_key", "last_key", pl.col("expected"), own=True)
    shortened = _carried(
        records.explode("first_canon").filter(pl.col("first_canon") != pl.col("first_key")),
        "first_canon",
        "last_key",
        pl.col("expected"),
        own=False,
    ).join(own.select("full_name"), on="full_name", how="semi")
    # the name a record's address spells counts as its own ('timothy.ovafordmann@' on the
    # card of 'Tim Zanlin'); its chance count is that of the records shown with that name
    spelled = _carried(records, "spelled_first", "spelled_last", pl.lit(0.0), own=True).join(
        own.select("full_name"), on="full_name", how="semi"
    )
    named = pl.concat([own, shortened, spelled])
    # a name is dropped whole when any of its records is too common, before grouping
    common = named.filter(pl.col("expected") > MAX_EXPECTED).select("full_name")
    groups = (
        named.filter(pl.col("expected") <= MAX_EXPECTED)
        .join(common, on="full_name", how="anti")
        .group_by("full_name", "label")
        .agg(pl.col("rid").min(), pl.col("expected").max(), pl.col("own").any())
        .filter(pl.len().over("full_name").is_between(2, MAX_GROUPS))
        .with_columns(pl.col("expected").max().over("full_name"))
        .collect()
    )
    if groups.height == 0:
        return labels, NAMESAKE_SCHEMA.to_frame()
    profile = _profiles(features, label, groups["label"], cannot_rids)
    pairs = (
        groups.lazy()
        .join(groups.lazy(), on="full_name", suffix="_r")
        # 'Jimmy' and 'Jamie' both shorten James: only a pair where one side is James counts
        .filter((pl.col("label") < pl.col("label_r")) & (pl.col("own") | pl.col("own_r")))
        .join(profile, on="label")
        .join(profile, left_on="label_r", right_on="label", suffix="_r")
    )
    disagree, same_city, same_employer = _comparing_profiles()
    # join a name's groups when none disagree, or when only one pair agrees (the third group
    # is a namesake who disagrees with both); a group agreeing with two groups that disagree
    # with each other could be either person: leave it, unless it is a hub (_hub_joins)
    agree = pl.col("agree")
    compared = pairs.with_columns(
        (~disagree).alias("agree"),
        _disagree_beyond_employers().alias("differ_beyond_employer"),
        # what the name must come with: nothing when rare enough, else a city or employer
        (
            same_city
            | same_employer
            | ((pl.col("expected") <= MAX_EXPECTED_ALONE) & pl.col("own") & pl.col("own_r"))
        ).alias("enough"),
    ).collect()
    joined = pl.concat(
        [
            compared.filter(agree & (agree.all() | (agree.sum() == 1)).over("full_name")),
            _hub_joins(compared, labels),
        ]
    ).filter("enough")
    # two groups may meet under two names ('bob' shortens robert, 'robert' lists bob): one
    # link per pair of groups
    joined = joined.group_by("label", "label_r").agg(pl.col("rid", "rid_r").min())
    return _joined(labels, joined)


def _hub_joins(compared: pl.DataFrame, labels: pl.Series) -> pl.DataFrame:
    """The pairs a hub joins: of a very rare name's three groups, the one that agrees with
    the two others when those two differ only by employer joins the larger of them.

    An X account 'Adam Wellwesstein' and two cards of that name that the employer guard
    keeps apart (LinkedIn at Apex Media, an old address-book card at Blue Consulting): with
    the name expected at most MAX_EXPECTED_HUB times by chance, the cards are most often one
    person at two jobs, and the account is his. At 100 k records, 3 % of these joins were
    wrong (9 % up to 0.25 expected, 26 % above).
    """
    agree = pl.col("agree")
    hub_names = compared.filter(
        (
            (pl.len() == 3)
            & (agree.sum() == 2)
            & ~(~agree & pl.col("differ_beyond_employer")).any()
            & (pl.col("expected") <= MAX_EXPECTED_HUB).all()
        ).over("full_name")
    )
    if hub_names.height == 0:
        return compared.clear()
    # the two groups that differ: the partner of each agreeing pair is the one of them in it
    differing = hub_names.filter(~agree).select(
        "full_name", pl.col("label").alias("_a"), pl.col("label_r").alias("_b")
    )
    sizes = labels.value_counts(name="_size").rename({labels.name: "_partner"})
    in_differing = (pl.col("label") == pl.col("_a")) | (pl.col("label") == pl.col("_b"))
    partner = pl.when(in_differing).then("label")
    return (
        hub_names.filter(agree)
        .join(differing, on="full_name")
        .with_columns(partner.otherwise("label_r").cast(sizes["_partner"].dtype).alias("_partner"))
        .join(sizes, on="_partner")
        .sort("full_name", "_size", "_partner", descending=[False, True, False])
        .group_by("full_name", maintain_order=True)
        .first()
        .select(compared.columns)
    )


def _carried(
    records: pl.LazyFrame, first: str, last: str, expected: pl.Expr, own: bool
) -> pl.LazyFrame:
    """rid, full_name ('``first`` ``last``', none when either is missing), expected, label
    and whether the name is the record's own, per record of ``records``."""
    return records.select(
        "rid",
        pl.concat_str(first, last, separator=" ").alias("full_name"),
        expected.alias("expected"),
        "label",
        pl.lit(own).alias("own"),
    ).drop_nulls("full_name")


def join_near_names_at_one_employer(
    labels: pl.Series, pairs: pl.DataFrame, features: pl.DataFrame, cannot_rids: list[int]
) -> tuple[pl.Series, pl.DataFrame]:
    """Join two groups a scored pair with nearly agreeing full names connects when the
    groups share an employer and disagree on nothing; each group joins at most one other
    group here.

    'James Danyor, Lattice Consulting' on LinkedIn and a Gmail correspondent known only as
    jdanyor@latticeconsulting.com (the name it spells lent): a common name and a work domain
    score under the merge threshold, but the groups meet at one employer. Or 'Jim Osting'
    on a card from his previous job that also lists his new work address, and 'James
    Osting' at that new employer on LinkedIn. ``pairs``: rid_l, rid_r of pairs scored under
    the merge threshold whose full names agree (exactly or nearly); returns like
    ``join_sole_namesakes``. At 100 k records, such joins through maybe pairs were wrong 5
    times in 512 (through a shared city instead of an employer: 52 in 469, so a city is not
    enough).
    """
    if pairs.height == 0:
        return labels, NAMESAKE_SCHEMA.to_frame()
    left, right = labels.gather(pairs["rid_l"]), labels.gather(pairs["rid_r"])
    candidates = (
        pairs.select(
            pl.min_horizontal(left, right).alias("label"),
            pl.max_horizontal(left, right).alias("label_r"),
            pl.when(left < right).then("rid_l").otherwise("rid_r").alias("rid"),
            pl.when(left < right).then("rid_r").otherwise("rid_l").alias("rid_r"),
        )
        .filter(pl.col("label") != pl.col("label_r"))
        .group_by("label", "label_r")
        .agg(pl.col("rid", "rid_r").min())
    )
    involved = pl.concat([candidates["label"], candidates["label_r"]])
    label = labels.gather(features["rid"]).alias("label")
    profile = _profiles(features, label, involved, cannot_rids)
    disagree, _, same_employer = _comparing_profiles()
    joined = (
        candidates.lazy()
        .join(profile, on="label")
        .join(profile, left_on="label_r", right_on="label", suffix="_r")
        .filter(~disagree & same_employer)
        .select("label", "label_r", "rid", "rid_r")
        .collect()
    )
    # a group with two such partners could be either's: only a group's one partner joins
    partners = pl.concat([joined["label"], joined["label_r"]]).value_counts(name="n")
    once = partners.filter(pl.col("n") == 1).get_column("label").implode()
    joined = joined.filter(pl.col("label").is_in(once) & pl.col("label_r").is_in(once))
    return _joined(labels, joined)


def _profiles(
    features: pl.DataFrame, label: pl.Series, involved: pl.Series, cannot_rids: list[int]
) -> pl.LazyFrame:
    """Per group label: the _PROFILE attributes it holds, ``vouching_employers`` (those
    not above MAX_EMPLOYER_SHARE) and whether an override names it.

    Built for the groups involved only (a third of the records at 1 M), each record's values
    computed before grouping (an expression inside an aggregation runs per group).
    """
    limit = MAX_EMPLOYER_SHARE * features.height
    large = [
        value
        for column in ("company_key", "domain_stems")
        for value in features.select(pl.col(column).explode().drop_nulls().value_counts())
        .unnest(column)
        .filter(pl.col("count") > limit)
        .get_column(column)
        .to_list()
    ]
    return (
        features.lazy()
        .with_columns(label)
        .filter(pl.col("label").is_in(involved.unique().implode()))
        .select(
            "label",
            "linkedin_key",
            "x_id_key",
            "city_key",
            pl.concat_list("company_key", "domain_stems").alias("employers"),
            pl.col("email_keys_personal")
            .list.filter(email_domain(pl.element()).is_in(FREEMAIL_DOMAINS))
            .alias("personal_emails"),
            pl.col("rid").is_in(pl.Series(cannot_rids, dtype=pl.UInt32).implode()).alias("cannot"),
        )
        .group_by("label")
        .agg(
            *(pl.col(c).drop_nulls().unique() for c in ("linkedin_key", "x_id_key", "city_key")),
            *(
                pl.col(c).list.explode().drop_nulls().unique()
                for c in ("employers", "personal_emails")
            ),
            pl.col("cannot").any(),
        )
        .with_columns(
            pl.col("employers")
            .list.set_difference(pl.lit(large, pl.List(pl.String)))
            .alias("vouching_employers")
        )
    )


def _comparing_profiles() -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(disagree, same_city, same_employer) over two joined profiles (``<column>_r``); an
    employer too large to vouch still disagrees."""
    same_city = pl.col("city_key").list.set_intersection(pl.col("city_key_r")).list.len() > 0
    same_employer = (
        pl.col("vouching_employers")
        .list.set_intersection(pl.col("vouching_employers_r"))
        .list.len()
        > 0
    )
    # people change employers far more often than cities: the one other group with this
    # name in the same city is the same person with an old card, not a namesake
    disagree = _disagree_beyond_employers() | (holds_different("employers") & ~same_city)
    return disagree, same_city, same_employer


def _disagree_beyond_employers() -> pl.Expr:
    """Two joined profiles hold different profiles, X accounts, cities or personal
    addresses, or an override names either."""
    disagree = pl.col("cannot") | pl.col("cannot_r")
    for column in _PROFILE:
        if column != "employers":
            disagree = disagree | holds_different(column)
    return disagree


def holds_different(column: str) -> pl.Expr:
    """Both sides (``column``, ``<column>_r``) hold values of a list column and share none:
    two profiles, two cities, two employers."""
    mine, theirs = pl.col(column), pl.col(f"{column}_r")
    return (
        (mine.list.len() > 0)
        & (theirs.list.len() > 0)
        & (mine.list.set_intersection(theirs).list.len() == 0)
    )


def _joined(labels: pl.Series, joined: pl.DataFrame) -> tuple[pl.Series, pl.DataFrame]:
    """Labels after joining each (label, label_r) pair, and its (rid, rid_r) as a link."""
    if joined.height == 0:
        return labels, NAMESAKE_SCHEMA.to_frame()
    edges = joined.select(pl.col("label").alias("rid_l"), pl.col("label_r").alias("rid_r")).cast(
        pl.UInt32
    )
    merged = connected_components(labels.len(), edges)
    links = joined.select(
        pl.min_horizontal("rid", "rid_r").alias("rid_l"),
        pl.max_horizontal("rid", "rid_r").alias("rid_r"),
    ).cast(NAMESAKE_SCHEMA)
    return merged.gather(labels).rename(labels.name), links
