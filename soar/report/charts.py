"""Dashboard charts drawn server-side as SVG (matplotlib, no pyplot, no network).

SVG text is embedded in the page, so the dashboard works offline and prints cleanly.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

# Muted, colour-blind-safe single hue (Okabe–Ito blue).
BAR_COLOUR = "#0072B2"
LINE_COLOUR = "#D55E00"


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    # Text stays text (searchable, readable by screen readers, smaller); a fixed hash salt
    # keeps element ids stable, so the same figures give the same SVG.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "soar"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def cumulative_arrests_svg(points: list[tuple[date, int]], *, title: str) -> str:
    """Arrests to date as a step line over time."""
    figure = Figure(figsize=(6.4, 2.8))
    axes = figure.subplots()
    if points:
        # matplotlib's date converter takes datetime.date; its stubs do not say so.
        days: list[Any] = [day for day, _ in points]
        counts = [count for _, count in points]
        axes.step(days, counts, where="post", color=LINE_COLOUR, linewidth=2)
        axes.plot(days, counts, "o", color=LINE_COLOUR, markersize=3)
        axes.set_ylim(bottom=0, top=max(counts) * 1.15 + 1)
        if len(set(days)) == 1:
            # One day alone gets a month either side, not a decade of empty axis.
            axes.set_xlim(days[0] - timedelta(days=30), days[0] + timedelta(days=30))
        figure.autofmt_xdate()
    else:
        axes.text(0.5, 0.5, "no arrests yet", ha="center", va="center", transform=axes.transAxes)
    axes.set_title(title, fontsize=10)
    axes.set_ylabel("arrests (cumulative)")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def bar_svg(counts: dict[str, int], *, title: str, limit: int = 12) -> str:
    """A horizontal bar per category, largest first; the rest summed as "other"."""
    items = list(counts.items())
    if len(items) > limit:
        rest = sum(count for _, count in items[limit - 1 :])
        items = [*items[: limit - 1], ("other", rest)]
    figure = Figure(figsize=(6.4, 0.45 * max(len(items), 2) + 0.8))
    axes = figure.subplots()
    if items:
        labels = [label.replace("_", " ") for label, _ in reversed(items)]
        values = [value for _, value in reversed(items)]
        bars = axes.barh(labels, values, color=BAR_COLOUR)
        axes.bar_label(bars, padding=3, fontsize=8)
        axes.set_xlim(right=max(values) * 1.2 + 1)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        axes.text(0.5, 0.5, "nothing yet", ha="center", va="center", transform=axes.transAxes)
        axes.set_yticks([])
    axes.set_title(title, fontsize=10)
    axes.tick_params(labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)
