"""The one contract every connector implements.

A connector recognises an export file by its *content* (``sniff``) and turns it into a
``ParseResult``: contact records, interactions and the owner's own identifiers, all in the
fixed schemas below, plus the problems it met (file, row, what was expected). Connectors
import neither Prefect nor DuckDB, so they can be tested on fixture files alone.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol, cast

import polars as pl

# One row per record read from an export (a CSV data row, a vCard, a JSON array element).
# Every record of a recognised file appears once, including the ones that are not people
# (kind = 'hidden' for LinkedIn's date-only rows, 'owner' for the owner's own profile).
RECORD_SCHEMA = pl.Schema(
    {
        "source": pl.String(),  # linkedin, x, google, outlook, vcard, gmail, email_log
        "source_file": pl.String(),  # the file's own name (zip member name for zipped files)
        "source_row": pl.Int64(),  # 1-based index of the record in that file
        "kind": pl.String(),  # contact | hidden | owner
        "channel": pl.String(),  # how the owner knows them: linkedin_connection, x_follower, ...
        "full_name": pl.String(),
        "first_name": pl.String(),
        "middle_name": pl.String(),
        "last_name": pl.String(),
        "nickname": pl.String(),
        "emails": pl.List(pl.String()),
        "phones": pl.List(pl.String()),
        "company": pl.String(),
        "title": pl.String(),
        "location": pl.String(),
        "linkedin_url": pl.String(),
        "x_handle": pl.String(),
        "x_account_id": pl.String(),
        "urls": pl.List(pl.String()),
        "labels": pl.List(pl.String()),
        "birthday": pl.String(),
        "connected_on": pl.Date(),
        "raw": pl.String(),  # JSON object of every original field: nothing in an export is lost
    }
)

# One row per (message, participant). Direction is derived later from the owner's identity.
INTERACTION_SCHEMA = pl.Schema(
    {
        "source": pl.String(),
        "source_file": pl.String(),
        "source_row": pl.Int64(),  # the record (message / row / array element) it came from
        "channel": pl.String(),  # email | linkedin_message | linkedin_invitation | x_dm
        "message_id": pl.String(),  # dedupe key across overlapping files (Message-ID, DM id, ...)
        "thread_id": pl.String(),
        "occurred_at": pl.Datetime("us", "UTC"),
        "role": pl.String(),  # from | to | cc | bcc | participant
        "email": pl.String(),
        "linkedin_url": pl.String(),
        "x_account_id": pl.String(),
        "name": pl.String(),
        "is_bulk": pl.Boolean(),  # newsletters, sponsored InMail, no-reply senders
    }
)

# The owner's own identifiers (never a person in their own network).
OWNER_SCHEMA = pl.Schema(
    {
        "source": pl.String(),
        "kind": pl.String(),  # email | linkedin_url | x_account_id | x_handle | name | phone
        "value": pl.String(),
    }
)


@dataclass(frozen=True)
class ExportFile:
    """A file to parse: loose on disk, or a member of a zip archive."""

    path: Path  # the file on disk (the zip itself for members)
    member: str | None = None  # path inside the zip, or None

    @property
    def name(self) -> str:
        """The file's own name: what ``person_sources.source_file`` records."""
        return Path(self.member).name if self.member else self.path.name

    @property
    def locator(self) -> str:
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    def open(self) -> IO[bytes]:
        """Open for streaming reads (large mbox files must never be read whole)."""
        if self.member is None:
            stream: IO[bytes] = self.path.open("rb")
        else:
            archive = zipfile.ZipFile(self.path)
            stream = cast(IO[bytes], _ZipMemberStream(archive, archive.open(self.member)))
        if _read_hook is None:
            return stream
        return cast(IO[bytes], _CountingStream(stream, _read_hook))

    def read_bytes(self) -> bytes:
        with self.open() as handle:
            return handle.read()

    def head(self, size: int = 65536) -> bytes:
        with self.open() as handle:
            return handle.read(size)

    @property
    def size(self) -> int:
        if self.member is None:
            return self.path.stat().st_size
        with zipfile.ZipFile(self.path) as archive:
            return archive.getinfo(self.member).file_size

    def sha256(self) -> str:
        digest = hashlib.sha256()
        with self.open() as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()


class _ZipMemberStream(io.RawIOBase):
    """A zip member stream that also closes its archive."""

    def __init__(self, archive: zipfile.ZipFile, stream: IO[bytes]) -> None:
        self._archive = archive
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        return self._stream.read(size)

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._stream)

    def close(self) -> None:
        self._stream.close()
        self._archive.close()
        super().close()


_read_hook: Callable[[int], None] | None = None


def set_read_hook(hook: Callable[[int], None] | None) -> None:
    """Count bytes read from export files (progress reporting); None switches it off."""
    global _read_hook
    _read_hook = hook


class _CountingStream(io.RawIOBase):
    """Passes reads through and reports how many bytes each one returned."""

    def __init__(self, stream: IO[bytes], hook: Callable[[int], None]) -> None:
        self._stream = stream
        self._hook = hook

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._hook(len(data))
        return data

    def readline(self, size: int | None = -1) -> bytes:
        line = self._stream.readline(-1 if size is None else size)
        self._hook(len(line))
        return line

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.readline, b"")

    def close(self) -> None:
        self._stream.close()
        super().close()


@dataclass(frozen=True)
class ParseIssue:
    """A problem with one file (row None) or one row: shown in the summary and sync_runs."""

    source_file: str
    row: int | None
    message: str  # what was found and what was expected; never personal values


@dataclass
class ParseResult:
    records: pl.DataFrame = field(default_factory=lambda: RECORD_SCHEMA.to_frame())
    interactions: pl.DataFrame = field(default_factory=lambda: INTERACTION_SCHEMA.to_frame())
    owner: pl.DataFrame = field(default_factory=lambda: OWNER_SCHEMA.to_frame())
    issues: list[ParseIssue] = field(default_factory=list)


class Connector(Protocol):
    """One export format. ``sniff`` decides by content; ``parse`` never raises on bad data."""

    name: str  # unique format name, e.g. 'linkedin_connections'
    source: str  # value of the ``source`` column, e.g. 'linkedin'

    def sniff(self, file_name: str, head: str) -> bool:
        """True if ``head`` (the first 64 KiB, decoded) is this format.

        ``file_name`` is only a tie-breaker between formats whose content is identical.
        """
        ...

    def parse(self, file: ExportFile) -> ParseResult: ...


class FormatError(Exception):
    """A file that claimed a format but does not hold it: the message names what was expected."""

    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.row = row


def conform(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """Add missing columns as nulls, cast, and order columns exactly as ``schema``."""
    columns = []
    for name, dtype in schema.items():
        if name in frame.columns:
            columns.append(pl.col(name).cast(dtype))
        else:
            columns.append(pl.lit(None, dtype=dtype).alias(name))
    return frame.select(columns)
