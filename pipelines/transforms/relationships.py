"""One row per person: the channels the owner knows them through, how they interact, how strong.

Interactions arrive one row per (message, participant). A message counts once (deduped by
``message_id`` across overlapping files); its direction comes from the owner's identity. Bulk
mail (newsletters, sponsored InMail, no-reply senders) and self-addressed mail never count.

Strength is a weighted sum of four explainable components, each in [0, 1] and kept as a column
(README "Relationship strength" documents the formula, the weights and the tier cut-offs).
Everything time-based is measured against ``as_of``: the latest interaction or connection date
in the data, so the same inputs always give the same table (never the wall clock).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date

import polars as pl

from pipelines.transforms import keys

# --------------------------------------------------------------------------- channels

# record channel -> the label in ``relationships.channels`` (address books get their source)
STATIC_CHANNELS = {
    "linkedin_connection": "linkedin_connection",
    "x_follower": "x_follower",
    "x_following": "x_following",
}
# the owner's address books uploaded to LinkedIn / X are address books too
UPLOADED_ADDRESS_BOOKS = {
    "linkedin_imported_contact": "address_book:linkedin",
    "x_uploaded_contact": "address_book:x",
}
ADDRESS_BOOK_PREFIX = "address_book:"

# interaction channels that are conversations (they feed frequency, recency and reciprocity)
MESSAGE_CHANNELS = ("email", "linkedin_message", "x_dm")

COUNTS = {
    ("email", "out"): "emails_sent",
    ("email", "in"): "emails_received",
    ("linkedin_message", "out"): "linkedin_messages_sent",
    ("linkedin_message", "in"): "linkedin_messages_received",
    ("x_dm", "out"): "x_dms_sent",
    ("x_dm", "in"): "x_dms_received",
    ("linkedin_invitation", "out"): "linkedin_invitations_sent",
    ("linkedin_invitation", "in"): "linkedin_invitations_received",
}

THREADS = {
    "email": "email_threads",
    "linkedin_message": "linkedin_threads",
    "x_dm": "x_dm_threads",
}

# channel label -> the platform the tie lives on (multi-channel = several platforms)
PLATFORM_OF = {
    "linkedin_connection": "linkedin",
    "linkedin_message": "linkedin",
    "linkedin_invitation": "linkedin",
    "x_follower": "x",
    "x_following": "x",
    "x_dm": "x",
    "email": "email",
}

# --------------------------------------------------------------------------- strength

TAU_DAYS = 180.0  # recency decay: a message counts exp(-age / 180 days)
FREQUENCY_SATURATION = 50  # messages (both directions) at which frequency reaches 1
RECENT_SATURATION = 10  # decayed messages at which recency reaches 1
CHANNEL_SATURATION = 4  # distinct kinds of tie at which channels reaches 1
WEIGHTS = {
    "strength_frequency": 0.30,
    "strength_recency": 0.35,
    "strength_reciprocity": 0.15,
    "strength_channels": 0.20,
}
STRONG_AT = 0.60
REGULAR_AT = 0.45
DORMANT_AFTER_DAYS = 365

OVERRIDE_SCHEMA = pl.Schema({"person_id": pl.String, "strength": pl.Float64})


def directed_interactions(attributed: pl.DataFrame) -> pl.DataFrame:
    """Per (message, person): 'out' when the owner sent it, 'in' when the person did.

    ``attributed``: interactions with ``person_id`` (null when unknown) and ``is_owner``.
    """
    messages = attributed.filter(~pl.col("is_bulk").fill_null(False)).unique(
        subset=[
            "channel",
            "message_id",
            "role",
            "person_id",
            "is_owner",
            "email",
            "linkedin_url",
            "x_account_id",
        ]
    )
    senders = (
        messages.filter(pl.col("role") == "from")
        .select(
            "channel",
            "message_id",
            pl.col("is_owner").alias("owner_sent"),
            pl.col("person_id").alias("sender_id"),
        )
        .unique(subset=["channel", "message_id"], keep="first")
    )
    joined = messages.join(senders, on=["channel", "message_id"], how="inner")
    outgoing = joined.filter(
        pl.col("owner_sent")
        & (pl.col("role") != "from")
        & pl.col("person_id").is_not_null()
        & ~pl.col("is_owner")
    ).with_columns(pl.lit("out").alias("direction"))
    incoming = joined.filter(
        ~pl.col("owner_sent") & (pl.col("role") == "from") & pl.col("person_id").is_not_null()
    ).with_columns(pl.lit("in").alias("direction"))
    return pl.concat([outgoing, incoming]).unique(
        subset=["channel", "message_id", "person_id", "direction"]
    )


def as_of_date(attributed: pl.DataFrame, people_records: pl.DataFrame) -> date | None:
    """The exports' "as of" date: the latest interaction (any, bulk included) or connection.

    Stable for the same inputs, unlike the wall clock. None when the data holds no date.
    """
    candidates = [
        attributed.select(pl.col("occurred_at").max().dt.date()).item()
        if attributed.height
        else None,
        people_records.select(pl.col("connected_on").max()).item()
        if people_records.height
        else None,
    ]
    dates = [d for d in candidates if d is not None]
    return max(dates) if dates else None


def _channel_label() -> pl.Expr:
    channel = pl.col("channel")
    return (
        pl.when(channel == "address_book")
        .then(pl.concat_str([pl.lit(ADDRESS_BOOK_PREFIX), pl.col("source")]))
        .otherwise(
            channel.replace_strict(
                {**STATIC_CHANNELS, **UPLOADED_ADDRESS_BOOKS}, default=None, return_dtype=pl.String
            )
        )
    )


def _static(people_records: pl.DataFrame) -> pl.DataFrame:
    """Per person: static ties from current records (a removed connection no longer counts)."""
    current = (
        pl.col("is_current").fill_null(True)
        if "is_current" in people_records.columns
        else pl.lit(True)
    )
    return people_records.group_by("person_id").agg(
        _channel_label().filter(current).drop_nulls().unique().sort().alias("static_channels"),
        pl.col("connected_on").filter(current & (pl.col("channel") == "linkedin_connection")).min(),
        pl.col("first_seen_at").min().dt.date().alias("first_seen_on"),
    )


def _activity(directed: pl.DataFrame, as_of: date | None) -> pl.DataFrame:
    """Per person: counts per channel and direction, threads, dates, decayed volume."""
    is_message = pl.col("channel").is_in(list(MESSAGE_CHANNELS))
    age_days = (pl.lit(as_of, dtype=pl.Date) - pl.col("occurred_at").dt.date()).dt.total_days()
    decayed = (-age_days.cast(pl.Float64) / TAU_DAYS).exp()
    return directed.group_by("person_id").agg(
        *[
            ((pl.col("channel") == channel) & (pl.col("direction") == direction))
            .sum()
            .cast(pl.Int32)
            .alias(name)
            for (channel, direction), name in COUNTS.items()
        ],
        *[
            pl.col("thread_id")
            .filter(pl.col("channel") == channel)
            .drop_nulls()
            .n_unique()
            .cast(pl.Int32)
            .alias(name)
            for channel, name in THREADS.items()
        ],
        pl.col("occurred_at").filter(is_message).min().alias("first_interaction_at"),
        pl.col("occurred_at").filter(is_message).max().alias("last_interaction_at"),
        pl.col("occurred_at")
        .filter(is_message)
        .dt.strftime("%Y-%m")
        .drop_nulls()
        .n_unique()
        .cast(pl.Int32)
        .alias("active_months"),
        decayed.filter(is_message).sum().alias("_decayed_messages"),
        pl.col("channel").unique().sort().alias("interaction_channels"),
    )


def _platforms(channels: pl.Expr) -> pl.Expr:
    return (
        channels.list.eval(
            pl.when(pl.element().str.starts_with(ADDRESS_BOOK_PREFIX))
            .then(pl.lit("address_book"))
            .otherwise(pl.element().replace_strict(PLATFORM_OF, default=None))
        )
        .list.drop_nulls()
        .list.unique()
        .list.sort()
    )


def _tie_kinds(channels: pl.Expr) -> pl.Expr:
    """Distinct kinds of tie: every channel, with all address books counting as one."""
    return (
        channels.list.eval(
            pl.when(pl.element().str.starts_with(ADDRESS_BOOK_PREFIX))
            .then(pl.lit("address_book"))
            .otherwise(pl.element())
        )
        .list.unique()
        .list.len()
    )


def _strength_components() -> list[pl.Expr]:
    sent = pl.col("messages_sent").cast(pl.Float64)
    received = pl.col("messages_received").cast(pl.Float64)
    total = sent + received
    return [
        ((total.log1p() / math.log1p(FREQUENCY_SATURATION)).clip(0.0, 1.0)).alias(
            "strength_frequency"
        ),
        (
            (
                pl.col("_decayed_messages").fill_null(0.0).log1p() / math.log1p(RECENT_SATURATION)
            ).clip(0.0, 1.0)
        ).alias("strength_recency"),
        (pl.min_horizontal(sent, received) / (pl.max_horizontal(sent, received) + 1.0)).alias(
            "strength_reciprocity"
        ),
        (
            (_tie_kinds(pl.col("channels")).cast(pl.Float64) / CHANNEL_SATURATION).clip(0.0, 1.0)
        ).alias("strength_channels"),
    ]


def _tier() -> pl.Expr:
    quiet = pl.col("days_since_last_interaction") > DORMANT_AFTER_DAYS
    return (
        pl.when(pl.col("strength") >= STRONG_AT)
        .then(pl.lit("strong"))
        .when(pl.col("strength") >= REGULAR_AT)
        .then(pl.lit("regular"))
        .when(quiet.fill_null(False))
        .then(pl.lit("dormant"))
        .otherwise(pl.lit("weak"))
    )


def build_relationships(
    people_records: pl.DataFrame,
    attributed: pl.DataFrame,
    strength_overrides: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per person.

    ``people_records``: person_id, source, channel, connected_on, first_seen_at (and
    is_current when known) per contact record. ``attributed``: interactions with person_id and
    is_owner (``keys.attribute_interactions``). ``strength_overrides``: person_id, strength (the
    user's own value; the last row for a person wins), replacing the computed strength.
    """
    as_of = as_of_date(attributed, people_records)
    static = _static(people_records)
    activity = _activity(directed_interactions(attributed), as_of)
    counts = [*COUNTS.values(), *THREADS.values(), "active_months"]
    frame = static.join(activity, on="person_id", how="left").with_columns(
        pl.concat_list(
            "static_channels",
            pl.col("interaction_channels").fill_null(pl.lit([], pl.List(pl.String))),
        )
        .list.unique()
        .list.sort()
        .alias("channels"),
        *[pl.col(name).fill_null(0) for name in counts],
    )
    sent = [
        name
        for (channel, direction), name in COUNTS.items()
        if channel in MESSAGE_CHANNELS and direction == "out"
    ]
    received = [
        name
        for (channel, direction), name in COUNTS.items()
        if channel in MESSAGE_CHANNELS and direction == "in"
    ]
    frame = frame.with_columns(
        pl.sum_horizontal(sent).cast(pl.Int32).alias("messages_sent"),
        pl.sum_horizontal(received).cast(pl.Int32).alias("messages_received"),
        _platforms(pl.col("channels")).alias("platforms"),
        (pl.lit(as_of, dtype=pl.Date) - pl.col("last_interaction_at").dt.date())
        .dt.total_days()
        .cast(pl.Int32)
        .alias("days_since_last_interaction"),
        pl.lit(as_of, dtype=pl.Date).alias("as_of"),
    ).with_columns(_strength_components())
    weighted = pl.sum_horizontal([pl.col(name) * weight for name, weight in WEIGHTS.items()])
    frame = frame.with_columns(
        *[pl.col(name).round(4) for name in WEIGHTS],
        weighted.round(4).alias("strength_computed"),
    )
    overrides = _last_override(strength_overrides)
    frame = (
        frame.join(overrides, on="person_id", how="left")
        .with_columns(
            pl.coalesce("_override", "strength_computed").alias("strength"),
            pl.when(pl.col("_override").is_not_null())
            .then(pl.lit("override"))
            .otherwise(pl.lit("computed"))
            .alias("strength_source"),
        )
        .with_columns(_tier().alias("tier"))
    )
    return frame.select(
        "person_id",
        "channels",
        "platforms",
        pl.col("platforms").list.len().cast(pl.Int32).alias("platform_count"),
        pl.col("static_channels")
        .list.contains("linkedin_connection")
        .alias("is_linkedin_connection"),
        pl.col("static_channels").list.contains("x_follower").alias("is_x_follower"),
        pl.col("static_channels").list.contains("x_following").alias("is_x_following"),
        pl.col("static_channels")
        .list.eval(pl.element().str.starts_with(ADDRESS_BOOK_PREFIX))
        .list.any()
        .fill_null(False)
        .alias("in_address_book"),
        "connected_on",
        "first_seen_on",
        "first_interaction_at",
        "last_interaction_at",
        "days_since_last_interaction",
        *COUNTS.values(),
        "messages_sent",
        "messages_received",
        *THREADS.values(),
        "active_months",
        *WEIGHTS.keys(),
        "strength_computed",
        "strength",
        "strength_source",
        "tier",
        "as_of",
    ).sort("person_id")


def _last_override(overrides: pl.DataFrame | None) -> pl.DataFrame:
    """person_id, _override: the last value given for a person, clamped to [0, 1]."""
    if overrides is None or overrides.height == 0:
        return pl.DataFrame(schema={"person_id": pl.String, "_override": pl.Float64})
    return (
        overrides.select(
            pl.col("person_id").cast(pl.String),
            pl.col("strength").cast(pl.Float64).clip(0.0, 1.0).round(4).alias("_override"),
        )
        .drop_nulls()
        .unique(subset="person_id", keep="last", maintain_order=True)
    )


def strength_overrides_by_person(
    pairs: tuple[tuple[str, float], ...] | list[tuple[str, float]],
    identity: pl.DataFrame,
    person_ids: Iterable[str],
    default_region: str,
) -> pl.DataFrame:
    """The overrides file's ``strength <identifier> <value>`` lines as (person_id, strength).

    An identifier resolves through the same normalised keys as records (``identity``: kind,
    key, person_id from ``keys.identity_keys``); a person id must be one of ``person_ids``. Identifiers
    that name nobody are dropped. Order is kept, so the last line for a person wins.
    """
    rows: list[tuple[str, float]] = []
    if not pairs:  # the usual case: no lookup tables over every person and key
        return pl.DataFrame(rows, schema=OVERRIDE_SCHEMA, orient="row")
    known = set(person_ids)
    lookup = {
        (kind, key): person
        for kind, key, person in identity.select("kind", "key", "person_id").iter_rows()
    }
    for identifier, value in pairs:
        kind, key = keys.identifier_key(identifier, default_region)
        if key is None:
            continue
        person = key if kind == "person_id" and key in known else lookup.get((kind, key))
        if person is not None:
            rows.append((person, float(value)))
    return pl.DataFrame(rows, schema=OVERRIDE_SCHEMA, orient="row")
