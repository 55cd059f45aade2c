"""``kith report``: one self-contained HTML page about the network, from the database.

The page has no JavaScript and fetches nothing: charts are inline SVG (matplotlib), styles are
inline, and a Content-Security-Policy forbids any request. It is the owner's own local file, so
it shows names (the reconnect list needs them); nothing is printed but counts and the path.

Every section checks the tables and columns it needs first, so a database from an older kith,
an empty one, or one still missing the strength scores still renders, saying what is missing.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html import escape
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipelines import warehouse
from pipelines.transforms.normalize import company_key

DEFAULT_OUT = Path("data/kith-report.html")
TOP = 15
RECONNECT_ROWS = 30
LINK_ROWS = 20
QUIET_DAYS = 180
STRONG = 0.5
MIN_MESSAGES = 3
EARLIEST = date(1990, 1, 1)
TIER_ORDER = ("strong", "regular", "weak", "dormant")
FAMILIES = ("LinkedIn", "X", "address book", "mail")


class ReportError(Exception):
    """The report cannot be written (explained in one line)."""


@dataclass
class Section:
    key: str
    title: str
    parts: list[str] = field(default_factory=list)

    def note(self, text: str, kind: str = "note") -> None:
        self.parts.append(f'<p class="{kind}">{text}</p>')

    def missing(self, needs: Sequence[str]) -> None:
        names = ", ".join(f"<code>{escape(name)}</code>" for name in needs)
        self.note(
            f"Not available in this database (it has no {names}; a newer kith sync adds it).",
            "missing",
        )


@dataclass(frozen=True)
class ReportResult:
    path: Path
    size_bytes: int
    charts: int
    sections_missing: int
    seconds: float


class Database:
    """A read-only connection that knows which tables and columns exist."""

    def __init__(self, con: duckdb.DuckDBPyConnection, today: date) -> None:
        self.con = con
        self.today = today
        self.columns: dict[str, set[str]] = {}
        for table, column in self.rows("columns"):
            self.columns.setdefault(str(table).lower(), set()).add(str(column).lower())

    def lacks(self, needs: Sequence[str]) -> list[str]:
        """The ``table`` or ``table.column`` names in ``needs`` this database does not have."""
        absent = []
        for need in needs:
            table, _, column = need.partition(".")
            have = self.columns.get(table)
            if have is None or (column and column not in have):
                absent.append(need)
        return absent

    def rows(self, name: str, *params: object) -> list[tuple[Any, ...]]:
        return self.con.execute(warehouse.sql(f"report/{name}"), list(params)).fetchall()


def write_report(db_path: Path, out: Path, now: datetime | None = None) -> ReportResult:
    started = time.perf_counter()
    if not db_path.exists():
        raise ReportError(f"{db_path}: no database yet; run 'kith sync' first")
    if out.is_dir():
        raise ReportError(f"{out}: is a folder; give a file name such as {out / 'report.html'}")
    try:
        warehouse.check_is_duckdb(db_path)
        con = duckdb.connect(str(db_path), read_only=True)
    except (OSError, duckdb.Error, warehouse.WarehouseError) as error:
        raise ReportError(f"{db_path}: cannot open the database ({error})") from None
    try:
        handle, tmp_name = _open_private(out)  # fail fast, before the slow part
        try:
            now = now or datetime.now(UTC)
            page = render(Database(con, now.date()), db_path, now)
        except BaseException:
            os.close(handle)
            Path(tmp_name).unlink(missing_ok=True)
            raise
    finally:
        con.close()
    _finish_private(handle, tmp_name, out, page.html)
    return ReportResult(
        path=out,
        size_bytes=len(page.html.encode()),
        charts=page.charts,
        sections_missing=page.missing,
        seconds=time.perf_counter() - started,
    )


def _open_private(out: Path) -> tuple[int, str]:
    """An owner-only (0600) temporary file beside ``out``, so the final rename is atomic."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as error:
        raise ReportError(f"{out}: cannot write the report ({error.strerror})") from None


def _finish_private(handle: int, tmp_name: str, out: Path, text: str) -> None:
    """Write, then rename over ``out``: a reader never sees half a page."""
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(tmp_name, 0o600)
        os.replace(tmp_name, out)
    except OSError as error:
        Path(tmp_name).unlink(missing_ok=True)
        raise ReportError(f"{out}: cannot write the report ({error.strerror})") from None


@dataclass(frozen=True)
class Page:
    html: str
    charts: int
    missing: int


def render(db: Database, db_path: Path, now: datetime) -> Page:
    from pipelines import report_charts  # matplotlib is imported only when a report is made

    as_of, as_of_source = _as_of(db, now)
    sections: list[Section] = []
    for build in (_timeline, _ties, _overlap, _companies, _reconnect, _merge):
        section = build(db, as_of, report_charts)
        sections.append(section)
    header = _header(db, db_path, now, as_of, as_of_source)
    body = "\n".join(_section_html(section) for section in sections)
    html = PAGE.format(
        generated=escape(now.strftime("%Y-%m-%d %H:%M UTC")),
        header=header,
        nav="".join(
            f'<a href="#{section.key}">{escape(section.title)}</a>' for section in sections
        ),
        body=body,
    )
    charts = html.count('<svg class="chart"')
    missing = html.count('class="missing"')
    return Page(html=html, charts=charts, missing=missing)


def _section_html(section: Section) -> str:
    return (
        f'<section id="{section.key}"><h2>{escape(section.title)}</h2>\n'
        + "\n".join(section.parts)
        + "\n</section>"
    )


def _as_of(db: Database, now: datetime) -> tuple[date, str]:
    """The date "gone quiet" is measured from: kith's own as-of date, else the latest message."""
    if not db.lacks(["relationships.as_of"]):
        value = db.rows("as_of_relationships")[0][0]
        if isinstance(value, date):
            return value, "the date kith scored the ties"
    if not db.lacks(["interactions.occurred_at"]):
        value = db.rows("as_of_interactions")[0][0]
        if isinstance(value, date):
            return value, "the latest message in your exports"
    return now.date(), "today (no dated messages in the database)"


def _scalar(db: Database, name: str, needs: Sequence[str]) -> int | None:
    if db.lacks(needs):
        return None
    return int(db.rows(name)[0][0] or 0)


def _header(db: Database, db_path: Path, now: datetime, as_of: date, as_of_source: str) -> str:
    people = _scalar(db, "totals_people", ["people"])
    records = _scalar(db, "totals_records", ["records"])
    messages = None
    if not db.lacks(["interactions.message_id"]):
        messages = int(db.rows("totals_interactions")[0][1] or 0)
    last_sync = "no sync recorded"
    if not db.lacks(["sync_runs.finished_at", "sync_runs.status", "sync_runs.started_at"]):
        rows = db.rows("last_sync")
        if rows and rows[0][0] is not None:
            finished, status = rows[0]
            last_sync = f"{finished:%Y-%m-%d %H:%M} ({status})"

    def figure(value: int | None, label: str) -> str:
        shown = "n/a" if value is None else f"{value:,}"
        return f'<div class="figure"><b>{shown}</b><span>{escape(label)}</span></div>'

    figures = (
        figure(people, "people")
        + figure(records, "records read")
        + figure(messages, "messages")
        + f'<div class="figure"><b>{as_of:%Y-%m-%d}</b><span>as of ({escape(as_of_source)})</span></div>'
    )
    empty = ""
    if not people:
        empty = (
            '<p class="missing">This database has no people yet: run <code>kith sync</code> '
            "with your exports, then <code>kith report</code> again.</p>"
        )
    return (
        f'<p class="meta">Database <code>{escape(db_path.name)}</code> · last sync '
        f"{escape(last_sync)}</p>"
        f'<div class="figures">{figures}</div>{empty}'
    )


ChartModule = Any  # pipelines.report_charts, imported lazily
SectionBuilder = Callable[[Database, date, ChartModule], Section]


def _date_range(as_of: date) -> tuple[date, date]:
    return EARLIEST, date(as_of.year + 1, as_of.month, 1)


def _timeline(db: Database, as_of: date, charts: ChartModule) -> Section:
    section = Section("timeline", "Your network over time")
    low, high = _date_range(as_of)
    people_needs = [
        "relationships.person_id",
        "relationships.connected_on",
        "relationships.first_interaction_at",
    ]
    message_needs = [
        "interactions.channel",
        "interactions.occurred_at",
        "interactions.message_id",
        "interactions.is_bulk",
        "interactions.source_file",
        "interactions.source_row",
    ]
    people: list[tuple[str, date, int]] = []
    messages: list[tuple[str, date, int]] = []
    if db.lacks(people_needs):
        section.missing(db.lacks(people_needs))
    else:
        people = [
            (str(how), month, int(n)) for how, month, n in db.rows("timeline_people", low, high)
        ]
        undated, total = db.rows("timeline_undated", low, high)[0]
        if total:
            section.note(
                f"{undated:,} of {total:,} people have no date at all (X follow lists and "
                "address books carry none, and LinkedIn hides some connection dates); they "
                "count everywhere else in this report but not on this timeline."
            )
    if db.lacks(message_needs):
        section.missing(db.lacks(message_needs))
    else:
        messages = [
            (str(channel), month, int(n))
            for channel, month, n in db.rows("timeline_messages", low, high)
        ]
    if people or messages:
        section.parts.append(charts.timeline(people, messages))
    elif not db.lacks(people_needs):
        section.note("No dated connections or messages in this database yet.")
    return section


def _ties(db: Database, as_of: date, charts: ChartModule) -> Section:
    section = Section("ties", "Ties by tier and strength")
    tier_counts: list[tuple[str, int]] = []
    strengths: list[float] = []
    if db.lacks(["relationships.tier"]):
        section.missing(db.lacks(["relationships.tier"]))
    else:
        found = {str(tier): int(n) for tier, n in db.rows("tiers")}
        ordered = [tier for tier in TIER_ORDER if tier in found]
        ordered += sorted(tier for tier in found if tier not in TIER_ORDER)
        tier_counts = [(tier, found[tier]) for tier in ordered]
    if db.lacks(["relationships.strength"]):
        if not db.lacks(["relationships.tier"]):
            section.missing(db.lacks(["relationships.strength"]))
    else:
        strengths = [float(value) for (value,) in db.rows("strengths")]
    if tier_counts or strengths:
        section.parts.append(charts.tiers(tier_counts, strengths))
    elif not db.lacks(["relationships.tier", "relationships.strength"]):
        section.note("No ties scored yet.")
    return section


def _overlap(db: Database, as_of: date, charts: ChartModule) -> Section:
    section = Section("overlap", "Channel overlap")
    needs = ["relationships.channels"]
    if db.lacks(needs):
        section.missing(db.lacks(needs))
        return section
    rows = db.rows("overlap")
    if not rows:
        section.note("No people in this database yet.")
        return section
    totals = dict.fromkeys(FAMILIES, 0)
    combinations: list[tuple[str, float]] = []
    for *flags, people in rows:
        names = [name for name, flag in zip(FAMILIES, flags, strict=True) if flag]
        for name in names:
            totals[name] += int(people)
        label = " + ".join(names) if names else "no channel recorded"
        combinations.append((label, float(people)))
    section.note(
        "People per combination of the four channel families (LinkedIn: connections, "
        "messages, invitations; X: follows and DMs; address book: Google, Outlook, Apple; "
        "mail: e-mail). Totals: "
        + ", ".join(f"{escape(name)} {count:,}" for name, count in totals.items())
        + "."
    )
    section.parts.append(
        charts.horizontal_bars(
            "overlap",
            "People per combination of channels",
            [("People per channel combination", "people", combinations)],
        )
    )
    return section


def _companies(db: Database, as_of: date, charts: ChartModule) -> Section:
    section = Section("companies", "Top companies and e-mail domains")
    has_strength = not db.lacks(["relationships.strength", "relationships.person_id"])
    for what, column in (("companies", "people.company"), ("e-mail domains", "people.emails")):
        needs = ["people.person_id", column]
        if db.lacks(needs):
            section.missing(db.lacks(needs))
            continue
        is_company = column == "people.company"
        key = "companies" if is_company else "domains"
        counted = _top(db, f"{key}_by_people", fold=is_company)
        if not counted:
            section.note(f"No {what} recorded yet.")
            continue
        panels = [(f"Top {what} by people", "people", counted)]
        if has_strength:
            summed = _top(db, f"{key}_by_strength", fold=is_company)
            if summed:
                panels.append((f"Top {what} by summed strength", "summed strength", summed))
        section.parts.append(charts.horizontal_bars(key, f"Top {what}", panels))
    if not has_strength:
        section.note(
            "Ranking by summed strength is not available in this database "
            "(it has no <code>relationships.strength</code>).",
            "missing",
        )
    return section


def _top(db: Database, query: str, fold: bool) -> list[tuple[str, float]]:
    """The ``TOP`` largest (name, value) rows; company spellings folded into one bar."""
    rows = db.rows(query)
    if not rows:
        return []
    frame = pl.DataFrame(
        {"name": [str(name) for name, _ in rows], "value": [float(v or 0) for _, v in rows]}
    )
    key = company_key(pl.col("name")) if fold else pl.col("name")
    grouped = (
        frame.with_columns(pl.coalesce(key, pl.col("name").str.to_lowercase()).alias("key"))
        .sort(["value", "name"], descending=[True, False])
        .group_by("key", maintain_order=True)
        .agg(pl.col("name").first(), pl.col("value").sum())
        .filter(pl.col("value") > 0)
        .sort(["value", "name"], descending=[True, False])
        .head(TOP)
    )
    return list(zip(grouped["name"].to_list(), grouped["value"].to_list(), strict=True))


def _reconnect(db: Database, as_of: date, charts: ChartModule) -> Section:
    section = Section("reconnect", "Reconnect: strong ties gone quiet")
    shown = ["people.display_name", "people.company", "people.person_id"]
    base = [
        "relationships.person_id",
        "relationships.last_interaction_at",
        "relationships.channels",
    ]
    scored = [*base, "relationships.strength", "relationships.tier"]
    if not db.lacks([*shown, *scored, "reconnect_list.person_id"]):
        rows = db.rows("reconnect_from_view", db.today, RECONNECT_ROWS)
        section.note(
            "From kith's <code>reconnect_list</code> view: strong and regular ties with no "
            f"message in the last {QUIET_DAYS} days, strongest first (quiet counted to today)."
        )
        _reconnect_table(section, rows, scored=True)
    elif not db.lacks([*shown, *scored]):
        rows = db.rows("reconnect_by_strength", as_of, RECONNECT_ROWS, STRONG, QUIET_DAYS)
        section.note(
            f"Ties with strength ≥ {STRONG} and no message in the {QUIET_DAYS} days before "
            f"{as_of:%Y-%m-%d}, strongest first."
        )
        _reconnect_table(section, rows, scored=True)
    else:
        counts = [
            f"relationships.{name}"
            for name in (
                "emails_sent",
                "emails_received",
                "linkedin_messages_sent",
                "linkedin_messages_received",
                "x_dms_sent",
                "x_dms_received",
            )
        ]
        section.missing(db.lacks(scored) or ["relationships.strength"])
        if db.lacks([*shown, *base, *counts]):
            return section
        rows = db.rows("reconnect_by_messages", as_of, RECONNECT_ROWS, MIN_MESSAGES, QUIET_DAYS)
        section.note(
            f"Instead, the people you exchanged the most messages with (at least "
            f"{MIN_MESSAGES}) and none in the {QUIET_DAYS} days before {as_of:%Y-%m-%d}."
        )
        _reconnect_table(section, rows, scored=False)
    return section


def _reconnect_table(section: Section, rows: list[tuple[Any, ...]], scored: bool) -> None:
    if not rows:
        section.note("Nobody to reconnect with: no strong tie has gone quiet.")
        return
    head = (
        "<th>Name</th><th>Company</th><th>Strength</th><th>Tier</th>"
        if scored
        else "<th>Name</th><th>Company</th><th>Messages</th>"
    ) + "<th>Last contact</th><th>Quiet for</th><th>Channels</th>"
    lines = []
    for row in rows:
        if scored:
            name, company, strength, tier, last, days, channels = row
            middle = f'<td class="num">{_number(strength, "{:.2f}")}</td><td>{_text(tier)}</td>'
        else:
            name, company, messages, last, days, channels = row
            middle = f'<td class="num">{_number(messages, "{:,.0f}")}</td>'
        lines.append(
            f"<tr><td>{_text(name, '(no name)')}</td><td>{_text(company)}</td>{middle}"
            f"<td>{_text(last, 'no recorded contact')}</td>"
            f'<td class="num">{_days(days)}</td>'
            f"<td>{escape(', '.join(str(channel) for channel in channels or []))}</td></tr>"
        )
    section.parts.append(
        f'<table class="list"><thead><tr>{head}</tr></thead><tbody>'
        + "".join(lines)
        + "</tbody></table>"
    )


def _merge(db: Database, as_of: date, charts: ChartModule) -> Section:
    section = Section("merge", "How the merge went")
    needs = ["person_sources.person_id", "person_sources.source"]
    if db.lacks(needs):
        section.missing(db.lacks(needs))
    else:
        rows = db.rows("merge_records_per_person")
        if rows:
            records = _binned([int(r) for r, _ in rows], 6)
            sources = _binned([int(s) for _, s in rows], 6)
            merged = sum(1 for r, _ in rows if r > 1)
            section.note(
                f"{len(rows):,} people from {sum(r for r, _ in rows):,} contact records; "
                f"{merged:,} people were merged from two or more records."
            )
            section.parts.append(
                charts.histograms(
                    "merge",
                    "Records and sources per person",
                    [
                        ("Records per person", "records merged into one person", "people", records),
                        ("Sources per person", "distinct sources (exports)", "people", sources),
                    ],
                )
            )
        else:
            section.note("No contact records in this database yet.")
    link_needs = ["match_links.decision", "match_links.rule"]
    if db.lacks(link_needs):
        section.missing(db.lacks(link_needs))
        return section
    links = db.rows("match_links")
    maybe = sum(int(n) for decision, _, n in links if decision == "maybe")
    section.parts.append(
        f'<p class="callout"><b>{maybe:,}</b> possible duplicate pair{"s" if maybe != 1 else ""} '
        "(<code>maybe</code>) waiting for review. See why two records were or were not "
        "merged with <code>kith explain IDENTIFIER</code> (a person id, e-mail address, "
        "LinkedIn URL, @handle or phone), and settle a pair with <code>kith link</code> or "
        "<code>kith unlink</code>.</p>"
    )
    if links:
        body = "".join(
            f"<tr><td>{_text(decision)}</td><td>{_text(rule)}</td>"
            f'<td class="num">{int(n):,}</td></tr>'
            for decision, rule, n in links[:LINK_ROWS]
        )
        if len(links) > LINK_ROWS:
            rest = sum(int(n) for _, _, n in links[LINK_ROWS:])
            body += (
                f'<tr><td colspan="2" class="dim">{len(links) - LINK_ROWS:,} more rules</td>'
                f'<td class="num">{rest:,}</td></tr>'
            )
        section.parts.append(
            '<table class="list compact"><thead><tr><th>Decision</th><th>Rule</th>'
            f"<th>Links</th></tr></thead><tbody>{body}</tbody></table>"
        )
    else:
        section.note("No match links recorded in this database.")
    return section


def _binned(values: list[int], top: int) -> list[tuple[str, int]]:
    counts = [0] * top
    for value in values:
        counts[min(max(value, 1), top) - 1] += 1
    return [(f"{i + 1}+" if i + 1 == top else str(i + 1), n) for i, n in enumerate(counts)]


def _text(value: object, empty: str = "") -> str:
    if value is None or value == "":
        return f'<span class="dim">{escape(empty)}</span>' if empty else ""
    return escape(str(value))


def _number(value: object, pattern: str) -> str:
    return pattern.format(value) if isinstance(value, int | float) else ""


def _days(value: object) -> str:
    if not isinstance(value, int):
        return ""
    return f"{value:,} days" if value < 730 else f"{value / 365.25:.1f} years"


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<title>kith: your network</title>
<style>
:root {{ color-scheme: light; --ink: #1d1d1f; --dim: #6b6b70; --line: #e3e3e6; --accent: #0072B2; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
  color: var(--ink); background: #fafafa; }}
header, main {{ max-width: 1080px; margin: 0 auto; padding: 0 24px; }}
header {{ padding-top: 28px; }}
h1 {{ margin: 0 0 4px; font-size: 26px; }}
h2 {{ margin: 0 0 12px; font-size: 19px; }}
nav {{ display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 12px 0 4px; font-size: 14px; }}
nav a {{ color: var(--accent); text-decoration: none; }}
.meta, .note, .dim {{ color: var(--dim); }}
.meta {{ margin: 0; font-size: 14px; }}
.figures {{ display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0 8px; }}
.figure {{ background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px;
  min-width: 150px; }}
.figure b {{ display: block; font-size: 22px; }}
.figure span {{ color: var(--dim); font-size: 13px; }}
section {{ background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 20px 24px;
  margin: 18px 0; }}
svg.chart {{ display: block; width: 100%; height: auto; max-width: 1000px; margin: 8px 0; }}
.missing {{ background: #fff6e5; border-left: 4px solid #E69F00; padding: 8px 12px; }}
.callout {{ background: #eef6fb; border-left: 4px solid var(--accent); padding: 8px 12px; }}
table.list {{ border-collapse: collapse; width: 100%; font-size: 14px; margin-top: 8px; }}
table.compact {{ width: auto; }}
table.list th, table.list td {{ text-align: left; padding: 5px 10px; border-bottom: 1px solid var(--line); }}
table.list th {{ background: #f3f3f5; font-weight: 600; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
code {{ font: 13px ui-monospace, "DejaVu Sans Mono", monospace; background: #f3f3f5; padding: 1px 4px;
  border-radius: 4px; }}
footer {{ max-width: 1080px; margin: 0 auto; padding: 8px 24px 32px; color: var(--dim); font-size: 13px; }}
</style>
</head>
<body>
<header>
<h1>Your network</h1>
{header}
<nav>{nav}</nav>
</header>
<main>
{body}
</main>
<footer>Made by <code>kith report</code> on {generated} from your own exports. This file is
private: it contains names; it loads nothing from the network.</footer>
</body>
</html>
"""
