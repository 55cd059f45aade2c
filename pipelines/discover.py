"""Find export files under the paths the user gave: folders and zip archives, recursively."""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from connectors import SNIFF_BYTES, detect
from connectors._text import decode
from connectors.base import Connector, ExportFile, FormatError, ParseIssue, ParseResult

# Files with these endings are reported when no connector recognises them; anything else
# (images in an X archive, HTML viewers) is counted as ignored.
EXPORT_LIKE_SUFFIXES = {".csv", ".tsv", ".vcf", ".vcard", ".js", ".json", ".mbox", ".txt", ".zip"}
SKIPPED_PARTS = {"__MACOSX", ".git", ".DS_Store"}


class DiscoveryError(Exception):
    """Nothing to sync: a missing path, an empty folder, or no recognisable export."""


@dataclass
class Discovery:
    files: list[ExportFile] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)


def _zip_members(path: Path, found: Discovery) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            bad_member = archive.testzip()
            if bad_member is not None:
                found.issues.append(
                    ParseIssue(
                        path.name,
                        None,
                        f"zip member {bad_member} is corrupt (CRC mismatch); other members were read",
                    )
                )
            for info in archive.infolist():
                parts = set(Path(info.filename).parts)
                if info.is_dir() or parts & SKIPPED_PARTS or info.filename == bad_member:
                    continue
                found.files.append(ExportFile(path, info.filename))
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        found.issues.append(
            ParseIssue(
                path.name,
                None,
                f"not a readable zip archive ({error}); expected a LinkedIn, X or Takeout export zip",
            )
        )


def discover(paths: list[Path]) -> Discovery:
    found = Discovery()
    for root in paths:
        if not root.exists():
            raise DiscoveryError(f"{root}: no such file or folder")
        candidates = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in candidates:
            if set(path.parts) & SKIPPED_PARTS:
                continue
            if zipfile.is_zipfile(path) or path.suffix.lower() == ".zip":
                _zip_members(path, found)
            else:
                found.files.append(ExportFile(path))
    return found


@dataclass
class ParsedFile:
    file: ExportFile
    sha256: str
    size_bytes: int
    exported_at: datetime | None
    connector: str | None  # None: no connector recognised the content
    source: str | None
    result: ParseResult | None
    issues: list[ParseIssue]


def exported_at(file: ExportFile) -> datetime | None:
    """When the export was written: the zip member's timestamp, or the file's mtime."""
    try:
        if file.member is None:
            return datetime.fromtimestamp(file.path.stat().st_mtime, tz=UTC)
        with zipfile.ZipFile(file.path) as archive:
            return datetime(*archive.getinfo(file.member).date_time, tzinfo=UTC)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return None


def identify(file: ExportFile) -> tuple[Connector | None, list[ParseIssue]]:
    try:
        head = file.head(SNIFF_BYTES)
    except (OSError, zipfile.BadZipFile, EOFError, zlib.error) as error:
        return None, [ParseIssue(file.name, None, f"cannot be read ({type(error).__name__})")]
    connector = detect(file, decode(head)) if head else None
    return connector, []


def parse_export(
    file: ExportFile, connector: Connector
) -> tuple[ParseResult | None, list[ParseIssue]]:
    """Run one connector on one file; every failure becomes an issue, never an exception."""
    try:
        result = connector.parse(file)
    except FormatError as error:
        return None, [ParseIssue(file.name, error.row, str(error))]
    except Exception as error:  # noqa: BLE001 - a bad file must never stop the sync
        return None, [
            ParseIssue(
                file.name, None, f"could not be parsed as {connector.name} ({type(error).__name__})"
            )
        ]
    return result, list(result.issues)


def unrecognised_issue(file: ExportFile) -> ParseIssue | None:
    if Path(file.name).suffix.lower() not in EXPORT_LIKE_SUFFIXES:
        return None
    return ParseIssue(
        file.name,
        None,
        "not a recognised export (expected LinkedIn, X/Twitter, Google, Outlook, vCard, mbox or e-mail log content)",
    )
