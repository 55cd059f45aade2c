"""Comparisons: ordered levels per field, each level a log2 match weight (Splink vocabulary).

A comparison reads the ``<column>_l`` / ``<column>_r`` pair columns and returns, per pair,
the index of the first level that holds (null first, else last). Fuzzy levels use rapidfuzz
batch scorers (``cpdist``) on whole columns, never a Python call per pair. Weights are
hand-set Fellegi-Sunter style log2 Bayes factors: positive when agreement is much more
likely for the same person than for two different ones.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler


@dataclass(frozen=True)
class Level:
    label: str
    weight: float


def _l(column: str) -> pl.Expr:
    return pl.col(f"{column}_l")


def _r(column: str) -> pl.Expr:
    return pl.col(f"{column}_r")


def _either_null(column: str) -> pl.Expr:
    return _l(column).is_null() | _r(column).is_null()


def _both_present(column: str) -> pl.Expr:
    return _l(column).is_not_null() & _r(column).is_not_null()


def _present_rows(pairs: pl.DataFrame, column: str) -> pl.Series:
    """Pairs with a value on both sides: the only ones a fuzzy level reads (a third of the
    candidates lack a company, place or street on a side, their level is null)."""
    return pairs.select(_both_present(column)).to_series()


def _rarity_weight(share_column: str, agreement: float, low: float, high: float) -> pl.Expr:
    """log2(agreement / share of records holding the value), within [low, high]: the Bayes
    factor of two records agreeing on a value that ``share_column`` says is this rare (the
    commoner side of the pair counts)."""
    share = pl.max_horizontal(_l(share_column), _r(share_column))
    return (pl.lit(agreement) / share.clip(1e-9, None)).log(2).clip(low, high)


def _lists_null(column: str) -> pl.Expr:
    return (_l(column).list.len() == 0) | (_r(column).list.len() == 0)


def _lists_share(column_l: str, column_r: str) -> pl.Expr:
    return pl.col(column_l).list.set_intersection(pl.col(column_r)).list.len() > 0


def _shared(pairs: pl.DataFrame, column: str, rows: pl.Expr) -> pl.Series:
    """Whether the two sides' ``column`` lists share a value, tested on ``rows`` only (False
    elsewhere): a set intersection per pair is the costliest list operation, and most pairs
    lack the list on a side or are decided before a level reads it."""
    index = pairs.select(rows.fill_null(False)).to_series().arg_true()
    sides = pairs.select(_l(column).gather(index), _r(column).gather(index))
    shared = sides.select(_lists_share(f"{column}_l", f"{column}_r")).to_series()
    return pl.repeat(False, pairs.height, eager=True).scatter(index, shared)


_NUMPY: dict[pl.DataType, str] = {pl.Float32(): "float32", pl.Int32(): "int32"}


def _batch(
    pairs: pl.DataFrame,
    left: str,
    right: str,
    scorer: Callable[..., Any],
    equal: float,
    dtype: pl.DataType,
    blank_differs: bool = False,
    only: pl.Series | None = None,
    cutoff: float | None = None,
) -> pl.Series:
    """``scorer`` over the two columns with rapidfuzz ``cpdist``; null -> ''.

    Pairs whose two values are equal get ``equal`` (what the scorer gives for identical
    strings) without a call: blocking on names makes most name pairs equal, and the list
    conversion costs as much as the scoring. ``blank_differs``: identical blank strings
    are still scored (token ratios give 0 there, not ``equal``). ``only``: rows outside
    this mask are not scored and get 0. Nulls are filled on the scored rows only (a null
    against '' is scored, and scores as equal). ``cutoff``: rapidfuzz's score_cutoff.
    """
    values_l = pairs.get_column(left)
    values_r = pairs.get_column(right)
    differs = values_l.ne_missing(values_r)
    if blank_differs:
        differs = differs | (values_l.str.strip_chars() == "").fill_null(True)
    out = np.full(values_l.len(), equal, dtype=_NUMPY[dtype])
    if only is not None:
        out[(~only).to_numpy()] = 0
        differs = differs & only
    rows = differs.arg_true()
    if rows.len():
        out[rows.to_numpy()] = process.cpdist(
            values_l.gather(rows).fill_null("").to_list(),
            values_r.gather(rows).fill_null("").to_list(),
            scorer=scorer,
            score_cutoff=cutoff,
            workers=-1,
            dtype=_NUMPY[dtype],
        )
    return pl.Series(out, dtype=dtype)


def similarity(
    pairs: pl.DataFrame,
    left: str,
    right: str,
    only: pl.Series | None = None,
    floor: float | None = None,
) -> pl.Series:
    """Batch rapidfuzz Jaro-Winkler similarity of two string columns; null -> 0.

    ``floor``: the lowest threshold the caller compares with. Scores below it come back as
    0, which lets rapidfuzz skip most of the work; the cutoff sits a hair lower so that
    float32 rounding at the threshold cannot flip a comparison.
    """
    return _batch(
        pairs,
        left,
        right,
        JaroWinkler.normalized_similarity,
        1.0,
        pl.Float32(),
        only=only,
        cutoff=None if floor is None else floor - 1e-6,
    )


def edit_distance(pairs: pl.DataFrame, left: str, right: str) -> pl.Series:
    """Batch Damerau-Levenshtein distance (transpositions count as one edit)."""
    return _batch(pairs, left, right, DamerauLevenshtein.distance, 0, pl.Int32())


def token_set(
    pairs: pl.DataFrame, left: str, right: str, only: pl.Series | None = None
) -> pl.Series:
    """Batch rapidfuzz token-set ratio (0-100: word order and extra words do not count)."""
    return _batch(
        pairs, left, right, fuzz.token_set_ratio, 100.0, pl.Float32(), blank_differs=True, only=only
    )


class Comparison(ABC):
    """One field's ordered levels; ``evaluate`` gives the level index per pair."""

    name: str
    levels: tuple[Level, ...]
    columns: tuple[str, ...]  # base names; the pairs frame carries ``_l`` and ``_r``

    def prepare(self, pairs: pl.DataFrame) -> pl.DataFrame:
        """Add helper columns (batch similarities) the level expression reads."""
        return pairs

    @abstractmethod
    def level_expr(self) -> pl.Expr:
        """Index into ``levels`` (UInt8), first true level wins."""

    def weight_expr(self, level: pl.Expr) -> pl.Expr:
        weights = {i: lv.weight for i, lv in enumerate(self.levels)}
        return level.replace_strict(weights, return_dtype=pl.Float64)

    def label_expr(self, level: pl.Expr) -> pl.Expr:
        labels = {i: lv.label for i, lv in enumerate(self.levels)}
        return level.replace_strict(labels, return_dtype=pl.String)

    def evaluate(self, pairs: pl.DataFrame) -> pl.Series:
        prepared = self.prepare(pairs)
        return prepared.select(self.level_expr().cast(pl.UInt8).alias(self.name)).to_series()

    def index(self, label: str) -> int:
        return next(i for i, lv in enumerate(self.levels) if lv.label == label)


def _chain(conditions: list[tuple[pl.Expr, int]], otherwise: int) -> pl.Expr:
    expr: pl.Expr = pl.lit(otherwise, pl.UInt8)
    for condition, value in reversed(conditions):
        expr = pl.when(condition).then(pl.lit(value, pl.UInt8)).otherwise(expr)
    return expr


class IdentifierListComparison(Comparison):
    """Shared identifier in list columns (e-mails, phones), shared-by-many keys down-weighted.

    Levels (e-mail example):
    0 null: one side has none ([] vs ['a@x.io']);
    1 exact: a personal key shared (['jdoe@gmail.com'] vs ['jdoe@gmail.com', 'j@acme.com']);
    2 exact_shared: only a key several people use is shared (['team@acme.com'] both sides);
    3 else: both have keys, none shared (['a@x.io'] vs ['b@y.io']).
    """

    def __init__(self, name: str, column: str, exact: float, shared: float, other: float):
        self.name = name
        self.column = column
        self.columns = (column, f"{column}_personal")
        self.levels = (
            Level("null", 0.0),
            Level("exact", exact),
            Level("exact_shared", shared),
            Level("else", other),
        )

    def prepare(self, pairs: pl.DataFrame) -> pl.DataFrame:
        both = ~_lists_null(self.column)
        return pairs.with_columns(
            _shared(pairs, f"{self.column}_personal", both).alias("_shared_personal"),
            _shared(pairs, self.column, both).alias("_shared"),
        )

    def level_expr(self) -> pl.Expr:
        return _chain(
            [
                (_lists_null(self.column), 0),
                (pl.col("_shared_personal"), 1),
                (pl.col("_shared"), 2),
            ],
            3,
        )


def email_comparison() -> IdentifierListComparison:
    return IdentifierListComparison("email", "email_keys", exact=14.0, shared=1.0, other=-2.0)


def phone_comparison() -> IdentifierListComparison:
    return IdentifierListComparison("phone", "phone_keys", exact=11.0, shared=1.0, other=-1.0)


class LinkedInComparison(Comparison):
    """Profile slug. Levels: 0 null (None vs 'in/jdoe'); 1 exact ('in/jdoe' both);
    2 else ('in/jdoe' vs 'in/jane-doe-2': two profiles, a cannot-link)."""

    name = "linkedin"
    columns = ("linkedin_key",)
    levels = (Level("null", 0.0), Level("exact", 20.0), Level("else", -30.0))

    def level_expr(self) -> pl.Expr:
        key = "linkedin_key"
        return _chain([(_either_null(key), 0), (_l(key) == _r(key), 1)], 2)


class XComparison(Comparison):
    """X account. Levels: 0 null (no id and no handle on one side); 1 id_exact ('123' both);
    2 id_else ('123' vs '456': two accounts, a cannot-link); 3 handle_exact ('jdoe' both,
    ids missing); 4 else ('jdoe' vs 'jane_d')."""

    name = "x"
    columns = ("x_id_key", "x_handle_key")
    levels = (
        Level("null", 0.0),
        Level("id_exact", 20.0),
        Level("id_else", -30.0),
        Level("handle_exact", 12.0),
        Level("else", -2.0),
    )

    def level_expr(self) -> pl.Expr:
        ids_present = _both_present("x_id_key")
        handles_present = _both_present("x_handle_key")
        return _chain(
            [
                (ids_present & (_l("x_id_key") == _r("x_id_key")), 1),
                (ids_present, 2),
                (handles_present & (_l("x_handle_key") == _r("x_handle_key")), 3),
                (handles_present, 4),
            ],
            0,
        )


# Jaro-Winkler thresholds of name levels that NameComparison.prepare also reads
_CROSSED = 0.9  # swapped: both first/last crossings at least this (one_crossed: 0.92)
_FULL_CLOSE = 0.94  # fuzzy_high: 'first last' at least this
_FIRST_CLOSE = 0.9  # last_differs: the first names at least this
_LAST_CLOSE = 0.92  # last_only, first_differs: the last names at least this


class NameComparison(Comparison):
    """First + last name keys, term-frequency adjusted.

    Positive levels weigh ``log2(1 / E) + offset`` (capped at 10), E = the number of records
    expected to carry this name by chance (first-name share x last-name share x records, the
    more common side of the pair): 'jane doe' among a million records counts for less than
    'zuzana quillfeather' among ten thousand. This folds the prior in, so the score stays
    meaningful as the network grows.
    0 null: a side has no name ('' vs 'jane doe');
    1 exact: ('jane','doe') vs ('jane','doe');
    2 spelled: a side's e-mail address spells the other's name ('tim','zanlin' with
      timothy.ovafordmann@ vs 'timothy','ovafordmann'; ``addresses.with_spelled_names``);
    3 swapped: first/last crossed, JW >= 0.9 each way ('doe','jane') vs ('jane','doe');
    4 nickname: same last, shared canonical first ('bob','smith') vs ('robert','smith');
    5 fuzzy_high: Jaro-Winkler of 'first last' >= 0.94 ('jane','doe') vs ('jane','doee');
    6 initial: same last, one first is a prefix of the other ('j','doe') vs ('jane','doe');
    7 fuzzy: JW first >= 0.8 and JW last >= 0.88 ('jayne','dow') vs ('jane','doe');
    8 first_only: a side has only a first name, equal or nickname ('jane',-) vs ('jane','doe');
    9 last_only: a side has only a last name, equal or JW >= 0.92 (-,'doe') vs ('jane','doe'),
      weighted by the surname's frequency alone;
    10 last_differs: same (or JW >= 0.9) first, other last ('jane','doe') vs ('jane','roe');
    11 first_differs: same (or JW >= 0.92) last, other first ('jane','doe') vs ('mark','doe');
    12 one_crossed: one side's first is the other's last, the rest differs
      ('doe','jane') vs ('mark','doe'): a swap plus a replaced name;
    13 else: ('jane','doe') vs ('mark','roe').
    """

    name = "name"
    columns = (
        "first_key",
        "last_key",
        "first_canon",
        "first_key_freq",
        "last_key_freq",
        "records",
        "spelled_first",
        "spelled_last",
    )
    levels = (
        Level("null", 0.0),
        Level("exact", 0.0),
        Level("spelled", -1.0),
        Level("swapped", -0.5),
        Level("nickname", -1.5),
        Level("fuzzy_high", -2.0),
        Level("initial", -3.5),
        Level("fuzzy", -4.0),
        Level("first_only", -1.0),
        Level("last_only", -1.0),
        Level("last_differs", -4.0),
        Level("first_differs", -3.0),
        Level("one_crossed", -4.0),
        Level("else", -10.0),
    )

    def prepare(self, pairs: pl.DataFrame) -> pl.DataFrame:
        both = pairs.select(
            pl.concat_str(
                [pl.col("first_key_l"), pl.col("last_key_l")], separator=" ", ignore_nulls=True
            ).alias("_full_l"),
            pl.concat_str(
                [pl.col("first_key_r"), pl.col("last_key_r")], separator=" ", ignore_nulls=True
            ).alias("_full_r"),
            "first_key_l",
            "first_key_r",
            "last_key_l",
            "last_key_r",
        )
        # first/last crossed only matter when the names are not already equal
        same = both.select(
            (
                (pl.col("first_key_l") == pl.col("first_key_r"))
                & (pl.col("last_key_l") == pl.col("last_key_r"))
            ).fill_null(False)
        ).to_series()
        first = similarity(both, "first_key_l", "first_key_r")
        last = similarity(both, "last_key_l", "last_key_r")
        cross1 = similarity(both, "first_key_l", "last_key_r", only=~same, floor=_CROSSED)
        # the second crossing is read only where the first holds (swapped needs both) or
        # where the first and the last names both differ (one_crossed is reached only then):
        # a twentieth of the pairs
        differ = (first < _FIRST_CLOSE) & (last < _LAST_CLOSE)
        second = ~same & ((cross1 >= _CROSSED) | differ)
        # nickname and first_only read the canonical first names only under the same last
        # name or without one on a side, and only when the first names differ
        canon_read = ((_l("last_key") == _r("last_key")) | ~_both_present("last_key")) & (
            _l("first_key") != _r("first_key")
        )
        return pairs.with_columns(
            _shared(pairs, "first_canon", canon_read).alias("_canon"),
            similarity(both, "_full_l", "_full_r", floor=_FULL_CLOSE).alias("_jw_full"),
            first.alias("_jw_first"),
            last.alias("_jw_last"),
            cross1.alias("_jw_cross1"),
            similarity(both, "last_key_l", "first_key_r", only=second).alias("_jw_cross2"),
        )

    def level_expr(self) -> pl.Expr:
        first_eq = _l("first_key") == _r("first_key")
        last_eq = _l("last_key") == _r("last_key")
        has_last = _both_present("last_key")
        no_name = (_l("first_key").is_null() & _l("last_key").is_null()) | (
            _r("first_key").is_null() & _r("last_key").is_null()
        )
        canon = pl.col("_canon")
        prefix = _l("first_key").str.starts_with(_r("first_key")) | _r("first_key").str.starts_with(
            _l("first_key")
        )
        has_first = _both_present("first_key")
        crossed = (pl.col("_jw_cross1") >= _CROSSED) & (pl.col("_jw_cross2") >= _CROSSED)
        last_close = last_eq | (pl.col("_jw_last") >= _LAST_CLOSE)
        one_crossed = (pl.col("_jw_cross1") >= 0.92) | (pl.col("_jw_cross2") >= 0.92)
        spelled = (
            (_l("spelled_first") == _r("first_key")) & (_l("spelled_last") == _r("last_key"))
        ) | ((_r("spelled_first") == _l("first_key")) & (_r("spelled_last") == _l("last_key")))
        return _chain(
            [
                (no_name, 0),
                (first_eq & last_eq, 1),
                (spelled.fill_null(False), 2),
                (has_last & has_first & crossed, 3),
                (last_eq & canon, 4),
                (has_last & (pl.col("_jw_full") >= _FULL_CLOSE), 5),
                (last_eq & prefix, 6),
                (has_last & (pl.col("_jw_first") >= 0.8) & (pl.col("_jw_last") >= 0.88), 7),
                (~has_last & (first_eq | canon), 8),
                (has_last & ~has_first & last_close, 9),
                (has_last & (first_eq | (pl.col("_jw_first") >= _FIRST_CLOSE)), 10),
                (has_first & last_close, 11),
                (has_last & has_first & one_crossed, 12),
            ],
            13,
        )

    def weight_expr(self, level: pl.Expr) -> pl.Expr:
        base = super().weight_expr(level)
        first = pl.max_horizontal(_l("first_key_freq"), _r("first_key_freq"))
        last = pl.max_horizontal(_l("last_key_freq"), _r("last_key_freq"))
        expected = (first * last * pl.col("records_l")).clip(1e-6, None)
        tf = (-(expected.log(2))).clip(None, 10.0)
        last_tf = (-((last * pl.col("records_l")).clip(1e-6, None).log(2))).clip(None, 8.0)
        return (
            pl.when(level.is_in(FULL_NAME_LEVELS))
            .then(base + tf)
            .when(level == self.index("last_only"))
            .then(base + last_tf)
            .otherwise(base)
        )


# name levels where both first and last name agree, exactly or nearly (they carry the prior)
FULL_NAME_LEVELS = [
    i
    for i, level in enumerate(NameComparison.levels)
    if level.label in ("exact", "spelled", "swapped", "nickname", "fuzzy_high", "initial", "fuzzy")
]


class CompanyComparison(Comparison):
    """Employer, by company key and work e-mail domain.

    Levels: 0 null (no company on a side and no work domains to compare);
    1 exact ('acme' vs 'acme'); 2 fuzzy (JW >= 0.9 or prefix: 'acmeanalytics' vs 'acme');
    3 same_domain (work domains shared: ['acme.com'] both); 4 company_domain ('acme' vs a
    jdoe@acme.com address); 5 else ('acme' vs 'globex': a namesake or a job change).

    Exact weighs ``log2(0.7 / share of records at that employer)`` within [4, 8] beside a
    full name that agrees (name levels exact to fuzzy): a twelve-person firm says more than
    the employer of half the network. Beside a looser name (first name only, another last
    name) it stays 4, because those name levels carry no prior: 'Jane' and 'Jane Roe' at
    one small firm are as often two colleagues as one person (measured: half the time).
    """

    name = "company"
    columns = ("company_key", "email_domains", "domain_stems", "company_key_freq")
    levels = (
        Level("null", 0.0),
        Level("exact", 4.0),
        Level("fuzzy", 2.5),
        Level("same_domain", 3.0),
        Level("company_domain", 3.0),
        Level("else", -3.0),
    )

    def weight_expr(self, level: pl.Expr) -> pl.Expr:
        base = super().weight_expr(level)
        rarity = _rarity_weight("company_key_freq", 0.7, 4.0, 8.0)
        full_name = pl.col(NameComparison.name).is_in(FULL_NAME_LEVELS)
        return pl.when((level == 1) & full_name).then(rarity).otherwise(base)

    def prepare(self, pairs: pl.DataFrame) -> pl.DataFrame:
        both = _present_rows(pairs, "company_key")
        return pairs.with_columns(
            similarity(pairs, "company_key_l", "company_key_r", only=both).alias("_jw_co"),
            _shared(pairs, "email_domains", ~_lists_null("email_domains")).alias("_same_domain"),
        )

    def level_expr(self) -> pl.Expr:
        both = _both_present("company_key")
        prefix = (
            _l("company_key").str.starts_with(_r("company_key"))
            | _r("company_key").str.starts_with(_l("company_key"))
        ) & (
            pl.min_horizontal(_l("company_key").str.len_chars(), _r("company_key").str.len_chars())
            >= 4
        )
        co_dom = _r("domain_stems").list.contains(_l("company_key")) | _l(
            "domain_stems"
        ).list.contains(_r("company_key"))
        return _chain(
            [
                (both & (_l("company_key") == _r("company_key")), 1),
                (both & ((pl.col("_jw_co") >= 0.9) | prefix), 2),
                (pl.col("_same_domain"), 3),
                (co_dom.fill_null(False), 4),
                (both, 5),
            ],
            0,
        )


class LocationComparison(Comparison):
    """Place. Levels: 0 null; 1 exact ('berlin germany' both); 2 city ('berlin' first parts);
    3 fuzzy (JW >= 0.88: 'brelin germany'); 4 else ('berlin' vs 'lagos')."""

    name = "location"
    columns = ("location_key", "city_key", "location_key_freq", "city_key_freq")
    levels = (
        Level("null", 0.0),
        Level("exact", 2.5),
        Level("city", 1.5),
        Level("fuzzy", 1.0),
        Level("else", -1.0),
    )

    def prepare(self, pairs: pl.DataFrame) -> pl.DataFrame:
        both = _present_rows(pairs, "location_key")
        return pairs.with_columns(
            similarity(pairs, "location_key_l", "location_key_r", only=both).alias("_jw_loc")
        )

    def weight_expr(self, level: pl.Expr) -> pl.Expr:
        """Exact place and city: log2(0.7 / share of records there), within [0.5, 6]."""
        base = super().weight_expr(level)
        place = _rarity_weight("location_key_freq", 0.7, 0.5, 6.0)
        city = _rarity_weight("city_key_freq", 0.7, 0.5, 6.0)
        return pl.when(level == 1).then(place).when(level == 2).then(city).otherwise(base)

    def level_expr(self) -> pl.Expr:
        return _chain(
            [
                (_either_null("location_key"), 0),
                (_l("location_key") == _r("location_key"), 1),
                (_l("city_key") == _r("city_key"), 2),
                (pl.col("_jw_loc") >= 0.88, 3),
            ],
            4,
        )


class BirthdayComparison(Comparison):
    """Birthday digits. Levels: 0 null; 1 exact ('19560409' both); 2 one_edit (one typo or
    swap: '19560409' vs '19560490'); 3 day_month ('19560409' vs '19560904');
    4 else ('19560409' vs '19811123').

    Exact weighs log2(0.95 / share of records with that date), the share never below the
    chance of a random date (1/36,500 with a year, 1/366 without), within [7, 13].
    """

    name = "birthday"
    columns = ("birthday_key", "birthday_key_freq")
    levels = (
        Level("null", 0.0),
        Level("exact", 7.0),
        Level("one_edit", 4.0),
        Level("day_month", 4.0),
        Level("else", -6.0),
    )

    def weight_expr(self, level: pl.Expr) -> pl.Expr:
        base = super().weight_expr(level)
        rarity = _rarity_weight("birthday_key_freq", 0.95, 7.0, 13.0)
        return pl.when(level == 1).then(rarity).otherwise(base)

    def prepare(self, pairs: pl.DataFrame) -> pl.DataFrame:
        return pairs.with_columns(
            edit_distance(pairs, "birthday_key_l", "birthday_key_r").alias("_ed_bday")
        )

    def level_expr(self) -> pl.Expr:
        return _chain(
            [
                (_either_null("birthday_key"), 0),
                (_l("birthday_key") == _r("birthday_key"), 1),
                (pl.col("_ed_bday") <= 1, 2),
                (
                    (_l("birthday_key").str.len_chars() == 8)
                    & (
                        _l("birthday_key")
                        == _r("birthday_key").str.slice(0, 4)
                        + _r("birthday_key").str.slice(6, 2)
                        + _r("birthday_key").str.slice(4, 2)
                    ),
                    3,
                ),
            ],
            4,
        )


class StreetComparison(Comparison):
    """Street address tokens (the house number apart). Levels: 0 null; 1 exact
    ('wallaby place' both); 2 fuzzy_high (JW >= 0.9 or token-set ratio >= 90, so order and
    an extra locality do not matter: 'walaby place' or 'wallaby place kambah'); 3 fuzzy
    (JW >= 0.75 or token-set >= 75); 4 else ('pinkerton circuit'). Exact and fuzzy_high
    gain 2 when the house numbers agree ('7' both)."""

    name = "street"
    columns = ("street_key", "street_number_key")
    levels = (
        Level("null", 0.0),
        Level("exact", 4.0),
        Level("fuzzy_high", 3.0),
        Level("fuzzy", 0.5),
        Level("else", -2.0),
    )

    def prepare(self, pairs: pl.DataFrame) -> pl.DataFrame:
        both = _present_rows(pairs, "street_key")
        return pairs.with_columns(
            similarity(pairs, "street_key_l", "street_key_r", only=both).alias("_jw_st"),
            token_set(pairs, "street_key_l", "street_key_r", only=both).alias("_ts_st"),
        )

    def weight_expr(self, level: pl.Expr) -> pl.Expr:
        base = super().weight_expr(level)
        number = (_l("street_number_key") == _r("street_number_key")).fill_null(False)
        return pl.when(level.is_between(1, 2) & number).then(base + 2.0).otherwise(base)

    def level_expr(self) -> pl.Expr:
        return _chain(
            [
                (_either_null("street_key"), 0),
                (_l("street_key") == _r("street_key"), 1),
                ((pl.col("_jw_st") >= 0.9) | (pl.col("_ts_st") >= 90), 2),
                ((pl.col("_jw_st") >= 0.75) | (pl.col("_ts_st") >= 75), 3),
            ],
            4,
        )


class PostcodeComparison(Comparison):
    """Postcode digits found in the location ('2913'). Levels: 0 null; 1 exact, weighing
    log2(0.9 / share of records there) within [3, 9]; 2 one_edit ('2913' vs '2931'); 3 else."""

    name = "postcode"
    columns = ("postcode_key", "postcode_key_freq")
    levels = (Level("null", 0.0), Level("exact", 5.0), Level("one_edit", 1.0), Level("else", -2.0))

    def prepare(self, pairs: pl.DataFrame) -> pl.DataFrame:
        return pairs.with_columns(
            edit_distance(pairs, "postcode_key_l", "postcode_key_r").alias("_ed_pc")
        )

    def weight_expr(self, level: pl.Expr) -> pl.Expr:
        base = super().weight_expr(level)
        rarity = _rarity_weight("postcode_key_freq", 0.9, 3.0, 9.0)
        return pl.when(level == 1).then(rarity).otherwise(base)

    def level_expr(self) -> pl.Expr:
        return _chain(
            [
                (_either_null("postcode_key"), 0),
                (_l("postcode_key") == _r("postcode_key"), 1),
                (pl.col("_ed_pc") <= 1, 2),
            ],
            3,
        )


def default_comparisons() -> tuple[Comparison, ...]:
    return (
        email_comparison(),
        phone_comparison(),
        LinkedInComparison(),
        XComparison(),
        NameComparison(),
        CompanyComparison(),
        LocationComparison(),
        BirthdayComparison(),
        StreetComparison(),
        PostcodeComparison(),
    )
