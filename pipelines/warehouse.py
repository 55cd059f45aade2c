"""All DuckDB access: schema, reading the previous state, and atomic snapshot writes.

A sync never writes the live database file. It copies it, writes the copy inside one
transaction, checkpoints and closes it, then ``os.replace``s it over the live path. So a
crash or a SIGKILL at any point leaves the previous complete file, and readers that opened
the old file keep reading it undisturbed (POSIX keeps the old inode alive): never a lock
error, never a half-written state. Syncs are serialised with a lock file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines.faults import pause_point

SQL_DIR = Path(__file__).resolve().parents[1] / "sql"
DUCKDB_MAGIC_OFFSET = 8
DUCKDB_MAGIC = b"DUCK"
WRITER_MEMORY_LIMIT = "1GB"


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
    source_files: pl.DataFrame
    records: pl.DataFrame
    interactions: pl.DataFrame
    owner: pl.DataFrame
    person_keys: pl.DataFrame
    people: pl.DataFrame
    suppressed: pl.DataFrame  # kind, key_hash of forgotten people's identifiers
    salt: str | None


def read_previous_state(path: Path) -> PreviousState:
    with connect_read_only(path) as con:
        # a file from an older kith may lack newer tables: those read as empty
        def frame(name: str) -> pl.DataFrame:
            try:
                return pl.from_arrow(con.execute(sql(f"queries/{name}")).to_arrow_table())  # type: ignore[return-value]
            except duckdb.CatalogException:
                return pl.DataFrame()

        return PreviousState(
            source_files=frame("previous_source_files"),
            records=frame("previous_records"),
            interactions=frame("previous_interactions"),
            owner=frame("previous_owner_identities"),
            person_keys=frame("previous_person_keys"),
            people=frame("previous_people"),
            suppressed=frame("suppression"),
            salt=salt.item() if (salt := frame("suppression_salt")).height else None,
        )


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


def write_snapshot(db_path: Path, build: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
    """Build the next state in a private copy and swap it in atomically.

    ``build`` runs inside one transaction on the copy. Any exception leaves the live file
    exactly as it was (the copy is deleted).
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if db_path.exists():
        check_is_duckdb(db_path)
    handle, tmp_name = tempfile.mkstemp(
        prefix=f".{db_path.name}.", suffix=".tmp", dir=db_path.parent
    )
    os.close(handle)
    tmp_path = Path(tmp_name)
    try:
        if db_path.exists():
            shutil.copyfile(db_path, tmp_path)
        else:
            tmp_path.unlink()  # DuckDB creates it (0600 through the process umask)
        # DuckDB would otherwise take up to 80 % of RAM for its buffers on top of the frames
        # the sync already holds; insertion order is kept (person_sources is written sorted)
        con = duckdb.connect(str(tmp_path), config={"memory_limit": WRITER_MEMORY_LIMIT})
        try:
            apply_ddl(con)
            create_views(con)
            con.execute("begin transaction")
            build(con)
            pause_point("load")  # the copy is half-written here; the live file is untouched
            con.execute("commit")
            con.execute("checkpoint")
        finally:
            con.close()
        os.chmod(tmp_path, 0o600)
        with tmp_path.open("rb") as synced:
            os.fsync(synced.fileno())
        os.replace(tmp_path, db_path)
        directory = os.open(db_path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except duckdb.Error as error:
        raise WarehouseError(
            f"{db_path}: the database write failed ({error}); nothing changed"
        ) from None
    except OSError as error:
        raise WarehouseError(
            f"{db_path}: the database write failed ({error.strerror}); nothing changed"
        ) from None
    finally:
        for leftover in (tmp_path, Path(f"{tmp_path}.wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def remove_stale_temporaries(db_path: Path) -> None:
    """Copies left behind by a killed sync (the live file was never touched)."""
    for stale in db_path.parent.glob(f".{db_path.name}.*.tmp*"):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()


def load_frames(con: duckdb.DuckDBPyConnection, statement: str, **frames: pl.DataFrame) -> None:
    """Expose polars frames to DuckDB as Arrow (zero-copy) and run one SQL file."""
    for name, frame in frames.items():
        con.register(name, frame.to_arrow())
    try:
        con.execute(sql(statement))
    finally:
        for name in frames:
            con.unregister(name)


def read_query(db_path: Path, name: str, params: dict[str, object] | None = None) -> pl.DataFrame:
    """Run ``sql/<name>.sql`` read-only on the live file, with named parameters."""
    if not db_path.exists():
        raise WarehouseError(f"{db_path}: no database yet; run 'kith sync' first")
    with connect_read_only(db_path) as con:
        try:
            table = con.execute(sql(name), params or {}).to_arrow_table()
        except duckdb.Error as error:
            raise WarehouseError(f"{db_path}: {str(error).splitlines()[0]}") from None
    return pl.from_arrow(table)  # type: ignore[return-value]


def execute_script(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, object]) -> None:
    """Run every statement of ``sql/<name>.sql``, each with the parameters it names."""
    for statement in con.extract_statements(sql(name)):
        used = {key: params[key] for key in statement.named_parameters}
        con.execute(statement, used)
