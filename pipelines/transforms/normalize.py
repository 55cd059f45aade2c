"""Normalisation of identifiers and names into match keys (pure polars).

API relied on by pipelines/transforms/keys.py (keep these names and signatures):
``email_key(expr)``, ``email_keys(list_expr)``, ``clean_emails(list_expr)``,
``phones_e164(series, default_region)``, ``linkedin_key(expr)``, ``x_handle_key(expr)``.
"""

from __future__ import annotations

import phonenumbers
import polars as pl

GMAIL_DOMAINS = ("gmail.com", "googlemail.com")


def clean_email(expr: pl.Expr) -> pl.Expr:
    """Trimmed, lower-cased address; anything without a single '@' becomes null."""
    value = expr.str.strip_chars().str.strip_chars("<>\"'").str.to_lowercase()
    return pl.when(value.str.contains(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")).then(value).otherwise(None)


def email_key(expr: pl.Expr) -> pl.Expr:
    """Match key: Gmail ignores dots and +tags in the local part, other providers do not."""
    value = clean_email(expr)
    local = value.str.extract(r"^([^@]+)@", 1)
    domain = value.str.extract(r"@(.+)$", 1)
    gmail_local = local.str.replace(r"\+.*$", "").str.replace_all(".", "", literal=True)
    return (
        pl.when(domain.is_in(GMAIL_DOMAINS))
        .then(pl.concat_str([gmail_local, pl.lit("@gmail.com")]))
        .otherwise(value)
    )


def clean_emails(list_expr: pl.Expr) -> pl.Expr:
    return list_expr.list.eval(clean_email(pl.element())).list.drop_nulls().list.unique(
        maintain_order=True
    )


def email_keys(list_expr: pl.Expr) -> pl.Expr:
    return list_expr.list.eval(email_key(pl.element())).list.drop_nulls().list.unique(
        maintain_order=True
    )


def _e164(value: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phones_e164(phones: pl.Series, default_region: str) -> pl.Series:
    """E.164 numbers per record; parsed once per distinct raw value (fast at a million rows)."""
    exploded = phones.explode()
    distinct = exploded.drop_nulls().unique()
    mapping = dict(
        zip(distinct.to_list(), [_e164(v, default_region) for v in distinct.to_list()], strict=True)
    )
    frame = pl.DataFrame({"phones": phones}).with_row_index("_row")
    normalised = (
        frame.explode("phones")
        .with_columns(
            pl.col("phones").replace_strict(mapping, default=None, return_dtype=pl.String)
        )
        .group_by("_row", maintain_order=True)
        .agg(pl.col("phones").drop_nulls().unique(maintain_order=True))
    )
    return normalised["phones"]


def linkedin_key(expr: pl.Expr) -> pl.Expr:
    """``in/<slug>`` lower-cased and percent-decoded parts stripped of query and slash."""
    slug = expr.str.to_lowercase().str.extract(r"linkedin\.com/in/([^/?#\s]+)", 1)
    return pl.when(slug.is_not_null()).then(pl.concat_str([pl.lit("in/"), slug])).otherwise(None)


def x_handle_key(expr: pl.Expr) -> pl.Expr:
    handle = (
        expr.str.strip_chars()
        .str.to_lowercase()
        .str.replace(r"^https?://(www\.)?(twitter|x)\.com/", "")
        .str.strip_prefix("@")
    )
    return pl.when(handle.str.contains(r"^[a-z0-9_]{1,15}$")).then(handle).otherwise(None)
