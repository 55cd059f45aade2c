"""Normalised identifier keys shared by the owner filter, mail attribution and people rows.

The same key functions must serve contact records and interactions, so that a Gmail address
written with dots or a +tag in mail is attributed to the person whose contact card has it.
"""

from __future__ import annotations

import hashlib
import re

import polars as pl

from pipelines.transforms import normalize
from pipelines.transforms.resolve import ResolveConfig

KEY_KINDS = ("email", "linkedin", "x_id", "x_handle", "phone")


def add_keys(records: pl.DataFrame, config: ResolveConfig) -> pl.DataFrame:
    """Display-ready normalised lists (people.emails/phones) and match keys per record."""
    return records.with_columns(
        normalize.clean_emails(pl.col("emails")).alias("emails_norm"),
        normalize.phones_e164(records["phones"], config.default_region).alias("phones_norm"),
        normalize.email_keys(pl.col("emails")).alias("email_keys"),
        normalize.linkedin_key(pl.col("linkedin_url")).alias("linkedin_key"),
        normalize.x_handle_key(pl.col("x_handle")).alias("x_handle_key"),
    )


def owner_keys(owner: pl.DataFrame, config: ResolveConfig) -> pl.DataFrame:
    """(kind, key) pairs that identify the owner across sources."""
    if owner.height == 0:
        return pl.DataFrame(schema={"kind": pl.String, "key": pl.String})
    value = pl.col("value")
    keyed = owner.select(
        pl.col("kind"),
        pl.when(pl.col("kind") == "email")
        .then(normalize.email_key(value))
        .when(pl.col("kind") == "linkedin_url")
        .then(normalize.linkedin_key(value))
        .when(pl.col("kind") == "x_handle")
        .then(normalize.x_handle_key(value))
        .when(pl.col("kind") == "x_account_id")
        .then(value.str.strip_chars())
        .otherwise(None)
        .alias("key"),
    ).with_columns(pl.col("kind").replace({"linkedin_url": "linkedin", "x_account_id": "x_id"}))
    return keyed.drop_nulls().unique().sort("kind", "key")


def _keys_of(records: pl.DataFrame) -> pl.DataFrame:
    """Long form (record_id, kind, key) of every identifier a record carries."""
    indexed = records.select(
        "record_id",
        "email_keys",
        "phones_norm",
        "linkedin_key",
        "x_handle_key",
        pl.col("x_account_id").alias("x_id"),
    )
    lists = [
        indexed.select(
            "record_id", pl.lit(kind).alias("kind"), pl.col(column).alias("key")
        ).explode("key")
        for kind, column in (("email", "email_keys"), ("phone", "phones_norm"))
    ]
    singles = [
        indexed.select("record_id", pl.lit(kind).alias("kind"), pl.col(column).alias("key"))
        for kind, column in (
            ("linkedin", "linkedin_key"),
            ("x_id", "x_id"),
            ("x_handle", "x_handle_key"),
        )
    ]
    return pl.concat([*lists, *singles]).drop_nulls("key")


def mark_owner_records(records: pl.DataFrame, owner: pl.DataFrame) -> pl.DataFrame:
    """The owner is never a person in their own network: their contact rows become 'owner'."""
    owned = (
        _keys_of(records).join(owner, on=["kind", "key"], how="semi").select("record_id").unique()
    )
    is_owner = pl.col("record_id").is_in(owned["record_id"].implode())
    return records.with_columns(
        is_owner.alias("is_owner_match"),
        pl.when(is_owner & (pl.col("kind") == "contact"))
        .then(pl.lit("owner"))
        .otherwise(pl.col("kind"))
        .alias("kind"),
    )


def identity_keys(people_records: pl.DataFrame) -> pl.DataFrame:
    """(kind, key, person_id); a key claimed by two people is dropped (ambiguous)."""
    long = (
        _keys_of(people_records)
        .join(people_records.select("record_id", "person_id"), on="record_id")
        .select("kind", "key", "person_id")
        .unique()
    )
    return long.filter(pl.len().over(["kind", "key"]) == 1).sort("kind", "key")


def attribute_interactions(
    interactions: pl.DataFrame, identity: pl.DataFrame, owner: pl.DataFrame, config: ResolveConfig
) -> pl.DataFrame:
    """Each interaction row gets ``person_id`` (first key that resolves) and ``is_owner``."""
    del config
    keyed = interactions.with_columns(
        normalize.email_key(pl.col("email")).alias("_email"),
        normalize.linkedin_key(pl.col("linkedin_url")).alias("_linkedin"),
        pl.col("x_account_id").alias("_x_id"),
    )
    person = None
    owner_flag = pl.lit(False)
    for kind, column in (("email", "_email"), ("linkedin", "_linkedin"), ("x_id", "_x_id")):
        lookup = identity.filter(pl.col("kind") == kind).select(
            pl.col("key").alias(column), pl.col("person_id").alias(f"{column}_person")
        )
        keyed = keyed.join(lookup, on=column, how="left")
        owned = owner.filter(pl.col("kind") == kind)["key"].implode()
        owner_flag = owner_flag | pl.col(column).is_in(owned).fill_null(False)
        person = (
            pl.col(f"{column}_person")
            if person is None
            else pl.coalesce(person, pl.col(f"{column}_person"))
        )
    assert person is not None
    return keyed.with_columns(person.alias("person_id"), owner_flag.alias("is_owner")).select(
        *interactions.columns, "person_id", "is_owner"
    )


PERSON_ID_PATTERN = r"^p_[0-9a-f]{12}$"


def identifier_key(identifier: str, default_region: str) -> tuple[str, str | None]:
    """Classify a user-typed identifier and normalise it with the records' own key functions.

    Returns (kind, key) with kind in person_id | linkedin | email | x_handle | phone.
    """
    value = identifier.strip()
    one = pl.DataFrame({"v": [value]})
    if re.match(PERSON_ID_PATTERN, value):
        return "person_id", value
    if "linkedin.com" in value.lower():
        return "linkedin", one.select(normalize.linkedin_key(pl.col("v"))).item()
    if "@" in value[1:] and not value.startswith("@"):
        return "email", one.select(normalize.email_key(pl.col("v"))).item()
    if value.startswith("@") or re.search(r"(?i)(twitter|x)\.com/", value):
        return "x_handle", one.select(normalize.x_handle_key(pl.col("v"))).item()
    phones = normalize.phones_e164(pl.Series([[value]]), default_region)[0]
    return "phone", (phones[0] if len(phones) else None)


def hash_keys(identifiers: pl.DataFrame, salt: str) -> pl.DataFrame:
    """Add ``key_hash``: salted SHA-256 of (kind, key), so suppressed keys are never stored."""
    hashed = [
        hashlib.sha256(f"{salt}\x1f{kind}\x1f{key}".encode()).hexdigest()
        for kind, key in identifiers.select("kind", "key").iter_rows()
    ]
    return identifiers.with_columns(pl.Series("key_hash", hashed, dtype=pl.String))


def _fingerprint() -> pl.Expr:
    """Content key for records without identifiers: the same contact in a newer export."""
    parts = [
        pl.col(c).fill_null("").str.to_lowercase().str.strip_chars()
        for c in ("source", "first_name", "last_name", "full_name", "company")
    ]
    return pl.concat_str(parts, separator="|")


def suppression_keys(keyed_records: pl.DataFrame) -> pl.DataFrame:
    """Every (kind, key) a record can be recognised by again, fingerprint included."""
    fingerprints = keyed_records.select(
        "record_id", pl.lit("record").alias("kind"), _fingerprint().alias("key")
    )
    return pl.concat([_keys_of(keyed_records), fingerprints]).unique(maintain_order=True)


def records_not_suppressed(
    keyed_records: pl.DataFrame, suppressed: pl.DataFrame, salt: str
) -> pl.Series:
    """True for records none of whose keys is in ``suppressed`` (kind, key_hash)."""
    if suppressed.height == 0 or keyed_records.height == 0:
        return pl.Series([True] * keyed_records.height, dtype=pl.Boolean)
    hits = hash_keys(suppression_keys(keyed_records), salt).join(
        suppressed, on=["kind", "key_hash"], how="semi"
    )
    return ~keyed_records["record_id"].is_in(hits["record_id"].implode())


def interactions_not_suppressed(
    interactions: pl.DataFrame, suppressed: pl.DataFrame, salt: str
) -> pl.Series:
    """True for interaction rows whose participant is not a forgotten person."""
    if suppressed.height == 0 or interactions.height == 0:
        return pl.Series([True] * interactions.height, dtype=pl.Boolean)
    indexed = interactions.with_row_index("_row").select(
        "_row",
        normalize.email_key(pl.col("email")).alias("email"),
        normalize.linkedin_key(pl.col("linkedin_url")).alias("linkedin"),
        pl.col("x_account_id").alias("x_id"),
    )
    long = indexed.unpivot(index="_row", variable_name="kind", value_name="key").drop_nulls("key")
    hits = hash_keys(long, salt).join(suppressed, on=["kind", "key_hash"], how="semi")
    return ~pl.Series(range(interactions.height)).cast(pl.UInt32).is_in(hits["_row"].implode())
