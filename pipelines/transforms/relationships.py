"""One row per person: the channels the owner knows them through and how they interact.

Interactions arrive one row per (message, participant). A message counts once (deduped by
``message_id`` across overlapping files); its direction comes from the owner's identity.
"""

from __future__ import annotations

import polars as pl

CHANNEL_FLAGS = {
    "is_linkedin_connection": "linkedin_connection",
    "is_x_follower": "x_follower",
    "is_x_following": "x_following",
    "in_address_book": "address_book",
}

COUNTS = {
    ("email", "out"): "emails_sent",
    ("email", "in"): "emails_received",
    ("linkedin_message", "out"): "linkedin_messages_sent",
    ("linkedin_message", "in"): "linkedin_messages_received",
    ("x_dm", "out"): "x_dms_sent",
    ("x_dm", "in"): "x_dms_received",
}


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


def build_relationships(people_records: pl.DataFrame, directed: pl.DataFrame) -> pl.DataFrame:
    """``people_records``: person_id, channel, connected_on, first_seen_at per contact record."""
    static = people_records.group_by("person_id").agg(
        pl.col("channel").drop_nulls().unique().sort().alias("static_channels"),
        pl.col("connected_on").min(),
        pl.col("first_seen_at").min().dt.date().alias("first_seen_on"),
    )
    counts = directed.group_by("person_id").agg(
        *[
            ((pl.col("channel") == channel) & (pl.col("direction") == direction))
            .sum()
            .cast(pl.Int32)
            .alias(name)
            for (channel, direction), name in COUNTS.items()
        ],
        pl.col("occurred_at").min().alias("first_interaction_at"),
        pl.col("occurred_at").max().alias("last_interaction_at"),
        pl.col("channel").unique().sort().alias("interaction_channels"),
    )
    frame = static.join(counts, on="person_id", how="left").with_columns(
        pl.concat_list("static_channels", pl.col("interaction_channels").fill_null([]))
        .list.unique()
        .list.sort()
        .alias("channels"),
        *[pl.col(name).fill_null(0) for name in COUNTS.values()],
    )
    return frame.select(
        "person_id",
        "channels",
        *[
            pl.col("static_channels").list.contains(channel).alias(flag)
            for flag, channel in CHANNEL_FLAGS.items()
        ],
        "connected_on",
        "first_seen_on",
        "first_interaction_at",
        "last_interaction_at",
        *COUNTS.values(),
    ).sort("person_id")
