"""Matching keys for contact records: names, nicknames, e-mails, phones, profiles, companies.

Every function works on polars expressions or frames so other stages reuse the exact same
keys (the relationships stage must map mail addresses with ``email_key``). Keys are for
matching only: display values are never changed. Keys fold case and accents, drop
decorations (credentials, emoji, pronouns, titles) and canonicalise identifiers.
"""

from __future__ import annotations

import functools
import hashlib
import urllib.parse
from dataclasses import dataclass

import phonenumbers
import polars as pl

FREEMAIL_DOMAINS = (
    "gmail.com googlemail.com yahoo.com yahoo.co.uk ymail.com hotmail.com hotmail.co.uk "
    "outlook.com live.com msn.com icloud.com me.com mac.com aol.com proton.me protonmail.com "
    "gmx.de gmx.net web.de mail.com yandex.ru fastmail.com zoho.com qq.com 163.com"
).split()

# Post-nominal letters: stripped after a comma anywhere, bare only when unambiguous.
_CREDENTIALS = (
    "phd|ph\\.d\\.?|mba|cpa|cfa|pmp|md|m\\.d\\.?|jd|j\\.d\\.?|msc|m\\.sc\\.?|bsc|ma|ba|bs|ms|"
    "mph|mpa|rn|np|pa-c|esq|dds|dmd|do|cissp|cisa|cism|ccie|frm|pe|p\\.eng|ceng|facs|faia|"
    "shrm-cp|shrm-scp|phr|sphr|csm|cpc|llm|ll\\.m\\.?|mfa|med|edd|psyd|dvm|pharmd|acca|aca|"
    "fca|cima|jr|sr|ii|iii|iv"
)
_UNAMBIGUOUS_CREDENTIALS = (
    "phd|ph\\.d\\.?|mba|cpa|cfa|pmp|esq|cissp|pharmd|psyd|edd|frm|shrm-cp|shrm-scp|jr|sr|iii"
)
_PREFIXES = "dr|mr|mrs|ms|miss|mx|prof|professor|sir|dame|rev|fr"
_LEGAL_SUFFIXES = (
    "inc|incorporated|corp|corporation|co|company|ltd|limited|llc|llp|lp|plc|gmbh|mbh|ag|kg|"
    "sa|sas|sarl|sl|srl|spa|bv|nv|oy|oyj|ab|as|asa|aps|pty|pte|kk|se|ug|sae|ltda|group|holdings"
)


def fold(expr: pl.Expr) -> pl.Expr:
    """Lowercase, decompose and drop combining marks: 'Zoë Ångström' -> 'zoe angstrom'."""
    return expr.str.normalize("NFKD").str.replace_all(r"\p{M}", "").str.to_lowercase()


def _null_if_blank(expr: pl.Expr) -> pl.Expr:
    # ``expr`` is read once: polars 2.1 does not share a subexpression inside when/then, so
    # ``when(stripped != "").then(stripped)`` ran every regex of ``expr`` twice
    return expr.str.strip_chars().replace("", None)


def clean_name(expr: pl.Expr) -> pl.Expr:
    """A display-ish name without decorations, still cased: 'Dr. Jane Doe, PhD 🚀' -> 'Jane Doe'.

    Removes parenthesised parts ('(she/her)', '(Bob)'), emoji and symbols, post-nominal
    credentials after a comma ('Doe, PhD, MBA') or unambiguous ones at the end ('Doe PhD'),
    and leading titles ('Dr.', 'Mr'). A remaining comma is kept: it means 'Last, First'.
    """
    text = (
        expr.str.slice(0, 200)
        .str.replace_all(r"[\(\[\{][^\)\]\}]*[\)\]\}]", " ")
        .str.replace_all(r"[^\p{L}\p{M}\s,.'\-]", " ")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars(" ,.-'")
    )
    cred_tail = rf"(?i),\s*(?:{_CREDENTIALS})\.?(?:[\s,]+(?:{_CREDENTIALS})\.?)*\s*$"
    text = text.str.replace(cred_tail, "").str.replace(cred_tail, "")
    text = text.str.replace(rf"(?i)\s+(?:{_UNAMBIGUOUS_CREDENTIALS})\.?$", "")
    text = text.str.replace(rf"(?i)^(?:{_PREFIXES})\.?\s+", "")
    return _null_if_blank(text.str.strip_chars(" ,.-'"))


def name_key(expr: pl.Expr) -> pl.Expr:
    """Letters only, folded: "O'Brien-Smith" -> 'obriensmith'; null when nothing is left."""
    return _null_if_blank(fold(expr).str.replace_all(r"[^\p{L}]", ""))


def _tokens_key(expr: pl.Expr) -> pl.Expr:
    return fold(expr).str.replace_all(r"[^\p{L}\s]", "").str.replace_all(r"\s+", " ")


_NAME_FIELDS = ["first_name", "last_name", "full_name"]


def split_names(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``first_key``, ``last_key`` and ``name_tokens`` (folded, sorted, space-joined).

    First/last fields win when either has letters; otherwise the whole name typed in one box
    is split: 'Doe, Jane' -> (jane, doe), 'Jane van Doe' -> (jane, doe), 'Jane' -> (jane, -).
    """
    # the keys depend on the three name fields only: computed once per distinct triple
    # (550 k of 930 k records at a million)
    triples = frame.select(_NAME_FIELDS).unique()
    out = frame.select(_NAME_FIELDS).join(
        _name_keys(triples),
        on=_NAME_FIELDS,
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )
    return frame.with_columns(out.select("first_key", "last_key", "name_tokens"))


def _list_sorted(list_expr: pl.Expr) -> pl.Expr:
    """``list.sort()`` as ``list.eval(element().sort())``: the same lists, but ``list.sort``
    on string lists whose values sit in many shared buffers (after a join or group_by) costs
    seconds per million rows in polars 2.1, the eval a tenth of that."""
    return list_expr.list.eval(pl.element().sort())


def map_distinct(frame: pl.DataFrame, column: str, expr: pl.Expr) -> pl.Series:
    """``expr`` (on ``column``) evaluated once per distinct value and mapped back to every row."""
    return _map_unique_frame(frame, column, expr.alias("_mapped")).get_column("_mapped")


def _map_unique_frame(frame: pl.DataFrame, column: str, *exprs: pl.Expr) -> pl.DataFrame:
    """Columns ``exprs`` (on ``column``), evaluated once per distinct value, one row per row.

    Folding and regexes cost microseconds per value; names, places and phone numbers repeat
    a lot, so the string work runs on the distinct values and a join copies it back (for
    mostly distinct values such as e-mail addresses the join costs more than it saves).
    """
    # lazily, so a subexpression several expressions read (the folded name of name_key and
    # _tokens_key) is computed once; polars shares none inside a when/then
    mapped = frame.lazy().select(pl.col(column).unique()).with_columns(*exprs).collect()
    return (
        frame.select(column)
        .join(mapped, on=column, how="left", nulls_equal=True, maintain_order="left")
        .drop(column)
    )


def _whole_name_parts(name: pl.Expr, tokens: str, last: str) -> tuple[pl.Expr, pl.Expr]:
    """A whole name typed in one box: its given-name tokens and, in the 'Doe, Jane' form,
    the last name before the comma (the given names are what follows it, to the next one)."""
    given = pl.coalesce(name.str.extract(r",([^,]*)", 1), name)
    return (
        _tokens_key(given).str.strip_chars().str.split(" ").alias(tokens),
        name.str.extract(r"^([^,]*),", 1).alias(last),
    )


def _whole_name_last(tokens: str, last: str) -> pl.Expr:
    """The last name of a whole name: before its comma, else its last of several words."""
    words = pl.col(tokens)
    return pl.coalesce(last, pl.when(words.list.len() > 1).then(words.list.last()))


def _name_keys(frame: pl.DataFrame) -> pl.DataFrame:
    """first_key, last_key, name_tokens next to the name fields of ``frame``.

    Each string function reads one field, so it runs per distinct value of that field
    (``_map_unique_frame``, which computes the cleaned name once for all its readers: no
    when/then reads it); only cheap list and boolean logic runs per row.
    """
    first_name = clean_name(pl.col("first_name"))
    first = _map_unique_frame(
        frame,
        "first_name",
        first_name.alias("_first"),
        name_key(first_name).is_not_null().alias("_has_first"),
        # 'Jane Doe' or 'Doe, Jane' typed into First Name alone: split it too, like a full
        # name (read only when the fields win and Last Name is empty)
        *_whole_name_parts(first_name, "_rtok", "_rlast"),
    )
    last_name = clean_name(pl.col("last_name"))
    last = _map_unique_frame(
        frame,
        "last_name",
        last_name.alias("_last"),
        name_key(last_name).is_null().alias("_no_last"),
    )
    full = _map_unique_frame(
        frame, "full_name", *_whole_name_parts(clean_name(pl.col("full_name")), "_ftok", "_flast")
    )
    staged = pl.concat([first, last, full], how="horizontal")
    fields = pl.col("_has_first") | ~pl.col("_no_last")
    spill = (
        fields
        & pl.col("_no_last")
        & ((pl.col("_rtok").list.len() > 1) | pl.col("_rlast").is_not_null())
    )
    staged = staged.select(
        pl.when(spill)
        .then(pl.col("_rtok").list.first())
        .when(fields)
        .then(pl.col("_first"))
        .otherwise(pl.col("_ftok").list.first())
        .alias("_first_final"),
        pl.when(spill)
        .then(_whole_name_last("_rtok", "_rlast"))
        .when(fields)
        .then(pl.col("_last"))
        .otherwise(_whole_name_last("_ftok", "_flast"))
        .alias("_last_final"),
    )
    first_final = _map_unique_frame(
        staged,
        "_first_final",
        name_key(pl.col("_first_final")).str.slice(0, 40).alias("first_key"),
        _tokens_key(pl.col("_first_final")).alias("_first_tokens"),
    )
    last_final = _map_unique_frame(
        staged,
        "_last_final",
        name_key(pl.col("_last_final")).str.slice(0, 40).alias("last_key"),
        _tokens_key(pl.col("_last_final")).alias("_last_tokens"),
    )
    together = pl.concat([frame, first_final, last_final], how="horizontal")
    return _with_sorted_words(together, "_first_tokens", "_last_tokens").select(
        *_NAME_FIELDS,
        "first_key",
        "last_key",
        _null_if_blank(pl.col("_words").str.slice(0, 80)).alias("name_tokens"),
    )


def _with_sorted_words(frame: pl.DataFrame, first: str, last: str) -> pl.DataFrame:
    """``frame`` with ``_words``: the words of ``first`` and ``last``, sorted, space-joined
    (rows in another order).

    Most names are a word a side: two words are ordered by one comparison; only the other
    rows split and sort their words (a list per row cost a third of the name keys).
    """
    a, b = pl.col(first), pl.col(last)
    words = pl.concat_str([a, b], separator=" ", ignore_nulls=True)
    two_words = _one_word(a) & _one_word(b)
    return pl.concat(
        [
            frame.filter(two_words).with_columns(
                pl.when(a < b)
                .then(words)
                .otherwise(pl.concat_str([b, a], separator=" ", ignore_nulls=True))
                .alias("_words")
            ),
            frame.filter(~two_words).with_columns(
                _list_sorted(words.str.strip_chars().str.split(" ")).list.join(" ").alias("_words")
            ),
        ]
    )


def _one_word(text: pl.Expr) -> pl.Expr:
    """Null or one non-empty word."""
    return text.is_null() | ((text.str.len_bytes() > 0) & ~text.str.contains(" ", literal=True))


@functools.cache
def _nickname_table() -> dict[str, tuple[str, ...]]:
    """name -> canonical forms, built once from the ``nicknames`` package (both directions)."""
    from nicknames import name_triplets

    canon: dict[str, set[str]] = {}
    for triplet in name_triplets():
        if triplet.relationship == "has_nickname":
            canon.setdefault(triplet.name2, {triplet.name2}).add(triplet.name1)
            canon.setdefault(triplet.name1, {triplet.name1})
    return {name: tuple(sorted(forms)[:6]) for name, forms in canon.items()}


def nickname_lookup() -> pl.DataFrame:
    """Frame ``first_key -> first_canon`` (list of canonical keys, including the name itself)."""
    table = _nickname_table()
    return pl.DataFrame(
        {"first_key": list(table), "first_canon": [list(v) for v in table.values()]},
        schema={"first_key": pl.String, "first_canon": pl.List(pl.String)},
    )


def add_first_canon(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``first_canon``: Bob -> [bob, robert, ...], Robert -> [robert]; null name -> null."""
    out = frame.join(nickname_lookup(), on="first_key", how="left")
    return out.with_columns(
        pl.when(pl.col("first_canon").is_null() & pl.col("first_key").is_not_null())
        .then(pl.concat_list(pl.col("first_key")))
        .otherwise(pl.col("first_canon"))
        .alias("first_canon")
    )


# a gmail address: its local part before any '+tag' (group 1)
_GMAIL_ADDRESS = r"^([^@+]*)(?:\+[^@]*)?@(?:gmail|googlemail)\.com$"


def clean_email(expr: pl.Expr) -> pl.Expr:
    """Trimmed, lower-cased address without 'mailto:' or brackets; invalid -> null."""
    text = expr.str.strip_chars().str.to_lowercase().str.strip_prefix("mailto:")
    # the whole match (group 0, no capture: fast), i.e. the text when it is an address
    return text.str.strip_chars("<> \"'").str.extract(
        r"^[^@\s,;<>]+@[^@\s,;<>]+\.[a-z0-9\-]{2,}$", 0
    )


def email_key(expr: pl.Expr) -> pl.Expr:
    """Canonical e-mail: trimmed, lowercase; gmail dots and +tags folded; invalid -> null.

    'J.Doe+news@GoogleMail.com' -> 'jdoe@gmail.com'; 'a.b+x@acme.com' -> 'a.b+x@acme.com'.
    """
    text = clean_email(expr)
    gmail_local = text.str.extract(_GMAIL_ADDRESS, 1)
    return pl.coalesce(gmail_local.str.replace_all(".", "", literal=True) + "@gmail.com", text)


def clean_emails(list_expr: pl.Expr) -> pl.Expr:
    """Display-ready addresses of a list column (invalid dropped, first occurrence kept)."""
    return (
        list_expr.list.eval(clean_email(pl.element()))
        .list.drop_nulls()
        .list.unique(maintain_order=True)
    )


def email_keys(list_expr: pl.Expr) -> pl.Expr:
    """``email_key`` of every address in a list column, nulls and repeats dropped."""
    return (
        list_expr.list.eval(email_key(pl.element()))
        .list.drop_nulls()
        .list.unique(maintain_order=True)
    )


def email_domain(expr: pl.Expr) -> pl.Expr:
    """Domain of an e-mail key: 'jdoe@acme.com' -> 'acme.com'."""
    return expr.str.extract(r"@(.+)$", 1)


def domain_stem(domain: pl.Expr) -> pl.Expr:
    """A work domain as it compares to a company key: 'acme-corp.com' -> 'acmecorp'."""
    return domain.str.split(".").list.first().str.replace_all("-", "")


def company_key(expr: pl.Expr) -> pl.Expr:
    """Folded company without punctuation or legal suffixes: 'Acme, Inc.' -> 'acme'.

    'Müller GmbH & Co. KG' -> 'muller'; 'S.A. Foo' keeps 'sa foo' (suffixes only at the end).
    """
    text = fold(expr.str.slice(0, 120)).str.replace_all(".", "", literal=True)
    text = text.str.replace_all(r"[^\p{L}\p{N}&\s]", " ").str.replace_all("&", " ")
    text = text.str.replace_all(r"\s+", " ").str.strip_chars()
    suffix = rf"(?:\s+(?:{_LEGAL_SUFFIXES}|the))+$"
    text = text.str.replace(suffix, "").str.replace(r"^the\s+", "")
    return _null_if_blank(text.str.replace_all(" ", ""))


def linkedin_key(expr: pl.Expr) -> pl.Expr:
    """'https://www.LinkedIn.com/in/Zo%C3%AB-Doe/?trk=x' -> 'in/zoë-doe'; other text -> null."""
    slug = expr.str.extract(r"(?i)linkedin\.com/(?:in|pub)/([^/?#\s]+)", 1)
    slug = slug.map_batches(_unquote_encoded, return_dtype=pl.String, is_elementwise=True)
    return "in/" + _null_if_blank(slug.str.to_lowercase())


def _unquote_encoded(slugs: pl.Series) -> pl.Series:
    """Percent-decode the slugs holding a '%', each distinct one once; the rest as they are.

    ``map_elements`` would call Python for every profile (a second per 300 k profiles).
    """
    encoded = slugs.filter(slugs.str.contains("%", literal=True)).unique()
    if encoded.is_empty():
        return slugs
    decoded = pl.Series([urllib.parse.unquote(v) for v in encoded.to_list()], dtype=pl.String)
    return slugs.replace(encoded, decoded)


_X_RESERVED = ["home", "intent", "share", "i", "search", "hashtag", "explore", "settings"]


def x_handle_key(expr: pl.Expr) -> pl.Expr:
    """'@JaneDoe' / 'https://x.com/JaneDoe?s=1' / 'twitter.com/janedoe' -> 'janedoe'."""
    text = expr.str.strip_chars()
    from_url = text.str.extract(r"(?i)(?:twitter|x)\.com/@?([A-Za-z0-9_]{1,15})(?:[/?#]|$)", 1)
    bare = text.str.extract(r"^@?([A-Za-z0-9_]{1,15})$", 1)
    return pl.coalesce(from_url, bare).str.to_lowercase().replace(_X_RESERVED, None)


def url_x_handle_key(expr: pl.Expr) -> pl.Expr:
    """Handle from a URL only (bare words in a URL list are not handles)."""
    handle = expr.str.extract(r"(?i)(?:twitter|x)\.com/@?([A-Za-z0-9_]{1,15})(?:[/?#]|$)", 1)
    return handle.str.to_lowercase().replace(_X_RESERVED, None)


def phone_prekey(expr: pl.Expr) -> pl.Expr:
    """Digits with a leading '+' for international numbers; '(0)' trunk marks removed."""
    text = expr.str.strip_chars().str.replace(r"(?i)\s*(?:ext\.?|x|#)\s*\d+$", "")
    text = text.str.replace_all(r"\(0\)", "").str.replace(r"^00", "+")
    # every non-digit goes but a leading '+'
    return text.str.replace_all(r"(^\+)|\D", "$1")


def _parse_phone(prekey: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(prekey, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# a North American number as dialled at home: area code (never 0 or 1 first) and 7 digits,
# ASCII only (the parser also reads other scripts' digits, '\d' would pass them through)
_NANP_NATIONAL = r"^[2-9][0-9]{9}$"


def phone_keys(prekeys: pl.Series, default_region: str) -> pl.Series:
    """E.164 for unique pre-keys: '+' numbers by shape, national ones via ``phonenumbers``.

    International '+<8..15 digits>' is already E.164 and skips the parser (the 1 M scale
    target); national numbers use the default region: '(415) 555-0100' -> '+14155550100'.
    In a country-code-1 region, ten digits with an area code are '+1' and the digits: what
    ``phonenumbers`` returns for them in all 25 such regions, at 10 us per number less.
    """
    unique = prekeys.drop_nulls().unique()
    frame = pl.DataFrame({"pre": unique})
    intl = frame.filter(pl.col("pre").str.contains(r"^\+[1-9]\d{7,14}$"))
    national = frame.filter(
        ~pl.col("pre").str.starts_with("+") & (pl.col("pre").str.len_chars().is_between(5, 17))
    )
    if phonenumbers.country_code_for_region(default_region) == 1:
        nanp = pl.col("pre").str.contains(_NANP_NATIONAL)
    else:
        nanp = pl.lit(False)
    by_shape = national.filter(nanp)
    national = national.filter(~nanp)
    parsed = [_parse_phone(value, default_region) for value in national["pre"].to_list()]
    mapping = pl.concat(
        [
            intl.with_columns(pl.col("pre").alias("e164")),
            by_shape.with_columns(("+1" + pl.col("pre")).alias("e164")),
            national.with_columns(pl.Series("e164", parsed, dtype=pl.String)),
        ]
    )
    return (
        prekeys.to_frame("pre")
        .join(mapping, on="pre", how="left", maintain_order="left")
        .get_column("e164")
    )


def _e164(long: pl.DataFrame, default_region: str) -> pl.Series:
    """E.164 of each raw phone ``v`` of a ``_long`` frame (null: not a number)."""
    return phone_keys(map_distinct(long, "v", phone_prekey(pl.col("v"))), default_region)


def phones_e164(phones: pl.Series, default_region: str) -> pl.Series:
    """E.164 numbers per record (a list column); each distinct raw value is parsed once."""
    long = _long(pl.DataFrame({"v": phones.cast(pl.List(pl.String))}), "v")
    return (
        long.select("_i", _e164(long, default_region).alias("e164"))
        .group_by("_i", maintain_order=True)
        .agg(pl.col("e164").drop_nulls().unique(maintain_order=True))
        .get_column("e164")
        .alias(phones.name)
    )


@dataclass(frozen=True)
class NormalizeConfig:
    default_region: str = "US"


def _str_or_null(name: str, frame: pl.DataFrame) -> pl.Expr:
    return pl.col(name) if name in frame.columns else pl.lit(None, dtype=pl.String)


def _long(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """A list column (missing: empty) as ``_i`` (row number) and ``v``: a row per element,
    and a null ``v`` for an empty or null list, so every row number is there, in order."""
    values = pl.col(column) if column in frame.columns else pl.lit([], dtype=pl.List(pl.String))
    return frame.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_i"), values.alias("v")
    ).explode("v", empty_as_null=True)


def _sorted_sets(long: pl.DataFrame, column: str) -> pl.Series:
    """Per row number of a ``_long`` frame, the distinct non-null values of ``column``,
    sorted: one sort of the long frame costs a fifth of a sort and unique per list."""
    return (
        long.select("_i", column)
        .sort("_i", column)
        .group_by("_i", maintain_order=True)
        .agg(pl.col(column).drop_nulls().unique(maintain_order=True))
        .get_column(column)
    )


def _first_key_in_list(frame: pl.DataFrame, column: str, key: pl.Expr) -> pl.Series:
    """Per row, the first non-null ``key`` (an expression on column 'v') of a list column.

    Same as ``list.eval(key).list.drop_nulls().list.first()``, but the key runs once per
    distinct value and only rows with values are touched (most URL lists are empty).
    """
    exploded = _long(frame, column).drop_nulls("v")
    keyed = exploded.with_columns(map_distinct(exploded, "v", key).alias("_key"))
    first = keyed.drop_nulls("_key").group_by("_i").agg(pl.col("_key").first())
    return (
        pl.DataFrame({"_i": pl.int_range(frame.height, dtype=pl.UInt32, eager=True)})
        .join(first, on="_i", how="left", maintain_order="left")
        .get_column("_key")
    )


def normalize_records(records: pl.DataFrame, config: NormalizeConfig | None = None) -> pl.DataFrame:
    """Add key columns to RECORD_SCHEMA records (display columns are left untouched).

    Adds: first_key, last_key, name_tokens, first_canon, email_keys, email_domains,
    phone_keys, linkedin_key, x_id_key, x_handle_key, company_key, city_key,
    birthday_key, street_key (from an optional ``street`` column), location_key.
    """
    config = config or NormalizeConfig()
    frame = records
    for name in ("full_name", "first_name", "last_name", "company", "location", "birthday"):
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(name))
    frame = add_first_canon(split_names(frame))

    emails = _long(frame, "emails")
    # per address, not per distinct one: few repeat (472 k distinct of 607 k at a million
    # records), so deduplicating and joining back cost more than the keys it saves
    emails = emails.with_columns(email_key(pl.col("v")).alias("key"))
    emails = emails.with_columns(
        email_domain(pl.col("key")).replace(FREEMAIL_DOMAINS, None).alias("work_domain")
    )
    phones = _long(frame, "phones")
    phones = phones.with_columns(_e164(phones, config.default_region).alias("e164"))
    url_linkedin = _first_key_in_list(frame, "urls", linkedin_key(pl.col("v")))
    url_x = _first_key_in_list(frame, "urls", url_x_handle_key(pl.col("v")))
    street = _str_or_null("street", frame)
    frame = frame.with_columns(
        _sorted_sets(emails, "key").alias("email_keys"),
        _sorted_sets(phones, "e164").alias("phone_keys"),
    )
    return frame.with_columns(
        _sorted_sets(emails, "work_domain").alias("email_domains"),
        pl.coalesce(linkedin_key(_str_or_null("linkedin_url", frame)), url_linkedin).alias(
            "linkedin_key"
        ),
        _null_if_blank(_str_or_null("x_account_id", frame).str.replace_all(r"\D", "")).alias(
            "x_id_key"
        ),
        pl.coalesce(x_handle_key(_str_or_null("x_handle", frame)), url_x).alias("x_handle_key"),
        map_distinct(frame, "company", company_key(pl.col("company"))).alias("company_key"),
        *_map_unique_frame(
            frame,
            "location",
            name_key(pl.col("location").str.split(",").list.first()).alias("city_key"),
            _null_if_blank(_tokens_key(pl.col("location")).str.strip_chars()).alias("location_key"),
        ).get_columns(),
        _null_if_blank(pl.col("birthday").str.replace_all(r"\D", "")).alias("birthday_key"),
        _null_if_blank(_tokens_key(street).str.strip_chars()).alias("street_key"),
    )


_HASH_SLICE = 50_000


def stable_hash(values: pl.Series, length: int = 16) -> pl.Series:
    """sha1 hex prefix of each string, null stays null (polars' own hash is not stable across
    versions). In slices: one Python list of a million strings (and its hashes) costs
    gigabytes at its peak; values go to Python as UTF-8 bytes (no ``str.encode`` per value)."""
    sha1 = hashlib.sha1
    parts = [pl.Series(values.name, [], dtype=pl.String)]
    for start in range(0, values.len(), _HASH_SLICE):
        chunk = values.slice(start, _HASH_SLICE).cast(pl.Binary).to_list()
        hashed = [None if v is None else sha1(v).hexdigest()[:length] for v in chunk]
        parts.append(pl.Series(values.name, hashed, dtype=pl.String))
    return pl.concat(parts)
