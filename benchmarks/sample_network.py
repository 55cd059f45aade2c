"""Write the bundled sample exports in ``data/sample/`` (a synthetic network, made-up people).

Deterministic: the same seed writes the same bytes, so the committed sample can be
regenerated and reviewed. Deliberate duplicates across and within sources make the first
``kith sync`` visibly merge; two namesakes at different companies must stay two people.

    python benchmarks/sample_network.py [--out data/sample] [--people 120]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import random
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

FIRST = [
    "Mara",
    "Tobiah",
    "Ines",
    "Dario",
    "Robert",
    "Elizabeth",
    "William",
    "Katherine",
    "Jonah",
    "Priya",
    "Mateo",
    "Amara",
    "Lars",
    "Yuki",
    "Farah",
    "Oskar",
    "Lucia",
    "Nadia",
    "Theo",
    "Greta",
    "Samuel",
    "Hana",
    "Rafael",
    "Ingrid",
    "Kofi",
    "Mina",
    "Elias",
    "Noor",
    "Felix",
    "Zara",
]
LAST = [
    "Quillfeather",
    "Renwick",
    "Talvik",
    "Pell",
    "Ashdown",
    "Brightwater",
    "Corvale",
    "Dunmore",
    "Ellery",
    "Fairbanks",
    "Galloway",
    "Hartwell",
    "Ives",
    "Jessop",
    "Kestrel",
    "Lindqvist",
    "Marlow",
    "Northcott",
    "Okafor",
    "Penhallow",
    "Quint",
    "Rosales",
    "Sandoval",
    "Thorne",
    "Underhill",
    "Vance",
    "Whitlock",
    "Yardley",
    "Zeller",
    "Abernethy",
]
NICK = {
    "Robert": "Bob",
    "Elizabeth": "Liz",
    "William": "Bill",
    "Katherine": "Kate",
    "Samuel": "Sam",
}
COMPANIES = [
    ("Northgate Analytics", "Inc."),
    ("Lumen Works", "GmbH"),
    ("Pell & Vos", "GmbH"),
    ("Tallinn Research Lab", ""),
    ("Acme Robotics", "Ltd"),
    ("Bluefin Health", "LLC"),
    ("Cobalt Freight", "Inc."),
    ("Driftwood Studio", ""),
]
TITLES = [
    "Staff Data Engineer",
    "Director, Partnerships",
    "Principal Scientist",
    "Product Manager",
    "Key Account Manager",
    "Head of Design",
    "Recruiter",
    "CTO",
    "Software Engineer",
]
OWNER = {
    "first": "Sam",
    "last": "Owner",
    "email": "sam.owner@example.org",
    "url": "https://www.linkedin.com/in/sam-owner-example",
    "x_id": "1000000000000000001",
    "handle": "sam_owner_x",
}
NOTES_PREAMBLE = (
    'Notes:\n"When exporting your connection data, you may notice that some of the email addresses are '
    "missing. You will only see email addresses for connections who have allowed their connections to see "
    "or download their email address using this setting https://www.linkedin.com/psettings/privacy/email. "
    'You can learn more here https://www.linkedin.com/help/linkedin/answer/261"\n\n'
)


@dataclass
class Person:
    index: int
    first: str
    last: str
    company: str
    suffix: str
    title: str
    slug: str
    work_email: str
    personal_email: str
    phone: str
    x_id: str
    handle: str


def make_people(count: int, rng: random.Random) -> list[Person]:
    people: list[Person] = []
    used: set[tuple[str, str]] = set()
    while len(people) < count:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if (first, last) in used:
            continue
        used.add((first, last))
        company, suffix = rng.choice(COMPANIES)
        domain = company.lower().replace(" & ", "").replace(" ", "") + ".example.com"
        i = len(people)
        people.append(
            Person(
                i,
                first,
                last,
                company,
                suffix,
                rng.choice(TITLES),
                f"{first.lower()}-{last.lower()}-{i:03d}",
                f"{first.lower()}.{last.lower()}@{domain}",
                f"{first.lower()}{last.lower()}{i}@gmail.com",
                f"+1 415 555 {1000 + i:04d}",
                str(1000000000000000100 + i * 7919),
                f"{first.lower()[:6]}{last.lower()[:6]}{i}",
            )
        )
    # two namesakes at different companies: must stay two people
    a = people[-1]
    people.append(
        Person(
            len(people),
            a.first,
            a.last,
            "Cobalt Freight" if a.company != "Cobalt Freight" else "Lumen Works",
            "Inc.",
            "Software Engineer",
            f"{a.first.lower()}-{a.last.lower()}-twin",
            f"{a.first.lower()}.{a.last.lower()}@cobaltfreight.example.com",
            f"{a.first.lower()}.{a.last.lower()}.twin@example.net",
            "+1 212 555 0199",
            "1000000000000009999",
            f"{a.first.lower()}twin",
        )
    )
    return people


@contextlib.contextmanager
def zip_writer(
    path: Path, date_time: tuple[int, int, int, int, int, int]
) -> Iterator[Callable[[str, str], None]]:
    """Yield ``add(member, text)``; fixed timestamps keep the archive byte-identical."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, text: str) -> None:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)

        yield add


def csv_text(header: list[str], rows: list[list[str]], quote_all: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, lineterminator="\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def linkedin_zip(people: list[Person], rng: random.Random, out: Path) -> None:
    connected = [p for p in people if p.index % 10 < 8]
    rows = []
    for p in connected:
        first = p.first
        last = p.last + (", PhD" if p.index % 17 == 0 else "")
        email = p.work_email if p.index % 6 == 0 else ""
        day = datetime(2019, 1, 1) + timedelta(days=p.index * 17)
        rows.append(
            [
                first,
                last,
                f"https://www.linkedin.com/in/{p.slug}",
                email,
                f"{p.company}, {p.suffix}".strip(", "),
                p.title,
                day.strftime("%d %b %Y"),
            ]
        )
    rows.insert(5, ["", "", "", "", "", "", "14 Jun 2025"])  # a hidden profile
    rows.insert(20, ["", "", "", "", "", "", "02 Feb 2024"])
    connections = NOTES_PREAMBLE + csv_text(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"],
        rows,
    ).rstrip("\n")
    messages = []
    for n, p in enumerate(rng.sample(connected, 20)):
        conv = f"2-conv{n:04d}"
        when = datetime(2025, 1, 1, 9, tzinfo=UTC) + timedelta(days=n * 11)
        url = f"https://www.linkedin.com/in/{p.slug}"
        messages.append(
            [
                conv,
                "",
                f"{p.first} {p.last}",
                url,
                "Sam Owner",
                OWNER["url"],
                when.strftime("%Y-%m-%d %H:%M:%S UTC"),
                "",
                "Good to reconnect, coffee soon?",
                "INBOX",
            ]
        )
        messages.append(
            [
                conv,
                "",
                "Sam Owner",
                OWNER["url"],
                f"{p.first} {p.last}",
                url,
                (when + timedelta(hours=3)).strftime("%Y-%m-%d %H:%M:%S UTC"),
                "",
                "Yes, next week works.",
                "INBOX",
            ]
        )
    invitations = [
        [
            "Sam Owner",
            f"{p.first} {p.last}",
            (datetime(2026, 1, 5) + timedelta(days=i)).strftime("%-m/%-d/%y, %-I:%M %p"),
            "",
            "OUTGOING",
            OWNER["url"],
            f"https://www.linkedin.com/in/{p.slug}",
        ]
        for i, p in enumerate(connected[:5])
    ]
    with zip_writer(
        out / "Basic_LinkedInDataExport_11-20-2026.zip", (2026, 11, 20, 8, 0, 0)
    ) as add:
        add("Connections.csv", connections)
        add(
            "messages.csv",
            csv_text(
                [
                    "CONVERSATION ID",
                    "CONVERSATION TITLE",
                    "FROM",
                    "SENDER PROFILE URL",
                    "TO",
                    "RECIPIENT PROFILE URLS",
                    "DATE",
                    "SUBJECT",
                    "CONTENT",
                    "FOLDER",
                ],
                messages,
            ),
        )
        add(
            "Invitations.csv",
            csv_text(
                [
                    "From",
                    "To",
                    "Sent At",
                    "Message",
                    "Direction",
                    "inviterProfileUrl",
                    "inviteeProfileUrl",
                ],
                invitations,
            ),
        )
        add(
            "Profile.csv",
            csv_text(
                [
                    "First Name",
                    "Last Name",
                    "Maiden Name",
                    "Address",
                    "Birth Date",
                    "Headline",
                    "Summary",
                    "Industry",
                    "Zip Code",
                    "Geo Location",
                    "Twitter Handles",
                    "Websites",
                    "Instant Messengers",
                ],
                [
                    [
                        "Sam",
                        "Owner",
                        "",
                        "",
                        "Apr 9, 1988",
                        "Head of Data at Example Co",
                        "Builds data teams.",
                        "Software Development",
                        "10115",
                        "Berlin, Germany",
                        f"[{OWNER['handle']}]",
                        "[PERSONAL:https://sam.example.org]",
                        "",
                    ]
                ],
            ),
        )
        add(
            "Email Addresses.csv",
            csv_text(
                ["Email Address", "Confirmed", "Primary", "Updated On"],
                [[OWNER["email"], "Yes", "Yes", "Not Available"]],
            ),
        )


def google_csv(people: list[Person], out: Path) -> None:
    header = [
        "First Name",
        "Middle Name",
        "Last Name",
        "Phonetic First Name",
        "Phonetic Middle Name",
        "Phonetic Last Name",
        "Name Prefix",
        "Name Suffix",
        "Nickname",
        "File As",
        "Organization Name",
        "Organization Title",
        "Organization Department",
        "Birthday",
        "Notes",
        "Photo",
        "Labels",
        "E-mail 1 - Label",
        "E-mail 1 - Value",
        "E-mail 2 - Label",
        "E-mail 2 - Value",
        "Phone 1 - Label",
        "Phone 1 - Value",
        "Website 1 - Label",
        "Website 1 - Value",
    ]
    rows = []
    for p in people:
        if p.index % 3 != 0 and p.index % 7 != 1:
            continue
        first = NICK.get(p.first, p.first) if p.index % 2 == 0 else p.first
        emails = f"{p.work_email} ::: {p.personal_email}" if p.index % 4 == 0 else p.personal_email
        website = f"https://twitter.com/{p.handle}" if p.index % 5 == 0 else ""
        rows.append(
            [
                first,
                "",
                p.last,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                f"{p.company} {p.suffix}".strip(),
                p.title,
                "",
                "",
                "Met at a meetup\n(follow up)" if p.index % 9 == 0 else "",
                "",
                "* myContacts ::: Work",
                "* Work",
                emails,
                "",
                "",
                "Mobile",
                p.phone.replace("+1 ", "(").replace(" 555", ") 555"),
                "Profile" if website else "",
                website,
            ]
        )
    # a within-source duplicate: the same person typed twice
    p = people[3]
    rows.append(
        [
            p.first,
            "",
            p.last.upper(),
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "* myContacts",
            "Home",
            p.personal_email.upper(),
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    )
    (out / "google_contacts.csv").write_text("\ufeff" + csv_text(header, rows), encoding="utf-8")


def outlook_csv(people: list[Person], out: Path) -> None:
    header = [
        "Title",
        "First Name",
        "Middle Name",
        "Last Name",
        "Suffix",
        "Company",
        "Department",
        "Job Title",
        "Business Phone",
        "Mobile Phone",
        "E-mail Address",
        "E-mail Type",
        "E-mail Display Name",
        "E-mail 2 Address",
        "Categories",
        "Notes",
    ]
    rows = []
    for p in people[10:30:2]:
        rows.append(
            [
                "",
                p.first,
                "",
                p.last,
                "",
                f"{p.company} {p.suffix}".strip(),
                "",
                p.title,
                "",
                p.phone,
                p.work_email,
                "SMTP",
                f"{p.first} {p.last} ({p.work_email})",
                "",
                "Customers",
                "",
            ]
        )
    rows.append(
        [
            "Dr.",
            "Ingrid",
            "",
            "Müller-Øberg",
            "",
            "Tallinn Research Lab",
            "",
            "Principal Scientist",
            "",
            "+49 170 5550 3301",
            "ingrid.mueller@example.net",
            "SMTP",
            "",
            "",
            "Conference",
            "",
        ]
    )
    (out / "outlook_contacts.csv").write_bytes(
        csv_text(header, rows, quote_all=True).replace("\n", "\r\n").encode("cp1252")
    )


def vcard(people: list[Person], out: Path) -> None:
    cards = []
    for p in people[40:60]:
        cards.append(
            "\r\n".join(
                [
                    "BEGIN:VCARD",
                    "VERSION:3.0",
                    "PRODID:-//Apple Inc.//iPhone OS 17.5//EN",
                    f"N:{p.last};{p.first};;;",
                    f"FN:{p.first} {p.last}",
                    f"ORG:{p.company};",
                    f"item1.EMAIL;type=INTERNET;type=pref:{p.personal_email}",
                    "item1.X-ABLabel:_$!<Other>!$_",
                    f"TEL;type=CELL;type=VOICE;type=pref:{p.phone}",
                    f"item2.URL;type=pref:https://www.linkedin.com/in/{p.slug}/"
                    if p.index % 2
                    else f"TITLE:{p.title}",
                    "NOTE:Met at the data summit and talked for a long time about pipelines that are folded o",
                    " nto the next physical line",
                    "END:VCARD",
                ]
            )
        )
    (out / "icloud_contacts.vcf").write_text("\r\n".join(cards) + "\r\n", encoding="utf-8")


def ytd(kind: str, items: list[dict[str, object]]) -> str:
    return f"window.YTD.{kind}.part0 = " + json.dumps(items, indent=2, separators=(",", " : "))


def x_archive(people: list[Person], out: Path) -> None:
    followers = [p for p in people if p.index % 3 == 1]
    following = [p for p in people if p.index % 4 == 1]
    account = [
        {
            "account": {
                "email": OWNER["email"],
                "createdVia": "web",
                "username": OWNER["handle"],
                "accountId": OWNER["x_id"],
                "createdAt": "2011-06-23T13:04:14.000Z",
                "accountDisplayName": "Sam Owner",
            }
        }
    ]
    dms = []
    for n, p in enumerate(followers[:8]):
        when = datetime(2025, 3, 1, tzinfo=UTC) + timedelta(days=n * 13)
        dms.append(
            {
                "dmConversation": {
                    "conversationId": f"{OWNER['x_id']}-{p.x_id}",
                    "messages": [
                        {
                            "messageCreate": {
                                "recipientId": OWNER["x_id"],
                                "reactions": [],
                                "urls": [],
                                "text": "thanks for the intro",
                                "mediaUrls": [],
                                "senderId": p.x_id,
                                "id": str(1700000000000000000 + n * 2 + 1),
                                "createdAt": (when + timedelta(hours=1)).strftime(
                                    "%Y-%m-%dT%H:%M:%S.000Z"
                                ),
                            }
                        },
                        {
                            "messageCreate": {
                                "recipientId": p.x_id,
                                "reactions": [],
                                "urls": [],
                                "text": "see you at the meetup",
                                "mediaUrls": [],
                                "senderId": OWNER["x_id"],
                                "id": str(1700000000000000000 + n * 2),
                                "createdAt": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                            }
                        },
                    ],
                }
            }
        )
    with zip_writer(out / "twitter-2026-11-18-0a1b2c3d.zip", (2026, 11, 18, 7, 30, 0)) as add:
        add("data/account.js", ytd("account", account))
        add(
            "data/follower.js",
            ytd(
                "follower",
                [
                    {
                        "follower": {
                            "accountId": p.x_id,
                            "userLink": f"https://twitter.com/intent/user?user_id={p.x_id}",
                        }
                    }
                    for p in followers
                ],
            ),
        )
        add(
            "data/following.js",
            ytd(
                "following",
                [
                    {
                        "following": {
                            "accountId": p.x_id,
                            "userLink": f"https://twitter.com/intent/user?user_id={p.x_id}",
                        }
                    }
                    for p in following
                ],
            ),
        )
        add("data/direct-messages.js", ytd("direct_messages", dms))
        add("Your archive.html", "<html><body>Your archive</body></html>")
    rows = [
        [
            p.x_id,
            f"{p.first} {p.last}",
            p.handle,
            "true",
            "120",
            "80",
            "1",
            "10",
            "200",
            "2014-05-02T10:11:12Z",
            "",
        ]
        for p in followers[: len(followers) * 2 // 3]
    ]
    (out / "x_followers_export.csv").write_text(
        csv_text(
            [
                "ID",
                "NAME",
                "USER",
                "FOLLOWED",
                "FOLLOWERS",
                "FOLLOWING",
                "LISTED",
                "FAVOURITES",
                "STATUSES",
                "CREATED_AT",
                "PROFILE_IMAGE",
            ],
            rows,
        ),
        encoding="utf-8",
    )


def mbox(people: list[Person], rng: random.Random, out: Path) -> None:
    lines: list[str] = []
    correspondents = [p for p in people if p.index % 2 == 0][:40]
    start = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)
    for n in range(240):
        p = correspondents[int(rng.paretovariate(1.2)) % len(correspondents)]
        when = start + timedelta(hours=n * 41 + rng.randint(0, 30))
        outgoing = rng.random() < 0.5
        address = p.personal_email if p.index % 4 == 0 else p.work_email
        if p.index % 8 == 0:  # Gmail dots and +tags must still reach the same person
            local, domain = p.personal_email.split("@")
            address = f"{local[:3]}.{local[3:]}+news@{domain}"
        sender = (
            f"Sam Owner <{OWNER['email']}>" if outgoing else f'"{p.last}, {p.first}" <{address}>'
        )
        to = f"{p.first} {p.last} <{address}>" if outgoing else f"Sam Owner <{OWNER['email']}>"
        lines += [
            f"From {1790000000000000000 + n}@xxx {when.strftime('%a %b %d %H:%M:%S +0000 %Y')}",
            f"X-GM-THRID: {1790000000000000000 + n // 3}",
            f"X-Gmail-Labels: {'Sent' if outgoing else 'Inbox'},Opened",
            f"Delivered-To: {OWNER['email']}",
            f"Date: {format_datetime(when)}",
            f"From: {sender}",
            f"To: {to}",
            f"Subject: Re: project {n // 3}",
            f"Message-ID: <msg{n:05d}@mail.example.org>",
            'Content-Type: text/plain; charset="UTF-8"',
            "",
            "Thanks, talk soon.",
            ">From the archive: quoted line",
            "",
        ]
    for n in range(20):  # newsletters: excluded from relationship counts
        when = start + timedelta(days=n * 20)
        lines += [
            f"From 18{n:017d}@xxx {when.strftime('%a %b %d %H:%M:%S +0000 %Y')}",
            "X-Gmail-Labels: Inbox,Category Promotions",
            f"Date: {format_datetime(when)}",
            "From: Weekly Digest <noreply@news.example.com>",
            f"To: {OWNER['email']}",
            "List-Id: <digest.news.example.com>",
            "Subject: Your weekly digest",
            f"Message-ID: <digest{n}@news.example.com>",
            "",
            "Unsubscribe any time.",
            "",
        ]
    takeout = out / "Takeout" / "Mail"
    takeout.mkdir(parents=True, exist_ok=True)
    (takeout / "All mail Including Spam and Trash.mbox").write_text(
        "\n".join(lines) + "\n", encoding="utf-8"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "data" / "sample"
    )
    parser.add_argument("--people", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    people = make_people(args.people, rng)
    linkedin_zip(people, rng, args.out)
    google_csv(people, args.out)
    outlook_csv(people, args.out)
    vcard(people, args.out)
    x_archive(people, args.out)
    mbox(people, rng, args.out)
    truth = args.out.parent / "sample_truth.csv"
    truth.write_text(
        csv_text(
            [
                "person",
                "first",
                "last",
                "company",
                "linkedin_slug",
                "work_email",
                "personal_email",
                "phone",
                "x_id",
                "handle",
            ],
            [
                [
                    str(p.index),
                    p.first,
                    p.last,
                    p.company,
                    p.slug,
                    p.work_email,
                    p.personal_email,
                    p.phone,
                    p.x_id,
                    p.handle,
                ]
                for p in people
            ],
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
