from __future__ import annotations

import random

import phonenumbers
import polars as pl
import pytest

from pipelines.transforms.normalize import (
    company_key,
    email_key,
    linkedin_key,
    normalize_records,
    phone_keys,
    phones_e164,
    x_handle_key,
)
from tests.transforms.conftest import make_records


def _one(expr_fn, value):  # type: ignore[no-untyped-def]
    return pl.DataFrame({"v": [value]}, schema={"v": pl.String}).select(expr_fn(pl.col("v"))).item()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("J.Doe+news@GoogleMail.com", "jdoe@gmail.com"),
        ("  Jane.Doe@Gmail.com ", "janedoe@gmail.com"),
        ("jane.doe+x@acme.com", "jane.doe+x@acme.com"),
        ("mailto:Jane@Acme.COM", "jane@acme.com"),
        ("not an email", None),
        ("a@@b.com", None),
        (None, None),
    ],
)
def test_email_key(raw: str | None, expected: str | None) -> None:
    assert _one(email_key, raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.linkedin.com/in/Jane-Doe/", "in/jane-doe"),
        ("https://linkedin.com/in/zo%C3%AB-doe?trk=abc", "in/zoë-doe"),
        ("linkedin.com/in/jdoe#about", "in/jdoe"),
        ("https://example.com/in/jdoe", None),
    ],
)
def test_linkedin_key(raw: str, expected: str | None) -> None:
    assert _one(linkedin_key, raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("@JaneDoe", "janedoe"),
        ("https://x.com/JaneDoe?s=20", "janedoe"),
        ("twitter.com/jane_doe/status/1", "jane_doe"),
        ("https://x.com/home", None),
        ("not a handle!", None),
    ],
)
def test_x_handle_key(raw: str, expected: str | None) -> None:
    assert _one(x_handle_key, raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Acme, Inc.", "acme"),
        ("ACME Inc", "acme"),
        ("Müller GmbH & Co. KG", "muller"),
        ("Globex S.A.", "globex"),
        ("Northgate Analytics, LLC", "northgateanalytics"),
        ("The Lumen Works Ltd", "lumenworks"),
        ("", None),
    ],
)
def test_company_key(raw: str, expected: str | None) -> None:
    assert _one(company_key, raw) == expected


def test_phones_e164_default_region_and_international() -> None:
    phones = pl.Series([["(415) 555-0100", "+44 (0)20 7946 0958"], ["0030 21 0123 4567"], ["x"]])
    out = phones_e164(phones, "US").to_list()
    assert out == [["+14155550100", "+442079460958"], ["+302101234567"], []]
    assert phones_e164(pl.Series([["030 1234567"]]), "DE").to_list() == [["+49301234567"]]


@pytest.mark.parametrize("region", ["US", "CA", "JM", "PR"])
def test_phone_keys_north_american_shortcut_agrees_with_phonenumbers(region: str) -> None:
    rng = random.Random(region)
    numbers = [f"{rng.randint(2, 9)}{rng.randrange(10**9):09d}" for _ in range(500)]
    parsed = [
        phonenumbers.format_number(
            phonenumbers.parse(number, region), phonenumbers.PhoneNumberFormat.E164
        )
        for number in numbers
    ]
    assert phone_keys(pl.Series(numbers), region).to_list() == parsed


@pytest.mark.parametrize(
    ("fields", "first", "last"),
    [
        ({"first_name": "Jane", "last_name": "Doe, PhD 🚀"}, "jane", "doe"),
        ({"first_name": "Jane (she/her)", "last_name": "Doe, MBA, CFA"}, "jane", "doe"),
        ({"full_name": "Doe, Jane"}, "jane", "doe"),
        ({"full_name": "Dr. Jane van Doe"}, "jane", "doe"),
        ({"full_name": "Zoë Ångström"}, "zoe", "angstrom"),
        ({"first_name": "Jane Doe"}, "jane", "doe"),
        ({"first_name": "Doe, Jane"}, "jane", "doe"),  # 'Last, First' in the First Name box
        ({"first_name": "van Doe, Mary Ann"}, "mary", "vandoe"),
        ({"first_name": "Jane"}, "jane", None),
        ({"first_name": "Mary-Jane", "last_name": "O'Brien"}, "maryjane", "obrien"),
        ({"full_name": "🚀🚀"}, None, None),
        ({"last_name": "Ma"}, None, "ma"),
    ],
)
def test_name_keys(fields: dict[str, str], first: str | None, last: str | None) -> None:
    out = normalize_records(make_records([fields]))
    assert out.select("first_key", "last_key").row(0) == (first, last)


def test_display_values_untouched_and_nicknames_both_ways() -> None:
    records = make_records(
        [
            {"first_name": "Bob", "last_name": "Smith, PhD"},
            {"first_name": "Robert", "last_name": "Smith"},
            {"first_name": "Liz", "last_name": "Roe"},
            {"first_name": "Elizabeth", "last_name": "Roe"},
        ]
    )
    out = normalize_records(records)
    assert out["last_name"].to_list()[0] == "Smith, PhD"
    canon = out["first_canon"].to_list()
    assert "robert" in set(canon[0]) & set(canon[1])
    assert "elizabeth" in set(canon[2]) & set(canon[3])


def test_urls_feed_profile_and_handle_keys() -> None:
    records = make_records(
        [{"urls": ["https://www.linkedin.com/in/JDoe/", "https://twitter.com/JaneD"]}]
    )
    out = normalize_records(records)
    assert out.select("linkedin_key", "x_handle_key").row(0) == ("in/jdoe", "janed")
