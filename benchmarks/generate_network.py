"""Synthetic personal networks with ground truth, for the resolver's accuracy benchmark.

Every record is fake. People get Zipf-distributed first and last names from moderate pools
(so namesakes occur, many at other companies), a company, a city, a personal and a work
address, a phone, a LinkedIn profile and sometimes an X account. Each person appears in a
random subset of sources with the quirks real exports have: decorated LinkedIn names
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
import csv
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
COUNTRY_CODES = {"US": "1", "CA": "1", "GB": "44", "DE": "49", "FR": "33", "ES": "34"}


def zipf_choice(rng: random.Random, pool: list[str], k: int, s: float = 1.0) -> list[str]:
    weights = [1.0 / (i + 1) ** s for i in range(len(pool))]
    return rng.choices(pool, weights=weights, k=k)


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
    code = COUNTRY_CODES.get(country, "1")
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


def generate(records: int, seed: int = 7) -> pl.DataFrame:
    """About ``records`` contact records of ``records / 2.3`` people, with person_id_true."""
    rng = random.Random(seed)
    n_people = max(1, int(records / 2.3))
    scale = max(1.0, n_people / 40_000) ** 0.5
    surnames = make_surnames(rng, int(2000 * scale))
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
        tag = f"{p:x}"
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
                emails=[personal] if rng.random() < 0.04 else [],
                company=company + company_legal[company],
                location=f"{city}, {country}",
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
            )
    frame = pl.DataFrame(rows, infer_schema_length=None)
    frame = frame.with_columns(pl.lit("contact").alias("kind"))
    truth = frame.get_column("person_id_true")
    out = conform(frame, RECORD_SCHEMA).with_columns(truth)
    out = out.sample(fraction=1.0, shuffle=True, seed=seed)
    return out.with_row_index("i").select(
        pl.format("rec{}", "i").alias("record_id"), pl.exclude("i")
    )


def write_exports(frame: pl.DataFrame, folder: Path) -> None:
    """A few real export formats for end-to-end runs (LinkedIn, Google CSV, vCard, X CSV)."""
    folder.mkdir(parents=True, exist_ok=True)
    linked = frame.filter(pl.col("source") == "linkedin")
    with (folder / "Connections.csv").open("w", newline="", encoding="utf-8") as handle:
        handle.write('Notes:\n"When exporting your connection data, you may notice that ..."\n\n')
        writer = csv.writer(handle)
        writer.writerow(
            [
                "First Name",
                "Last Name",
                "URL",
                "Email Address",
                "Company",
                "Position",
                "Connected On",
            ]
        )
        for row in linked.iter_rows(named=True):
            emails = row["emails"] or []
            writer.writerow(
                [
                    row["first_name"] or "",
                    row["last_name"] or "",
                    row["linkedin_url"] or "",
                    emails[0] if emails else "",
                    row["company"] or "",
                    "",
                    "08 Feb 2026",
                ]
            )
    google = frame.filter(pl.col("source") == "google")
    with (folder / "contacts.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "First Name",
                "Last Name",
                "Organization Name",
                "E-mail 1 - Value",
                "E-mail 2 - Value",
                "Phone 1 - Value",
                "Website 1 - Value",
            ]
        )
        for row in google.iter_rows(named=True):
            emails = (row["emails"] or []) + ["", ""]
            phones = (row["phones"] or []) + [""]
            urls = (row["urls"] or []) + [""]
            first = row["first_name"] or row["full_name"] or ""
            writer.writerow(
                [
                    first,
                    row["last_name"] or "",
                    row["company"] or "",
                    *emails[:2],
                    phones[0],
                    urls[0],
                ]
            )
    with (folder / "contacts.vcf").open("w", encoding="utf-8") as handle:
        for row in frame.filter(pl.col("source") == "vcard").iter_rows(named=True):
            full = row["full_name"] or " ".join(
                x for x in (row["first_name"], row["last_name"]) if x
            )
            handle.write("BEGIN:VCARD\r\nVERSION:3.0\r\n")
            handle.write(
                f"FN:{full}\r\nN:{row['last_name'] or ''};{row['first_name'] or ''};;;\r\n"
            )
            for email in row["emails"] or []:
                handle.write(f"EMAIL;TYPE=INTERNET:{email}\r\n")
            for phone in row["phones"] or []:
                handle.write(f"TEL;TYPE=CELL:{phone}\r\n")
            if row["company"]:
                handle.write(f"ORG:{row['company']}\r\n")
            handle.write("END:VCARD\r\n")
    with (folder / "followers.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "username", "name", "location"])
        for row in frame.filter(pl.col("source") == "x").iter_rows(named=True):
            writer.writerow(
                [
                    row["x_account_id"],
                    row["x_handle"] or "",
                    row["full_name"] or "",
                    row["location"] or "",
                ]
            )
    (folder / "truth.json").write_text(json.dumps({"records": frame.height}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/network"))
    parser.add_argument("--exports", action="store_true", help="also write export files")
    args = parser.parse_args()
    frame = generate(args.records, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(args.out / "records.parquet")
    if args.exports:
        write_exports(frame, args.out / "exports")
    people = frame.get_column("person_id_true").n_unique()
    print(f"{frame.height} records of {people} people -> {args.out}")  # counts only


if __name__ == "__main__":
    main()
