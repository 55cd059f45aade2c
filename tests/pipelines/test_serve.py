"""``kith serve``: a REAL server process, queried from SEPARATE client processes over loopback.

The database is built directly with DuckDB (no Prefect: keeps this file fast). A "sync" is
done with the real write path, ``warehouse.write_snapshot`` (a private copy, then ``os.replace``d
over the live path).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipelines import warehouse
from pipelines.serve import extension_path
from tests.conftest import ROOT

TOKEN = "test-token-0123456789"
START_TIMEOUT = 20.0

CLIENT = textwrap.dedent(
    """
    import json, sys
    import duckdb
    port, token, statements = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    for path in json.loads(sys.argv[4]):
        con.execute(f"load '{path}'")
    out = []
    try:
        con.execute(
            f"attach 'quack:127.0.0.1:{port}' as kith (type quack, token '{token}', disable_ssl true)"
        )
    except duckdb.Error as error:
        print(json.dumps([{"error": str(error).splitlines()[0]}]))
        sys.exit(0)
    for statement in statements:
        try:
            out.append({"rows": [list(map(str, r)) for r in con.execute(statement).fetchall()]})
        except duckdb.Error as error:
            out.append({"error": str(error).splitlines()[0]})
    print(json.dumps(out))
    """
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def add_people(db: Path, start: int, stop: int) -> None:
    """A real kith write: warehouse.write_snapshot (private copy, then os.replace)."""

    def build(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(
            "insert into people (person_id, emails, sources) "
            "select 'p_' || i, ['u' || i || '@example.com'], ['google'] from range(?, ?) t(i)",
            [start, stop],
        )
        con.execute(
            "insert into relationships (person_id, channels) "
            "select 'p_' || i, ['address_book'] from range(?, ?) t(i)",
            [start, stop],
        )

    warehouse.write_snapshot(db, build)


def client(port: int, statements: list[str], token: str | None = TOKEN) -> list[dict[str, object]]:
    extensions = [str(extension_path("httpfs")), str(extension_path("quack"))]
    done = subprocess.run(
        [sys.executable, "-c", CLIENT, str(port), token or "", json.dumps(statements)]
        + [json.dumps(extensions)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    result: list[dict[str, object]] = json.loads(done.stdout)
    return result


class Server:
    def __init__(self, db: Path, port: int, *extra: str, token: str | None = TOKEN) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KITH_")}
        if token:
            env["KITH_SERVE_TOKEN"] = token
        self.log = db.with_name(f"serve-{port}.log")
        self.handle = self.log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipelines.cli", "serve", "--db", str(db), "--port", str(port)]
            + list(extra),
            cwd=ROOT,
            env=env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )

    def output(self) -> str:
        if not self.handle.closed:
            self.handle.flush()
        return self.log.read_text()

    def wait_for(self, text: str, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"server exited: {self.output()}")
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {text!r}: {self.output()}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.handle.close()
        return self.process.returncode


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Server, Path, int]]:
    db = tmp_path / "kith.duckdb"
    add_people(db, 0, 100)
    port = free_port()
    server = Server(db, port)
    try:
        server.wait_for("read-only")
        yield server, db, port
    finally:
        server.stop()


def test_select_works_and_everything_else_is_refused(served: tuple[Server, Path, int]) -> None:
    server, db, port = served
    results = client(
        port,
        [
            "select count(*) from kith.people",
            "select * from kith.query('select emails, {''n'': 7} from people where person_id = ''p_7''')",
            "insert into kith.people (person_id) values ('x')",
            "select * from kith.query('insert into people (person_id) values (''x'')')",
            "select * from kith.query('drop table people')",
            "select * from kith.query('select 1; drop table people')",
            "select * from kith.query('select * from read_text(''/etc/passwd'')')",
            "select * from kith.query('select * from read_csv(''/etc/hostname'')')",
            "select * from kith.query('copy (select 1) to ''/tmp/kith-evil.csv''')",
            f"select * from kith.query('attach ''{db}'' as other')",
            "select * from kith.query('set enable_external_access = true')",
            "select * from kith.query('set global quack_authorization_function = ''quack_nop_authorization''')",
            "select count(*) from kith.people",
        ],
    )
    assert results[0] == {"rows": [["100"]]}
    assert results[1] == {"rows": [["['u7@example.com']", "{'n': 7}"]]}
    for refused in results[2:-1]:
        assert "error" in refused, refused
    assert "root:" not in json.dumps(results)
    assert not Path("/tmp/kith-evil.csv").exists()
    assert results[-1] == {"rows": [["100"]]}  # the server stayed up and unchanged
    assert client(port, ["select count(*) from kith.relationships"]) == [{"rows": [["100"]]}]
    assert "@" not in server.output()  # nothing personal is ever printed


def test_wrong_or_missing_token_is_refused(served: tuple[Server, Path, int]) -> None:
    _, _, port = served
    for token in ("wrong-token-xyz", None):
        answer = client(port, ["select 1"], token=token)
        assert len(answer) == 1 and "error" in answer[0], answer
    assert client(port, ["select 1"]) == [{"rows": [["1"]]}]


def test_a_replaced_database_is_picked_up_and_old_snapshots_cleaned(
    served: tuple[Server, Path, int],
) -> None:
    server, db, port = served
    folder = db.parent / ".kith-serve" / str(server.process.pid)
    assert len(list(folder.glob("*.duckdb"))) == 1
    # a scan streaming on the old snapshot while the sync lands; it must see one version only
    streaming = subprocess.Popen(
        [sys.executable, "-c", CLIENT, str(port), TOKEN]
        + [
            json.dumps(
                ["select count(*), count(distinct person_id) from kith.people, range(20000)"]
            ),
            json.dumps([str(extension_path("httpfs")), str(extension_path("quack"))]),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    add_people(db, 100, 150)
    server.wait_for("now serving snapshot 2", timeout=10)
    assert client(port, ["select count(*) from kith.people"]) == [{"rows": [["150"]]}]
    out, _ = streaming.communicate(timeout=30)
    count, distinct = json.loads(out)[0]["rows"][0]
    assert (count, distinct) in (("2000000", "100"), ("3000000", "150"))
    assert len(list(folder.glob("*.duckdb"))) == 1  # the old link was removed
    # and a second sync is not blocked either (the server never holds the live path)
    warehouse.write_snapshot(
        db, lambda con: con.execute("delete from people where person_id = 'p_0'")
    )
    server.wait_for("now serving snapshot 3", timeout=10)
    assert client(port, ["select count(*) from kith.people"]) == [{"rows": [["149"]]}]


def test_stops_cleanly_and_removes_its_snapshot_folder(tmp_path: Path) -> None:
    db = tmp_path / "kith.duckdb"
    add_people(db, 0, 3)
    port = free_port()
    server = Server(db, port, token=None)
    try:
        server.wait_for("read-only")
        output = server.output()
        assert "token " in output  # generated and printed once
        token = output.split("token ", 1)[1].split()[0]
        assert client(port, ["select count(*) from kith.people"], token=token) == [
            {"rows": [["3"]]}
        ]
    finally:
        code = server.stop()
    assert code == 0
    assert server.output().strip().endswith("kith serve: stopped")
    assert not (tmp_path / ".kith-serve").exists()


def test_port_in_use_and_remote_host_fail_with_one_line(tmp_path: Path) -> None:
    db = tmp_path / "kith.duckdb"
    add_people(db, 0, 3)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "pipelines.cli", "serve", "--db", str(db), "--port", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "in use" in done.stderr
    remote = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "serve", "--db", str(db), "--host", "0.0.0.0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert remote.returncode == 1 and "--allow-remote" in remote.stderr
    assert remote.stderr.count("\n") == 1
