"""``kith schedule`` creates a cron deployment in a real Prefect server and its runs complete."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import FIXTURES, KithRunner, cli_env, query


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(url: str, body: object | None = None) -> object:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
        return json.loads(response.read())


def wait_for(what: str, check, timeout: float):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


def test_schedule_creates_a_cron_deployment_whose_run_completes(tmp_path: Path) -> None:
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    db = tmp_path / "kith.duckdb"
    env = cli_env(tmp_path / "prefect")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipelines.cli",
            "schedule",
            "--cron",
            "0 7 * * *",
            str(FIXTURES / "google"),
            "--db",
            str(db),
            "--prefect-port",
            str(port),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:

        def deployment() -> object:
            found = call(
                f"{api}/deployments/filter",
                {"deployments": {"name": {"any_": ["kith-sync-scheduled"]}}},
            )
            return found[0] if found else None  # type: ignore[index]

        found = wait_for("the deployment", deployment, 240)
        crons = [s["schedule"].get("cron") for s in found["schedules"]]  # type: ignore[index]
        assert crons == ["0 7 * * *"]
        run = call(f"{api}/deployments/{found['id']}/create_flow_run", {})  # type: ignore[index]
        state = wait_for(
            "the run to finish",
            lambda: (
                (s := call(f"{api}/flow_runs/{run['id']}")["state"]["type"])  # type: ignore[index]
                in ("COMPLETED", "FAILED", "CRASHED")
                and s
            ),
            300,
        )
        assert state == "COMPLETED"
        assert query(db, "select count(*) from sync_runs where status = 'succeeded'")[0][0] == 1
        assert query(db, "select count(*) from people")[0][0] > 0
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_invalid_cron_is_one_line(kith: KithRunner) -> None:
    done = kith("schedule", "--cron", "every morning")
    assert done.returncode == 1
    assert "invalid cron expression" in done.stderr and done.stderr.count("\n") == 1
