"""Parse throughput per format on synthetic files, plus a large mbox with its peak memory.

    python benchmarks/parse_throughput.py                       # 100k rows/cards, 1 GiB mbox
    python benchmarks/parse_throughput.py --rows 20000 --mbox-mb 100

Every person, address and number is generated (example.org/.com/.net, 555 numbers). The
mbox parse runs in a child process so its ``ru_maxrss`` is the parser's own peak.
"""

from __future__ import annotations

import argparse
import codecs
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from connectors.base import Connector, ExportFile  # noqa: E402
from connectors.email_log import EmailLogCsv  # noqa: E402
from connectors.google import GoogleContactsCsv, GoogleLegacyCsv  # noqa: E402
from connectors.mbox import Mbox  # noqa: E402
from connectors.outlook import OutlookDesktopCsv, OutlookWebCsv  # noqa: E402
from connectors.vcard import VCardFile  # noqa: E402

FIRST = ["Mara", "Tobiah", "Ines", "Dario", "Zoë", "Noor", "Pia", "Łucja"]
LAST = ["Quillfeather", "Renwick", "Talvik", "Pell", "Ångström", "Haddad", "Lund", "Żak"]


def _person(i: int) -> tuple[str, str, str, str]:
    first, last = FIRST[i % len(FIRST)], LAST[(i // 7) % len(LAST)]
    return first, last, f"person{i}@example.org", f"+1 555 {i % 10000:04d}"


def google_csv(path: Path, rows: int) -> None:
    header = (
        "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,"
        "Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,"
        "Organization Title,Organization Department,Birthday,Notes,Photo,Labels,"
        "E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,"
        "Phone 1 - Label,Phone 1 - Value,Address 1 - City,Website 1 - Label,Website 1 - Value"
    )
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write(header + "\r\n")
        for i in range(rows):
            first, last, email, phone = _person(i)
            out.write(
                f'{first},,{last},,,,,,,,"Org {i % 977}, Inc.",Engineer,,,"note line\r\nsecond",,'
                f"* myContacts ::: Group{i % 13},* Work,{email} ::: alt{i}@example.net,Home,"
                f"home{i}@example.com,Mobile,{phone},Berlin,Profile,https://example.com/{i}\r\n"
            )


def google_legacy_csv(path: Path, rows: int) -> None:
    lines = [
        "Name,Given Name,Additional Name,Family Name,Nickname,Group Membership,"
        "E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Organization 1 - Name"
    ]
    for i in range(rows):
        first, last, email, phone = _person(i)
        lines.append(
            f"{first} {last},{first},,{last},,* My Contacts,* ,{email},Mobile,{phone},Org {i}"
        )
    path.write_bytes(codecs.BOM_UTF16_LE + ("\r\n".join(lines) + "\r\n").encode("utf-16-le"))


def outlook_csv(path: Path, rows: int) -> None:
    header = [
        "Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Job Title",
        "Business City", "Business Phone", "Mobile Phone", "E-mail Address", "E-mail Type",
        "E-mail Display Name", "E-mail 2 Address", "Categories", "Notes",
    ]  # fmt: skip
    with path.open("w", encoding="cp1252", newline="") as out:
        out.write(",".join(f'"{h}"' for h in header) + "\r\n")
        for i in range(rows):
            first, last, email, phone = _person(i)
            first, last = first.replace("Ł", "L"), last.replace("Ż", "Z")
            cells = [
                "", first, "", last, "", f"Org {i % 977}", "Engineer", "München", phone, phone,
                email, "SMTP", f"{first} {last} ({email})", "", "Customers;Munich", "note",
            ]  # fmt: skip
            out.write(",".join(f'"{c}"' for c in cells) + "\r\n")


def outlook_web_csv(path: Path, rows: int) -> None:
    lines = [
        "First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,"
        "E-mail Address,E-mail 2 Address,Mobile Phone,Job Title,Company,Business City"
    ]
    for i in range(rows):
        first, last, email, phone = _person(i)
        lines.append(f"{first},,{last},,,,,,{email},,{phone},Engineer,Org {i % 977},Berlin")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def vcards(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        for i in range(rows):
            first, last, email, phone = _person(i)
            out.write(
                "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.5//EN\r\n"
                f"N:{last};{first};;;\r\nFN:{first} {last}\r\nORG:Org {i % 977}\\, Inc.;\r\n"
                f"item1.EMAIL;type=INTERNET;type=pref:{email}\r\nitem1.X-ABLabel:_$!<Other>!$_\r\n"
                f"TEL;type=CELL;type=VOICE:{phone}\r\nNOTE:a note that is long enough to be fo\r\n"
                " lded by the exporter\r\nEND:VCARD\r\n"
            )


def email_log(path: Path, rows: int) -> None:
    lines = ["from,to,cc,date,subject,message_id"]
    for i in range(rows):
        _, _, email, _ = _person(i)
        lines.append(
            f"sam.owner@example.org,{email}; other{i % 50}@example.com,,"
            f"2024-03-04T11:{i % 60:02d}:34Z,Subject {i},<m{i}@example.org>"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


MBOX_MESSAGE = (
    "From 17901234567890{n:05d}@xxx Mon Mar 04 11:20:34 +0000 2024\n"
    "X-GM-THRID: 17901200000000{t:05d}\n"
    "X-Gmail-Labels: Inbox,Opened\n"
    "Delivered-To: sam.owner@example.org\n"
    "Received: from mail.example.org by mx.example.com; Mon, 4 Mar 2024 12:20:34 +0100\n"
    "Date: Mon, 4 Mar 2024 12:{m:02d}:34 +0100\n"
    "From: =?UTF-8?Q?In=C3=A8s_Talvik?= <person{p}@example.org>\n"
    'To: "Owner, Sam" <sam.owner@example.org>, other{q}@example.com\n'
    "Subject: Re: synthetic message {n}\n"
    "Message-ID: <msg{n}.{k}@mail.example.org>\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "\n"
)


def mbox(path: Path, target_bytes: int) -> int:
    """Messages with ~3 KB bodies (Gmail's median is larger) until ``target_bytes``."""
    body = ("lorem ipsum dolor sit amet, consectetur adipiscing elit " * 1 + "\n") * 55
    written = 0
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        while written < target_bytes:
            chunk = []
            for _ in range(1000):
                n = count
                chunk.append(
                    MBOX_MESSAGE.format(
                        n=n % 100000, t=n % 5000, m=n % 60, p=n % 20000, q=n % 50, k=n
                    )  # fmt: skip
                    + body
                    + "\n"
                )
                count += 1
            text = "".join(chunk)
            out.write(text)
            written += len(text.encode("utf-8"))
    return count


def measure(connector: Connector, path: Path) -> tuple[float, int, float]:
    start = time.perf_counter()
    result = connector.parse(ExportFile(path))
    seconds = time.perf_counter() - start
    rows = max(result.records.height, result.interactions.height)
    return seconds, rows, path.stat().st_size / 1e6


def _peak_rss_mb() -> float:
    """This process's own peak RSS. ``ru_maxrss`` can carry the parent's peak over fork+exec
    on Linux, so VmHWM (per address space) is read first."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _mbox_child(path: str) -> None:
    start = time.perf_counter()
    result = Mbox().parse(ExportFile(Path(path)))
    seconds = time.perf_counter() - start
    peak_mb = _peak_rss_mb()
    messages = result.interactions["message_id"].n_unique()
    print(f"{seconds}\t{result.interactions.height}\t{messages}\t{peak_mb}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000, help="rows/cards per format")
    parser.add_argument("--mbox-mb", type=int, default=1024, help="size of the synthetic mbox")
    parser.add_argument("--mbox-child", help=argparse.SUPPRESS)
    parser.add_argument("--skip-contacts", action="store_true", help="only the mbox run")
    args = parser.parse_args()
    if args.mbox_child:
        _mbox_child(args.mbox_child)
        return
    formats: list[tuple[str, Callable[[Path, int], None], Connector, str]] = [
        ("google csv (utf-8 bom)", google_csv, GoogleContactsCsv(), "contacts.csv"),
        ("google legacy (utf-16)", google_legacy_csv, GoogleLegacyCsv(), "legacy.csv"),
        ("outlook desktop (cp1252)", outlook_csv, OutlookDesktopCsv(), "outlook.csv"),
        ("outlook.com", outlook_web_csv, OutlookWebCsv(), "outlook_com.csv"),
        ("vcard 3.0", vcards, VCardFile(), "contacts.vcf"),
        ("email log csv", email_log, EmailLogCsv(), "log.csv"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"{'format':28} {'MB':>8} {'rows':>9} {'s':>7} {'MB/s':>8} {'rows/s':>10}")
        for label, make, connector, name in [] if args.skip_contacts else formats:
            path = root / name
            make(path, args.rows)
            seconds, rows, size = measure(connector, path)
            print(
                f"{label:28} {size:8.1f} {rows:9d} {seconds:7.2f} {size / seconds:8.1f} "
                f"{rows / seconds:10.0f}"
            )
        path = root / "All mail Including Spam and Trash.mbox"
        generated = mbox(path, args.mbox_mb * 1024 * 1024)
        size = path.stat().st_size / 1e6
        child = subprocess.run(
            [sys.executable, __file__, "--mbox-child", str(path)],
            check=True,
            capture_output=True,
            text=True,
        )
        seconds_s, rows_s, messages_s, peak_s = child.stdout.strip().split("\t")
        seconds = float(seconds_s)
        print(
            f"{'mbox':28} {size:8.1f} {int(rows_s):9d} {seconds:7.2f} {size / seconds:8.1f} "
            f"{int(rows_s) / seconds:10.0f}"
        )
        print(
            f"mbox: {generated} messages written, {messages_s} distinct Message-IDs parsed, "
            f"{float(messages_s) / seconds:.0f} messages/s, peak RSS {float(peak_s):.0f} MB "
            "(child process, includes the Python + polars runtime)"
        )


if __name__ == "__main__":
    main()
