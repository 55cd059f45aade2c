"""The connector contract, checked for every connector in the registry.

Adding a connector without a fixture here fails: map its ``name`` to a fixture it must
recognise, or list it in KNOWN_GAPS with the reason (and report it).
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from connectors import REGISTRY, SNIFF_BYTES, detect
from connectors._text import decode
from connectors.base import (
    INTERACTION_SCHEMA,
    OWNER_SCHEMA,
    RECORD_SCHEMA,
    Connector,
    ExportFile,
    ParseResult,
)

FIXTURES_DIR = Path(__file__).parent.parent / "fixtures"
FIXTURES: dict[str, str] = {
    "linkedin_connections": "linkedin/Connections.csv",
    "linkedin_messages": "linkedin/messages.csv",
    "linkedin_invitations": "linkedin/Invitations.csv",
    "linkedin_profile": "linkedin/Profile.csv",
    "linkedin_email_addresses": "linkedin/Email Addresses.csv",
    "linkedin_phone_numbers": "linkedin/PhoneNumbers.csv",
    "linkedin_imported_contacts": "linkedin/ImportedContacts.csv",
    "x_account": "x/data/account.js",
    "x_follows": "x/data/follower.js",
    "x_direct_messages": "x/data/direct-messages.js",
    "x_contacts": "x/data/contact.js",
    "x_archive_other": "x/data/tweets.js",
    "x_followers_csv": "x/third_party/followers2csv.csv",
    "google_csv": "google/contacts.csv",
    "google_legacy_csv": "google/contacts_legacy.csv",
    "google_outlook_csv": "google/contacts_outlook.csv",
    "outlook_csv": "outlook/contacts.csv",
    "outlook_web_csv": "outlook/outlook_com.csv",
    "vcard": "vcard/contacts.vcf",
    "mbox": "mail/All mail Including Spam and Trash.mbox",
    "email_log_csv": "mail/email_log.csv",
}
# connector name -> why it has no fixture yet (each entry is a reported gap)
KNOWN_GAPS: dict[str, str] = {}
# recognised files that by design load no rows (known X archive files we skip)
NOTHING_TO_LOAD = frozenset({"x_archive_other"})

BY_NAME = {connector.name: connector for connector in REGISTRY}


def _file(name: str) -> ExportFile:
    return ExportFile(FIXTURES_DIR / FIXTURES[name])


def _parse(name: str) -> ParseResult:
    return BY_NAME[name].parse(_file(name))


def test_every_registered_connector_has_a_fixture_or_a_known_gap() -> None:
    names = [connector.name for connector in REGISTRY]
    assert len(names) == len(set(names)), "connector names must be unique"
    missing = sorted(set(names) - set(FIXTURES) - set(KNOWN_GAPS))
    assert not missing, f"no fixture for {missing}: add one to FIXTURES"
    stale = sorted((set(FIXTURES) | set(KNOWN_GAPS)) - set(names))
    assert not stale, f"not registered any more: {stale}"
    assert not set(FIXTURES) & set(KNOWN_GAPS)


TESTED = [c for c in REGISTRY if c.name in FIXTURES]


@pytest.mark.parametrize("connector", TESTED, ids=lambda c: c.name)
def test_fixture_is_recognised_by_its_connector_first(connector: Connector) -> None:
    file = _file(connector.name)
    head = decode(file.head(SNIFF_BYTES))
    assert connector.sniff(file.name, head)
    detected = detect(file, head)
    assert detected is not None and detected.name == connector.name


@pytest.mark.parametrize("connector", TESTED, ids=lambda c: c.name)
def test_output_conforms_exactly(connector: Connector) -> None:
    result = _parse(connector.name)
    assert result.records.schema == RECORD_SCHEMA
    assert result.interactions.schema == INTERACTION_SCHEMA
    assert result.owner.schema == OWNER_SCHEMA
    rows = result.records.height + result.interactions.height + result.owner.height
    assert rows > 0 or connector.name in NOTHING_TO_LOAD
    for frame in (result.records, result.interactions, result.owner):
        assert set(frame["source"].to_list()) <= {connector.source}
    for frame in (result.records, result.interactions):
        assert set(frame["source_file"].to_list()) <= {_file(connector.name).name}
        assert frame["source_row"].null_count() == 0
        assert (frame["source_row"] >= 1).all()
    for issue in result.issues:
        assert issue.source_file == _file(connector.name).name


@pytest.mark.parametrize("connector", TESTED, ids=lambda c: c.name)
def test_records_are_unique_per_file_row_and_keep_raw(connector: Connector) -> None:
    records = _parse(connector.name).records
    assert not records.select("source_file", "source_row").is_duplicated().any()
    for raw in records["raw"].to_list():
        assert raw is not None and isinstance(json.loads(raw), dict)
    assert records["kind"].is_in(["contact", "hidden", "owner"]).all()


@pytest.mark.parametrize("connector", TESTED, ids=lambda c: c.name)
def test_parse_is_deterministic(connector: Connector) -> None:
    first, second = _parse(connector.name), _parse(connector.name)
    for a, b in (
        (first.records, second.records),
        (first.interactions, second.interactions),
        (first.owner, second.owner),
    ):
        assert_frame_equal(a, b)
    assert first.issues == second.issues
    assert isinstance(first.records, pl.DataFrame)
