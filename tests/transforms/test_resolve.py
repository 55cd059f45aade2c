"""End-to-end resolver behaviour on a handful of synthetic records."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import polars as pl
import pytest

from pipelines.overrides import OverridesError, append_link, append_strength, load_overrides
from pipelines.transforms.resolve import LINK_SCHEMA, Overrides, ResolveConfig, resolve
from pipelines.transforms.resolve.blocking import BlockingRule, block
from pipelines.transforms.resolve.clustering import connected_components
from pipelines.transforms.resolve.engine import prepare
from pipelines.transforms.resolve.namesakes import NAMESAKE_SCHEMA, join_near_names_at_one_employer
from tests.transforms.conftest import make_records

CONFIG = ResolveConfig()


def people(resolution) -> list[set[str]]:  # type: ignore[no-untyped-def]
    groups = resolution.assignments.group_by("person_id").agg(pl.col("record_id"))
    return sorted((set(g) for g in groups["record_id"].to_list()), key=lambda s: sorted(s))


def together(resolution, a: str, b: str) -> bool:  # type: ignore[no-untyped-def]
    ids = dict(resolution.assignments.select("record_id", "person_id").iter_rows())
    return ids[a] == ids[b]


JANE = [
    {
        "record_id": "li1",
        "source": "linkedin",
        "first_name": "Jane",
        "last_name": "Quillfeather, PhD 🚀",
        "company": "Northgate Analytics, Inc.",
        "linkedin_url": "https://www.linkedin.com/in/jquill/",
    },
    {
        "record_id": "g1",
        "source": "google",
        "full_name": "Quillfeather, Jane",
        "company": "Northgate Analytics",
        "emails": ["J.Quill+x@googlemail.com"],
        "phones": ["(415) 555-0100"],
    },
    {"record_id": "m1", "source": "gmail", "full_name": "Jane Q", "emails": ["jquill@gmail.com"]},
    {"record_id": "v1", "source": "vcard", "first_name": "Jane", "phones": ["+1 415 555 0100"]},
    {
        "record_id": "o1",
        "source": "outlook",
        "first_name": "Tobiah",
        "last_name": "Renwick",
        "emails": ["tobiah@lumen.example"],
    },
]


def test_cross_source_person_is_one_and_links_explain_it(no_previous: pl.DataFrame) -> None:
    result = resolve(make_records(JANE), no_previous, Overrides(), CONFIG)
    assert people(result) == [{"g1", "li1", "m1", "v1"}, {"o1"}]
    assert result.links.schema == LINK_SCHEMA
    merges = result.links.filter(pl.col("decision") == "merge")
    assert merges.height >= 3
    row = merges.filter((pl.col("record_id_l") == "g1") & (pl.col("record_id_r") == "m1")).row(
        0, named=True
    )
    assert "email:exact" in row["rule"]
    details = json.loads(row["details"])
    assert details["email"]["email_keys"] == {"l": ["jquill@gmail.com"], "r": ["jquill@gmail.com"]}


def test_two_linkedin_profiles_never_merge_even_with_shared_email(
    no_previous: pl.DataFrame,
) -> None:
    rows = [
        {
            "record_id": "a",
            "source": "linkedin",
            "first_name": "Sam",
            "last_name": "Orly",
            "linkedin_url": "https://linkedin.com/in/sam-orly-1",
            "emails": ["s@orly.example"],
        },
        {
            "record_id": "b",
            "source": "linkedin",
            "first_name": "Sam",
            "last_name": "Orly",
            "linkedin_url": "https://linkedin.com/in/sam-orly-2",
            "emails": ["s@orly.example"],
        },
        {
            "record_id": "c",
            "source": "google",
            "first_name": "Sam",
            "last_name": "Orly",
            "emails": ["s@orly.example"],
            "urls": ["https://linkedin.com/in/sam-orly-1"],
        },
    ]
    result = resolve(make_records(rows), no_previous, Overrides(), CONFIG)
    assert not together(result, "a", "b")
    assert together(result, "a", "c")


def test_name_alone_does_not_merge_different_companies(no_previous: pl.DataFrame) -> None:
    rows = [
        {
            "record_id": "a",
            "source": "linkedin",
            "first_name": "Ilse",
            "last_name": "Vantongeren",
            "company": "Cobalt Robotics",
        },
        {
            "record_id": "b",
            "source": "google",
            "first_name": "Ilse",
            "last_name": "Vantongeren",
            "company": "Granite Foods",
        },
        {
            "record_id": "c",
            "source": "google",
            "first_name": "Ilse",
            "last_name": "Vantongeren",
            "emails": ["ilse@a.example"],
        },
        {
            "record_id": "d",
            "source": "outlook",
            "first_name": "Ilse",
            "last_name": "Vantongeren",
            "emails": ["ilse@b.example"],
        },
    ]
    result = resolve(make_records(rows), no_previous, Overrides(), CONFIG)
    assert not together(result, "a", "b")
    assert not together(result, "c", "d")


def test_weak_links_do_not_chain_two_employers(no_previous: pl.DataFrame) -> None:
    rows = [
        {
            "record_id": "a",
            "source": "linkedin",
            "first_name": "Orla",
            "last_name": "Brennavik",
            "company": "Cobalt Robotics",
        },
        {"record_id": "x", "source": "x", "full_name": "Orla Brennavik", "x_account_id": "77"},
        {
            "record_id": "b",
            "source": "google",
            "first_name": "Orla",
            "last_name": "Brennavik",
            "company": "Granite Foods",
        },
    ]
    result = resolve(make_records(rows), no_previous, Overrides(), CONFIG)
    assert not together(result, "a", "b")


def test_first_name_only_card_needs_more_than_a_shared_city(no_previous: pl.DataFrame) -> None:
    rows = [
        {"record_id": "card", "source": "vcard", "first_name": "Ottilie", "location": "Tallinn"},
        {
            "record_id": "li",
            "source": "linkedin",
            "first_name": "Ottilie",
            "last_name": "Varga",
            "location": "Tallinn",
            "linkedin_url": "https://www.linkedin.com/in/ovarga",
        },
        {
            "record_id": "g",
            "source": "google",
            "first_name": "Ottilie",
            "last_name": "Varga",
            "company": "Lumen Works",
            "location": "Tallinn",
        },
        {
            "record_id": "card2",
            "source": "vcard",
            "first_name": "Ottilie",
            "company": "Lumen Works",
        },
    ]
    result = resolve(make_records(rows), no_previous, Overrides(), CONFIG)
    assert not together(result, "card", "li")  # a first name and a city: namesakes abound
    assert not together(result, "card", "g")
    links = result.links.filter(pl.col("decision") == "merge")
    first_only = links.filter(pl.col("rule").str.contains("first_only"))
    assert first_only.filter(~pl.col("rule").str.contains("company")).height == 0


def test_shared_team_inbox_is_not_an_identity(no_previous: pl.DataFrame) -> None:
    names = [("Ann", "Arbo"), ("Ben", "Bosk"), ("Cyd", "Crane"), ("Dov", "Dahl")]
    rows = [
        {
            "record_id": f"r{i}",
            "first_name": first,
            "last_name": last,
            "emails": ["team@acme.example"],
        }
        for i, (first, last) in enumerate(names)
    ]
    result = resolve(make_records(rows), no_previous, Overrides(), CONFIG)
    assert len(people(result)) == 4


def test_overrides_must_and_cannot(tmp_path: Path, no_previous: pl.DataFrame) -> None:
    path = tmp_path / "overrides.tsv"
    append_link(path, "tobiah@LUMEN.example", "https://www.linkedin.com/in/JQuill", must=True)
    append_link(path, "j.quill@gmail.com", "(415) 555-0100", must=False)
    append_strength(path, "tobiah@lumen.example", 0.9)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    overrides = load_overrides(path)
    assert overrides.strength == (("tobiah@lumen.example", 0.9),)
    result = resolve(make_records(JANE), no_previous, overrides, CONFIG)
    assert together(result, "o1", "li1")
    assert not together(result, "m1", "g1")  # g1 holds both sides of the cannot-link
    assert not together(result, "m1", "v1")
    assert "must_link" in result.links["decision"].to_list()


def test_overrides_file_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "o.tsv"
    path.write_text("# comment\nmust_link a@x.io\n")
    with pytest.raises(OverridesError, match="line 2"):
        load_overrides(path)
    assert load_overrides(tmp_path / "missing.tsv") == Overrides()


def test_same_input_twice_is_identical(no_previous: pl.DataFrame) -> None:
    records = make_records(JANE)
    first = resolve(records, no_previous, Overrides(), CONFIG)
    second = resolve(records.reverse(), no_previous, Overrides(), CONFIG)
    assert first.assignments.sort("record_id").equals(second.assignments.sort("record_id"))
    assert first.links.equals(second.links)


def test_newer_export_keeps_keys_and_person_ids(no_previous: pl.DataFrame) -> None:
    first = resolve(make_records(JANE), no_previous, Overrides(), CONFIG)
    renamed = [{**row, "record_id": f"new-{row['record_id']}"} for row in reversed(JANE)]
    renamed[3]["phones"] = ["415-555-0100"]  # g1 again, its phone reformatted
    previous = first.assignments.select("record_key", "person_id")
    second = resolve(make_records(renamed), previous, Overrides(), CONFIG)
    before = dict(first.assignments.select("record_id", "person_id").iter_rows())
    after = dict(second.assignments.select("record_id", "person_id").iter_rows())
    assert all(after[f"new-{rid}"] == pid for rid, pid in before.items())
    assert second.history.height == 0


def test_merge_and_split_history(no_previous: pl.DataFrame) -> None:
    rows = [
        {
            "record_id": "a",
            "source": "google",
            "first_name": "Pia",
            "last_name": "Lund",
            "emails": ["pia@x.example"],
        },
        {
            "record_id": "b",
            "source": "outlook",
            "first_name": "Pia",
            "last_name": "Lund",
            "emails": ["pia@x.example"],
        },
        {
            "record_id": "c",
            "source": "linkedin",
            "first_name": "Ugo",
            "last_name": "Mair",
            "linkedin_url": "https://linkedin.com/in/ugo",
        },
        {
            "record_id": "d",
            "source": "google",
            "first_name": "Ugo",
            "last_name": "Mair",
            "emails": ["ugo@y.example"],
        },
    ]
    split = resolve(make_records(rows), no_previous, Overrides(), CONFIG)
    assert len(people(split)) == 3 or len(people(split)) == 2
    overrides = Overrides(
        cannot_link=(("pia@x.example", "ugo@y.example"),),
        must_link=(("https://linkedin.com/in/ugo", "ugo@y.example"),),
    )
    base = resolve(make_records(rows), no_previous, overrides, CONFIG)
    assert people(base) == [{"a", "b"}, {"c", "d"}]
    previous = base.assignments.select("record_key", "person_id")
    merged = resolve(
        make_records(rows),
        previous,
        Overrides(
            must_link=(
                ("pia@x.example", "ugo@y.example"),
                ("https://linkedin.com/in/ugo", "ugo@y.example"),
            )
        ),
        CONFIG,
    )
    assert people(merged) == [{"a", "b", "c", "d"}]
    assert merged.history["change"].to_list() == ["merged"]
    back = resolve(
        make_records(rows),
        merged.assignments.select("record_key", "person_id"),
        Overrides(
            cannot_link=(("pia@x.example", "ugo@y.example"),),
            must_link=(("https://linkedin.com/in/ugo", "ugo@y.example"),),
        ),
        CONFIG,
    )
    assert back.history["change"].to_list() == ["split"]
    kept = set(back.assignments["person_id"]) & set(merged.assignments["person_id"])
    assert len(kept) == 1


def test_blocking_caps_exploding_blocks_and_reports_them() -> None:
    rows = [
        {"first_name": f"N{i}", "last_name": "Zz", "phones": ["+14155550199"]} for i in range(12)
    ]
    rows.append({"first_name": "Ann", "last_name": "Arbo", "emails": ["ann@a.example"]})
    rows.append({"first_name": "Ann", "last_name": "Arbo", "emails": ["ann@a.example"]})
    features = prepare(make_records(rows), CONFIG)
    rules = (
        BlockingRule("phone", ("phone_keys",), cap=10),
        BlockingRule("email", ("email_keys",), cap=10),
    )
    result = block(features, rules)
    assert result.stats["blocking.capped_blocks.phone"] == 1
    assert result.stats["blocking.capped_records.phone"] == 12
    assert result.pairs.height == 1


def test_connected_components_long_chain() -> None:
    edges = pl.DataFrame(
        {"rid_l": list(range(99)), "rid_r": list(range(1, 100))},
        schema={"rid_l": pl.UInt32, "rid_r": pl.UInt32},
    )
    labels = connected_components(102, edges)
    assert labels.to_list() == [0] * 100 + [100, 101]


def test_empty_input(no_previous: pl.DataFrame) -> None:
    result = resolve(make_records([]), no_previous, Overrides(), CONFIG)
    assert result.assignments.height == 0


def test_clusters_sharing_a_seed_get_ids_independent_of_row_order() -> None:
    from pipelines.transforms.resolve.ids import assign_person_ids, seed_ids

    rows = [("src:k", 0), ("src:k", 5), ("src:z", 5), ("src:a", 9)]
    previous = pl.DataFrame(schema={"record_key": pl.String, "person_id": pl.String})
    mappings = []
    for order in (rows, rows[::-1], [rows[1], rows[3], rows[0], rows[2]]):
        clusters = pl.DataFrame(
            {"record_key": [k for k, _ in order], "cluster": [c for _, c in order]},
            schema={"record_key": pl.String, "cluster": pl.UInt32},
        ).with_columns(seed_ids(pl.Series([k for k, _ in order])).alias("seed_id"))
        mapping, _ = assign_person_ids(clusters, previous)
        mappings.append(dict(zip(mapping["cluster"], mapping["person_id"], strict=True)))
    assert mappings[0] == mappings[1] == mappings[2]
    assert len(set(mappings[0].values())) == 3


def test_personal_keys_drop_shared_values_and_keep_nulls() -> None:
    from pipelines.transforms.resolve.scoring import _without

    frame = pl.DataFrame(
        {"k": [["a", "b", "a"], None, [], ["s"], ["s", "c"]]},
        schema={"k": pl.List(pl.String)},
    )
    out = _without(frame, "k", pl.Series(["s"], dtype=pl.String))
    assert out.to_list() == [["a", "b"], None, [], [], ["c"]]


def _with_street(rows: list[dict[str, object]], streets: dict[str, str]) -> pl.DataFrame:
    """Febrl-style records: the resolver reads an optional ``street`` column."""
    frame = make_records(rows)
    return frame.with_columns(
        pl.col("record_id").replace_strict(streets, default=None).alias("street")
    )


HOUSEHOLD = [
    {"record_id": "a", "first_name": "Marit", "last_name": "Oskarvell", "location": "Tarn 4021"},
    {"record_id": "b", "first_name": "Kasimir", "last_name": "Oskarvell", "location": "Tarn 4021"},
]


def test_mangled_first_name_at_the_same_street_is_one_person(no_previous: pl.DataFrame) -> None:
    records = _with_street(HOUSEHOLD, {"a": "17 wattle grove", "b": "17 wattle grove"})
    result = resolve(records, no_previous, Overrides(), CONFIG)
    assert together(result, "a", "b")  # nothing a second household member would carry


def test_household_members_with_their_own_phones_stay_apart(no_previous: pl.DataFrame) -> None:
    rows = [
        {**HOUSEHOLD[0], "phones": ["+44 7700 900111"]},
        {**HOUSEHOLD[1], "phones": ["+44 7700 900222"]},
    ]
    records = _with_street(rows, {"a": "17 wattle grove", "b": "17 wattle grove"})
    result = resolve(records, no_previous, Overrides(), CONFIG)
    assert not together(result, "a", "b")
    refused = result.links.filter(pl.col("record_id_l") == "a", pl.col("record_id_r") == "b")
    assert refused["decision"].to_list() == ["maybe"]  # kept for review, not merged


def test_a_shared_home_line_does_not_merge_a_family(no_previous: pl.DataFrame) -> None:
    rows = [{**row, "phones": ["+44 20 7946 0321"]} for row in HOUSEHOLD]
    result = resolve(make_records(rows), no_previous, Overrides(), CONFIG)
    assert not together(result, "a", "b")


def test_an_old_employer_on_a_card_does_not_split_a_person(no_previous: pl.DataFrame) -> None:
    """The address book still says Granite Foods; the work address says Cobalt Robotics."""
    rows = [
        {
            "record_id": "li",
            "source": "linkedin",
            "first_name": "Ilse",
            "last_name": "Vantongeren",
            "company": "Cobalt Robotics",
            "linkedin_url": "https://www.linkedin.com/in/ivantongeren",
        },
        {
            "record_id": "mail",
            "source": "gmail",
            "full_name": "Ilse Vantongeren",
            "emails": ["ilse.vt@gmail.com", "ivantongeren@cobaltrobotics.com"],
        },
        {
            "record_id": "card",
            "source": "google",
            "first_name": "Ilse",
            "last_name": "Vantongeren",
            "company": "Granite Foods",
            "emails": ["ilse.vt@gmail.com"],
        },
    ]
    result = resolve(make_records(rows), no_previous, Overrides(), CONFIG)
    assert len(people(result)) == 1  # name + employer (via the work domain) is not a weak link


def _letters(i: int) -> str:
    out = ""
    for _ in range(4):
        i, digit = divmod(i, 26)
        out += "bcdfghjklmnpqrstvwxzaeiouy"[digit]
    return out.capitalize()


def _crowd() -> list[dict[str, object]]:
    """1,800 people, one in nine called Ilse: her first name alone is common here."""
    firsts = ["Ilse", "Tomas", "Greet", "Wout", "Fien", "Ruben", "Lotte", "Jef", "Mira"]
    return [
        {
            "record_id": f"crowd{i}",
            "source": "google",
            "first_name": firsts[i % len(firsts)],
            "last_name": f"Vr{_letters(i)}",
            "emails": [f"person{i}@crowd.example"],
        }
        for i in range(1800)
    ]


ILSE_LINKEDIN = {
    "record_id": "li",
    "source": "linkedin",
    "first_name": "Ilse",
    "last_name": "Vantongeren",
    "company": "Cobalt Robotics",
    "linkedin_url": "https://www.linkedin.com/in/ivantongeren",
}
ILSE_X = {"record_id": "x", "source": "x", "full_name": "Ilse Vantongeren", "x_account_id": "42"}


def test_the_only_two_groups_with_a_rare_name_join(no_previous: pl.DataFrame) -> None:
    rows = [*_crowd(), ILSE_LINKEDIN, ILSE_X]
    result = resolve(make_records(rows), no_previous, Overrides(), CONFIG)
    assert together(result, "li", "x")
    link = result.links.filter(pl.col("record_id_l") == "li", pl.col("record_id_r") == "x")
    assert link["decision"].to_list() == ["merge"]
    assert link["rule"].item().startswith("sole_namesake name:exact")
    assert link["score"].item() < CONFIG.merge_threshold  # the pair alone would not merge
    assert result.stats["pairs.sole_namesakes"] == 1


def test_a_disagreeing_namesake_keeps_every_group_with_that_name_apart(
    no_previous: pl.DataFrame,
) -> None:
    namesake = {
        "record_id": "card",
        "source": "google",
        "first_name": "Ilse",
        "last_name": "Vantongeren",
        "company": "Granite Foods",
    }
    rows = [*_crowd(), ILSE_LINKEDIN, ILSE_X, namesake]
    result = resolve(make_records(rows), no_previous, Overrides(), CONFIG)
    assert not together(result, "li", "x")
    assert not together(result, "card", "x")
    assert result.stats["pairs.sole_namesakes"] == 0


def test_an_old_employer_in_the_same_city_does_not_make_a_namesake(
    no_previous: pl.DataFrame,
) -> None:
    """People change jobs more often than cities: the only other Ilse Vantongeren in Ghent,
    on a card from her previous employer, is her; one in another city is someone else."""
    linkedin = {**ILSE_LINKEDIN, "location": "Ghent, Belgium"}
    old_card = {
        "record_id": "card",
        "source": "google",
        "first_name": "Ilse",
        "last_name": "Vantongeren",
        "company": "Granite Foods",
        "location": "Ghent",
    }
    result = resolve(
        make_records([*_crowd(), linkedin, old_card]), no_previous, Overrides(), CONFIG
    )
    assert together(result, "li", "card")
    elsewhere = {**old_card, "location": "Antwerp"}
    result = resolve(
        make_records([*_crowd(), linkedin, elsewhere]), no_previous, Overrides(), CONFIG
    )
    assert not together(result, "li", "card")


def test_a_commoner_name_joins_its_groups_only_when_they_share_a_city(
    no_previous: pl.DataFrame,
) -> None:
    """With 55 other Vantongerens in Ghent, 'Ilse Vantongeren' is expected about three times
    by chance: the only two groups with it are one person when both are in Ghent, but not on
    the name alone."""
    crowd = _ghent_with_vantongerens()
    linkedin = {**ILSE_LINKEDIN, "location": "Ghent, Belgium"}
    records = make_records([*crowd, linkedin, {**ILSE_X, "location": "Ghent"}])
    expected = (
        prepare(records, CONFIG)
        .filter(pl.col("record_id") == "x")
        .select(pl.col("first_key_freq") * pl.col("last_key_freq") * pl.col("records"))
    )
    assert 1.0 < expected.item() < 4.0
    result = resolve(records, no_previous, Overrides(), CONFIG)
    assert together(result, "li", "x")
    link = result.links.filter(pl.col("record_id_l") == "li", pl.col("record_id_r") == "x")
    assert link["rule"].item().startswith("sole_namesake")
    records = make_records([*crowd, linkedin, ILSE_X])
    assert not together(resolve(records, no_previous, Overrides(), CONFIG), "li", "x")


def test_a_nickname_joins_the_name_it_shortens_only_with_a_shared_city(
    no_previous: pl.DataFrame,
) -> None:
    crowd = _ghent_with_vantongerens()
    robert = {**ILSE_LINKEDIN, "first_name": "Robert", "location": "Ghent, Belgium"}
    bob = {**ILSE_X, "full_name": "Bob Vantongeren", "location": "Ghent"}
    result = resolve(make_records([*crowd, robert, bob]), no_previous, Overrides(), CONFIG)
    assert together(result, "li", "x")
    link = result.links.filter(pl.col("record_id_l") == "li", pl.col("record_id_r") == "x")
    assert link["rule"].item().startswith("sole_namesake name:nickname")
    assert link["score"].item() < CONFIG.merge_threshold  # the pair alone would not merge
    # a nickname alone is ambiguous (Bob may be a Bobby or a Roberta's brother Robert)
    bob = {**bob, "location": None}
    result = resolve(make_records([*crowd, robert, bob]), no_previous, Overrides(), CONFIG)
    assert not together(result, "li", "x")


def test_a_near_name_joins_when_the_groups_meet_at_one_employer(no_previous: pl.DataFrame) -> None:
    """A typo in a surname fifteen others share and a work address at her employer: the pair
    scores under even the maybe threshold, the shared employer makes it one person; the same
    card in another city stays apart."""
    relatives = _ghent_with_vantongerens()[-15:]
    linkedin = {**ILSE_LINKEDIN, "location": "Ghent, Belgium"}
    card = {
        "record_id": "card",
        "source": "google",
        "first_name": "Ilse",
        "last_name": "Vantongerem",
        "emails": ["ilse.v@cobaltrobotics.example"],
    }
    rows = [*_crowd(), *relatives, linkedin, card]
    result = resolve(make_records(rows), no_previous, Overrides(), CONFIG)
    assert together(result, "li", "card")
    link = result.links.filter(pl.col("record_id_l") == "card", pl.col("record_id_r") == "li")
    assert link["decision"].item() == "merge"
    assert link["rule"].item().startswith("same_employer name:fuzzy_high")
    assert link["score"].item() < CONFIG.maybe_threshold
    assert result.stats["pairs.same_employer"] == 1
    elsewhere = {**card, "location": "Antwerp"}
    rows = [*_crowd(), *relatives, linkedin, elsewhere]
    assert not together(resolve(make_records(rows), no_previous, Overrides(), CONFIG), "li", "card")


def test_a_group_with_two_near_names_at_its_employer_joins_neither() -> None:
    # records 0-2 at Acme (by company or work domain) among 200 at other firms
    n = 203
    features = pl.DataFrame(
        {
            "rid": range(n),
            "linkedin_key": [None] * n,
            "x_id_key": [None] * n,
            "city_key": [None] * n,
            "company_key": ["acme", None, "acme", *(f"firm{i}" for i in range(200))],
            "domain_stems": [[], ["acme"], *([[]] * 201)],
            "email_keys_personal": [[]] * n,
        },
        schema_overrides={
            "rid": pl.UInt32,
            "linkedin_key": pl.String,
            "x_id_key": pl.String,
            "city_key": pl.String,
            "domain_stems": pl.List(pl.String),
            "email_keys_personal": pl.List(pl.String),
        },
    )
    labels = pl.Series("label", range(n), dtype=pl.UInt32)

    def joined(pairs: list[tuple[int, int]], cannot: tuple[int, ...] = ()) -> list[int]:
        near = pl.DataFrame(pairs, schema=NAMESAKE_SCHEMA, orient="row")
        return join_near_names_at_one_employer(labels, near, features, list(cannot))[0].to_list()[
            :3
        ]

    assert joined([(0, 1)]) == [0, 0, 2]
    assert joined([(0, 1)], cannot=(1,)) == [0, 1, 2]
    assert joined([(0, 1), (1, 2)]) == [0, 1, 2]  # 1 could be either's
    # Acme as the employer of most of the network vouches for nobody
    features = features.with_columns(pl.lit("acme").alias("company_key"))
    assert joined([(0, 1)]) == [0, 1, 2]


def _ghent_with_vantongerens() -> list[dict[str, object]]:
    """The crowd, all in Ghent, with 55 Vantongerens of other first names."""
    relatives = [
        {
            "record_id": f"vt{i}",
            "source": "google",
            "first_name": ["Tomas", "Greet", "Wout", "Fien", "Ruben"][i % 5],
            "last_name": "Vantongeren",
            "emails": [f"vt{i}@crowd.example"],
        }
        for i in range(55)
    ]
    return [{**row, "location": "Ghent"} for row in [*_crowd(), *relatives]]


def _crowd_with_vantongerens() -> list[dict[str, object]]:
    """The crowd and 30 Vantongerens of other first names, nowhere in particular: a name
    and that surname alone score under the merge threshold."""
    relatives = _ghent_with_vantongerens()[-30:]
    return [*_crowd(), *({**row, "location": None} for row in relatives)]


def test_sole_namesakes_read_addresses_as_employer_or_personal(no_previous: pl.DataFrame) -> None:
    """A work address and a personal one do not disagree; work addresses at two employers do."""
    work = {
        "record_id": "work",
        "source": "outlook",
        "first_name": "Ilse",
        "last_name": "Vantongeren",
        "emails": ["ivantongeren@cobaltrobotics.example"],
    }
    personal = {
        "record_id": "home",
        "source": "gmail",
        "full_name": "Ilse Vantongeren",
        "emails": ["ilse.vt@gmail.com"],
    }
    result = resolve(make_records([*_crowd(), work, personal]), no_previous, Overrides(), CONFIG)
    assert together(result, "work", "home")
    elsewhere = {**personal, "emails": ["ilse@granitefoods.example"]}
    result = resolve(make_records([*_crowd(), work, elsewhere]), no_previous, Overrides(), CONFIG)
    assert not together(result, "work", "home")


def test_a_bare_address_is_matched_under_the_name_it_spells(no_previous: pl.DataFrame) -> None:
    rows = [
        {"record_id": "mail", "source": "gmail", "emails": ["Ottilie.Varga84@gmail.com"]},
        {"record_id": "desk", "source": "email_log", "emails": ["info@vargaworks.example"]},
        {
            "record_id": "li",
            "source": "linkedin",
            "first_name": "Ottilie",
            "last_name": "Varga",
            "company": "Varga Works",
            "linkedin_url": "https://www.linkedin.com/in/ovarga",
        },
    ]
    records = make_records(rows)
    result = resolve(records, no_previous, Overrides(), CONFIG)
    assert together(result, "mail", "li")
    assert not together(result, "desk", "li")  # 'info' spells no name
    assert records.filter(pl.col("record_id") == "mail")["full_name"].item() is None


def test_a_bare_work_address_takes_the_one_matching_name_at_that_employer(
    no_previous: pl.DataFrame,
) -> None:
    ottilie = {
        "record_id": "li",
        "source": "linkedin",
        "first_name": "Ottilie",
        "last_name": "Varga",
        "company": "Varga Works",
        "linkedin_url": "https://www.linkedin.com/in/ovarga",
    }
    bare = {"record_id": "mail", "source": "gmail", "emails": ["ovarga84@vargaworks.com"]}
    result = resolve(make_records([ottilie, bare]), no_previous, Overrides(), CONFIG)
    assert together(result, "mail", "li")
    details = json.loads(result.links.filter(pl.col("record_id_l") == "li")["details"].item())
    assert details["name"]["first_key"] == {"l": "ottilie", "r": "ottilie"}
    # two O. Vargas at Varga Works: the address could be either, so it stays apart
    oskar = {**ottilie, "record_id": "li2", "first_name": "Oskar", "linkedin_url": None}
    result = resolve(make_records([ottilie, oskar, bare]), no_previous, Overrides(), CONFIG)
    assert not together(result, "mail", "li")
    assert not together(result, "mail", "li2")


PRIYA_LINKEDIN = {
    "record_id": "li",
    "source": "linkedin",
    "first_name": "Priya",
    "last_name": "Andanberg",
    "company": "Helix Labs",
    "linkedin_url": "https://www.linkedin.com/in/pandanberg",
}


def test_a_first_name_with_a_handle_takes_the_one_surname_it_spells(
    no_previous: pl.DataFrame,
) -> None:
    priya = PRIYA_LINKEDIN
    tweet = {"record_id": "x", "source": "x", "full_name": "Priya 🚀", "x_handle": "@priyaandan227"}
    result = resolve(make_records([priya, tweet]), no_previous, Overrides(), CONFIG)
    assert together(result, "x", "li")
    # two Priyas whose surnames start with 'andan': the handle could be either's
    other = {**priya, "record_id": "li2", "last_name": "Andanova", "linkedin_url": None}
    result = resolve(make_records([priya, other, tweet]), no_previous, Overrides(), CONFIG)
    assert not together(result, "x", "li")
    assert not together(result, "x", "li2")


def test_an_address_of_initial_and_surname_spells_a_first_name_cards_surname(
    no_previous: pl.DataFrame,
) -> None:
    priya = PRIYA_LINKEDIN
    card = {"record_id": "card", "source": "google", "first_name": "Priya"}
    card["emails"] = ["pandanberg84@gmail.com"]
    result = resolve(make_records([priya, card]), no_previous, Overrides(), CONFIG)
    assert together(result, "card", "li")
    # another initial spells nobody's surname here
    other = {**card, "emails": ["kandanberg84@gmail.com"]}
    result = resolve(make_records([priya, other]), no_previous, Overrides(), CONFIG)
    assert not together(result, "card", "li")


def test_a_handle_that_cuts_the_first_name_short_still_spells_the_surname(
    no_previous: pl.DataFrame,
) -> None:
    charles = {**PRIYA_LINKEDIN, "first_name": "Charles", "last_name": "Weselton"}
    # 15 characters: 'charle' + 'wesel' + digits
    tweet = {
        "record_id": "x",
        "source": "x",
        "full_name": "Charles ✨",
        "x_handle": "charlewesel1233",
    }
    result = resolve(make_records([charles, tweet]), no_previous, Overrides(), CONFIG)
    assert together(result, "x", "li")
    # Weselton and Weselby both start with 'wesel': the handle could be either's
    other = {**charles, "record_id": "li2", "last_name": "Weselby", "linkedin_url": None}
    result = resolve(make_records([charles, other, tweet]), no_previous, Overrides(), CONFIG)
    assert not together(result, "x", "li")
    assert not together(result, "x", "li2")


def test_a_handle_spells_the_full_first_name_a_nickname_shortens(
    no_previous: pl.DataFrame,
) -> None:
    """'Bob Vantongeren' with '@robertvanton12' is Robert (not a Bobby): he joins the one
    Robert Vantongeren like his own name would, with no city to share."""
    crowd = _crowd_with_vantongerens()
    robert = {**ILSE_LINKEDIN, "first_name": "Robert"}
    bob = {**ILSE_X, "full_name": "Bob Vantongeren", "x_handle": "robertvanton12"}
    result = resolve(make_records([*crowd, robert, bob]), no_previous, Overrides(), CONFIG)
    assert together(result, "li", "x")
    # a handle that spells no full first name leaves the nickname alone with the name
    bob = {**bob, "x_handle": "bobvantonger12"}
    result = resolve(make_records([*crowd, robert, bob]), no_previous, Overrides(), CONFIG)
    assert not together(result, "li", "x")


def test_a_group_agreeing_with_one_person_at_two_jobs_joins_the_larger_group(
    no_previous: pl.DataFrame,
) -> None:
    """Oda Vantongeren on LinkedIn at Cobalt Robotics, an old card and a mail at Helix Labs
    that the employer guard keeps apart, and an X account with nothing but the name: the
    account joins the larger group (the card and the mail), the LinkedIn profile stays
    apart."""
    profile = {**ILSE_LINKEDIN, "first_name": "Oda"}
    account = {**ILSE_X, "full_name": "Oda Vantongeren"}
    card = {
        "record_id": "card",
        "source": "google",
        "first_name": "Oda",
        "last_name": "Vantongeren",
        "company": "Helix Labs",
        "emails": ["oda.vt@gmail.com"],
    }
    mail = {
        "record_id": "mail",
        "source": "gmail",
        "full_name": "Oda Vantongeren",
        "emails": ["oda.vt@gmail.com"],
    }
    crowd = _crowd_with_vantongerens()
    result = resolve(
        make_records([*crowd, profile, card, mail, account]), no_previous, Overrides(), CONFIG
    )
    assert together(result, "x", "card")
    assert not together(result, "x", "li")
    # two LinkedIn profiles are two people: the account could be either's
    other = {**card, "source": "linkedin", "linkedin_url": "https://www.linkedin.com/in/oda-vt"}
    result = resolve(
        make_records([*crowd, profile, other, mail, account]), no_previous, Overrides(), CONFIG
    )
    assert not together(result, "x", "card")
    assert not together(result, "x", "li")


def test_a_namesake_who_disagrees_with_both_does_not_block_the_other_two(
    no_previous: pl.DataFrame,
) -> None:
    home = {
        "record_id": "home",
        "source": "gmail",
        "full_name": "Ilse Vantongeren",
        "emails": ["ilse.vt@gmail.com"],
    }
    other = {
        "record_id": "card",
        "source": "outlook",
        "first_name": "Ilse",
        "last_name": "Vantongeren",
        "company": "Granite Foods",
        "emails": ["ilse.granite@yahoo.com"],
    }
    rows = [*_crowd(), ILSE_LINKEDIN, home, other]
    result = resolve(make_records(rows), no_previous, Overrides(), CONFIG)
    assert together(result, "li", "home")  # the card disagrees with both: another Ilse
    assert not together(result, "card", "home")
    assert not together(result, "card", "li")


def test_a_card_under_another_name_joins_the_person_its_address_spells(
    no_previous: pl.DataFrame,
) -> None:
    """'Tim Zanlin' (his birth name, a nickname) on a card listing timothy.ovafordmann@ and
    his employer is Timothy Ovafordmann of LinkedIn; the link says which name the address
    spelled. A card whose address spells another first name (the husband's) stays apart."""
    card = {
        "record_id": "card",
        "source": "google",
        "first_name": "Tim",
        "last_name": "Zanlin",
        "company": "Quantum Nova Labs",
        "emails": ["timothy.ovafordmann78@proton.example"],
    }
    linkedin = {
        "record_id": "li",
        "source": "linkedin",
        "first_name": "Timothy",
        "last_name": "Ovafordmann",
        "company": "Quantum Nova Labs",
        "linkedin_url": "https://www.linkedin.com/in/tovafordmann",
    }
    wife = {**card, "record_id": "wife", "first_name": "Tamara", "last_name": "Ovafordmann"}
    result = resolve(make_records([*_crowd(), card, linkedin]), no_previous, Overrides(), CONFIG)
    assert together(result, "card", "li")
    link = result.links.filter(pl.col("record_id_l") == "card", pl.col("record_id_r") == "li")
    assert link["rule"].item().startswith("name:spelled")
    details = json.loads(link["details"].item())["name"]
    assert details["spelled_first"] == {"l": "timothy", "r": None}
    assert details["spelled_last"] == {"l": "ovafordmann", "r": None}
    result = resolve(make_records([*_crowd(), wife, linkedin]), no_previous, Overrides(), CONFIG)
    assert not together(result, "wife", "li")


def test_the_name_an_address_spells_makes_a_sole_namesake(no_previous: pl.DataFrame) -> None:
    """A card with a typo ('Ilse Vantongeern') whose address spells the name, and the X
    account of the only Ilse Vantongeren: nothing else in common, yet one person."""
    card = {
        "record_id": "card",
        "source": "google",
        "first_name": "Ilse",
        "last_name": "Vantongeern",
        "emails": ["ilse.vantongeren@proton.example"],
    }
    result = resolve(make_records([*_crowd(), card, ILSE_X]), no_previous, Overrides(), CONFIG)
    assert together(result, "card", "x")
    link = result.links.filter(pl.col("record_id_l") == "card", pl.col("record_id_r") == "x")
    assert link["rule"].item().startswith("sole_namesake name:spelled")
