"""Throughput of the LinkedIn messages/Connections and X follower/DM parsers on synthetic files.

Run: ``python benchmarks/linkedin_x_connectors.py [rows]`` (default 1,000,000). Prints
rows, seconds and rows per second; nothing personal (the data is generated).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from connectors.base import ExportFile
from connectors.linkedin import LinkedInConnections, LinkedInMessages
from connectors.twitter import XDirectMessages, XFollows

OWNER = "https://www.linkedin.com/in/sam-owner-example"


def write_messages(path: Path, n: int) -> None:
    header = (
        '"CONVERSATION ID","CONVERSATION TITLE","FROM","SENDER PROFILE URL","TO",'
        '"RECIPIENT PROFILE URLS","DATE","SUBJECT","CONTENT","FOLDER","ATTACHMENTS",'
        '"IS MESSAGE DRAFT","IS CONVERSATION DRAFT"\n'
    )
    with path.open("w") as out:
        out.write(header)
        for i in range(n):
            other = f"https://www.linkedin.com/in/person-{i % 5000}"
            out.write(
                f'"2-conv{i % 20000}","","Person {i % 5000}","{other}","Sam Owner","{OWNER}",'
                f'"2025-{1 + i % 12:02d}-{1 + i % 28:02d} 10:{i % 60:02d}:00 UTC","",'
                f'"message {i},\nsecond line","INBOX","","No","No"\n'
            )


def write_connections(path: Path, n: int) -> None:
    with path.open("w") as out:
        out.write('Notes:\n"..."\n\nFirst Name,Last Name,URL,Email Address,Company,Position,')
        out.write("Connected On\n")
        for i in range(n):
            out.write(
                f'First{i},Last{i},https://www.linkedin.com/in/p-{i},,"Co {i % 900}, Inc.",'
                f"Engineer,{1 + i % 28:02d} Nov 2024\n"
            )


def write_followers(path: Path, n: int) -> None:
    base = 1_000_000_000_000_000_000
    items = [
        {"follower": {"accountId": str(base + i), "userLink": f"https://x.com/i/{base + i}"}}
        for i in range(n)
    ]
    path.write_text("window.YTD.follower.part0 = " + json.dumps(items, indent=2))


def write_dms(path: Path, n: int) -> None:
    base = 1_000_000_000_000_000_000
    conversations = []
    per = 50
    for c in range(max(1, n // per)):
        messages = [
            {
                "messageCreate": {
                    "recipientId": str(base + c),
                    "senderId": "1",
                    "id": str(base * 2 + c * per + m),
                    "text": "hello",
                    "createdAt": "2024-03-06T09:15:00.120Z",
                }
            }
            for m in range(per)
        ]
        conversations.append({"dmConversation": {"conversationId": f"1-{c}", "messages": messages}})
    path.write_text("window.YTD.direct_messages.part0 = " + json.dumps(conversations, indent=2))


def measure(label: str, parse: object, file: ExportFile) -> None:
    started = time.perf_counter()
    result = parse.parse(file)  # type: ignore[attr-defined]
    seconds = time.perf_counter() - started
    produced = result.records.height + result.interactions.height
    size_mb = file.size / 1e6
    print(  # noqa: T201 - a benchmark prints its figures
        f"{label:<22} {size_mb:8.1f} MB  {produced:>10,} rows out  {seconds:6.2f} s  "
        f"{produced / seconds:>12,.0f} rows/s"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_messages(root / "messages.csv", n)
        write_connections(root / "Connections.csv", n)
        write_followers(root / "follower.js", n)
        write_dms(root / "direct-messages.js", n)
        measure("linkedin messages", LinkedInMessages(), ExportFile(root / "messages.csv"))
        measure("linkedin connections", LinkedInConnections(), ExportFile(root / "Connections.csv"))
        measure("x follower.js", XFollows(), ExportFile(root / "follower.js"))
        measure("x direct-messages.js", XDirectMessages(), ExportFile(root / "direct-messages.js"))


if __name__ == "__main__":
    main()
