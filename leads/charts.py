"""Charts for the lead reports, drawn once and rendered twice.

``chart_shapes()`` lays a chart out as a handful of primitives (rectangles, lines, texts) in a
top-left coordinate system. ``chart_drawing()`` turns them into a ReportLab ``Drawing`` for the
PDF reports, ``chart_svg()`` into inline SVG for the organizers' dashboard, so that both show the
same picture from the same code. Labels (companies, devices, topics …) are set, and measured,
with the fallback chain of the badges (``badges.fonts``: Roboto, then the Noto face of each
script, shaped and in right-to-left order where needed), which the PDFs embed; browsers get
Roboto or their sans-serif and do their own fallback and bidi, close enough for the layout.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics

from badges.fonts import BOLD, REGULAR, font_for_char, fonts_register, runs_units, text_runs

FONT = REGULAR
FONT_BOLD = BOLD

BRAND = "#0b5cad"
INK = "#1c2430"
MUTED = "#5b6675"
GRID = "#d5dbe3"
RATING_COLORS = {"hot": "#c62828", "warm": "#ef8f00", "cold": "#1e88e5", "": "#9aa5b1"}


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width of ``text`` at ``size``, in the face (or fallback faces) it is set in."""
    return runs_units(text_runs(text, font=FONT_BOLD if bold else FONT)) * size


def text_fit(text: str, size: float, width: float, *, bold: bool = False) -> str:
    """``text``, cut with an ellipsis so that it is at most ``width`` wide.

    Linear in the length of the text: the cut is found on running sums of the characters'
    advances (one lookup each), then checked with one exact measurement, instead of
    measuring the whole text again after dropping each character.
    """
    if text_width(text, size, bold=bold) <= width:
        return text
    font = FONT_BOLD if bold else FONT
    room = width / size - runs_units(text_runs("…", font=font))
    total, end = 0.0, 0
    for end, char in enumerate(text):  # noqa: B007 (end is used after the loop)
        face = font_for_char(char, font=font)
        total += pdfmetrics.getFont(face).face.charWidths.get(ord(char), 0) / 1000 if face else 0
        if total > room:
            break
    while end > 0 and text_width(text[:end].rstrip() + "…", size, bold=bold) > width:
        end -= 1
    return text[:end].rstrip() + "…"


# --- chart data --------------------------------------------------------------------------------


@dataclass
class Item:
    label: str
    value: float
    color: str | None = None


@dataclass
class Chart:
    """``kind`` "columns" (vertical bars along a time axis) or "bars" (horizontal, ranked)."""

    title: str
    items: list[Item]
    kind: str = "columns"
    color: str = BRAND
    empty_text: str = ""
    # Show a value label at each bar (columns: only when there is room).
    show_values: bool = True
    summary: str = ""

    @property
    def total(self) -> float:
        return sum(item.value for item in self.items)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: str
    tip: str = ""


@dataclass(frozen=True)
class Stroke:
    x1: float
    y1: float
    x2: float
    y2: float
    color: str = GRID
    width: float = 0.6


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # baseline
    text: str
    size: float = 7.5
    anchor: str = "start"  # start | middle | end
    color: str = MUTED
    bold: bool = False


@dataclass
class Shapes:
    width: float
    height: float
    items: list[Box | Stroke | Label] = field(default_factory=list)


def nice_ticks(maximum: float, *, count: int = 4) -> list[float]:
    """0 and a few round steps (1, 2, 5 × 10ⁿ) up to at least ``maximum``."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1)
    top = math.ceil(maximum / step) * step
    return [index * step for index in range(round(top / step) + 1)]


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f") if value == int(value) else f"{value:.1f}"


def bars_height(chart: Chart, *, row: float = 16, minimum: float = 60) -> float:
    """A height for a "bars" chart that gives each item one row."""
    return max(minimum, 22 + row * max(len(chart.items), 1) + 6)


def chart_shapes(chart: Chart, *, width: float, height: float) -> Shapes:
    shapes = Shapes(width, height)
    add = shapes.items.append
    add(Label(0, 11, text_fit(chart.title, 9.5, width, bold=True), 9.5, color=INK, bold=True))
    if not chart.items or chart.total == 0:
        add(Stroke(0, height - 14, width, height - 14))
        add(
            Label(
                width / 2,
                (height + 14) / 2,
                chart.empty_text or _("No data yet"),
                8.5,
                "middle",
            )
        )
        return shapes
    if chart.kind == "bars":
        _bars(chart, shapes)
    else:
        _columns(chart, shapes)
    return shapes


def _columns(chart: Chart, shapes: Shapes) -> None:
    add = shapes.items.append
    width, height = shapes.width, shapes.height
    top, bottom = 27.0, height - 14.0
    ticks = nice_ticks(max(item.value for item in chart.items))
    axis_width = max(text_width(_number(tick), 7) for tick in ticks) + 5
    left = axis_width + 2
    plot_w, plot_h = width - left, bottom - top
    scale = plot_h / ticks[-1]
    for tick in ticks:
        y = bottom - tick * scale
        add(Stroke(left, y, width, y, GRID, 0.5 if tick else 0.9))
        add(Label(axis_width, y + 2.5, _number(tick), 7, "end"))
    count = len(chart.items)
    slot = plot_w / count
    bar = max(slot * 0.72, 0.8)
    label_room = max(text_width(item.label, 7) for item in chart.items) + 4
    every = max(1, math.ceil(label_room / slot))
    values_fit = chart.show_values and text_width(_number(ticks[-1]), 6.5) <= slot + 2
    for index, item in enumerate(chart.items):
        x = left + index * slot + (slot - bar) / 2
        h = item.value * scale
        if h > 0:
            add(
                Box(
                    x,
                    bottom - h,
                    bar,
                    h,
                    item.color or chart.color,
                    f"{item.label}: {_number(item.value)}",
                )
            )
        if values_fit and item.value:
            add(Label(x + bar / 2, bottom - h - 2.5, _number(item.value), 6.5, "middle", INK))
        if index % every == 0:
            add(Label(x + bar / 2, height - 3, item.label, 7, "middle"))


def _bars(chart: Chart, shapes: Shapes) -> None:
    add = shapes.items.append
    width, height = shapes.width, shapes.height
    top = 20.0
    count = len(chart.items)
    row = min(18.0, (height - top - 2) / count)
    size = min(7.5, max(5.5, row * 0.55))
    maximum = max(item.value for item in chart.items) or 1
    value_room = text_width(_number(maximum), size) + 6
    label_room = min(max(text_width(item.label, size) for item in chart.items) + 6, width * 0.42)
    plot_w = max(width - label_room - value_room, 10)
    for index, item in enumerate(chart.items):
        y = top + index * row
        thickness = row * 0.68
        add(
            Label(
                label_room - 6,
                y + row / 2 + size * 0.35,
                text_fit(item.label, size, label_room - 6),
                size,
                "end",
                INK,
            )
        )
        w = item.value / maximum * plot_w
        if w > 0:
            add(
                Box(
                    label_room,
                    y + (row - thickness) / 2,
                    max(w, 0.8),
                    thickness,
                    item.color or chart.color,
                    f"{item.label}: {_number(item.value)}",
                )
            )
        add(
            Label(
                label_room + w + 3,
                y + row / 2 + size * 0.35,
                _number(item.value),
                size,
                "start",
                INK,
            )
        )
    add(Stroke(label_room, top, label_room, top + count * row, GRID, 0.9))


# --- renderers -------------------------------------------------------------------------------


def chart_drawing(chart: Chart, *, width: float, height: float) -> Drawing:
    """The chart as a ReportLab drawing (points), to put into a PDF story."""
    fonts_register()
    shapes = chart_shapes(chart, width=width, height=height)
    drawing = Drawing(width, height)
    group = Group()
    for shape in shapes.items:
        if isinstance(shape, Box):
            group.add(
                Rect(
                    shape.x,
                    height - shape.y - shape.h,
                    shape.w,
                    shape.h,
                    fillColor=HexColor(shape.fill),
                    strokeColor=None,
                )
            )
        elif isinstance(shape, Stroke):
            group.add(
                Line(
                    shape.x1,
                    height - shape.y1,
                    shape.x2,
                    height - shape.y2,
                    strokeColor=HexColor(shape.color),
                    strokeWidth=shape.width,
                )
            )
        else:
            group.add(_label_group(shape, y=height - shape.y))
    drawing.add(group)
    return drawing


def _label_group(label: Label, *, y: float) -> Group:
    """A label as ReportLab strings, one per run of ``badges.fonts.text_runs``: each in the
    face of the chain that has its characters, shaped, in drawing order (right to left where
    the script is), placed from the left end that the label's anchor gives."""
    runs = text_runs(label.text, font=FONT_BOLD if label.bold else FONT)
    width = runs_units(runs) * label.size
    x = label.x - {"start": 0.0, "middle": width / 2, "end": width}[label.anchor]
    group = Group()
    for run in runs:
        group.add(
            String(
                x,
                y,
                run.shaped,
                fontName=run.font,
                fontSize=label.size,
                fillColor=HexColor(label.color),
            )
        )
        x += run.width(label.size)
    return group


def chart_svg(chart: Chart, *, width: float, height: float) -> SafeString:
    """The chart as an inline ``<svg>`` element that scales to its container's width."""
    shapes = chart_shapes(chart, width=width, height=height)
    label = chart.summary or chart.title
    parts = [
        f'<svg class="chart" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" '
        f"font-family=\"'Fairlead Roboto', Roboto, system-ui, sans-serif\">",
        f"<title>{escape(label)}</title>",
    ]
    for shape in shapes.items:
        if isinstance(shape, Box):
            parts.append(
                f'<rect x="{shape.x:.2f}" y="{shape.y:.2f}" width="{shape.w:.2f}" '
                f'height="{shape.h:.2f}" fill="{shape.fill}">'
                f"<title>{escape(shape.tip)}</title></rect>"
            )
        elif isinstance(shape, Stroke):
            parts.append(
                f'<line x1="{shape.x1:.2f}" y1="{shape.y1:.2f}" x2="{shape.x2:.2f}" '
                f'y2="{shape.y2:.2f}" stroke="{shape.color}" stroke-width="{shape.width}"/>'
            )
        else:
            weight = ' font-weight="700"' if shape.bold else ""
            parts.append(
                f'<text x="{shape.x:.2f}" y="{shape.y:.2f}" font-size="{shape.size}" '
                f'text-anchor="{shape.anchor}" fill="{shape.color}"{weight}>'
                f"{escape(shape.text)}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


# --- the charts of a lead report ----------------------------------------------------------


def rating_chart(ratings: dict[str, int]) -> Chart:
    labels = {"hot": _("hot"), "warm": _("warm"), "cold": _("cold"), "": _("not rated")}
    return Chart(
        title=_("Rating"),
        kind="bars",
        items=[
            Item(str(labels[key]), ratings.get(key, 0), RATING_COLORS[key])
            for key in ("hot", "warm", "cold", "")
        ],
        empty_text=_("No leads yet"),
    )


def per_day_chart(
    per_day: Sequence[tuple[datetime.date, int]], *, title: str | None = None
) -> Chart:
    return Chart(
        title=title or _("Leads per day"),
        items=[Item(day.strftime("%d.%m."), count) for day, count in per_day],
        empty_text=_("No leads yet"),
    )


def hour_range(
    per_hour: dict[datetime.date, list[int]], *, first: int = 8, last: int = 18
) -> range:
    """The hours to show: the usual opening hours, widened to every hour that has a lead."""
    busy = [hour for counts in per_hour.values() for hour, n in enumerate(counts) if n]
    return range(min([first, *busy]), max([last, *busy]) + 1)


def per_hour_chart(counts: list[int], *, title: str, hours: range) -> Chart:
    return Chart(
        title=title,
        items=[Item(f"{hour:02d}", counts[hour]) for hour in hours],
        empty_text=_("No leads on this day"),
    )


def per_hour_total_chart(per_hour: dict[datetime.date, list[int]], *, hours: range) -> Chart:
    totals = [sum(counts[hour] for counts in per_hour.values()) for hour in range(24)]
    return per_hour_chart(totals, title=_("Leads per hour (all days)"), hours=hours)


def topics_chart(topics: list[tuple[str, int]]) -> Chart:
    return Chart(
        title=_("Top interest topics"),
        kind="bars",
        items=[Item(name, count) for name, count in topics],
        empty_text=_("No topics shared yet"),
    )


def ranking_chart(title: str, pairs: Sequence[tuple[str, float]], *, color: str = BRAND) -> Chart:
    return Chart(
        title=title,
        kind="bars",
        items=[Item(label, value) for label, value in pairs],
        color=color,
        empty_text=_("No data yet"),
    )
