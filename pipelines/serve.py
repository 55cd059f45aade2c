"""``kith serve``: the database over DuckDB's Quack protocol, read-only, while syncs keep running.

Design (measured in shared/NETSQL.md §2.3 and §5):

* The server never opens the live database path. A sync replaces that path by rename
  (``warehouse.write_snapshot``), so every sync gives it a new inode. On start, and whenever
  the live path's ``(st_ino, st_mtime_ns)`` changes (polled every second), the server
  HARD-LINKS the live file into a private folder ``<db dir>/.kith-serve/<pid>/`` as
  ``<inode>-<mtime_ns>.duckdb`` (a copy when ``os.link`` fails, e.g. across filesystems) and
  runs ``ATTACH OR REPLACE '<that path>' AS snap (READ_ONLY)``. A versioned name is needed:
  ``ATTACH OR REPLACE`` of the same path is a no-op. Plain views in the server's in-memory
  catalog (``people`` → ``snap.main.people``) keep client SQL stable. A query sees one complete
  snapshot; a scan already streaming finishes on the old one (its file is unlinked, not gone).
* Read-only and safe: a token is required; a Quack authorisation macro lets through only what
  ``json_serialize_sql`` can serialise (a single SELECT); ``allowed_directories`` is the
  snapshot folder, then ``enable_external_access=false`` and ``lock_configuration=true``.
* Loopback by default; another host needs ``allow_remote`` (and TLS on a reverse proxy).
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import secrets
import shutil
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import duckdb

from pipelines import warehouse

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 9494
POLL_SECONDS = 1.0
SNAPSHOT_FOLDER = ".kith-serve"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class ServeError(Exception):
    """A start-up problem explained in one line."""


def extension_path(name: str) -> Path:
    """The signed extension binary shipped by the ``duckdb-extension-<name>`` wheel (offline)."""
    import importlib

    try:
        module = importlib.import_module(f"duckdb_extension_{name}")
    except ImportError:
        raise ServeError(
            f"the {name} extension is not installed (pip install duckdb-extension-{name}=={duckdb.__version__})"
        ) from None
    assert module.__file__ is not None
    found = Path(module.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    binary = found / f"{name}.duckdb_extension"
    if not binary.is_file():
        raise ServeError(f"{binary}: no {name} extension for duckdb {duckdb.__version__}")
    return binary


def sql_literal(text: str) -> str:
    """A single-quoted SQL string literal (for the few statements that take no parameters)."""
    if "\x00" in text or "\n" in text or "\r" in text:
        raise ServeError("a path with control characters cannot be served")
    return "'" + text.replace("'", "''") + "'"


def quoted_identifier(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise ValueError(f"unexpected table name {name!r}")
    return '"' + name + '"'


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def resolve_token(token: str | None) -> tuple[str, bool]:
    """(token, generated): --token, else $KITH_SERVE_TOKEN, else a fresh random one."""
    chosen = token or os.environ.get("KITH_SERVE_TOKEN") or ""
    if chosen:
        if len(chosen) < 8:
            raise ServeError("the token must be at least 8 characters")
        return chosen, False
    return secrets.token_urlsafe(24), True


def check_port_free(host: str, port: int) -> None:
    """Quack does not report a port in use (it binds with reuse), so try a plain bind first."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            raise ServeError(f"cannot listen on {host}:{port} ({error.strerror})") from None


FileId = tuple[int, int]


def file_identity(path: Path) -> FileId | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def take_snapshot(live: Path, folder: Path) -> tuple[Path, FileId] | None:
    """Hard-link (else copy) the live file into ``folder``; None if it vanished meanwhile.

    The link is made from the path, so it is checked afterwards to be the inode that was
    stat'ed: a sync that renamed a new file in between just means one more poll.
    """
    identity = file_identity(live)
    if identity is None:
        return None
    target = folder / f"{identity[0]}-{identity[1]}.duckdb"
    if target.exists():
        return target, identity
    try:
        os.link(live, target)
    except FileNotFoundError:
        return None
    except OSError:
        # another filesystem or no hard links: a private copy (the live file is never written
        # in place by kith, so copying a complete inode through one open handle is safe)
        partial = target.with_suffix(".partial")
        try:
            with live.open("rb") as source:
                opened = os.fstat(source.fileno())
                identity = opened.st_ino, opened.st_mtime_ns
                target = folder / f"{identity[0]}-{identity[1]}.duckdb"
                with partial.open("wb") as copy:
                    shutil.copyfileobj(source, copy, 1 << 20)
        except FileNotFoundError:
            return None
        os.replace(partial, target)
        return target, identity
    if file_identity(target) != identity:
        target.unlink()
        return None
    return target, identity


@dataclass
class Snapshots:
    """The attached snapshot and the swap to the next one."""

    con: duckdb.DuckDBPyConnection
    live: Path
    folder: Path
    current: Path | None = None
    identity: FileId | None = None
    swaps: int = 0
    last_swap_ms: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refresh(self) -> bool:
        """Attach the live file's current content if it changed; True when swapped."""
        identity = file_identity(self.live)
        if identity is None or identity == self.identity:
            return False
        taken = take_snapshot(self.live, self.folder)
        if taken is None:
            return False
        path, identity = taken
        with self.lock:
            started = time.perf_counter()
            warehouse.check_is_duckdb(path)
            self.con.execute(
                warehouse.sql("serve/attach_snapshot").format(path=sql_literal(str(path)))
            )
            self._sync_views()
            self.last_swap_ms = (time.perf_counter() - started) * 1000
        previous, self.current, self.identity = self.current, path, identity
        if previous is not None and previous != path:
            # a scan still streaming on it keeps its open file; the name just goes away
            with contextlib.suppress(FileNotFoundError):
                previous.unlink()
        self.swaps += 1
        return True

    def _sync_views(self) -> None:
        wanted = {
            name
            for (name,) in self.con.execute(warehouse.sql("serve/snapshot_relations")).fetchall()
            if _IDENTIFIER.match(name)
        }
        served = {
            name for (name,) in self.con.execute(warehouse.sql("serve/served_views")).fetchall()
        }
        for name in sorted(wanted):
            self.con.execute(
                warehouse.sql("serve/create_view").format(name=quoted_identifier(name))
            )
        for name in sorted(served - wanted):
            if _IDENTIFIER.match(name):
                self.con.execute(
                    warehouse.sql("serve/drop_view").format(name=quoted_identifier(name))
                )


def snapshot_folder(db: Path) -> Path:
    return db.resolve().parent / SNAPSHOT_FOLDER / str(os.getpid())


def remove_stale_folders(root: Path) -> None:
    """Snapshot folders of servers that are no longer running (a kill -9 leaves them)."""
    if not root.is_dir():
        return
    for child in root.iterdir():
        if not child.name.isdigit() or int(child.name) == os.getpid():
            continue
        try:
            os.kill(int(child.name), 0)
        except ProcessLookupError:
            shutil.rmtree(child, ignore_errors=True)
        except PermissionError:
            continue


@contextlib.contextmanager
def private_folder(db: Path) -> Iterator[Path]:
    folder = snapshot_folder(db)
    folder.parent.mkdir(mode=0o700, exist_ok=True)
    os.chmod(folder.parent, 0o700)
    remove_stale_folders(folder.parent)
    folder.mkdir(mode=0o700, exist_ok=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            folder.parent.rmdir()  # only when no other server uses it


@dataclass(frozen=True)
class ServeOptions:
    db: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    token: str | None = None
    allow_remote: bool = False
    poll_seconds: float = POLL_SECONDS


def open_server() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with quack + httpfs loaded (httpfs: Quack needs its crypto)."""
    con = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False})
    for name in ("httpfs", "quack"):
        # LOAD takes no parameters: the path is the installed wheel's own file
        con.execute(f"load {sql_literal(str(extension_path(name)))}")
    con.execute(warehouse.sql("serve/read_only_macro"))
    con.execute(warehouse.sql("serve/use_read_only_macro"))
    return con


def serve(
    options: ServeOptions,
    say: Callable[[str], None],
    stop: threading.Event | None = None,
) -> None:
    """Serve until ``stop`` is set (or SIGINT/SIGTERM when running in the main thread)."""
    db = options.db.expanduser()
    if not db.exists():
        raise ServeError(f"{db}: no database yet; run 'kith sync' first")
    try:
        warehouse.check_is_duckdb(db)
    except warehouse.WarehouseError as error:
        raise ServeError(str(error)) from None
    if not is_loopback(options.host) and not options.allow_remote:
        raise ServeError(
            f"{options.host} is not a loopback address; add --allow-remote to listen on it "
            "(and put TLS in front, see README 'Serving over the network')"
        )
    if not 0 < options.port < 65536:
        raise ServeError(f"{options.port}: not a TCP port")
    token, generated = resolve_token(options.token)
    check_port_free(options.host, options.port)
    stop = stop or threading.Event()
    uri = f"quack:{options.host}:{options.port}"
    with private_folder(db) as folder:
        con = open_server()
        try:
            snapshots = Snapshots(con=con, live=db, folder=folder)
            if not snapshots.refresh():
                raise ServeError(f"{db}: could not take a snapshot of the database")
            con.execute(
                warehouse.sql("serve/start"),
                {"uri": uri, "token": token, "allow_other_hostname": options.allow_remote},
            )
            con.execute(warehouse.sql("serve/allowed_directories"), {"directories": [f"{folder}/"]})
            con.execute(warehouse.sql("serve/lockdown"))
            _handle_signals(stop)
            if not is_loopback(options.host):
                say(
                    "kith serve: WARNING: Quack is plain HTTP; the token and every result "
                    "cross the network unencrypted. Put TLS in front (nginx/Caddy, see README)."
                )
            say(f"kith serve: serving {db.name} at {uri} read-only (Ctrl-C stops)")
            if generated:
                say(f"kith serve: token {token} (set --token or KITH_SERVE_TOKEN to choose one)")
            while not stop.wait(options.poll_seconds):
                try:
                    if snapshots.refresh():
                        say(
                            f"kith serve: now serving snapshot {snapshots.swaps} "
                            f"(swap {snapshots.last_swap_ms:.1f} ms)"
                        )
                except (duckdb.Error, OSError, warehouse.WarehouseError) as error:
                    # keep serving the previous snapshot; try again on the next poll
                    say(f"kith serve: could not take the new snapshot ({type(error).__name__})")
            with contextlib.suppress(duckdb.Error):
                con.execute(warehouse.sql("serve/stop"), {"uri": uri})
        except duckdb.Error as error:
            raise ServeError(str(error).splitlines()[0]) from None
        finally:
            con.close()
    say("kith serve: stopped")


def _handle_signals(stop: threading.Event) -> None:
    if threading.current_thread() is not threading.main_thread():
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        del signum, frame
        stop.set()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
