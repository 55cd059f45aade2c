"""``kith schedule``: the sync flow as a Prefect deployment on a cron, served by this process.

Prefect schedules runs only with a real API server, so unless ``PREFECT_API_URL`` points to
one, kith starts a Prefect server on loopback for as long as the command runs (its state in
``PREFECT_HOME``), then serves the deployment with ``flow.serve``. Ctrl-C stops both.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

DEPLOYMENT_NAME = "kith-sync-scheduled"
SERVER_START_SECONDS = 180


class ScheduleError(Exception):
    pass


def validate_cron(cron: str) -> None:
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron)
    except ValueError:
        raise ScheduleError(
            f"invalid cron expression {cron!r} (expected e.g. '0 7 * * *')"
        ) from None


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def local_prefect_server(port: int) -> Iterator[str]:
    """A Prefect API server on 127.0.0.1:port for the lifetime of the block."""
    api_url = f"http://127.0.0.1:{port}/api"
    if _healthy(api_url):
        raise ScheduleError(f"port {port} is already in use (choose another with --prefect-port)")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prefect",
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not _healthy(api_url):
            if server.poll() is not None:
                raise ScheduleError(f"the Prefect server could not start on port {port}")
            if time.monotonic() > deadline:
                raise ScheduleError("the Prefect server did not start in time")
            time.sleep(0.5)
        yield api_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def serve_schedule(
    cron: str, paths: list[str], db: str, overrides: str, region: str, prefect_port: int
) -> None:
    """Block serving the scheduled deployment (until Ctrl-C)."""
    validate_cron(cron)
    parameters: dict[str, object] = {
        "paths": paths,
        "db": db,
        "overrides_path": overrides,
        "default_region": region,
    }
    if os.environ.get("PREFECT_API_URL"):
        _serve(cron, parameters)
        return
    with local_prefect_server(prefect_port) as api_url:
        os.environ["PREFECT_API_URL"] = api_url
        _serve(cron, parameters)


def _serve(cron: str, parameters: dict[str, object]) -> None:
    from pipelines.sync_flow import sync_flow

    sync_flow.serve(
        name=DEPLOYMENT_NAME,
        cron=cron,
        parameters=parameters,
        description="kith sync on a schedule",
        print_starting_message=False,
    )
