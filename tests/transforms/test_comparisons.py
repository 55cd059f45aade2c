"""Table-driven level tests, Splink style: each case names the level a pair must reach."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from pipelines.transforms.resolve.comparisons import (
    BirthdayComparison,
    CompanyComparison,
    Comparison,
    LinkedInComparison,
    NameComparison,
    PostcodeComparison,
    StreetComparison,
    XComparison,
    email_comparison,
)

NAME_BASE = {"first_key_freq": 0.001, "last_key_freq": 0.001, "records": 1000.0}
CASES: list[dict[str, Any]] = [
    {
        "description": "names",
        "comparison": NameComparison(),
        "inputs": [
            (
                {"first_key": "jane", "last_key": "doe"},
                {"first_key": "jane", "last_key": "doe"},
                "exact",
            ),
            (
                {"first_key": "doe", "last_key": "jane"},
                {"first_key": "jane", "last_key": "doe"},
                "swapped",
            ),
            (
                {"first_key": "bob", "last_key": "smith", "first_canon": ["bob", "robert"]},
                {"first_key": "robert", "last_key": "smith", "first_canon": ["robert"]},
                "nickname",
            ),
            (
                {"first_key": "jane", "last_key": "doee"},
                {"first_key": "jane", "last_key": "doe"},
                "fuzzy_high",
            ),
            (
                {"first_key": "j", "last_key": "doe"},
                {"first_key": "jane", "last_key": "doe"},
                "initial",
            ),
            (
                {"first_key": "jane", "last_key": None},
                {"first_key": "jane", "last_key": "doe"},
                "first_only",
            ),
            (
                {"first_key": None, "last_key": "doe"},
                {"first_key": "jane", "last_key": "doe"},
                "last_only",
            ),
            (
                {"first_key": "jane", "last_key": "doe"},
                {"first_key": "jane", "last_key": "quill"},
                "last_differs",
            ),
            (
                {"first_key": "mark", "last_key": "doe"},
                {"first_key": "jane", "last_key": "doe"},
                "first_differs",
            ),
            (
                {"first_key": "emam", "last_key": "bartrl"},
                {"first_key": "elizabeth", "last_key": "bartel"},
                "first_differs",
            ),
            (
                {"first_key": "richmond", "last_key": "sarsha"},
                {"first_key": "emily", "last_key": "richmond"},
                "one_crossed",
            ),
            (
                {"first_key": "jane", "last_key": "doe"},
                {"first_key": "mark", "last_key": "quill"},
                "else",
            ),
            (
                {"first_key": None, "last_key": None},
                {"first_key": "jane", "last_key": "doe"},
                "null",
            ),
        ],
    },
    {
        "description": "e-mails",
        "comparison": email_comparison(),
        "inputs": [
            (
                {"email_keys": ["a@x.io"], "email_keys_personal": ["a@x.io"]},
                {"email_keys": ["a@x.io", "b@y.io"], "email_keys_personal": ["a@x.io", "b@y.io"]},
                "exact",
            ),
            (
                {"email_keys": ["team@x.io"], "email_keys_personal": []},
                {"email_keys": ["team@x.io"], "email_keys_personal": []},
                "exact_shared",
            ),
            (
                {"email_keys": ["a@x.io"], "email_keys_personal": ["a@x.io"]},
                {"email_keys": ["b@y.io"], "email_keys_personal": ["b@y.io"]},
                "else",
            ),
            (
                {"email_keys": [], "email_keys_personal": []},
                {"email_keys": ["b@y.io"], "email_keys_personal": ["b@y.io"]},
                "null",
            ),
        ],
    },
    {
        "description": "companies",
        "comparison": CompanyComparison(),
        "inputs": [
            ({"company_key": "acme"}, {"company_key": "acme"}, "exact"),
            ({"company_key": "acmeanalytics"}, {"company_key": "acme"}, "fuzzy"),
            (
                {"company_key": None, "email_domains": ["acme.com"]},
                {"company_key": None, "email_domains": ["acme.com"]},
                "same_domain",
            ),
            (
                {"company_key": "acme"},
                {"company_key": None, "domain_stems": ["acme"]},
                "company_domain",
            ),
            ({"company_key": "acme"}, {"company_key": "globex"}, "else"),
            ({"company_key": "acme"}, {"company_key": None}, "null"),
        ],
    },
    {
        "description": "linkedin",
        "comparison": LinkedInComparison(),
        "inputs": [
            ({"linkedin_key": "in/a"}, {"linkedin_key": "in/a"}, "exact"),
            ({"linkedin_key": "in/a"}, {"linkedin_key": "in/b"}, "else"),
            ({"linkedin_key": None}, {"linkedin_key": "in/b"}, "null"),
        ],
    },
    {
        "description": "x",
        "comparison": XComparison(),
        "inputs": [
            (
                {"x_id_key": "1", "x_handle_key": "a"},
                {"x_id_key": "1", "x_handle_key": "b"},
                "id_exact",
            ),
            (
                {"x_id_key": "1", "x_handle_key": "a"},
                {"x_id_key": "2", "x_handle_key": "a"},
                "id_else",
            ),
            (
                {"x_id_key": None, "x_handle_key": "a"},
                {"x_id_key": "2", "x_handle_key": "a"},
                "handle_exact",
            ),
            (
                {"x_id_key": None, "x_handle_key": "a"},
                {"x_id_key": None, "x_handle_key": "b"},
                "else",
            ),
            (
                {"x_id_key": None, "x_handle_key": None},
                {"x_id_key": "2", "x_handle_key": "a"},
                "null",
            ),
        ],
    },
    {
        "description": "birthdays",
        "comparison": BirthdayComparison(),
        "inputs": [
            ({"birthday_key": "19560409"}, {"birthday_key": "19560409"}, "exact"),
            ({"birthday_key": "19560409"}, {"birthday_key": "19560490"}, "one_edit"),
            ({"birthday_key": "19560409"}, {"birthday_key": "19560904"}, "day_month"),
            ({"birthday_key": "19560409"}, {"birthday_key": "19811123"}, "else"),
            ({"birthday_key": None}, {"birthday_key": "19811123"}, "null"),
        ],
    },
    {
        "description": "streets",
        "comparison": StreetComparison(),
        "inputs": [
            ({"street_key": "wallaby place"}, {"street_key": "wallaby place"}, "exact"),
            ({"street_key": "walaby place"}, {"street_key": "wallaby place"}, "fuzzy_high"),
            (
                {"street_key": "horsley crescent annesley"},
                {"street_key": "annesley horsley crescent"},
                "fuzzy_high",
            ),
            ({"street_key": "wallaby place"}, {"street_key": "pinkerton circuit"}, "else"),
            ({"street_key": None}, {"street_key": "wallaby place"}, "null"),
        ],
    },
    {
        "description": "postcodes",
        "comparison": PostcodeComparison(),
        "inputs": [
            ({"postcode_key": "2913"}, {"postcode_key": "2913"}, "exact"),
            ({"postcode_key": "2913"}, {"postcode_key": "2918"}, "one_edit"),
            ({"postcode_key": "2913"}, {"postcode_key": "4000"}, "else"),
            ({"postcode_key": None}, {"postcode_key": "4000"}, "null"),
        ],
    },
]

DEFAULTS: dict[str, Any] = {
    "first_key": None,
    "last_key": None,
    "name_tokens": None,
    "first_canon": None,
    "email_keys": [],
    "email_keys_personal": [],
    "email_domains": [],
    "domain_stems": [],
    "company_key": None,
    "company_key_freq": 0.01,
    "linkedin_key": None,
    "x_id_key": None,
    "x_handle_key": None,
    "birthday_key": None,
    "birthday_key_freq": 1 / 36_500,
    "street_key": None,
    "street_number_key": None,
    "postcode_key": None,
    "postcode_key_freq": 0.001,
    **NAME_BASE,
}


def _pairs(
    comparison: Comparison, inputs: list[tuple[dict[str, Any], dict[str, Any]]]
) -> pl.DataFrame:
    rows = []
    for left, right in inputs:
        row: dict[str, Any] = {}
        for side, values in (("l", left), ("r", right)):
            merged = {**DEFAULTS, **values}
            if merged["first_canon"] is None and merged["first_key"]:
                merged["first_canon"] = [merged["first_key"]]
            tokens = " ".join(sorted(t for t in (merged["first_key"], merged["last_key"]) if t))
            merged["name_tokens"] = tokens or None
            for column in comparison.columns:
                row[f"{column}_{side}"] = merged.get(column)
        rows.append(row)
    return pl.DataFrame(rows, infer_schema_length=None)


@pytest.mark.parametrize("case", CASES, ids=[c["description"] for c in CASES])
def test_levels(case: dict[str, Any]) -> None:
    comparison: Comparison = case["comparison"]
    inputs = [(left, right) for left, right, _ in case["inputs"]]
    expected = [label for _, _, label in case["inputs"]]
    levels = comparison.evaluate(_pairs(comparison, inputs))
    got = [comparison.levels[i].label for i in levels.to_list()]
    assert got == expected


def test_levels_are_null_first_else_last() -> None:
    for case in CASES:
        labels = [level.label for level in case["comparison"].levels]
        assert labels[0] == "null" and labels[-1].endswith("else")


def test_common_name_weighs_less_than_rare_name() -> None:
    comparison = NameComparison()
    inputs = [({"first_key": "jane", "last_key": "doe"}, {"first_key": "jane", "last_key": "doe"})]
    pairs = _pairs(comparison, inputs)
    rare = pairs.with_columns(
        pl.lit(1e-5).alias("last_key_freq_l"), pl.lit(1e-5).alias("last_key_freq_r")
    )
    common = pairs.with_columns(
        pl.lit(0.05).alias("last_key_freq_l"), pl.lit(0.05).alias("last_key_freq_r")
    )
    weight = comparison.weight_expr(pl.lit(1, pl.UInt8))
    assert rare.select(weight).item() > common.select(weight).item() + 5


def test_common_birthday_weighs_less_than_rare_one() -> None:
    comparison = BirthdayComparison()
    pairs = _pairs(comparison, [({"birthday_key": "19560409"}, {"birthday_key": "19560409"})])
    weight = comparison.weight_expr(pl.lit(1, pl.UInt8))
    rare = pairs.select(weight).item()
    common = pairs.with_columns(
        pl.lit(0.01).alias("birthday_key_freq_l"), pl.lit(0.01).alias("birthday_key_freq_r")
    ).select(weight)
    assert rare > common.item() + 4


def test_a_small_employer_weighs_more_beside_a_full_name_only() -> None:
    comparison = CompanyComparison()
    name = NameComparison()
    pairs = _pairs(comparison, [({"company_key": "acme"}, {"company_key": "acme"})])
    weight = comparison.weight_expr(pl.lit(comparison.index("exact"), pl.UInt8))

    def scored(share: float, name_level: str) -> float:
        frame = pairs.with_columns(
            pl.lit(share).alias("company_key_freq_l"),
            pl.lit(share).alias("company_key_freq_r"),
            pl.lit(name.index(name_level), pl.UInt8).alias("name"),
        )
        return float(frame.select(weight).item())

    # a firm of a few records among thousands vs the employer of a fifth of the network
    assert scored(0.0005, "exact") > scored(0.2, "exact") + 3
    assert scored(0.0005, "fuzzy_high") == scored(0.0005, "exact")
    # 'Jane' alone or 'Jane Roe' vs 'Jane Doe': the flat exact weight, however small the firm
    flat = comparison.levels[comparison.index("exact")].weight
    assert scored(0.0005, "first_only") == scored(0.0005, "last_differs") == flat


def test_same_house_number_adds_to_street_agreement() -> None:
    comparison = StreetComparison()
    inputs = [
        (
            {"street_key": "wallaby place", "street_number_key": "7"},
            {"street_key": "wallaby place", "street_number_key": "7"},
        ),
        (
            {"street_key": "wallaby place", "street_number_key": "7"},
            {"street_key": "wallaby place", "street_number_key": "9"},
        ),
    ]
    pairs = _pairs(comparison, inputs)
    weights = pairs.select(comparison.weight_expr(pl.lit(1, pl.UInt8))).to_series().to_list()
    assert weights[0] > weights[1]


def test_batch_scorers_match_rapidfuzz_with_the_equal_value_shortcut() -> None:
    from rapidfuzz import fuzz
    from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

    from pipelines.transforms.resolve.comparisons import edit_distance, similarity, token_set

    left = ["jane", None, "", "doe", "a b", " ", "wallaby place", None]
    right = ["jane", None, "", "dow", "b a", " ", "wallaby place kambah", "x"]
    pairs = pl.DataFrame({"l": left, "r": right}, schema={"l": pl.String, "r": pl.String})
    filled = [(a or "", b or "") for a, b in zip(left, right, strict=True)]
    jw = [JaroWinkler.normalized_similarity(a, b) for a, b in filled]
    assert similarity(pairs, "l", "r").to_list() == pytest.approx(jw)
    assert edit_distance(pairs, "l", "r").to_list() == [
        DamerauLevenshtein.distance(a, b) for a, b in filled
    ]
    assert token_set(pairs, "l", "r").to_list() == pytest.approx(
        [fuzz.token_set_ratio(a, b) for a, b in filled]
    )
    assert similarity(pairs.clear(), "l", "r").len() == 0


def test_similarity_floor_keeps_every_comparison_with_the_threshold() -> None:
    from pipelines.transforms.resolve.comparisons import similarity

    # 'decba'/'ec' and 'bdb'/'bcb' score 0.79999... in float64, exactly 0.8 in float32
    left = ["decba", "bdb", "jane", "jane", "doe", "zuzana"]
    right = ["ec", "bcb", "jayne", "jane", "dow", "quill"]
    pairs = pl.DataFrame({"l": left, "r": right})
    full = similarity(pairs, "l", "r")
    floored = similarity(pairs, "l", "r", floor=0.8)
    assert ((floored >= 0.8) == (full >= 0.8)).all()
    assert floored.filter(full >= 0.8).to_list() == full.filter(full >= 0.8).to_list()
    assert floored.filter(full < 0.8).to_list() == [0.0] * int((full < 0.8).sum())
