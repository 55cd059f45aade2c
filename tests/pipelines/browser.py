"""Open a local HTML file in real headless Chromium with the network cut off, and report back.

Used by the report's browser test and by ``benchmarks/report_render.py`` (the screenshot in
docs/). Chromium is Debian's (``apt-get install chromium``; .ci/run installs it), driven by
Playwright over CDP with ``executable_path``; no browser is ever downloaded.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("KITH_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

CHART_PROBE = """
() => Array.from(document.querySelectorAll('svg.chart')).map(svg => {
  const box = svg.getBoundingClientRect();
  return {
    key: svg.dataset.chart,
    width: box.width,
    height: box.height,
    texts: Array.from(svg.querySelectorAll('text')).map(t => t.textContent.trim()),
    rendered_texts: Array.from(svg.querySelectorAll('text'))
      .filter(t => t.getBBox().width > 0).length,
    shapes: svg.querySelectorAll('path, rect, use').length,
  };
})
"""


class BrowserUnavailable(Exception):
    """Chromium or Playwright is missing: the message says how to install it."""


@dataclass
class BrowserRun:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    title: str = ""
    text: str = ""


def chromium_path() -> str:
    found = shutil.which(CHROMIUM) or (CHROMIUM if Path(CHROMIUM).is_file() else None)
    if found is None:
        raise BrowserUnavailable(
            f"Chromium not found at {CHROMIUM}: install Debian's package "
            "(apt-get update && apt-get install -y chromium; .ci/run does this) "
            "or set KITH_CHROMIUM to its path"
        )
    return found


def open_offline(html: Path, screenshot: Path | None = None, width: int = 1280) -> BrowserRun:
    """Load ``html`` from disk with every non-file request aborted; collect what happened."""
    executable = chromium_path()
    try:
        from playwright.sync_api import Route, sync_playwright
    except ImportError:
        raise BrowserUnavailable(
            "Python playwright is not installed: pip install -e '.[test]'"
        ) from None

    run = BrowserRun()

    def route(target: Route) -> None:
        url = target.request.url
        if url.startswith("file://"):
            target.continue_()
        else:
            run.blocked.append(url)
            target.abort("internetdisconnected")

    profile = tempfile.mkdtemp(prefix="kith-chromium-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=executable,
                headless=True,
                args=FLAGS,
                viewport={"width": width, "height": 900},
                device_scale_factor=1,
                offline=True,
                service_workers="block",
            )
            try:
                context.route("**/*", route)
                page = context.new_page()
                page.on(
                    "console",
                    lambda message: (
                        run.console_errors.append(message.text)
                        if message.type in ("error", "warning")
                        else None
                    ),
                )
                page.on("pageerror", lambda error: run.page_errors.append(str(error)))
                page.on("request", lambda request: run.requests.append(request.url))
                page.on("requestfailed", lambda request: run.failed.append(request.url))
                page.goto(html.resolve().as_uri(), wait_until="load")
                page.wait_for_load_state("networkidle")
                run.title = page.title()
                run.text = page.inner_text("body")
                run.charts = page.evaluate(CHART_PROBE)
                if screenshot is not None:
                    screenshot.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(screenshot), full_page=True)
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return run
