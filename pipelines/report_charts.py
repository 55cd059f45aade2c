"""The report's charts: matplotlib figures rendered to inline SVG (no JavaScript, nothing fetched).

Text stays ``<text>`` (``svg.fonttype = none``) so it is selectable, searchable and small; the
browser draws it with a local font. Every function takes plain Python data and returns one
``<svg>`` element ready to paste into the page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

# Okabe-Ito: distinguishable for the common colour-vision deficiencies
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
CHANNEL_COLOURS = {
    "email": "#0072B2",
    "linkedin_message": "#E69F00",
    "linkedin_invitation": "#009E73",
    "x_dm": "#CC79A7",
    "LinkedIn connection": "#E69F00",
    "first message": "#0072B2",
}
TIER_COLOURS = {
    "strong": "#009E73",
    "regular": "#0072B2",
    "weak": "#E69F00",
    "dormant": "#999999",
}
CHANNEL_LABELS = {
    "email": "e-mail",
    "linkedin_message": "LinkedIn message",
    "linkedin_invitation": "LinkedIn invitation",
    "x_dm": "X direct message",
}
WIDTH_IN = 10.0
STYLE: dict[Any, Any] = {
    "svg.fonttype": "none",
    "svg.image_inline": True,
    "text.parse_math": False,  # a '$' in a company name is text, not TeX
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
    "font.size": 10.5,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#e3e3e3",
    "grid.linewidth": 0.8,
    "legend.frameon": False,
}
_ROOT_SIZE = re.compile(r'(<svg\b[^>]*?)\s(?:width|height)="[^"]*"')
_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')  # implied by HTML; no URL in the page


def to_svg(figure: Figure, key: str, label: str) -> str:
    """One figure as an inline, responsive ``<svg>`` (viewBox kept, fixed size dropped)."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": f"kith-{key}", "svg.id": f"chart-{key}"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    svg = _PROLOGUE.sub("", buffer.getvalue(), count=1)
    svg = _METADATA.sub("", svg, count=1)
    root_end = svg.index(">")
    root = _NAMESPACES.sub("", svg[:root_end])
    root = _ROOT_SIZE.sub(r"\1", _ROOT_SIZE.sub(r"\1", root, count=1), count=1)
    svg = root + svg[root_end:]
    attributes = f'<svg class="chart" data-chart="{key}" role="img" aria-label="{escape(label)}"'
    return svg.replace("<svg", attributes, 1)


def _figure(height_in: float) -> Figure:
    with matplotlib.rc_context(STYLE):
        return Figure(figsize=(WIDTH_IN, height_in), layout="constrained")


def _month_axis(axis: Axes) -> None:
    locator = AutoDateLocator(minticks=4, maxticks=12)
    axis.xaxis.set_major_locator(locator)
    axis.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def _stacked_months(
    axis: Axes,
    series: dict[str, dict[date, int]],
    labels: dict[str, str],
) -> None:
    months = sorted({month for values in series.values() for month in values})
    bottoms = dict.fromkeys(months, 0)
    for index, (name, values) in enumerate(series.items()):
        heights = [values.get(month, 0) for month in months]
        axis.bar(
            months,  # type: ignore[arg-type]
            heights,
            width=24,  # days: matplotlib date units
            bottom=[bottoms[month] for month in months],
            label=labels.get(name, name),
            color=CHANNEL_COLOURS.get(name, PALETTE[index % len(PALETTE)]),
            align="edge",
        )
        for month, height in zip(months, heights, strict=True):
            bottoms[month] += height
    _month_axis(axis)
    axis.yaxis.set_major_locator(MaxNLocator(integer=True))
    axis.set_ylim(0, max(bottoms.values(), default=1) * 1.45 + 0.5)  # room for the legend


def timeline(
    people: Sequence[tuple[str, date, int]], messages: Sequence[tuple[str, date, int]]
) -> str:
    """New people per month (by how they joined) and messages per month (by channel)."""
    panels = [rows for rows in (people, messages) if rows]
    with matplotlib.rc_context(STYLE):
        figure = _figure(3.2 * len(panels) + 0.4)
        axes = figure.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
        index = 0
        if people:
            series: dict[str, dict[date, int]] = {}
            for how, month, count in people:
                series.setdefault(how, {})[month] = count
            cumulative_axis = axes[index]
            _stacked_months(cumulative_axis, series, {})
            cumulative_axis.set_title("New people per month, by how they joined")
            cumulative_axis.set_ylabel("people joining (per month)")
            totals: dict[date, int] = {}
            for _, month, count in people:
                totals[month] = totals.get(month, 0) + count
            running, points = 0, []
            for month in sorted(totals):
                running += totals[month]
                points.append((month, running))
            twin = cumulative_axis.twinx()
            twin.plot(
                [month + timedelta(days=12) for month, _ in points],
                [total for _, total in points],
                color="#444444",
                linewidth=1.6,
                label="network size (dated people, cumulative)",
            )
            twin.set_ylabel("people in the network (cumulative)")
            twin.set_ylim(0, running * 1.1 + 1)
            twin.yaxis.set_major_locator(MaxNLocator(integer=True))
            twin.grid(False)
            twin.spines["right"].set_visible(True)
            handles, labels = cumulative_axis.get_legend_handles_labels()
            more_handles, more_labels = twin.get_legend_handles_labels()
            cumulative_axis.legend(
                handles + more_handles, labels + more_labels, loc="upper left", fontsize=9
            )
            index += 1
        if messages:
            by_channel: dict[str, dict[date, int]] = {}
            for channel, month, count in messages:
                by_channel.setdefault(channel, {})[month] = count
            axis = axes[index]
            _stacked_months(axis, by_channel, CHANNEL_LABELS)
            axis.set_title("Messages per month, by channel")
            axis.set_ylabel("messages (per month)")
            axis.legend(loc="upper left", fontsize=9)
        axes[-1].set_xlabel("month")
        return to_svg(figure, "timeline", "New people and messages per month")


def tiers(tier_counts: Sequence[tuple[str, int]], strengths: Sequence[float]) -> str:
    """People per tier (bars) and the distribution of strength scores (histogram)."""
    with matplotlib.rc_context(STYLE):
        panels = int(bool(tier_counts)) + int(bool(strengths))
        figure = _figure(3.4)
        axes = figure.subplots(1, panels, squeeze=False)[0]
        index = 0
        if tier_counts:
            axis = axes[index]
            names = [name for name, _ in tier_counts]
            counts = [count for _, count in tier_counts]
            bars = axis.bar(
                names,
                counts,
                color=[TIER_COLOURS.get(name, "#bbbbbb") for name in names],
            )
            axis.bar_label(bars, padding=2, fontsize=9)
            axis.yaxis.set_major_locator(MaxNLocator(integer=True))
            axis.margins(y=0.12)
            axis.set_title("Ties by tier")
            axis.set_xlabel("tier")
            axis.set_ylabel("people")
            axis.grid(axis="x", visible=False)
            index += 1
        if strengths:
            axis = axes[index]
            axis.hist(
                strengths,
                bins=[step / 20 for step in range(21)],
                color="#0072B2",
                edgecolor="white",
            )
            axis.set_xlim(0, 1)
            axis.set_title("Distribution of tie strength")
            axis.set_xlabel("strength (0 = no tie, 1 = strongest)")
            axis.set_ylabel("people (per 0.05 of strength)")
        return to_svg(figure, "tiers", "Ties by tier and strength")


def horizontal_bars(
    key: str,
    label: str,
    panels: Sequence[tuple[str, str, Sequence[tuple[str, float]]]],
) -> str:
    """One figure, one panel per (title, x-axis label, [(bar label, value)]), largest on top."""
    tallest = max(len(rows) for _, _, rows in panels)
    with matplotlib.rc_context(STYLE):
        figure = _figure(max(2.2, 0.3 * tallest + 1.2))
        axes = figure.subplots(1, len(panels), squeeze=False)[0]
        for index, (axis, (title, x_label, rows)) in enumerate(zip(axes, panels, strict=True)):
            names = [_shorten(name) for name, _ in rows][::-1]
            values = [value for _, value in rows][::-1]
            bars = axis.barh(
                range(len(rows)), values, color=PALETTE[index % len(PALETTE)], height=0.7
            )
            axis.set_yticks(range(len(rows)), names)
            whole = all(float(value).is_integer() for value in values)
            labels = [f"{value:,.0f}" if whole else f"{value:,.1f}" for value in values]
            axis.bar_label(bars, labels, padding=3)
            axis.set_title(title)
            axis.set_xlabel(x_label)
            axis.grid(axis="y", visible=False)
            axis.margins(x=0.12)
            if whole:
                axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        return to_svg(figure, key, label)


def histograms(
    key: str, label: str, panels: Sequence[tuple[str, str, str, Sequence[tuple[str, int]]]]
) -> str:
    """Side-by-side vertical bar panels: (title, x label, y label, [(category, count)])."""
    with matplotlib.rc_context(STYLE):
        figure = _figure(3.2)
        axes = figure.subplots(1, len(panels), squeeze=False)[0]
        for index, (axis, (title, x_label, y_label, rows)) in enumerate(
            zip(axes, panels, strict=True)
        ):
            bars = axis.bar(
                [name for name, _ in rows],
                [count for _, count in rows],
                color=PALETTE[(index + 2) % len(PALETTE)],
            )
            axis.bar_label(bars, padding=2, fontsize=9)
            axis.set_title(title)
            axis.set_xlabel(x_label)
            axis.set_ylabel(y_label)
            axis.grid(axis="x", visible=False)
            axis.margins(y=0.12)
            axis.yaxis.set_major_locator(MaxNLocator(integer=True))
        return to_svg(figure, key, label)


def _shorten(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
