"""All DuckDB access: schema, reading the previous state, and atomic snapshot writes.

A sync never writes the live database file. It copies it, writes the copy (committing into
the private copy as it goes, see ``Snapshot``), checkpoints and closes it, then
``os.replace``s it over the live path. So a crash or a SIGKILL at any point leaves the
previous complete file, and readers that opened the old file keep reading it undisturbed
(POSIX keeps the old inode alive): never a lock error, never a half-written state. Syncs are
serialised with a lock file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from pipelines.faults import pause_point

SQL_DIR = Path(__file__).resolve().parents[1] / "sql"
DUCKDB_MAGIC_OFFSET = 8
DUCKDB_MAGIC = b"DUCK"
WRITER_MEMORY_LIMIT = "1GB"
ARROW_BATCH_ROWS = 122_880  # DuckDB's row group size
# one load written at a time and none waiting: the frame being built next is the only other
# one alive (a waiting frame would add its memory to the writer's)
MAX_QUEUED_LOADS = 1
WRITER_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "memory_limit": WRITER_MEMORY_LIMIT
}


class WarehouseError(Exception):
    """A database problem explained in one line (no traceback for the user)."""


def sql(name: str) -> str:
    """The text of ``sql/<name>.sql``: every statement kith runs lives in a file."""
    return (SQL_DIR / f"{name}.sql").read_text()


def apply_ddl(con: duckdb.DuckDBPyConnection) -> None:
    for path in sorted((SQL_DIR / "ddl").glob("*.sql")):
        con.execute(path.read_text())


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    for path in sorted((SQL_DIR / "views").glob("*.sql")):
        con.execute(path.read_text())


def check_is_duckdb(path: Path) -> None:
    """Refuse to touch a file that is not a DuckDB database (we would overwrite it)."""
    with path.open("rb") as handle:
        header = handle.read(DUCKDB_MAGIC_OFFSET + len(DUCKDB_MAGIC))
    if header[DUCKDB_MAGIC_OFFSET:] != DUCKDB_MAGIC:
        raise WarehouseError(f"{path}: not a DuckDB database file; kith will not overwrite it")


@contextlib.contextmanager
def connect_read_only(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the live file (or the empty schema if it does not exist)."""
    if not path.exists():
        con = duckdb.connect(":memory:")
        apply_ddl(con)
        create_views(con)
    else:
        check_is_duckdb(path)
        try:
            con = duckdb.connect(str(path), read_only=True)
        except duckdb.Error as error:
            raise WarehouseError(f"{path}: cannot open the database ({error})") from None
    try:
        yield con
    finally:
        con.close()


@dataclass
class PreviousState:
    """What the sync needs from the live file before it parses anything.

    Records, interactions and owner identities are read later, from the snapshot (they are
    already in the private copy, so nothing is read twice and raw JSON is never read).
    """

    source_files: pl.DataFrame
    person_keys: pl.DataFrame
    people: pl.DataFrame
    suppressed: pl.DataFrame  # kind, key_hash of forgotten people's identifiers
    salt: str | None


def read_previous_state(path: Path) -> PreviousState:
    with connect_read_only(path) as con:
        # a file from an older kith may lack newer tables: those read as empty
        def frame(name: str) -> pl.DataFrame:
            try:
                return _frame(con, sql(f"queries/{name}"))
            except duckdb.CatalogException:
                return pl.DataFrame()

        return PreviousState(
            source_files=frame("previous_source_files"),
            person_keys=frame("previous_person_keys"),
            people=frame("previous_people"),
            suppressed=frame("suppression"),
            salt=salt.item() if (salt := frame("suppression_salt")).height else None,
        )


def _frame(
    con: duckdb.DuckDBPyConnection, statement: str, params: dict[str, object] | None = None
) -> pl.DataFrame:
    return pl.from_arrow(con.execute(statement, params or {}).to_arrow_table())  # type: ignore[return-value]


@contextlib.contextmanager
def sync_lock(db_path: Path) -> Iterator[None]:
    """One sync at a time per database; a second one fails fast with a clear message."""
    lock_path = db_path.with_name(f".{db_path.name}.lock")
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        raise WarehouseError(
            f"{db_path}: cannot write there ({error.strerror}); expected a writable folder"
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WarehouseError(f"{db_path}: another kith sync is running") from None
        yield
    finally:
        os.close(fd)


class Snapshot:
    """The next state of the database: a private copy of the live file.

    Frames are written as soon as the sync has them (so it can drop them) and can be read
    back. Nothing is visible until ``publish``, which commits, checkpoints and swaps the copy
    in atomically; a crash or an error before that leaves the live file as it was and the
    copy is deleted. Errors come out as ``WarehouseError`` with one line for the user.
    A dry run's snapshot reads the live file and writes nothing (``tmp_path`` is None).

    ``load_soon`` writes on one background thread while the sync goes on computing (DuckDB
    and polars release the GIL); every other method first waits for those writes.
    """

    def __init__(
        self,
        db_path: Path,
        tmp_path: Path | None,
        con: duckdb.DuckDBPyConnection | None = None,
    ) -> None:
        self.db_path, self.tmp_path, self._con = db_path, tmp_path, con
        self._writer: ThreadPoolExecutor | None = None
        self._queued: deque[Future[None]] = deque()

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The open connection, in a transaction (reopened after a ``load_soon`` that saved)."""
        self.settle()
        return self._connection()

    def load(self, statement: str, **frames: pl.DataFrame) -> None:
        """Run ``sql/<statement>.sql`` with the frames registered as tables (zero-copy)."""
        self.settle()
        self._load(statement, False, frames)

    def load_soon(self, statement: str, save: bool = False, **frames: pl.DataFrame) -> None:
        """``load`` (then ``save``) on the writer thread; the caller goes on meanwhile.

        The frames stay referenced until written. A second load first waits for the one
        being written, so a fast producer never piles frames up in memory.
        """
        if self.tmp_path is None:
            return
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kith-writer")
        while len(self._queued) >= MAX_QUEUED_LOADS:
            self._wait_oldest()
        self._queued.append(self._writer.submit(self._load, statement, save, frames))

    def settle(self) -> None:
        """Wait for every queued load; the first failure is raised (the rest is dropped)."""
        while self._queued:
            self._wait_oldest()

    def read(self, name: str) -> pl.DataFrame:
        """``sql/<name>.sql`` on the copy, seeing what this sync wrote so far."""
        self.settle()
        with self._errors():
            return _frame(self._connection(), sql(name))

    def publish(self) -> None:
        """Commit, checkpoint and swap the copy in over the live file (atomic)."""
        if self.tmp_path is None:
            raise WarehouseError(f"{self.db_path}: a dry run writes nothing")
        self.settle()
        with self._errors():
            pause_point("load")  # the copy is half-written here; the live file is untouched
            con = self._connection()
            con.execute("commit")
            con.execute("checkpoint")
            self.close()
            os.chmod(self.tmp_path, 0o600)
            with self.tmp_path.open("rb") as synced:
                os.fsync(synced.fileno())
            os.replace(self.tmp_path, self.db_path)
            directory = os.open(self.db_path.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)

    def close(self) -> None:
        """Stop the writer (a load being written finishes, queued ones are dropped) and close
        the connection (an open transaction is rolled back)."""
        if self._writer is not None:
            self._writer.shutdown(wait=True, cancel_futures=True)
            self._writer = None
            self._queued.clear()
        if self._con is not None:
            con, self._con = self._con, None
            with self._errors():
                con.close()

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            assert self.tmp_path is not None, "a dry run's connection is never closed"
            with self._errors():
                self._con = duckdb.connect(str(self.tmp_path), config=WRITER_CONFIG)
                self._con.execute("begin transaction")
        return self._con

    def _load(self, statement: str, save: bool, frames: dict[str, pl.DataFrame]) -> None:
        if self.tmp_path is None:
            return
        with self._errors():
            load_frames(self._connection(), statement, **frames)
        if save:
            self._save()

    def _save(self) -> None:
        """Commit what was written so far into the copy and close it until the next write.

        DuckDB holds a transaction's inserts in memory until it commits, and an open
        database keeps its buffers: both would sit under the resolver's peak. The copy is
        private, so committing into it early changes nothing anyone can see.
        """
        if self.tmp_path is None or self._con is None:
            return
        with self._errors():
            self._con.execute("commit")
        con, self._con = self._con, None
        with self._errors():
            con.close()

    def _wait_oldest(self) -> None:
        oldest = self._queued.popleft()
        try:
            oldest.result()
        except BaseException:
            for later in self._queued:
                later.cancel()
            self._queued.clear()
            raise

    def _errors(self) -> contextlib.AbstractContextManager[None]:
        return _write_errors(self.db_path)


@contextlib.contextmanager
def _write_errors(db_path: Path) -> Iterator[None]:
    """DuckDB and OS errors of a write as one line for the user."""
    try:
        yield
    except duckdb.Error as error:
        raise WarehouseError(
            f"{db_path}: the database write failed ({error}); nothing changed"
        ) from None
    except OSError as error:
        raise WarehouseError(
            f"{db_path}: the database write failed ({error.strerror}); nothing changed"
        ) from None


@contextlib.contextmanager
def open_snapshot(db_path: Path, dry_run: bool = False) -> Iterator[Snapshot]:
    """A private copy of ``db_path``; deleted unless published.

    Any exception (or leaving the block without ``publish``) leaves the live file exactly as
    it was. A dry run reads the live file instead and never writes.
    """
    if dry_run:
        with connect_read_only(db_path) as read_only:
            yield Snapshot(db_path, None, read_only)
        return
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if db_path.exists():
        check_is_duckdb(db_path)
    handle, tmp_name = tempfile.mkstemp(
        prefix=f".{db_path.name}.", suffix=".tmp", dir=db_path.parent
    )
    os.close(handle)
    tmp_path = Path(tmp_name)
    snapshot = Snapshot(db_path, tmp_path)
    try:
        with _write_errors(db_path):
            if db_path.exists():
                shutil.copyfile(db_path, tmp_path)
            else:
                tmp_path.unlink()  # DuckDB creates it (0600 through the process umask)
            apply_ddl(snapshot.con)
            create_views(snapshot.con)
        yield snapshot
    finally:
        with contextlib.suppress(WarehouseError):
            snapshot.close()
        for leftover in (tmp_path, Path(f"{tmp_path}.wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def write_snapshot(db_path: Path, build: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
    """Build the next state in a private copy and swap it in atomically.

    ``build`` runs inside one transaction on the copy. Any exception leaves the live file
    exactly as it was (the copy is deleted).
    """
    with open_snapshot(db_path) as snapshot:
        with _write_errors(db_path):
            build(snapshot.con)
        snapshot.publish()


def remove_stale_temporaries(db_path: Path) -> None:
    """Copies left behind by a killed sync (the live file was never touched)."""
    for stale in db_path.parent.glob(f".{db_path.name}.*.tmp*"):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()


def load_frames(con: duckdb.DuckDBPyConnection, statement: str, **frames: pl.DataFrame) -> None:
    """Expose polars frames to DuckDB as Arrow (zero-copy) and run one SQL file."""
    for name, frame in frames.items():
        con.register(name, _arrow_batches(frame))
    try:
        con.execute(sql(statement))
    finally:
        for name in frames:
            con.unregister(name)


def _arrow_batches(frame: pl.DataFrame) -> pa.Table:
    """``frame`` as Arrow without copying, in batches of one DuckDB row group.

    String views stay views (the default, large_string, would copy every string), and
    row-group sized batches insert in about half the CPU time of one batch of a million
    rows (measured at 1 M records).
    """
    table = frame.to_arrow(compat_level=pl.CompatLevel.newest())
    return pa.Table.from_batches(
        table.to_batches(max_chunksize=ARROW_BATCH_ROWS), schema=table.schema
    )


def read_query(db_path: Path, name: str, params: dict[str, object] | None = None) -> pl.DataFrame:
    """Run ``sql/<name>.sql`` read-only on the live file, with named parameters."""
    if not db_path.exists():
        raise WarehouseError(f"{db_path}: no database yet; run 'kith sync' first")
    with connect_read_only(db_path) as con:
        try:
            return _frame(con, sql(name), params)
        except duckdb.Error as error:
            raise WarehouseError(f"{db_path}: {str(error).splitlines()[0]}") from None


def execute_script(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, object]) -> None:
    """Run every statement of ``sql/<name>.sql``, each with the parameters it names."""
    for statement in con.extract_statements(sql(name)):
        used = {key: params[key] for key in statement.named_parameters}
        con.execute(statement, used)
