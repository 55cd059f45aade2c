"""Synthetic personal networks with ground truth, for the resolver's accuracy benchmark.

Every record is fake. People get Zipf-distributed first and last names (full names collide
as often as in the US census, or 4.3x as often with ``--names dense``; namesakes are mostly
at other companies), a company, a city, a personal and a work address, a phone, a LinkedIn
profile and sometimes an X account. Each person appears in a random subset of sources with
the quirks real exports have (and only the fields they have): decorated LinkedIn names
('Jane Doe, PhD 🚀', '(she/her)'), nicknames, typos, maiden names, 'Last, First' typed in
one box, first-name-only address-book cards, display-name-only X accounts, old employers,
within-source duplicates, and team inboxes / switchboard numbers shared by a whole company.

    python benchmarks/generate_network.py --records 10000 --out benchmarks/out/net10k

writes ``records.parquet`` (RECORD_SCHEMA + record_id + person_id_true) and, with
``--exports``, export files (LinkedIn Connections.csv, Google contacts.csv, contacts.vcf,
X followers.csv) for an end-to-end run.
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connectors.base import RECORD_SCHEMA, conform  # noqa: E402

FIRST_NAMES = (
    "james robert john michael william david richard joseph thomas charles christopher "
    "daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george "
    "timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry "
    "justin scott brandon benjamin samuel gregory alexander patrick frank raymond jack dennis "
    "jerry tyler aaron jose adam nathan henry zachary douglas peter kyle noah ethan jeremy "
    "mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy "
    "betty sandra margaret ashley kimberly emily donna michelle carol amanda melissa deborah "
    "stephanie dorothy rebecca sharon laura cynthia amy kathleen angela shirley brenda emma "
    "anna pamela nicole samantha katherine christine helen debra rachel carolyn janet maria "
    "catherine heather diane olivia julie joyce victoria ruth virginia lauren kelly christina "
    "joan evelyn judith andrea hannah megan cheryl jacqueline martha madison teresa gloria "
    "sara janice ann kathryn abigail sophia frances jean alice judy isabella julia grace "
    "amber denise danielle marilyn beverly charlotte natalie theresa diana brittany doris "
    "kayla alexis lori marie zoe chloe mia lena jonas lukas felix mateo sofia lucia hugo "
    "louis ines ana pedro joao mehmet ayse fatima omar yusuf wei li ming hiroshi yuki akira "
    "priya rahul arjun ananya ravi olga ivan dmitri anya sven ingrid lars astrid"
).split()
NICKNAMES = {
    "robert": ["bob", "rob", "bobby"],
    "william": ["bill", "will", "billy"],
    "elizabeth": ["liz", "beth", "lizzie"],
    "michael": ["mike", "mick"],
    "james": ["jim", "jimmy"],
    "richard": ["rick", "dick"],
    "katherine": ["kate", "katie", "kathy"],
    "jennifer": ["jen", "jenny"],
    "christopher": ["chris"],
    "daniel": ["dan", "danny"],
    "thomas": ["tom", "tommy"],
    "joseph": ["joe", "joey"],
    "margaret": ["maggie", "peggy"],
    "anthony": ["tony"],
    "matthew": ["matt"],
    "alexander": ["alex"],
    "samantha": ["sam"],
    "patricia": ["pat", "patty"],
    "nicholas": ["nick"],
    "rebecca": ["becky"],
    "stephen": ["steve"],
    "steven": ["steve"],
    "edward": ["ed", "ted"],
    "victoria": ["vicky"],
    "kimberly": ["kim"],
    "benjamin": ["ben"],
    "jonathan": ["jon"],
    "andrew": ["andy", "drew"],
    "timothy": ["tim"],
    "deborah": ["debbie", "deb"],
}
SYLLABLES = (
    "an ber cal dan el fer gar hal ing jor kel lam mor nor ost pel quin ros sal tor "
    "ul van wes yor zan bro cha dre fla gri hol kra lin mer pra ste tha wil son sen man "
    "berg ley ton ford well wood field stein mann ez ski ova ini elli"
).split()
COMPANY_WORDS = (
    "north south lumen apex vertex cedar harbor summit quantum nimbus orbit delta sierra "
    "atlas beacon cobalt ember falcon granite helix ionic juniper keystone lattice meridian "
    "nova onyx pioneer quartz radiant sapphire tidal umbra vector willow zenith bright "
    "clear blue red green silver golden iron"
).split()
COMPANY_KINDS = (
    "analytics labs systems works partners capital health bio energy logistics media "
    "software robotics foods design consulting"
).split()
LEGAL = ["", "", "", " Inc.", ", Inc.", " LLC", " Ltd", " GmbH", " S.A.", " AG", " Corp."]
CITIES = [
    ("San Francisco", "US"),
    ("New York", "US"),
    ("Boston", "US"),
    ("Austin", "US"),
    ("Seattle", "US"),
    ("Chicago", "US"),
    ("Denver", "US"),
    ("London", "GB"),
    ("Manchester", "GB"),
    ("Berlin", "DE"),
    ("Munich", "DE"),
    ("Paris", "FR"),
    ("Lyon", "FR"),
    ("Madrid", "ES"),
    ("Lisbon", "PT"),
    ("Amsterdam", "NL"),
    ("Stockholm", "SE"),
    ("Zürich", "CH"),
    ("Toronto", "CA"),
    ("Sydney", "AU"),
]
CREDENTIALS = [", PhD", ", MBA", " PhD", ", CPA", ", PMP", ", MBA, CFA"]
EMOJI = [" 🚀", " ✨", " 🌍", " 💡"]
PRONOUNS = [" (she/her)", " (he/him)", " (they/them)"]
FREEMAIL = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "proton.me"]
COUNTRY_CODES = {
    "US": "1",
    "CA": "1",
    "GB": "44",
    "DE": "49",
    "FR": "33",
    "ES": "34",
    "PT": "351",
    "NL": "31",
    "SE": "46",
    "CH": "41",
    "AU": "61",
}


# How often two people share a full name: 1.96e-6 in the US census name files (1990, via
# the `names` package: first names of both sexes, 0.0028, times surnames, 0.00070).
CENSUS_NAME_COLLISION = 1.96e-6
NAME_DENSITIES = ("census", "dense")


def zipf_choice(rng: random.Random, pool: list[str], k: int, s: float = 1.0) -> list[str]:
    weights = [1.0 / (i + 1) ** s for i in range(len(pool))]
    return rng.choices(pool, weights=weights, k=k)


def zipf_collision(n: int, s: float) -> float:
    """The chance that two zipf_choice draws from a pool of ``n`` agree."""
    weights = [1.0 / (i + 1) ** s for i in range(n)]
    total = sum(weights)
    return sum((w / total) ** 2 for w in weights)


def surname_pool_size(n_people: int, names: str) -> int:
    """'census': as many surnames as make full names collide as often as in the census, at
    any size. 'dense': the pools before commit 305eae5, 2000 surnames growing with the
    square root of people past 40 k, whose full names collide 4.3x as often up to 40 k
    people (1.5x at a million records): a network clustered in few surnames, where 21 % of
    people share their full name at 100 k records, against 6 % in a census draw."""
    if names == "dense":
        return int(2000 * max(1.0, n_people / 40_000) ** 0.5)
    target = CENSUS_NAME_COLLISION / zipf_collision(len(FIRST_NAMES), 0.5)
    size = 2000
    while zipf_collision(size, 0.5) > target:
        size += 250
    return size


def make_surnames(rng: random.Random, n: int) -> list[str]:
    out: set[str] = set()
    while len(out) < n:
        parts = rng.randint(2, 3)
        out.add("".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize())
    return sorted(out)


def make_companies(rng: random.Random, n: int) -> list[str]:
    out: set[str] = set()
    while len(out) < n:
        words = [rng.choice(COMPANY_WORDS).capitalize() for _ in range(rng.randint(1, 2))]
        out.add(" ".join([*words, rng.choice(COMPANY_KINDS).capitalize()]))
    return sorted(out)


def typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.random()
    if op < 0.33:
        return word[:i] + word[i + 1 :]
    if op < 0.66:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]


def phone_text(rng: random.Random, country: str, number: str) -> str:
    """Same number, different formatting (national or international)."""
    code = COUNTRY_CODES[country]
    style = rng.random()
    if code == "1":
        area, mid, last = number[:3], number[3:6], number[6:]
        if style < 0.4:
            return f"({area}) {mid}-{last}"
        if style < 0.7:
            return f"+1 {area} {mid} {last}"
        return f"{area}.{mid}.{last}"
    if style < 0.5:
        return f"+{code} {number[:3]} {number[3:]}"
    return f"00{code}{number}"


def generate(records: int, seed: int = 7, names: str = "census") -> pl.DataFrame:
    """About ``records`` contact records of ``records / 2.3`` people, with person_id_true;
    ``names``: how often people share a name (``surname_pool_size``)."""
    rng = random.Random(seed)
    n_people = max(1, int(records / 2.3))
    scale = max(1.0, n_people / 40_000) ** 0.5
    surnames = make_surnames(rng, surname_pool_size(n_people, names))
    companies = make_companies(rng, int(1500 * scale))
    company_legal = {c: rng.choice(LEGAL) for c in companies}
    company_domain = {c: c.lower().replace(" ", "") + ".com" for c in companies}
    company_inbox = {c: f"team@{company_domain[c]}" for c in companies if rng.random() < 0.03}
    company_switch = {c: f"{rng.randint(200, 989)}555{rng.randint(1000, 9999)}" for c in companies}
    firsts = zipf_choice(rng, FIRST_NAMES, n_people, s=0.5)
    lasts = zipf_choice(rng, surnames, n_people, s=0.5)
    comps = zipf_choice(rng, companies, n_people, s=0.6)
    used_handles: set[str] = set()
    rows: list[dict[str, object]] = []

    def add(person: int, source: str, **fields: object) -> None:
        fields.update(source=source, person_id_true=f"t{person}")
        rows.append(fields)

    for p in range(n_people):
        first, last, company = firsts[p], lasts[p], comps[p]
        city, country = rng.choice(CITIES)
        old_company = rng.choice(companies) if rng.random() < 0.25 else company
        maiden = rng.choice(surnames) if rng.random() < 0.04 else None
        tag = str(p)  # people append digits (a year, a count) to keep an address unique
        personal = f"{first}.{last.lower()}{tag}@{rng.choice(FREEMAIL)}"
        work = f"{first[0]}{last.lower()}{tag}@{company_domain[company]}"
        number = f"{rng.randint(200, 989)}{rng.randint(200, 989)}{rng.randint(1000, 9999)}"
        slug = f"{first}-{last.lower()}-{tag}"
        handle = f"{first[:6]}{last.lower()[:6]}{tag}"[:15]
        used_handles.add(handle)
        x_id = str(10_000_000 + p * 7919)
        nick = NICKNAMES.get(first)
        display_first = first.capitalize()
        display_last = last

        in_linkedin = rng.random() < 0.65
        in_google = rng.random() < 0.5
        in_outlook = rng.random() < 0.15
        in_vcard = rng.random() < 0.15
        in_gmail = rng.random() < 0.35
        in_x = rng.random() < 0.25
        if not (in_linkedin or in_google or in_outlook or in_vcard or in_gmail or in_x):
            in_linkedin = True

        if in_linkedin:
            last_shown = display_last
            if rng.random() < 0.08:
                last_shown += rng.choice(CREDENTIALS)
            if rng.random() < 0.04:
                last_shown += rng.choice(EMOJI)
            first_shown = display_first + (rng.choice(PRONOUNS) if rng.random() < 0.03 else "")
            url = f"https://www.linkedin.com/in/{slug}"
            if rng.random() < 0.2:
                url += rng.choice(["/", "?trk=people", "/?originalSubdomain=uk"])
            add(
                p,
                "linkedin",
                first_name=first_shown,
                last_name=last_shown,
                linkedin_url=url,
                emails=[personal] if rng.random() < 0.06 else [],
                company=company + company_legal[company],
                # no location: LinkedIn's Connections.csv has none
            )
        for source, present in (
            ("google", in_google),
            ("outlook", in_outlook),
            ("vcard", in_vcard),
        ):
            if not present:
                continue
            copies = 2 if rng.random() < 0.03 else 1
            for _ in range(copies):
                f_name = display_first
                if nick and rng.random() < 0.25:
                    f_name = rng.choice(nick).capitalize()
                l_name = maiden if maiden and rng.random() < 0.6 else display_last
                if rng.random() < 0.06:
                    l_name = typo(rng, l_name)
                emails = []
                if rng.random() < 0.75:
                    emails.append(personal if rng.random() < 0.9 else personal.upper())
                if rng.random() < 0.45:
                    emails.append(work)
                if company in company_inbox and rng.random() < 0.5:
                    emails.append(company_inbox[company])
                phones = [phone_text(rng, country, number)] if rng.random() < 0.6 else []
                if rng.random() < 0.05:
                    phones.append(phone_text(rng, "US", company_switch[company]))
                urls = [f"https://linkedin.com/in/{slug.upper()}/"] if rng.random() < 0.08 else []
                record: dict[str, object] = {
                    "emails": emails,
                    "phones": phones,
                    "urls": urls,
                    "company": (old_company if rng.random() < 0.7 else None),
                    # a postal address on about a third of address-book cards
                    "location": f"{city}, {country}" if rng.random() < 0.35 else None,
                }
                style = rng.random()
                if style < 0.06 and (emails or phones):
                    record["first_name"] = f_name  # first-name-only card
                elif style < 0.12:
                    record["full_name"] = f"{l_name}, {f_name}"  # typed in one box
                else:
                    record["first_name"], record["last_name"] = f_name, l_name
                add(p, source, **record)
        if in_gmail:
            address = personal if rng.random() < 0.6 else work
            name = f"{display_first} {display_last}" if rng.random() < 0.8 else None
            add(p, "gmail", full_name=name, emails=[address])
        if in_x:
            shown = f"{display_first} {display_last}"
            if nick and rng.random() < 0.3:
                shown = f"{rng.choice(nick).capitalize()} {display_last}"
            if rng.random() < 0.1:
                shown = display_first + rng.choice(EMOJI)
            add(
                p,
                "x",
                full_name=shown,
                x_handle=handle if rng.random() < 0.6 else None,
                x_account_id=x_id,
                location=city if rng.random() < 0.5 else None,
                # the bio link: some people point it at their LinkedIn profile
                urls=[f"https://www.linkedin.com/in/{slug}"] if rng.random() < 0.08 else [],
            )
    frame = pl.DataFrame(rows, infer_schema_length=None)
    frame = frame.with_columns(pl.lit("contact").alias("kind"))
    truth = frame.get_column("person_id_true")
    out = conform(frame, RECORD_SCHEMA).with_columns(truth)
    out = out.sample(fraction=1.0, shuffle=True, seed=seed)
    return out.with_row_index("i").select(
        pl.format("rec{}", "i").alias("record_id"), pl.exclude("i")
    )


GOOGLE_HEADER = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,"
    "Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,"
    "Organization Title,Organization Department,Birthday,Notes,Photo,Labels,"
    "E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,"
    "Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,"
    "Address 1 - Label,Address 1 - Formatted,Address 1 - Street,Address 1 - City,"
    "Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,"
    "Address 1 - Extended Address,Website 1 - Label,Website 1 - Value"
).split(",")
OUTLOOK_WEB_HEADER = (
    "First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,"
    "E-mail Address,E-mail 2 Address,E-mail 3 Address,Home Phone,Home Phone 2,Business Phone,"
    "Business Phone 2,Mobile Phone,Car Phone,Other Phone,Primary Phone,Pager,Business Fax,"
    "Home Fax,Other Fax,Company Main Phone,Callback,Radio Phone,Telex,TTY/TDD Phone,IMAddress,"
    "Job Title,Department,Company,Office Location,Manager's Name,Assistant's Name,"
    "Assistant's Phone,Company Yomi,Business Street,Business City,Business State,"
    "Business Postal Code,Business Country/Region,Home Street,Home City,Home State,"
    "Home Postal Code,Home Country/Region,Other Street,Other City,Other State,"
    "Other Postal Code,Other Country/Region,Personal Web Page,Spouse,Schools,Hobby,Location,"
    "Web Page,Birthday,Anniversary,Notes"
).split(",")
# (source, file name) in the order write_exports writes them; rows keep the frame's order
EXPORT_FILES = (
    ("linkedin", "Connections.csv"),
    ("google", "contacts.csv"),
    ("gmail", "gmail_contacts.csv"),
    ("outlook", "outlook_contacts.csv"),
    ("vcard", "contacts.vcf"),
    ("x", "followers.csv"),
)


def _item(column: str, index: int) -> pl.Expr:
    return pl.col(column).list.get(index, null_on_oob=True)


def _rest(column: str, start: int) -> pl.Expr:
    """Values from ``start`` on, packed Google-style into one cell (None when there are none)."""
    rest = pl.col(column).list.slice(start)
    return pl.when(rest.list.len() > 0).then(rest.list.join(" ::: ")).otherwise(None)


def _city() -> pl.Expr:
    return pl.col("location").str.replace(r",[^,]*$", "").str.strip_chars()


def _country() -> pl.Expr:
    return pl.col("location").str.extract(r",\s*([^,]+)$")


def _first_box() -> pl.Expr:
    return pl.coalesce(pl.col("first_name"), pl.col("full_name"))


def _write_table(
    frame: pl.DataFrame, header: list[str], columns: dict[str, pl.Expr], path: Path
) -> None:
    """Every header column in order (empty unless given), written column-wise by polars."""
    empty = pl.lit(None, dtype=pl.String)
    table = frame.select([columns.get(name, empty).cast(pl.String).alias(name) for name in header])
    table.write_csv(path, null_value="")


def _google_csv(frame: pl.DataFrame, path: Path) -> None:
    _write_table(
        frame,
        GOOGLE_HEADER,
        {
            "First Name": _first_box(),
            "Last Name": pl.col("last_name"),
            "Organization Name": pl.col("company"),
            "Labels": pl.lit("* myContacts"),
            "E-mail 1 - Label": pl.when(_item("emails", 0).is_not_null()).then(pl.lit("* Home")),
            "E-mail 1 - Value": _item("emails", 0),
            "E-mail 2 - Label": pl.when(_item("emails", 1).is_not_null()).then(pl.lit("Work")),
            "E-mail 2 - Value": _rest("emails", 1),
            "Phone 1 - Label": pl.when(_item("phones", 0).is_not_null()).then(pl.lit("Mobile")),
            "Phone 1 - Value": _item("phones", 0),
            "Phone 2 - Label": pl.when(_item("phones", 1).is_not_null()).then(pl.lit("Work")),
            "Phone 2 - Value": _rest("phones", 1),
            "Address 1 - Label": pl.when(pl.col("location").is_not_null()).then(pl.lit("Home")),
            "Address 1 - Formatted": pl.col("location"),
            "Address 1 - City": _city(),
            "Address 1 - Country": _country(),
            "Website 1 - Value": _rest("urls", 0),
        },
        path,
    )


def _gmail_csv(frame: pl.DataFrame, path: Path) -> None:
    """Gmail's 'Other contacts': a display name split at its last space, and one address."""
    name = pl.col("full_name")
    split = name.str.contains(" ")
    _write_table(
        frame,
        GOOGLE_HEADER,
        {
            "First Name": pl.when(split).then(name.str.replace(r"\s+\S+$", "")).otherwise(name),
            "Last Name": pl.when(split).then(name.str.extract(r"\s(\S+)$")),
            "E-mail 1 - Label": pl.when(_item("emails", 0).is_not_null()).then(pl.lit("* ")),
            "E-mail 1 - Value": _rest("emails", 0),
        },
        path,
    )


def _outlook_csv(frame: pl.DataFrame, path: Path) -> None:
    _write_table(
        frame,
        OUTLOOK_WEB_HEADER,
        {
            "First Name": _first_box(),
            "Last Name": pl.col("last_name"),
            "E-mail Address": _item("emails", 0),
            "E-mail 2 Address": _item("emails", 1),
            "E-mail 3 Address": _item("emails", 2),
            "Mobile Phone": _item("phones", 0),
            "Home Phone": _item("phones", 1),
            "Company": pl.col("company"),
            "Home City": _city(),
            "Home Country/Region": _country(),
            "Web Page": _item("urls", 0),
        },
        path,
    )


def _linkedin_csv(frame: pl.DataFrame, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write('Notes:\n"When exporting your connection data, you may notice that ..."\n\n')
        frame.select(
            pl.col("first_name").alias("First Name"),
            pl.col("last_name").alias("Last Name"),
            pl.col("linkedin_url").alias("URL"),
            _item("emails", 0).alias("Email Address"),
            pl.col("company").alias("Company"),
            pl.lit(None, dtype=pl.String).alias("Position"),
            pl.lit("08 Feb 2026").alias("Connected On"),
        ).write_csv(handle, null_value="")


def _vcard_escape(value: pl.Expr) -> pl.Expr:
    return value.str.replace_all("\\", "\\\\", literal=True).str.replace_all(r"([,;])", r"\$1")


def _vcards(frame: pl.DataFrame, path: Path) -> None:
    """vCard 3.0 cards built column-wise (one string per card), CRLF line ends."""
    first = _vcard_escape(pl.col("first_name").fill_null(""))
    last = _vcard_escape(pl.col("last_name").fill_null(""))
    full = pl.coalesce(
        pl.col("full_name"),
        pl.concat_str(
            [pl.col("first_name"), pl.col("last_name")], separator=" ", ignore_nulls=True
        ),
    )

    def lines(column: str, prefix: str) -> pl.Expr:
        return (
            pl.col(column).list.eval(pl.lit(prefix) + pl.element() + pl.lit("\r\n")).list.join("")
        )

    cards = frame.select(
        pl.concat_str(
            [
                pl.lit("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:"),
                _vcard_escape(full.fill_null("")),
                pl.lit("\r\nN:"),
                last,
                pl.lit(";"),
                first,
                pl.lit(";;;\r\n"),
                lines("emails", "EMAIL;TYPE=INTERNET:"),
                lines("phones", "TEL;TYPE=CELL:"),
                pl.when(pl.col("location").is_not_null())
                .then(
                    pl.lit("ADR;TYPE=HOME:;;;")
                    + _vcard_escape(_city())
                    + pl.lit(";;;")
                    + _vcard_escape(_country().fill_null(""))
                    + pl.lit("\r\n")
                )
                .otherwise(pl.lit("")),
                pl.when(pl.col("company").is_not_null())
                .then(pl.lit("ORG:") + _vcard_escape(pl.col("company")) + pl.lit("\r\n"))
                .otherwise(pl.lit("")),
                lines("urls", "URL:"),
                pl.lit("END:VCARD\r\n"),
            ]
        ).alias("card")
    )["card"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("".join(cards.to_list()))


def _followers_csv(frame: pl.DataFrame, path: Path) -> None:
    """zavan/followers2csv shape (FORMATS.md §2.8) plus the LOCATION and URL columns other
    tools write; counts are plausible constants."""
    frame.select(
        pl.col("x_account_id").alias("ID"),
        pl.col("full_name").alias("NAME"),
        pl.col("x_handle").alias("USER"),
        pl.lit("true").alias("FOLLOWED"),
        pl.lit("120").alias("FOLLOWERS"),
        pl.lit("80").alias("FOLLOWING"),
        pl.lit("0").alias("LISTED"),
        pl.lit("40").alias("FAVOURITES"),
        pl.lit("310").alias("STATUSES"),
        pl.lit("2014-05-02T10:11:12Z").alias("CREATED_AT"),
        pl.lit(None, dtype=pl.String).alias("PROFILE_IMAGE"),
        pl.col("location").alias("LOCATION"),
        _item("urls", 0).alias("URL"),
    ).write_csv(path, null_value="")


def write_exports(frame: pl.DataFrame, folder: Path) -> None:
    """Real export formats for end-to-end runs, one file per source (``EXPORT_FILES``).

    LinkedIn Connections.csv; Google CSV (current header) for 'google' and, as
    gmail_contacts.csv, for 'gmail'; an Outlook.com CSV for 'outlook'; vCard 3.0; an X
    followers CSV in the zavan/followers2csv shape. Rows of each file follow the frame's
    order, so (file, row) maps back to the frame (benchmarks/scale.py relies on it).
    """
    folder.mkdir(parents=True, exist_ok=True)
    writers = {
        "linkedin": _linkedin_csv,
        "google": _google_csv,
        "gmail": _gmail_csv,
        "outlook": _outlook_csv,
        "vcard": _vcards,
        "x": _followers_csv,
    }
    for source, name in EXPORT_FILES:
        writers[source](frame.filter(pl.col("source") == source), folder / name)
    (folder / "truth.json").write_text(json.dumps({"records": frame.height}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/network"))
    parser.add_argument("--exports", action="store_true", help="also write export files")
    parser.add_argument("--names", choices=NAME_DENSITIES, default="census")
    args = parser.parse_args()
    frame = generate(args.records, args.seed, args.names)
    args.out.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(args.out / "records.parquet")
    if args.exports:
        write_exports(frame, args.out / "exports")
    people = frame.get_column("person_id_true").n_unique()
    print(f"{frame.height} records of {people} people -> {args.out}")  # counts only


if __name__ == "__main__":
    main()
