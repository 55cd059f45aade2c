"""Candidate pairs by blocking: records that share a key value are compared, nobody else.

A rule is Splink's ``block_on(...)``: an exact match on one or more key columns (list columns
are exploded, so 'shares any e-mail key' is one rule). The union of all rules' pairs is the
candidate set. Blocks larger than the rule's cap (a team inbox, a switchboard, 'John Smith'
at a million records) are dropped and counted: the narrower context rules (name + company,
name + city) still pair the people inside them.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.transforms.resolve.scoring import join_sides

PAIR_SCHEMA = pl.Schema({"rid_l": pl.UInt32, "rid_r": pl.UInt32})
# one person holds one of each: two different values are two people
_ACCOUNT_KEYS = ("linkedin_key", "x_id_key")
_HIGH = pl.lit(1 << 32, dtype=pl.UInt64)


@dataclass(frozen=True)
class BlockingRule:
    """Exact match on ``keys``; blocks with more than ``cap`` records are skipped."""

    name: str
    keys: tuple[str, ...]
    cap: int = 60


DEFAULT_RULES: tuple[BlockingRule, ...] = (
    BlockingRule("email", ("email_keys",), cap=60),
    BlockingRule("phone", ("phone_keys",), cap=60),
    BlockingRule("linkedin", ("linkedin_key",), cap=60),
    BlockingRule("x_id", ("x_id_key",), cap=60),
    BlockingRule("x_handle", ("x_handle_key",), cap=60),
    # a name held by more than 10 records is paired only within company/city/domain context
    BlockingRule("name_canon", ("first_canon", "last_key"), cap=10),
    BlockingRule("name_tokens", ("name_tokens",), cap=10),
    # the name an address spells against the names records show (addresses.py)
    BlockingRule("name_spelled", ("spelled_key",), cap=10),
    BlockingRule("name_company", ("first_canon", "last_key", "company_key"), cap=40),
    BlockingRule("name_city", ("first_canon", "last_key", "city_key"), cap=40),
    BlockingRule("name_domain", ("first_canon", "last_key", "email_domains"), cap=40),
    BlockingRule("last_initial_company", ("last_key", "first_initial", "company_key"), cap=40),
    BlockingRule("first_company", ("first_key", "company_key"), cap=20),
    BlockingRule("last_initial_city", ("last_key", "first_initial", "city_key"), cap=40),
    BlockingRule("birthday", ("birthday_key",), cap=40),
    BlockingRule("street", ("street_key",), cap=40),
    # typo-tolerant keys: phonetic codes (small blocks only: a common code is mostly
    # different people), postcode with prefixes
    BlockingRule("name_soundex", ("first_soundex", "last_soundex"), cap=5),
    BlockingRule("postcode_number", ("postcode_key", "street_number_key"), cap=40),
    BlockingRule("postcode_last", ("postcode_key", "last_prefix"), cap=40),
    BlockingRule("postcode_first", ("postcode_key", "first_prefix"), cap=40),
    BlockingRule("postcode_year", ("postcode_key", "birth_year"), cap=40),
    BlockingRule("number_street", ("street_number_key", "street_word"), cap=40),
)


@dataclass
class BlockingResult:
    pairs: pl.DataFrame  # rid_l < rid_r, unique, plus ``rule_mask``: bit i = rules[i] paired
    stats: dict[str, float]
    rules: tuple[BlockingRule, ...] = DEFAULT_RULES

    def rule_names(self, mask: int) -> list[str]:
        return [rule.name for i, rule in enumerate(self.rules) if mask >> i & 1]


def _pack(rid_l: pl.Expr, rid_r: pl.Expr) -> pl.Expr:
    """A pair as one UInt64 (``rid_l << 32 | rid_r``): sorting it sorts by rid_l, rid_r."""
    return rid_l.cast(pl.UInt64) * _HIGH + rid_r.cast(pl.UInt64)


def _codes(frame: pl.DataFrame, rules: list[BlockingRule]) -> pl.DataFrame:
    """``rid`` and the rules' key columns (lists deduplicated), those of multi-column rules
    as UInt32 codes.

    Equal strings get equal codes and nulls stay null, so blocks are the same; grouping by
    several integer columns is several times faster than by several strings. A key only
    single-column rules read stays a string: one group_by costs what its encoding would.
    The codes come from a private ``Categories``, freed with the frame.
    """
    categories = pl.Categories.random()
    encode = {key for rule in rules if len(rule.keys) > 1 for key in rule.keys}
    columns = []
    for column in dict.fromkeys(key for rule in rules for key in rule.keys):
        listed = isinstance(frame.schema[column], pl.List)
        expr = pl.col(column)
        if column in encode:
            target = pl.List(pl.Categorical(categories)) if listed else pl.Categorical(categories)
            expr = expr.cast(target).to_physical()
        # deduplicated lists explode into distinct (rid, key) rows: no unique() per rule
        columns.append(expr.list.unique() if listed else expr)
    return frame.select("rid", *columns)


def _rule_pairs(codes: pl.DataFrame, rule: BlockingRule) -> tuple[pl.Series, int, int]:
    """Packed pairs of one rule (unique), plus the number of capped blocks and their records.

    ``codes``: ``rid`` and the rule's key columns (``_codes``: lists without repeats, so
    (rid, key) rows are distinct). Each block gets a UInt32 id, so the self-join carries
    three integer columns.
    """
    lists = [key for key in rule.keys if isinstance(codes.schema[key], pl.List)]
    # a null key or an empty key list blocks nothing: such rows go before any list is
    # exploded (exploding first_canon, then finding most e-mail domain lists empty, took
    # ten times the rest of the name_domain rule)
    keyed = codes.select("rid", *rule.keys).drop_nulls()
    if lists:
        keyed = keyed.filter(pl.all_horizontal(pl.col(key).list.len() > 0 for key in lists))
    for key in lists:
        keyed = keyed.explode(key)
    keyed = _one_key(keyed.drop_nulls(), rule.keys)
    blocks = (
        keyed.group_by(pl.exclude("rid"))
        .agg(pl.col("rid"))
        .select("rid", pl.col("rid").list.len().alias("_n"))
    )
    capped = blocks.filter(pl.col("_n") > rule.cap)
    capped_records = int(capped["_n"].sum()) if capped.height else 0
    members = (
        blocks.filter((pl.col("_n") > 1) & (pl.col("_n") <= rule.cap))
        .select("rid")
        .with_row_index("_block")
        .explode("rid")
    )
    del blocks
    pairs = (
        members.join(members, on="_block", suffix="_r")
        .filter(pl.col("rid") < pl.col("rid_r"))
        .select(_pack(pl.col("rid"), pl.col("rid_r")).alias("pair"))
        .get_column("pair")
    )
    # without lists two records share at most one block, so their pair comes once
    return (pairs.unique() if lists else pairs), capped.height, capped_records


def _one_key(keyed: pl.DataFrame, keys: tuple[str, ...]) -> pl.DataFrame:
    """``keyed`` with the UInt32 codes of a multi-column rule packed into one UInt64 when
    they fit (grouping by one integer takes half the time of grouping by two or three)."""
    if len(keys) == 1 or keyed.height == 0:
        return keyed
    largest = keyed.select(pl.max_horizontal(pl.col(keys).max())).item()
    width = max(int(largest).bit_length(), 1)
    if width * len(keys) > 64:
        return keyed
    packed = pl.sum_horizontal(
        pl.col(key).cast(pl.UInt64) * pl.lit(1 << (width * i), dtype=pl.UInt64)
        for i, key in enumerate(keys)
    )
    return keyed.select("rid", packed.alias("_key"))


def block(frame: pl.DataFrame, rules: tuple[BlockingRule, ...] = DEFAULT_RULES) -> BlockingResult:
    """Union of every rule's pairs (``frame`` needs ``rid`` and the normalised key columns)."""
    frame = frame.with_columns(
        pl.col("first_key").str.slice(0, 1).alias("first_initial"),
        pl.col("birthday_key").str.slice(0, 4).alias("birth_year"),
        pl.col("street_key").str.split(" ").list.first().alias("street_word"),
    )
    usable = [rule for rule in rules if all(key in frame.columns for key in rule.keys)]
    codes = _codes(frame, usable)
    identities = _account_codes(frame)
    del frame
    parts = []
    stats: dict[str, float] = {}
    for bit, rule in enumerate(rules):
        if rule not in usable:
            continue
        pairs, capped_blocks, capped_records = _rule_pairs(codes, rule)
        stats[f"blocking.pairs.{rule.name}"] = float(pairs.len())
        if capped_blocks:
            stats[f"blocking.capped_blocks.{rule.name}"] = float(capped_blocks)
            stats[f"blocking.capped_records.{rule.name}"] = float(capped_records)
        parts.append(
            pl.DataFrame({"pair": pairs}).with_columns(
                pl.lit(1 << bit, dtype=pl.UInt32).alias("rule_mask")
            )
        )
    del codes
    if not parts:
        empty = PAIR_SCHEMA.to_frame().with_columns(pl.lit(0, pl.UInt32).alias("rule_mask"))
        return BlockingResult(empty, stats, rules)
    # sorted first, the group_by runs over runs of equal pairs (a hash group_by over ~9 M
    # pairs at 1 M records took 1.3 s plus a sort of its result)
    union = (
        pl.concat(parts)
        .sort("pair")
        .group_by("pair", maintain_order=True)
        .agg(pl.col("rule_mask").sum())
    )
    del parts
    union = union.select(
        (pl.col("pair") // _HIGH).cast(pl.UInt32).alias("rid_l"),
        (pl.col("pair") % _HIGH).cast(pl.UInt32).alias("rid_r"),
        "rule_mask",
    )
    conflicting = _two_accounts(union, identities)
    stats["blocking.conflicting_pairs"] = float(conflicting.sum())
    union = union.filter(~conflicting)
    stats["blocking.candidate_pairs"] = float(union.height)
    return BlockingResult(union, stats, rules)


def _account_codes(frame: pl.DataFrame) -> pl.DataFrame:
    """``rid`` and a 64-bit hash of each account key (null stays null): gathering integers
    for millions of pairs costs a fraction of gathering strings. Two accounts whose hashes
    collide are merely proposed, and the scorer still tells them apart."""
    return frame.select(
        "rid",
        *(
            pl.when(pl.col(key).is_not_null()).then(pl.col(key).hash())
            for key in _ACCOUNT_KEYS
            if key in frame.columns
        ),
    )


def _two_accounts(pairs: pl.DataFrame, identities: pl.DataFrame) -> pl.Series:
    """True where both records hold a different LinkedIn profile or X account id.

    Such a pair is never one person (the scorer's 'cannot' levels), whatever else agrees:
    mostly namesakes among one's connections, a fifth of the name-blocked pairs at 1 M
    records, so they are not proposed at all.
    """
    keys = identities.columns[1:]
    if not keys:
        return pl.repeat(False, pairs.height, eager=True)
    sides = join_sides(pairs.select("rid_l", "rid_r"), identities, keys)
    # != is null where a side is: no account on one side is no disagreement
    differ = [(pl.col(f"{key}_l") != pl.col(f"{key}_r")).fill_null(False) for key in keys]
    return sides.select(pl.any_horizontal(differ)).to_series()
