"""Names that e-mail addresses spell.

Many addresses are built from the name: 'jane.doe84@gmail.com', 'jdoe@acme.com'. A record
with nothing but such an address is matched under that name; a record whose shown name
differs from the one its address spells ('Tim' or a maiden name on the card,
'timothy.ovafordmann@' in it) is matched under both. For matching only: the record's own
name columns are never changed, so nothing ever displays a guessed name.
"""

from __future__ import annotations

import polars as pl

from pipelines.transforms.normalize import FREEMAIL_DOMAINS, domain_stem, email_domain

# 'jane.doe@', 'jane_doe84@', 'doe-jane@' (a swap is scored as one): two words, digits after
_NAME_ADDRESS = r"^([a-z]{2,})[._-]([a-z]{2,})\d*(?:\+.*)?@"


def with_names_from_addresses(records: pl.DataFrame) -> pl.DataFrame:
    """'jane.doe84@gmail.com' on a record with no name -> full name 'jane doe' (before
    normalising; only rows with no name at all change)."""
    if "emails" not in records.columns:
        return records
    names = [c for c in ("full_name", "first_name", "last_name") if c in records.columns]
    nameless = pl.all_horizontal(
        [pl.col(c).str.strip_chars().replace("", None).is_null() for c in names]
    )
    # only the nameless rows' addresses are read (3 % of the rows at a million records)
    rows = records.select(pl.arg_where(nameless)).to_series()
    spelled = records.select(
        pl.col("emails")
        .gather(rows)
        .list.eval(
            pl.concat_str(
                pl.element().str.to_lowercase().str.extract(_NAME_ADDRESS, 1),
                pl.element().str.to_lowercase().str.extract(_NAME_ADDRESS, 2),
                separator=" ",
            )
        )
        .list.drop_nulls()
        .list.first()
    ).to_series()
    return records.with_columns(records.get_column("full_name").scatter(rows, spelled))


_NAME_COLUMNS = ("first_key", "last_key", "name_tokens", "first_canon")
# a local part of letters, then digits or a '+tag' (group 1: the letters)
_ONE_WORD = r"^([a-z]{4,})\d*(?:\+.*)?@"


def with_spelled_names(features: pl.DataFrame) -> pl.DataFrame:
    """Add ``spelled_first`` / ``spelled_last``: the name a named record's address spells
    when it differs from the shown one (null otherwise), and ``spelled_key`` for blocking.

    'jane.doe@' spells 'jane doe'; a one-word local part spells the shown first name and a
    surname after it ('debraellicha@' on 'Debra Holovator': 'debra ellicha') or after its
    initial ('kaning@' on 'Kyle Aiing': 'kyle aning'). A spelled first name must be the shown
    one, a name it shortens ('tim' -> 'timothy', 'bob' -> 'robert') or the other way round:
    'john.doe@' on Jane Doe's card is her husband's address, not her name. Without such an
    address, an X handle may spell the full first name a shown nickname shortens
    (``_full_names_from_handles``).
    ``spelled_key`` holds the spelled 'first last' of such records and the shown one of
    records called what some address spells, so the blocking pairs exactly those.
    """
    null = pl.lit(None, dtype=pl.String)
    if "emails" not in features.columns:
        return features.with_columns(
            null.alias("spelled_first"),
            null.alias("spelled_last"),
            null.alias("spelled_key"),
        )
    named = pl.col("first_key").is_not_null() & pl.col("last_key").is_not_null()
    rows = features.select(pl.arg_where(named & (pl.col("emails").list.len() > 0))).to_series()
    address = pl.col("emails").str.strip_chars().str.to_lowercase()
    # each address read once per pattern: the expressions below reuse these columns
    addresses = (
        features.select("rid", "first_key", "last_key", "first_canon", "emails")
        .gather(rows)
        .explode("emails")
        .select(
            "rid",
            "first_key",
            "last_key",
            "first_canon",
            address.str.extract_groups(_NAME_ADDRESS).alias("_words"),
            address.str.extract(_ONE_WORD, 1).alias("_letters"),
        )
        .unnest("_words", separator="_")
    )
    first, letters = pl.col("first_key"), pl.col("_letters")
    after_first = pl.when(
        letters.str.starts_with(first) & (letters.str.len_chars() >= first.str.len_chars() + 3)
    ).then(letters.str.slice(first.str.len_chars()))
    after_initial = pl.when(letters.str.starts_with(first.str.slice(0, 1))).then(
        letters.str.slice(1)
    )
    spelled_first = pl.col("spelled_first")
    fits = (
        pl.col("first_canon").list.contains(spelled_first)
        | spelled_first.str.starts_with(first)
        | first.str.starts_with(spelled_first)
    )
    spelled = (
        addresses.select(
            "rid",
            "first_key",
            "last_key",
            "first_canon",
            pl.coalesce("_words_1", first).alias("spelled_first"),
            pl.coalesce("_words_2", after_first, after_initial).alias("spelled_last"),
        )
        .filter(
            fits
            & pl.col("spelled_last").is_not_null()
            & ((spelled_first != first) | (pl.col("spelled_last") != pl.col("last_key")))
        )
        .group_by("rid")
        .agg(pl.col("spelled_first", "spelled_last").first())
    )
    from_handles = _full_names_from_handles(features).join(spelled, on="rid", how="anti")
    spelled = pl.concat([spelled, from_handles])
    spelled_full = pl.concat_str("spelled_first", "spelled_last", separator=" ")
    shown_full = pl.concat_str("first_key", "last_key", separator=" ")
    patch = features.select("rid").join(spelled, on="rid", how="left", maintain_order="left")
    out = features.with_columns(patch["spelled_first"], patch["spelled_last"])
    wanted = out.select(spelled_full).to_series().drop_nulls().unique()
    # one string, not a list of both: a list column over every record took 0.7 s at a
    # million records, and a record both spelling a name and called what another spells is
    # rare (its shown name still meets the others through the name rules)
    wanted_shown = pl.when(shown_full.is_in(wanted.implode())).then(shown_full)
    return out.with_columns(pl.coalesce(spelled_full, wanted_shown).alias("spelled_key"))


def with_names_from_work_addresses(features: pl.DataFrame) -> pl.DataFrame:
    """'jdoe84@acme.com' on a nameless record takes the name of the one J. Doe at Acme.

    Named records give keys 'initial + surname @ employer' (company key or work domain
    stem); a nameless record's work address gives 'letters of the local part @ domain stem'.
    When that key belongs to exactly one name in the network, the record's name keys are
    that name's (normalised) keys; two J. Does at Acme leave it nameless.
    """
    # narrow selections before every filter: filtering the features frame would copy all of
    # its columns (about 1 GB at a million records)
    nameless = features.select("rid", "first_key", "last_key", "email_keys").filter(
        pl.col("first_key").is_null() & pl.col("last_key").is_null()
    )
    if nameless.height == 0:
        return features
    wanted = (
        nameless.select(
            "rid",
            pl.col("email_keys")
            .list.filter(~email_domain(pl.element()).is_in(FREEMAIL_DOMAINS))
            .list.eval(
                pl.element().str.extract(r"^([^@]+)@").str.replace_all(r"[^a-z]", "")
                + pl.lit("@")
                + domain_stem(email_domain(pl.element()))
            )
            .alias("key"),
        )
        .explode("key")
        .drop_nulls("key")
    )
    if wanted.height == 0:
        return features
    spelled = pl.col("first_key").str.slice(0, 1) + pl.col("last_key") + pl.lit("@")
    # a name can only offer a wanted key if it spells that key's local part: the employers
    # are listed for those few names only, not for every named record
    locals_wanted = wanted.select(pl.col("key").str.extract(r"^([^@]*@)", 1)).to_series()
    named = features.select("rid", "first_key", "last_key", "company_key", "email_domains").filter(
        pl.col("first_key").is_not_null()
        & pl.col("last_key").is_not_null()
        & spelled.is_in(locals_wanted.implode())
    )
    employers = pl.concat_list(
        pl.col("company_key"), pl.col("email_domains").list.eval(domain_stem(pl.element()))
    )
    offered = (
        named.select(
            "rid", "first_key", "last_key", spelled.alias("_spelled"), employers.alias("_employer")
        )
        .explode("_employer")
        .drop_nulls("_employer")
        .select(
            (pl.col("_spelled") + pl.col("_employer")).alias("key"), "rid", "first_key", "last_key"
        )
        .join(wanted.select("key").unique(), on="key", how="semi")
    )
    # keys that belong to exactly one name; that name's first record lends its keys
    unique = (
        offered.group_by("key")
        .agg(
            pl.struct("first_key", "last_key").n_unique().alias("_names"),
            pl.col("rid").min().alias("donor"),
        )
        .filter(pl.col("_names") == 1)
    )
    matched = (
        wanted.join(unique, on="key")
        .group_by("rid")
        .agg(pl.col("donor").min(), pl.col("donor").n_unique().alias("_donors"))
        .filter(pl.col("_donors") == 1)
    )
    return _lend(features, matched)


# the fewest letters of a first name a handle may keep before the surname starts
_SHORTEST_CUT = 4


def _cuts(first: pl.Expr) -> pl.Expr:
    """Where a surname may start in a handle spelling ``first``: after the whole first name
    or any cut of it from _SHORTEST_CUT letters on (handles are at most 15 characters:
    '@charlewesel12' for Charles), as a list of positions."""
    length = first.str.len_chars()
    return pl.int_ranges(pl.min_horizontal(length, _SHORTEST_CUT), length + 1)


def _surname_starts(frame: pl.DataFrame, first: str, text: str, cuts: pl.Expr) -> pl.DataFrame:
    """``frame`` with ``start``: what follows each of ``cuts`` where ``text`` (the letters of
    a handle or local part) begins like ``first``, one row per such cut, when it is at least
    three letters long (the start of a surname)."""
    cut, letters = pl.col("_cut"), pl.col(text)
    return (
        frame.with_columns(cuts.alias("_cut"))
        .explode("_cut")
        .filter(letters.str.slice(0, cut) == pl.col(first).str.slice(0, cut))
        .with_columns(letters.str.slice(cut).alias("start"))
        .filter(pl.col("start").str.len_chars() >= 3)
        .drop("_cut")
    )


def _full_names_from_handles(features: pl.DataFrame) -> pl.DataFrame:
    """rid, spelled_first, spelled_last of named records whose X handle spells the full
    first name their shown nickname shortens: 'Mike Chaovabro' with '@michaechaova12' is
    Michael (not Mick). Only when exactly one such first name fits a name in the network."""
    letters = pl.col("x_handle_key").str.replace_all(r"[^a-z]", "")
    candidates = (
        features.select("rid", "first_key", "last_key", "first_canon", "x_handle_key")
        .filter(
            pl.col("x_handle_key").is_not_null()
            & pl.col("last_key").is_not_null()
            & (pl.col("first_canon").list.len() > 1)
        )
        .explode("first_canon")
        .filter(pl.col("first_canon") != pl.col("first_key"))
        .select("rid", "last_key", pl.col("first_canon").alias("canon"), letters.alias("handle"))
    )
    # only names some record shows: '@robertanleyf4' fits Robert and Roberta Anleyford,
    # and usually only one of them is in the network
    shown = features.select(pl.col("first_key").alias("canon"), "last_key").unique()
    return (
        _surname_starts(candidates, "canon", "handle", _cuts(pl.col("canon")))
        .filter(pl.col("last_key").str.starts_with(pl.col("start")))
        .join(shown, on=["canon", "last_key"], how="semi")
        .group_by("rid")
        .agg(pl.col("canon").unique().alias("spelled_first"), pl.col("last_key").first())
        .filter(pl.col("spelled_first").list.len() == 1)
        .select(
            "rid",
            pl.col("spelled_first").list.first(),
            pl.col("last_key").alias("spelled_last"),
        )
    )


def with_surnames_from_handles(features: pl.DataFrame) -> pl.DataFrame:
    """'Priya' with handle '@priyaandan227' or 'pandanberg@...' takes the surname of the one
    Priya Andan... in the network.

    A first-name-only record whose X handle or e-mail local part starts with its first name,
    whole or cut (``_cuts``), or with its initial ('tflaanton@' for Timothy), spells the
    start of the surname (at least three letters; handles are often cut short). When
    exactly one surname of that first name in the network starts with what follows any
    such cut, the record is matched under that full name (never displayed).
    """
    first_only = features.select(
        "rid", "first_key", "last_key", "email_keys", "x_handle_key"
    ).filter(pl.col("first_key").is_not_null() & pl.col("last_key").is_null())
    if first_only.height == 0:
        return features
    letters = pl.element().str.extract(r"^([^@]+)").str.replace_all(r"[^a-z]", "")
    texts = (
        first_only.select(
            "rid",
            "first_key",
            pl.concat_list(
                pl.col("email_keys").list.eval(letters),
                pl.col("x_handle_key").str.replace_all(r"[^a-z]", ""),
            ).alias("spelled"),
        )
        .explode("spelled")
        .drop_nulls("spelled")
    )
    cuts = _cuts(pl.col("first_key")).list.concat(pl.lit([1]))  # 1: after the initial
    spelled = (
        _surname_starts(texts, "first_key", "spelled", cuts)
        .select("rid", "first_key", "start")
        .unique()
    )
    if spelled.height == 0:
        return features
    # joined on the first name and the surname's first three letters, so a common first
    # name does not pair every first-name-only record with every record of that name
    head = pl.col("start").str.slice(0, 3)
    spelled = spelled.with_columns(head.alias("head"))
    surnames = (
        features.select("rid", "first_key", "last_key")
        .filter(pl.col("first_key").is_not_null() & pl.col("last_key").is_not_null())
        .select(
            pl.col("rid").alias("donor"),
            "first_key",
            "last_key",
            pl.col("last_key").str.slice(0, 3).alias("head"),
        )
        .join(spelled.select("first_key", "head").unique(), on=["first_key", "head"], how="semi")
    )
    candidates = (
        spelled.join(surnames, on=["first_key", "head"])
        .filter(pl.col("last_key").str.starts_with(pl.col("start")))
        .group_by("rid")
        .agg(pl.col("last_key").n_unique().alias("_names"), pl.col("donor").min())
        .filter(pl.col("_names") == 1)
    )
    return _lend(features, candidates)


def _lend(features: pl.DataFrame, matched: pl.DataFrame) -> pl.DataFrame:
    """``features`` with the name columns of each ``matched`` rid replaced by its donor's.

    A left join of the few lent rows onto the rid column only: ``DataFrame.update`` would
    rebuild the whole frame (about 1 GB at a million records).
    """
    if matched.height == 0:
        return features
    donors = features.select(pl.col("rid").alias("donor"), *_NAME_COLUMNS)
    lent = matched.join(donors, on="donor").select("rid", *_NAME_COLUMNS)
    patch = features.select("rid").join(lent, on="rid", how="left", maintain_order="left")
    return features.with_columns(
        pl.when(patch["rid"].is_in(lent["rid"].implode()))
        .then(patch[column])
        .otherwise(pl.col(column))
        .alias(column)
        for column in _NAME_COLUMNS
    )
