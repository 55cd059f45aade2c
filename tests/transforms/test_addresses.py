from __future__ import annotations

from pipelines.transforms.normalize import normalize_records
from pipelines.transforms.resolve.addresses import (
    with_names_from_addresses,
    with_names_from_work_addresses,
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
