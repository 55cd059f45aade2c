from __future__ import annotations

from pipelines.transforms.normalize import normalize_records
from pipelines.transforms.resolve.addresses import (
    with_names_from_addresses,
    with_names_from_work_addresses,
    with_spelled_names,
)
from tests.transforms.conftest import make_records


def test_only_nameless_records_take_the_name_their_address_spells() -> None:
    records = make_records(
        [
            {"emails": ["Jane.Doe84@gmail.com"]},
            {"full_name": "  ", "emails": ["x@acme.com", "john_roe@acme.com"]},
            {"first_name": "Ann", "emails": ["jane.doe@gmail.com"]},
            {"emails": ["jdoe@acme.com"]},
        ]
    )
    out = with_names_from_addresses(records)
    assert out["full_name"].to_list() == ["jane doe", "john roe", None, None]
    assert records["full_name"].to_list() == [None, "  ", None, None]


def test_a_work_address_lends_the_name_of_the_one_namesake_at_that_employer() -> None:
    records = make_records(
        [
            {"first_name": "Jane", "last_name": "Doe", "company": "Acme Corp"},
            {"emails": ["jdoe@acme.com"]},
            {"first_name": "John", "last_name": "Roe", "company": "Globex"},
            {"first_name": "Jim", "last_name": "Roe", "company": "Globex"},
            {"emails": ["jroe@globex.com"]},
        ]
    )
    features = normalize_records(records.with_row_index("rid"))
    out = with_names_from_work_addresses(features)
    assert out.select("first_key", "last_key").rows() == [
        ("jane", "doe"),
        ("jane", "doe"),
        ("john", "roe"),
        ("jim", "roe"),
        (None, None),
    ]


def test_an_address_spelling_another_form_of_the_shown_name_is_kept_beside_it() -> None:
    records = make_records(
        [
            # a nickname on the card, the full first name in the address
            {"first_name": "Tim", "last_name": "Zanlin", "emails": ["Timothy.Ovafordmann7@x.io"]},
            # a maiden name on the card, the married one run together with the first name
            {"first_name": "Debra", "last_name": "Holovator", "emails": ["debraellicha13@x.io"]},
            # a typo on the card, initial + surname at work
            {"first_name": "Kyle", "last_name": "Aiing", "emails": ["kaning55@apex.example"]},
            {"first_name": "Bob", "last_name": "Smith", "emails": ["robert.smith@x.io"]},
            # the address spells the shown name: nothing new
            {"first_name": "Ann", "last_name": "Lee", "emails": ["ann.lee@x.io"]},
            # the husband's address on Jane's card is not her name
            {"first_name": "Jane", "last_name": "Doe", "emails": ["john.doe@x.io"]},
            {"first_name": "Tim", "last_name": "Zanlin"},
            {"first_name": "Timothy", "last_name": "Ovafordmann"},
        ]
    )
    features = with_spelled_names(normalize_records(records.with_row_index("rid")))
    assert features.select("spelled_first", "spelled_last").rows() == [
        ("timothy", "ovafordmann"),
        ("debra", "ellicha"),
        ("kyle", "aning"),
        ("robert", "smith"),
        (None, None),
        (None, None),
        (None, None),
        (None, None),
    ]
    # blocking keys: each spelled name, and the shown name of the one record called so
    assert features["spelled_key"].to_list() == [
        "timothy ovafordmann",
        "debra ellicha",
        "kyle aning",
        "robert smith",
        None,
        None,
        None,
        "timothy ovafordmann",
    ]
