"""Candidate pairs -> level per comparison -> one match weight and a decision.

The match weight is the sum of the levels' log2 Bayes factors. A pair is 'merge' above the
merge threshold, 'maybe' above the maybe threshold, with two guards that a score cannot
buy: two different LinkedIn profiles or X accounts are 'cannot' (also a cannot-link in
clustering), and a pair whose only agreement is the name ('weak': no shared e-mail, phone
or profile) is never merged when both sides carry a different company or e-mail.
"""

from __future__ import annotations

import functools
import operator

import polars as pl

from pipelines.transforms.normalize import domain_stem, map_distinct
from pipelines.transforms.resolve.comparisons import Comparison, default_comparisons

# a key held by records of this many different surnames is a team inbox / switchboard
SHARED_KEY_SURNAMES = 3
SHARED_KEY_RECORDS = 12
PRIOR_RECORDS = 1000
PRIOR_SHARE = {
    "first_key": 1 / 1000,
    "last_key": 1 / 10_000,
    "company_key": 1 / 2000,
    "city_key": 1 / 200,
    "location_key": 1 / 1000,
}


def add_features(frame: pl.DataFrame) -> pl.DataFrame:
    """Per-record features the comparisons read beyond normalize_records' keys.

    ``*_personal``: keys not shared by many people; ``<key>_freq``: share of records with
    that value (term frequency, Splink's u-probability per value); ``domain_stems``:
    'acme' from 'acme-corp.com' -> 'acmecorp'.
    """
    out = frame
    for column in ("email_keys", "phone_keys"):
        long = out.select("rid", "last_key", column).explode(column).drop_nulls(column)
        shared = (
            long.group_by(column)
            .agg(pl.len().alias("_n"), pl.col("last_key").drop_nulls().n_unique().alias("_s"))
            .filter((pl.col("_n") > SHARED_KEY_RECORDS) | (pl.col("_s") >= SHARED_KEY_SURNAMES))
            .get_column(column)
        )
        out = out.with_columns(_without(out, column, shared).alias(f"{column}_personal"))
    n = max(out.height, 1)
    # shares are smoothed toward a typical population share with PRIOR_RECORDS pseudo-records,
    # so a ten-record network does not think 'jane' is a common name
    out = out.with_columns(
        ((pl.len().over(column) + PRIOR_RECORDS * prior) / (n + PRIOR_RECORDS))
        .cast(pl.Float64)
        .alias(f"{column}_freq")
        for column, prior in PRIOR_SHARE.items()
    ).with_columns(pl.lit(float(n)).alias("records"))
    out = out.with_columns(
        pl.col("email_domains").list.eval(domain_stem(pl.element())).alias("domain_stems"),
        _first_digits(frame, "location", r"\b(\d{4,6})\b").alias("postcode_key"),
        _first_digits(frame, "street", r"^\s*(\d{1,5})\b").alias("street_number_key"),
        pl.col("last_key").str.slice(0, 3).alias("last_prefix"),
        pl.col("first_key").str.slice(0, 3).alias("first_prefix"),
        # nine regex passes per name: once per distinct name (a tenth of the records at 1 M)
        map_distinct(frame, "last_key", soundex(pl.col("last_key"))).alias("last_soundex"),
        map_distinct(frame, "first_key", soundex(pl.col("first_key"))).alias("first_soundex"),
    )
    # birthday: share of records with that date, never below the chance of a random date
    # (full YYYYMMDD: one day in a century; anything shorter: one day in a year)
    floor = pl.when(pl.col("birthday_key").str.len_chars() >= 8).then(1 / 36_500).otherwise(1 / 366)
    return out.with_columns(
        pl.max_horizontal(pl.len().over("birthday_key") / n, floor).alias("birthday_key_freq"),
        (pl.len().over("postcode_key") / n).alias("postcode_key_freq"),
    )


def _without(frame: pl.DataFrame, column: str, drop: pl.Series) -> pl.Series:
    """``column`` (a list column) without the values in ``drop``, deduplicated; null stays null.

    Exploded and regrouped: ``list.set_difference`` against a broadcast list of a couple of
    thousand shared phone keys takes seconds at a million records.
    """
    index = pl.int_range(pl.len(), dtype=pl.UInt32).alias("_i")
    kept = (
        frame.select(index, column)
        .explode(column)
        .filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(drop.implode()))
        .group_by("_i")
        .agg(pl.col(column).unique(maintain_order=True))
    )
    lists = (
        frame.select(index, pl.col(column).is_null().alias("_null"))
        .join(kept, on="_i", how="left", maintain_order="left")
        .select(
            pl.when(pl.col("_null"))
            .then(None)
            .otherwise(pl.col(column).fill_null(pl.lit([], dtype=frame.schema[column])))
            .alias(column)
        )
    )
    return lists.get_column(column)


def _first_digits(frame: pl.DataFrame, column: str, pattern: str) -> pl.Expr:
    """Digits captured by ``pattern`` from a raw text column (null when absent)."""
    if column not in frame.columns:
        return pl.lit(None, pl.String)
    return pl.col(column).cast(pl.String).str.extract(pattern, 1)


def soundex(names: pl.Expr) -> pl.Expr:
    """American Soundex of an ASCII-folded lower-case key ('robert' and 'rupert' -> 'r163').

    First letter kept; consonants coded; vowels separate repeats, h/w do not; padded to 4.
    """
    letters = names.str.replace_all(r"[^a-z]", "")
    head = letters.str.slice(0, 1)
    coded = (
        (head + letters.str.slice(1).str.replace_all(r"[hw]", ""))
        .str.replace_all(r"[bfpv]+", "1")
        .str.replace_all(r"[cgjkqsxz]+", "2")
        .str.replace_all(r"[dt]+", "3")
        .str.replace_all(r"l+", "4")
        .str.replace_all(r"[mn]+", "5")
        .str.replace_all(r"r+", "6")
    )
    return pl.when(letters.str.len_chars() > 0).then(
        (head + coded.str.slice(1).str.replace_all(r"[^0-9]", "") + "000").str.slice(0, 4)
    )


def _pair_columns(comparisons: tuple[Comparison, ...]) -> list[str]:
    seen: dict[str, None] = {}
    for comparison in comparisons:
        for column in comparison.columns:
            seen[column] = None
    return list(seen)


def _indexed_by_rid(features: pl.DataFrame) -> bool:
    """Row i holds rid i (as ``prepare`` builds it), so sides can be gathered, not joined."""
    if "rid" not in features.columns:
        return False
    ordered = pl.col("rid").cast(pl.Int64) == pl.int_range(pl.len(), dtype=pl.Int64)
    return bool(features.select(ordered.all()).item())


def join_sides(pairs: pl.DataFrame, features: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Attach ``<column>_l`` / ``<column>_r`` for each pair (features are indexed by rid).

    Only ``columns`` are attached; when row i of ``features`` is rid i they are gathered by
    position (no hash table over all records per partition).
    """
    if _indexed_by_rid(features):
        side = features.select(columns)
        left, right = pairs.get_column("rid_l"), pairs.get_column("rid_r")
        return pairs.with_columns(
            *(side.get_column(c).gather(left).alias(f"{c}_l") for c in columns),
            *(side.get_column(c).gather(right).alias(f"{c}_r") for c in columns),
        )
    side = features.select("rid", *columns)
    left_side = side.rename({c: f"{c}_l" for c in columns}).rename({"rid": "rid_l"})
    right_side = side.rename({c: f"{c}_r" for c in columns}).rename({"rid": "rid_r"})
    return pairs.join(left_side, on="rid_l", how="left", maintain_order="left").join(
        right_side, on="rid_r", how="left", maintain_order="left"
    )


def score_pairs(
    pairs: pl.DataFrame,
    features: pl.DataFrame,
    merge_threshold: float,
    maybe_threshold: float,
    comparisons: tuple[Comparison, ...] | None = None,
    chunk: int = 1_000_000,
) -> pl.DataFrame:
    """Level per comparison, ``score``, ``strong``, ``corroborated``, ``decision`` per pair.

    ``strong``: an identifier is shared; ``corroborated``: employer, birthday or street
    agrees (more than a name, less than an identifier).

    Pairs are scored in chunks so the wide ``_l``/``_r`` frame never holds all pairs at once.
    """
    comparisons = comparisons or default_comparisons()
    columns = _pair_columns(comparisons)
    # added left to right: sum_horizontal's order of addition varies between runs, and with
    # it the last bit of a score
    score = functools.reduce(operator.add, [c.weight_expr(pl.col(c.name)) for c in comparisons])
    out = []
    for start in range(0, max(pairs.height, 1), chunk):
        part = join_sides(pairs.slice(start, chunk), features, columns)
        part = part.with_columns([c.evaluate(part) for c in comparisons])
        out.append(
            part.select(*pairs.columns, *(c.name for c in comparisons), score.alias("score"))
        )
    scored = pl.concat(out)
    by_name = {c.name: c for c in comparisons}
    email, phone = by_name["email"], by_name["phone"]
    linkedin, x = by_name["linkedin"], by_name["x"]
    company, birthday = by_name["company"], by_name["birthday"]
    street, name = by_name["street"], by_name["name"]
    strong = (
        (pl.col("email") == email.index("exact"))
        | (pl.col("phone") == phone.index("exact"))
        | (pl.col("linkedin") == linkedin.index("exact"))
        | pl.col("x").is_in([x.index("id_exact"), x.index("handle_exact")])
    )
    cannot = (pl.col("linkedin") == linkedin.index("else")) | (pl.col("x") == x.index("id_else"))
    same_birthday = pl.col("birthday").is_in(
        [birthday.index("exact"), birthday.index("one_edit"), birthday.index("day_month")]
    )
    same_street = pl.col("street").is_in([street.index("exact"), street.index("fuzzy_high")])
    same_employer = pl.col("company").is_in(
        [company.index(level) for level in ("exact", "fuzzy", "same_domain", "company_domain")]
    )
    corroborated = same_employer | same_birthday | same_street
    profile = (pl.col("linkedin") == linkedin.index("exact")) | (pl.col("x") == x.index("id_exact"))
    conflicting = (pl.col("company") == company.index("else")) | (
        pl.col("email") == email.index("else")
    )
    name_only_blocked = ~strong & conflicting & ~corroborated
    # a different first name under the same last name is a relative: a spouse or child at
    # the same address, often on the same home line, a twin with the same birthday. It is
    # the same person with a mangled name only when nothing a household member would carry
    # separately disagrees (their own e-mail or phone), no shared phone suggests a family
    # line, and the birthday or the street agrees; an e-mail or profile in common overrides.
    relative = pl.col("name").is_in([name.index("first_differs"), name.index("one_crossed")])
    relative_blocked = (
        relative
        & ~((pl.col("email") == email.index("exact")) | profile)
        & (
            pl.col("email").is_in([email.index("exact_shared"), email.index("else")])
            | (pl.col("phone") != phone.index("null"))
            | ~(same_birthday | same_street)
        )
    )
    # names that share nothing: a shared e-mail or phone is then a team inbox, a switchboard
    # or a family line, not the same person, unless a profile or the birthday says so
    strangers_blocked = (pl.col("name") == name.index("else")) & ~profile & ~same_birthday
    # a card with only a first name says little: a shared city is common among namesakes, so
    # it merges only with an identifier or a company, birthday or street that agrees
    first_only_blocked = (pl.col("name") == name.index("first_only")) & ~strong & ~corroborated
    return scored.with_columns(
        strong.alias("strong"),
        corroborated.alias("corroborated"),
        pl.when(cannot)
        .then(pl.lit("cannot"))
        .when(
            (pl.col("score") >= merge_threshold)
            & ~(name_only_blocked | relative_blocked | strangers_blocked | first_only_blocked)
        )
        .then(pl.lit("merge"))
        .when(pl.col("score") >= maybe_threshold)
        .then(pl.lit("maybe"))
        .otherwise(pl.lit("no"))
        .alias("decision"),
    )


def explain(
    links: pl.DataFrame,
    features: pl.DataFrame,
    comparisons: tuple[Comparison, ...] | None = None,
) -> pl.DataFrame:
    """``rule`` (fired levels, readable) and ``details`` (JSON per comparison: level, weight,
    values; null where a side had no data) per link."""
    comparisons = comparisons or default_comparisons()
    shown = {
        "email": ["email_keys"],
        "phone": ["phone_keys"],
        "linkedin": ["linkedin_key"],
        "x": ["x_id_key", "x_handle_key"],
        "name": ["first_key", "last_key", "spelled_first", "spelled_last"],
        "company": ["company_key", "email_domains"],
        "location": ["location_key"],
        "birthday": ["birthday_key"],
        "street": ["street_key", "street_number_key"],
        "postcode": ["postcode_key"],
    }
    columns = sorted({c for cols in shown.values() for c in cols} | set(_pair_columns(comparisons)))
    wide = join_sides(links, features, columns)
    fields = []
    fired = []
    for comparison in comparisons:
        level = pl.col(comparison.name)
        label = comparison.label_expr(level)
        # a value neither side holds is written as null (most records spell no other name)
        values = [
            pl.when(pl.col(f"{c}_l").is_not_null() | pl.col(f"{c}_r").is_not_null())
            .then(pl.struct(pl.col(f"{c}_l").alias("l"), pl.col(f"{c}_r").alias("r")))
            .alias(c)
            for c in shown.get(comparison.name, [])
        ]
        # a comparison with no data on a side ('null' level) is written as null: it explains
        # nothing, and its values would double the size of every stored link
        fields.append(
            pl.when(level != 0)
            .then(
                pl.struct(
                    label.alias("level"),
                    comparison.weight_expr(level).round(2).alias("weight"),
                    *values,
                )
            )
            .alias(comparison.name)
        )
        fired.append(pl.when(level != 0).then(pl.lit(f"{comparison.name}:") + label))
    return wide.with_columns(
        pl.concat_str(fired, separator=" ", ignore_nulls=True).alias("rule"),
        pl.struct(fields).struct.json_encode().alias("details"),
    )
