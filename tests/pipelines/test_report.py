"""``kith report``: the real CLI on a really synced sample, awkward databases, and a real browser.

The browser test opens the page in Debian's headless Chromium with every non-file request
aborted and asserts that nothing was even attempted, no console error appeared, and every chart
drew its axes. It FAILS (never skips) when Chromium is missing: CI installs it in .ci/run.
"""

from __future__ import annotations

import re
import shutil
import stat
from pathlib import Path

import duckdb
import pytest

from pipelines import warehouse
from pipelines.report import write_report
from tests.conftest import KithRunner, SyncedSample
from tests.pipelines.browser import BrowserRun, BrowserUnavailable, open_offline

ALL_CHARTS = {"timeline", "tiers", "overlap", "companies", "domains", "merge"}
HOSTILE = "<script>alert(1)</script> $x^2$ & Co"


@pytest.fixture(scope="module")
def sample_db(synced_sample: SyncedSample) -> Path:
    """The bundled sample, synced once by the real CLI."""
    return synced_sample.db


@pytest.fixture(scope="module")
def sample_report(sample_db: Path) -> Path:
    out = sample_db.parent / "out" / "kith-report.html"
    write_report(sample_db, out)
    return out


def browse(html: Path, screenshot: Path | None = None) -> BrowserRun:
    try:
        return open_offline(html, screenshot)
    except BrowserUnavailable as error:
        pytest.fail(str(error))


def assert_clean_offline(run: BrowserRun, html: Path) -> None:
    assert run.console_errors == [], run.console_errors
    assert run.page_errors == [], run.page_errors
    assert run.failed == [], run.failed
    assert run.blocked == [], f"the page tried to reach the network: {run.blocked}"
    assert run.requests == [html.resolve().as_uri()], run.requests


def test_cli_writes_one_private_self_contained_page(
    kith: KithRunner, sample_db: Path, tmp_path: Path
) -> None:
    names = {
        row[0]
        for row in duckdb.connect(str(sample_db), read_only=True)
        .sql("select display_name from people where display_name is not null")
        .fetchall()
    }
    done = kith("report", "--db", str(sample_db))  # default --out, relative to the cwd
    assert done.returncode == 0, done.stderr
    out = tmp_path / "data" / "kith-report.html"
    assert "kith report: wrote data/kith-report.html" in done.stdout
    assert "6 charts" in done.stdout and "0 parts not available" in done.stdout
    printed = done.stdout + done.stderr
    assert "@" not in printed and not any(name in printed for name in names)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    html = out.read_text()
    lowered = html.lower()
    assert "<script" not in lowered and "javascript:" not in lowered
    for fetching in (' src="', " src='", "@import", 'href="http', "<link", "<iframe", "//"):
        assert fetching not in lowered, fetching
    # url(...) and href only point inside the page (SVG clip paths, the table of contents)
    assert re.findall(r"url\((?!#)", lowered) == []
    assert re.findall(r'href="(?!#)', lowered) == []
    assert "content-security-policy" in lowered and "default-src 'none'" in html
    assert html.count('<svg class="chart"') == len(ALL_CHARTS)
    # the reconnect list names people (it is the owner's own file) with a last contact date
    section = html.split('id="reconnect"')[1].split("</section>")[0]
    assert any(name in section for name in names)
    assert "Last contact" in section and "<td>2025-" in section
    assert "kith explain IDENTIFIER" in html
    assert "Not available in this database" not in html


def test_report_renders_in_headless_chromium_with_the_network_cut_off(
    sample_report: Path, tmp_path: Path
) -> None:
    screenshot = tmp_path / "report.png"
    run = browse(sample_report, screenshot)
    assert_clean_offline(run, sample_report)
    assert run.title == "kith: your network"
    charts = {chart["key"]: chart for chart in run.charts}
    assert set(charts) == ALL_CHARTS
    for key, chart in charts.items():
        assert chart["width"] >= 600 and chart["height"] >= 150, (key, chart)
        assert chart["shapes"] > 10, key
        # every <text> was laid out by the browser's own font (non-zero width)
        assert chart["rendered_texts"] == len(chart["texts"]) > 5, key
    expected_text = {
        "timeline": ["New people per month, by how they joined", "month", "messages (per month)"],
        "tiers": ["Ties by tier", "tier", "people", "strength (0 = no tie, 1 = strongest)"],
        "overlap": ["People per channel combination", "people", "LinkedIn + address book"],
        "companies": ["Top companies by people", "Top companies by summed strength"],
        "domains": ["Top e-mail domains by people", "summed strength"],
        "merge": ["Records per person", "distinct sources (exports)", "people"],
    }
    for key, texts in expected_text.items():
        for text in texts:
            assert text in charts[key]["texts"], (key, text)
    assert "Reconnect: strong ties gone quiet" in run.text
    assert screenshot.stat().st_size > 50_000
    assert screenshot.read_bytes().startswith(b"\x89PNG")


def test_empty_database_renders_and_says_so(kith: KithRunner, tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    con = duckdb.connect(str(db))
    warehouse.apply_ddl(con)
    warehouse.create_views(con)
    con.close()
    done = kith("report", "--db", str(db), "--out", "empty.html")
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "empty.html").read_text()
    assert "This database has no people yet" in html
    assert '<svg class="chart"' not in html
    assert "<b>0</b> possible duplicate pairs" in html


def test_database_from_an_older_kith_renders_what_it_can(tmp_path: Path) -> None:
    """The first kith's tables: no strength, tier, as_of, reconnect_list, match_links."""
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute(
        "create table people (person_id varchar, display_name varchar, company varchar);"
        "create table relationships (person_id varchar, channels varchar[], "
        "connected_on date, first_interaction_at timestamptz, last_interaction_at timestamptz,"
        " emails_sent integer, emails_received integer, linkedin_messages_sent integer,"
        " linkedin_messages_received integer, x_dms_sent integer, x_dms_received integer);"
        "insert into people values ('p1', 'Ada Quiet', 'Acme, Inc.'), ('p2', 'Bo', 'ACME Inc');"
        "insert into relationships values "
        "('p1', ['email', 'address_book'], null, '2023-01-01', '2023-02-01', 3, 4, 0, 0, 0, 0),"
        "('p2', ['linkedin_connection'], '2022-05-03', null, null, 0, 0, 0, 0, 0, 0);"
    )
    con.close()
    out = tmp_path / "old.html"
    result = write_report(db, out)
    html = out.read_text()
    assert result.charts == 3  # timeline, overlap, companies
    assert "relationships.tier" in html and "relationships.strength" in html
    assert "people.emails" in html and "person_sources" in html and "match_links" in html
    assert html.count("Not available in this database") >= 4
    # reconnect falls back to message counts, and says so
    assert "Ada Quiet" in html and "the most messages" in html
    # 'Acme, Inc.' and 'ACME Inc' are one company
    companies = html.split('data-chart="companies"')[1].split("</svg>")[0]
    assert companies.count("Acme, Inc.") + companies.count("ACME Inc") == 1


def test_database_without_any_kith_table(tmp_path: Path) -> None:
    db = tmp_path / "bare.duckdb"
    duckdb.connect(str(db)).close()
    out = tmp_path / "bare.html"
    result = write_report(db, out)
    assert result.charts == 0 and result.sections_missing >= 6
    assert "n/a" in out.read_text()


def test_undated_and_hostile_people_render_safely(sample_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "awkward.duckdb"
    shutil.copy(sample_db, db)
    con = duckdb.connect(str(db))
    before = con.sql("select count(*) from relationships").fetchone()
    con.execute(
        "insert into people (person_id, display_name, company) values "
        "('p_nodates', null, null), ('p_hostile', $name, $company)",
        {"name": "<img src=x onerror=alert(1)>", "company": HOSTILE},
    )
    con.execute(
        "insert into relationships (person_id, channels, strength, tier, last_interaction_at) "
        "values ('p_nodates', [], null, null, null), "
        "('p_hostile', ['email'], 0.99, 'strong', '2020-01-01')"
    )
    con.close()
    out = tmp_path / "awkward.html"
    write_report(db, out)
    html = out.read_text()
    assert before is not None
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # in the reconnect list, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; $x^2$ &amp; Co" in html  # in the chart
    run = browse(out)
    assert_clean_offline(run, out)
    assert {chart["key"] for chart in run.charts} == ALL_CHARTS


@pytest.mark.parametrize("problem", ["file_as_folder", "out_is_folder"])
def test_unwritable_output_is_one_line_and_exit_1(
    kith: KithRunner, sample_db: Path, tmp_path: Path, problem: str
) -> None:
    (tmp_path / "a_file").write_text("x")
    out = tmp_path / "a_file" / "report.html" if problem == "file_as_folder" else tmp_path
    done = kith("report", "--db", str(sample_db), "--out", str(out))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("kith report: ") and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr


def test_missing_or_foreign_database_is_one_line_and_exit_1(
    kith: KithRunner, tmp_path: Path
) -> None:
    done = kith("report", "--db", "nothing.duckdb")
    assert done.returncode == 1 and "run 'kith sync' first" in done.stderr
    (tmp_path / "notes.txt").write_text("not a database at all, just text\n")
    done = kith("report", "--db", "notes.txt")
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert not (tmp_path / "data" / "kith-report.html").exists()
