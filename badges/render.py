"""Badge rendering with ReportLab: pure functions from badge data to PDF (and PNG) bytes.

Nothing here touches the database. A print run hands an iterable of ``BadgeData`` to
``badges_render``, which writes the PDF to a binary stream.

Text fitting is ``badges.text_fit``, joining the chunks ``badges.pdf_join``.

Memory: ReportLab keeps every page of a canvas until ``save()``, so one canvas for 10,000
badges would grow with the run. ``badges_render`` therefore draws a bounded chunk of badges
per canvas and appends each finished chunk to the output with ``PdfJoiner``, which copies the
chunk's objects with new numbers and keeps only a few integers per object. Peak memory is
that of one chunk, whatever the length of the run.
"""

import io
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import BinaryIO

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas

from badges.fonts import (
    BOLD,
    REGULAR,
    fonts_register,
    runs_draw,
    runs_units,
)
from badges.layouts import BadgeGeometry, Box, Layout
from badges.pdf_join import PdfJoiner
from badges.qr import qr_rows
from badges.text_fit import FittedText, text_fit

QR_QUIET_ZONE = 4  # modules of white around the symbol, as the QR standard asks
CHUNK_BADGES = 240  # badges per ReportLab canvas; a multiple of every layout's slots

CATEGORY_COLORS = {
    "visitor": "#0b5cad",
    "exhibitor_staff": "#1b7f3b",
    "press": "#b3261e",
    "speaker": "#6a3fa0",
    "organizer": "#1c2430",
    "service": "#b85c00",
}
_FALLBACK_COLOR = "#5b6675"


@dataclass(frozen=True, slots=True)
class BadgeData:
    """Everything printed on one badge, already in the words to print."""

    qr_content: str
    short_code: str  # display form, e.g. "7K3M-9Q2Z-X0A"
    first_name: str
    last_name: str
    category: str
    category_label: str
    fair_name: str
    fair_dates: str
    company: str = ""
    job_title: str = ""
    country: str = ""


# --------------------------------------------------------------------------- QR


def qr_png_bytes(content: str, *, box_size: int = 12) -> bytes:
    """The QR as a PNG for a phone screen, with its 4-module quiet zone."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=4)
    code.add_data(content)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


_DARK_RUN = re.compile("1+")


def _qr_runs(rows: list[str]) -> str:
    """``re`` operators for the dark modules, one rectangle per horizontal run, in module units
    with the origin at the symbol's lower-left corner."""
    size = len(rows)
    return " ".join(
        f"{run.start()} {size - 1 - index} {run.end() - run.start()} 1 re"
        for index, row in enumerate(rows)
        for run in _DARK_RUN.finditer(row)
    )


def _draw_qr(canvas: rl_canvas.Canvas, content: str, box: Box) -> None:
    rows = qr_rows(content)
    modules = len(rows) + 2 * QR_QUIET_ZONE
    module = box.width / modules
    origin_x = box.x + QR_QUIET_ZONE * module
    origin_y = box.y + QR_QUIET_ZONE * module
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(box.x, box.y, box.width, box.height, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.transform(module, 0, 0, module, origin_x, origin_y)
    canvas.addLiteral(_qr_runs(rows) + " f")
    canvas.restoreState()


# --------------------------------------------------------------------------- badge


# Vertical alignment per text: the first name sits on the last name, the rest hang from the
# top of their boxes, so that the lines read as one block whatever their sizes.
_VALIGN = {"first_name": "bottom", "category": "middle", "fair_name": "middle"}


def _draw_fitted(
    canvas: rl_canvas.Canvas,
    fitted: FittedText,
    box: Box,
    *,
    align: str,
    x0: float,
    y0: float,
    valign: str = "top",
) -> None:
    if not fitted.lines:
        return
    ascent, _descent = fitted.extent
    block = fitted.block_height
    if valign == "top":
        top = y0 + box.top
    elif valign == "bottom":
        top = y0 + box.y + block
    else:
        top = y0 + box.y + (box.height + block) / 2
    for index, runs in enumerate(fitted.runs()):
        baseline = top - ascent * fitted.size - index * fitted.line_height
        x = x0 + box.x
        if align == "center":
            x += (box.width - runs_units(runs) * fitted.size) / 2
        runs_draw(canvas, runs, x=x, y=baseline, size=fitted.size)


def badge_text_fits(data: BadgeData, g: BadgeGeometry) -> dict[str, partial[FittedText]]:
    """How to fit each text of the badge (called only for the texts asked for)."""
    header_line = g.header.height / 2
    return {
        "fair_name": partial(
            text_fit, data.fair_name, font=BOLD, width=g.header.width, height=header_line,
            max_size=g.header_size, min_size=5, max_lines=1,
        ),
        "fair_dates": partial(
            text_fit, data.fair_dates, font=REGULAR, width=g.header.width, height=header_line,
            max_size=g.header_size * 0.85, min_size=5, max_lines=1,
        ),
        "category": partial(
            text_fit, data.category_label.upper(), font=BOLD, width=g.band.width - 8 * mm,
            height=g.band.height * 0.8, max_size=g.band_label_size, min_size=5, max_lines=1,
        ),
        "first_name": partial(
            text_fit, data.first_name, font=BOLD, width=g.first_name.width,
            height=g.first_name.height, max_size=g.first_name_max, min_size=g.name_min,
        ),
        "last_name": partial(
            text_fit, data.last_name, font=BOLD, width=g.last_name.width,
            height=g.last_name.height, max_size=g.last_name_max, min_size=g.name_min,
        ),
        "company": partial(
            text_fit, data.company, font=BOLD, width=g.company.width, height=g.company.height,
            max_size=g.detail_max, min_size=g.detail_min,
        ),
        "job_title": partial(
            text_fit, data.job_title, font=REGULAR, width=g.job_title.width,
            height=g.job_title.height, max_size=g.detail_max * 0.85, min_size=g.detail_min,
        ),
        "country": partial(
            text_fit, data.country, font=REGULAR, width=g.country.width, height=g.country.height,
            max_size=g.detail_max * 0.85, min_size=g.detail_min,
        ),
    }  # fmt: skip


def badge_text_layout(
    data: BadgeData, geometry: BadgeGeometry, *, fields: Collection[str] | None = None
) -> dict[str, FittedText]:
    """How each text of the badge (or each of ``fields``) is set: lines and size per field
    (pure, used for drawing, for the print check and by the tests that check nothing leaves
    its box)."""
    fits = badge_text_fits(data, geometry)
    return {name: fit() for name, fit in fits.items() if fields is None or name in fields}


def badge_text_boxes(geometry: BadgeGeometry) -> dict[str, Box]:
    g = geometry
    half = g.header.height / 2
    inset = g.header.x if g.align == "left" else 4 * mm
    band_label = Box(inset, g.band.y + g.band.height * 0.1, g.band.width - 2 * inset,
                     g.band.height * 0.8)  # fmt: skip
    return {
        "fair_name": Box(g.header.x, g.header.y + half, g.header.width, half),
        "fair_dates": Box(g.header.x, g.header.y, g.header.width, half),
        "category": band_label,
        "first_name": g.first_name,
        "last_name": g.last_name,
        "company": g.company,
        "job_title": g.job_title,
        "country": g.country,
    }


# The texts a person is named by: a badge that prints them otherwise than stored is reported.
CHECKED_FIELDS = ("first_name", "last_name", "company", "job_title")


@dataclass(frozen=True, slots=True)
class PrintIssue:
    """One text of a badge that prints otherwise than it is stored."""

    field: str
    stored: str
    printed: str  # what the badge shows (lines joined by a space)
    missing: tuple[str, ...]  # characters left out because no face has them
    truncated: bool  # cut with an ellipsis, too long even at the layout's minimum size


def badge_print_issues(
    data: BadgeData, texts: dict[str, FittedText], *, fields: Collection[str] = CHECKED_FIELDS
) -> list[PrintIssue]:
    """The checked texts of a badge (as laid out by ``badge_text_layout``) that print
    otherwise than stored."""
    issues = []
    for field in fields:
        fitted = texts[field]
        if fitted.missing or fitted.truncated:
            issues.append(
                PrintIssue(
                    field=field,
                    stored=getattr(data, field),
                    printed=" ".join(fitted.lines),
                    missing=fitted.missing,
                    truncated=fitted.truncated,
                )
            )
    return issues


_INK = (0, 0, 0)
_GRAY = (0.2, 0.24, 0.3)
_WHITE = (1, 1, 1)
# Each text with its color (None: the category color).
_TEXT_COLORS = (
    ("category", _WHITE),
    ("fair_name", None),
    ("fair_dates", _GRAY),
    ("first_name", _INK),
    ("last_name", _INK),
    ("company", _INK),
    ("job_title", _GRAY),
    ("country", _GRAY),
)


def _draw_badge(
    canvas: rl_canvas.Canvas, data: BadgeData, geometry: BadgeGeometry, x0: float, y0: float
) -> list[PrintIssue]:
    """Draw one badge; returns what of it prints otherwise than stored."""
    g = geometry
    texts = badge_text_layout(data, g)
    boxes = badge_text_boxes(g)
    color = HexColor(CATEGORY_COLORS.get(data.category, _FALLBACK_COLOR))
    canvas.setFillColor(color)
    canvas.rect(x0 + g.band.x, y0 + g.band.y, g.band.width, g.band.height, stroke=0, fill=1)
    for field, fill in _TEXT_COLORS:
        if fill is None:
            canvas.setFillColor(color)
        else:
            canvas.setFillColorRGB(*fill)
        _draw_fitted(
            canvas,
            texts[field],
            boxes[field],
            align=g.align,
            x0=x0,
            y0=y0,
            valign=_VALIGN.get(field, "top"),
        )
    qr = Box(x0 + g.qr.x, y0 + g.qr.y, g.qr.width, g.qr.height)
    _draw_qr(canvas, data.qr_content, qr)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(BOLD, g.code_size)
    canvas.drawCentredString(
        qr.x + qr.width / 2, y0 + g.code_baseline, data.short_code, charSpace=g.code_size * 0.08
    )
    return badge_print_issues(data, texts)


def _draw_crop_marks(canvas: rl_canvas.Canvas, layout: Layout) -> None:
    """Marks on the cut lines between the badges, from the sheet's edges and at the center."""
    length = 5 * mm
    width, height = layout.badge.width, layout.badge.height
    cut_xs = sorted({x for x, _ in layout.slots} | {x + width for x, _ in layout.slots})
    cut_ys = sorted({y for _, y in layout.slots} | {y + height for _, y in layout.slots})
    canvas.saveState()
    canvas.setLineWidth(0.35)
    canvas.setStrokeColorRGB(0, 0, 0)
    for x in cut_xs[1:-1]:
        canvas.line(x, layout.page_height, x, layout.page_height - length)
        canvas.line(x, 0, x, length)
        for y in cut_ys[1:-1]:
            canvas.line(x, y - length / 2, x, y + length / 2)
    for y in cut_ys[1:-1]:
        canvas.line(0, y, length, y)
        canvas.line(layout.page_width, y, layout.page_width - length, y)
        for x in cut_xs[1:-1]:
            canvas.line(x - length / 2, y, x + length / 2, y)
    canvas.restoreState()


IssueSink = Callable[[int, BadgeData, list[PrintIssue]], None]


def _render_chunk(
    badges: list[BadgeData], layout: Layout, *, first: int, issues: IssueSink | None
) -> bytes:
    buffer = io.BytesIO()
    canvas = rl_canvas.Canvas(
        buffer,
        pagesize=(layout.page_width, layout.page_height),
        pageCompression=1,
        invariant=1,
    )
    per_page = layout.per_page
    for start in range(0, len(badges), per_page):
        on_page = zip(badges[start : start + per_page], layout.slots, strict=False)
        for offset, (data, (x, y)) in enumerate(on_page):
            found = _draw_badge(canvas, data, layout.badge, x, y)
            if found and issues is not None:
                issues(first + start + offset, data, found)
        if layout.crop_marks:
            _draw_crop_marks(canvas, layout)
        canvas.showPage()
    # ASCII85 only makes streams a quarter larger; the joined file is binary anyway.
    previous, rl_config.useA85 = rl_config.useA85, 0
    try:
        canvas.save()
    finally:
        rl_config.useA85 = previous
    return buffer.getvalue()


# --------------------------------------------------------------------------- entry points


def badges_render(
    badges: Iterable[BadgeData],
    *,
    layout: Layout,
    out: BinaryIO,
    chunk_badges: int = CHUNK_BADGES,
    title: str = "Badges",
    issues: IssueSink | None = None,
) -> int:
    """Draw the badges in order onto pages of ``layout`` and write the PDF to ``out``.

    ``issues`` is called with (index in the run, badge, issues) for every badge whose name,
    company or job title prints otherwise than stored. Returns the number of badges. Raises
    ValueError when there is none (an empty PDF would be no print run at all).
    """
    fonts_register()
    per_chunk = max(layout.per_page, chunk_badges - chunk_badges % layout.per_page)
    joiner = PdfJoiner(out, title=title)
    iterator = iter(badges)
    total = 0
    while chunk := list(islice(iterator, per_chunk)):
        joiner.add(_render_chunk(chunk, layout, first=total, issues=issues))
        total += len(chunk)
    if total == 0:
        raise ValueError("no badges to render")
    joiner.finish()
    return total


def badge_pdf_bytes(data: BadgeData, *, layout: Layout) -> bytes:
    """One badge as a complete PDF (the visitor's print-at-home badge)."""
    buffer = io.BytesIO()
    badges_render([data], layout=layout, out=buffer, title="Badge")
    return buffer.getvalue()
