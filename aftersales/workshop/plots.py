"""The workshop dashboard's plots (issue 9, item 6), drawn on the server by matplotlib (its Agg
backend, no display; SVG text with the page's fonts) from the figures of `dashboard.py`, in the
active language: titles and axis labels through gettext, dates in the locale's format. Each plot
is an image of the page with a text alternative and its data table beside it (the template), so
nothing is only in a picture.

The colours are Okabe and Ito's, told apart by people with the common colour blindnesses; the
text is near black on white.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from datetime import date
from typing import Any

import matplotlib

matplotlib.use("Agg")

from django.utils import formats
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from aftersales.repairs import sla
from aftersales.repairs.choices import Problem, RequestStatus

from . import dashboard
from .dashboard import Figures

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
TEXT = "#1a1a1a"
RC: dict[str, Any] = {
    "svg.fonttype": "none",  # text stays text: smaller, sharp, in the page's font
    "svg.hashsalt": "aftersales",  # the same figures give the same file
    "font.family": ["DejaVu Sans", "sans-serif"],
    "font.size": 10,
    "text.color": TEXT,
    "axes.labelcolor": TEXT,
    "axes.edgecolor": "#595959",
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    # The title at a fixed height over the axes: placed automatically, matplotlib measures the
    # axis and its tick labels again on every drawing to keep it clear of them (a sixth of a
    # plot's time), and these plots have no ticks above the axes.
    "axes.titley": 1.0,
}


def bucket_labels() -> dict[str, str]:
    return {
        "lt1": _("under 1 day"),
        "1to2": _("1 to 2 days"),
        "2to5": _("2 to 5 days"),
        "5to10": _("5 to 10 days"),
        "ge10": _("10 days or more"),
    }


def share_labels() -> dict[str, str]:
    return {
        dashboard.WARRANTY: _("Warranty"),
        dashboard.PLAN: _("Plan (replacement or Express)"),
        dashboard.PAID: _("Paid repair"),
        dashboard.REFUSED: _("Quote refused"),
    }


def short_date(day: date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def day_label(day: date) -> str:
    """A day on an axis, in the locale's short format (02/12/2026, 12/02/2026)."""
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def wrapped(label: str, width: int = 30) -> str:
    """A long label (a status, a problem) on lines of at most `width` characters."""
    return textwrap.fill(label, width)


def component_name(figures: Figures, pk: int) -> str:
    english, french = figures.component_names.get(pk, (str(pk), str(pk)))
    return french if get_language() == "fr" and french else english


def _svg(figure: Figure) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def _new(width: float, height: float, **margins: float) -> Figure:
    """A figure with fixed margins (in inches): laying it out by measuring every text, as
    matplotlib's constrained layout does, would draw it twice."""
    figure = Figure(figsize=(width, height))
    inches = {"left": 0.8, "right": 0.3, "bottom": 0.7, "top": 0.5, **margins}
    figure.subplots_adjust(
        left=inches["left"] / width,
        right=1 - inches["right"] / width,
        bottom=inches["bottom"] / height,
        top=1 - inches["top"] / height,
        hspace=0.6,
    )
    return figure


def _count_ticks(ax: Any) -> None:
    """Whole numbers on the count axis, at most five: each tick is five artists for matplotlib
    to make and draw (a plot with nine took half again as long to draw)."""
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))


def _share_ticks(ax: Any) -> None:
    """0 to 100 % in quarters."""
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 25, 50, 75, 100])


def _date_ticks(ax: object, days: list[date], most: int = 6) -> None:
    """At most `most` dates on the axis (about one an inch), the first one first."""
    step = max(1, -(-len(days) // most))
    positions = list(range(0, len(days), step))
    ax.set_xticks(positions, [day_label(days[i]) for i in positions])  # type: ignore[attr-defined]


def _stacked(
    ax: Any,
    segments: list[tuple[str, str, list[float]]],
    *,
    horizontal: bool,
) -> None:
    """Stacked bars, one per position (0, 1, 2…): each segment (label, colour, a value per
    position) one shape of rectangles over the ones before. Drawn as a bar each, a stage plot
    was fifty shapes, each measured to widen the axes' limits as it was added (half of the
    plot's time); each segment is measured once. The value axis starts at 0, as bars' do."""
    base = [0.0] * (len(segments[0][2]) if segments else 0)
    half = 0.4  # bars 0.8 wide, as matplotlib's
    for label, colour, values in segments:
        boxes = []
        for position, (start, value) in enumerate(zip(base, values, strict=True)):
            if not value:
                continue
            end = start + value
            if horizontal:
                corners = [(start, position - half), (end, position - half)]
                corners += [(end, position + half), (start, position + half)]
            else:
                corners = [(position - half, start), (position + half, start)]
                corners += [(position + half, end), (position - half, end)]
            boxes.append(corners)
        shapes = PolyCollection(boxes, facecolors=colour, edgecolors="none", label=label)
        # As a bar's base: no margin below 0 on the value axis.
        (shapes.sticky_edges.x if horizontal else shapes.sticky_edges.y).append(0)
        ax.add_collection(shapes)
        base = [a + b for a, b in zip(base, values, strict=True)]


def opened_closed(figures: Figures) -> str:
    figure = _new(9, 3.4)
    ax = figure.subplots()
    x = list(range(len(figures.days)))
    # One filled outline rather than a bar per day: one shape to draw, however long the period.
    edges = [i - 0.5 for i in range(len(x) + 1)]
    ax.stairs(figures.opened, edges, fill=True, color=PALETTE[0], label=pgettext("cases", "Opened"))
    ax.plot(x, figures.closed, color=PALETTE[1], label=pgettext("cases", "Closed"), linewidth=2)
    ax.set_title(_("Cases opened and closed per day"))
    ax.set_ylabel(_("Cases"))
    ax.set_xlabel(_("Day"))
    _count_ticks(ax)
    _date_ticks(ax, figures.days)
    ax.legend(frameon=False)
    return _svg(figure)


def stages(figures: Figures) -> str:
    rows = [(stage, values) for stage, values in figures.stages.items() if values["count"]]
    figure = _new(9, 0.5 * max(len(rows), 2) + 1.2, left=2.4, right=1.7)
    ax = figure.subplots()
    labels = bucket_labels()
    names = [wrapped(str(RequestStatus(stage).label), 28) for stage, _v in rows]
    segments = [
        (labels[key], PALETTE[index], [100 * values[key] / values["count"] for _s, values in rows])
        for index, key in enumerate(labels)
    ]
    _stacked(ax, segments, horizontal=True)
    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()
    _share_ticks(ax)
    ax.set_title(_("Time spent in each stage (stages ended in the period)"))
    ax.set_xlabel(_("Share of the stages (%)"))
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    return _svg(figure)


def weekly(figures: Figures) -> str:
    figure = _new(9, 3.4, right=2.6)
    ax = figure.subplots()
    x = list(range(len(figures.weeks)))
    for index, (status, counts) in enumerate(figures.reached.items()):
        ax.plot(
            x,
            counts,
            color=PALETTE[index],
            label=wrapped(str(RequestStatus(status).label), 24),
            marker="o",
        )
    ax.set_title(_("Cases per week by status reached"))
    ax.set_ylabel(_("Cases"))
    ax.set_xlabel(_("Week of"))
    _count_ticks(ax)
    _date_ticks(ax, figures.weeks, most=5)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _svg(figure)


def _per_model(figures: Figures, items: dict[str, list[tuple[str, int]]], title: str) -> str:
    """One axis for every model: each model's name in bold over its rows (one axis per model
    was as many axes to make and draw: a third of the plot's time)."""
    labels: list[str] = []
    counts: list[int] = []
    headers: list[int] = []
    for model, rows in items.items():
        headers.append(len(labels))
        labels.append(model)
        counts.append(0)
        for label, n in rows:
            labels.append(wrapped(label))
            counts.append(n)
    height = 0.32 * sum(label.count("\n") + 1 for label in labels) + 1.2
    figure = _new(9, max(height, 2.0), left=2.8, top=0.6)
    ax = figure.subplots()
    positions = list(range(len(labels)))
    bars = ax.barh(positions, counts, color=PALETTE[0])
    # Each bar says its count: no scale to read across, and no axis of ticks to draw.
    ax.bar_label(
        bars, labels=["" if i in headers else str(n) for i, n in enumerate(counts)], padding=3
    )
    ax.set_yticks(positions, labels)
    for index in headers:
        ax.get_yticklabels()[index].set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    if labels:
        ax.set_ylim(len(labels) - 0.5, -0.5)  # the first row at the top
    ax.xaxis.set_visible(False)
    ax.spines["bottom"].set_visible(False)
    figure.suptitle(title)
    return _svg(figure)


def problems(figures: Figures) -> str:
    items = {
        model: [(str(Problem(value).label), n) for value, n in rows]
        for model, rows in figures.problems.items()
    }
    return _per_model(figures, items, _("Top problems declared, per model"))


def components(figures: Figures) -> str:
    items = {
        model: [(component_name(figures, pk), n) for pk, n in rows]
        for model, rows in figures.components.items()
    }
    return _per_model(figures, items, _("Top damaged components found, per model"))


def shares(figures: Figures) -> str:
    labels = share_labels()
    total = sum(figures.shares.values())
    figure = _new(9, 2.6, left=2.8)
    ax = figure.subplots()
    names = [wrapped(labels[key]) for key in dashboard.SHARES]
    values = [100 * figures.shares[key] / total if total else 0 for key in dashboard.SHARES]
    bars = ax.barh(names, values, color=[PALETTE[i] for i in range(len(names))])
    ax.bar_label(bars, labels=[f"{v:.0f} %" for v in values], padding=3)
    ax.invert_yaxis()
    _share_ticks(ax)
    ax.set_title(_("How the cases were paid for"))
    ax.set_xlabel(_("Share of the decided cases (%)"))
    return _svg(figure)


def sla_breaches(figures: Figures) -> str:
    """Issue 9, item 5: the workshop clocks that breached their target each week, stacked by
    stage."""
    figure = _new(9, 3.4, right=2.2)
    ax = figure.subplots()
    segments = [
        (
            wrapped(str(sla.STAGES_BY_KEY[stage].label), 20),
            PALETTE[index],
            [float(n) for n in counts],
        )
        for index, (stage, counts) in enumerate(figures.sla_breaches_by_stage.items())
    ]
    _stacked(ax, segments, horizontal=False)
    ax.set_title(_("Service level breaches per week"))
    ax.set_ylabel(_("Clocks breached"))
    ax.set_xlabel(_("Week of"))
    _count_ticks(ax)
    _date_ticks(ax, figures.weeks, most=5)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _svg(figure)


PLOTS: dict[str, Callable[[Figures], str]] = {
    "sla": sla_breaches,
    "opened-closed": opened_closed,
    "stages": stages,
    "weekly": weekly,
    "problems": problems,
    "components": components,
    "shares": shares,
}


# The plots drawn from what a plot's light figures leave out (`dashboard.figures_of`).
WHOLE_FIGURES = frozenset({"sla"})


def plot_svg(name: str, figures: Figures) -> str:
    if figures.light and name in WHOLE_FIGURES:
        raise ValueError(f"The {name!r} plot is drawn from the whole figures.")
    with matplotlib.rc_context(RC):  # type: ignore[arg-type]
        return PLOTS[name](figures)
