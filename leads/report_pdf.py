"""PDF lead reports, drawn with ReportLab: pure functions from report data to PDF bytes.

One module past 400 lines on purpose: both documents are built from the same page frame,
styles, text cells and sections (cover, key figures, charts, tables), which only read well
side by side; the data they show comes from ``leads.reports`` and the charts from ``leads.charts``.

* ``exhibitor_report_pdf()``: cover (exhibitor, stand, area, fair), key figures, charts (leads
  per day and per hour, rating split, top interest topics, scans per device) and the lead list.
* ``area_report_pdf()``: the same figures and charts for an area as a whole and then for each
  of its exhibitors, plus a statistics table; no contact data at all.

Charts come from ``leads.charts`` (ReportLab's own graphics, the same shapes as the dashboard's
SVG). Text is set in Roboto with the Noto fallback faces of ``badges.fonts`` (embedded,
subset), so names in every script print; names, companies, notes and titles are
``leads.report_text.TextBlock``s, wrapped and drawn the way badges are. The lead list shows
only what ``leads.report_rows.lead_rows`` hands out, i.e. only the contact fields the visitor
agreed to share.

Why one module of ~640 lines: both documents share one page template, one set of paragraph
styles and the key-figure, chart and table builders; split apart, a change of the house layout
would have to be made in several places.
"""

from __future__ import annotations

import datetime
import io
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    LongTable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from badges.fonts import fonts_register, runs_draw, runs_units, text_runs
from badges.forum.selectors import SessionResults
from fair.text import text_sort_key
from leads import charts
from leads.charts import BRAND, FONT, FONT_BOLD, INK, MUTED, RATING_COLORS, text_fit
from leads.report_text import TextBlock
from leads.reports import ExhibitorStats, LeadReport, LeadRow

PAGE_W, PAGE_H = A4
MARGIN = 16 * mm
CONTENT_W = PAGE_W - 2 * MARGIN


@dataclass
class ReportHead:
    """What the cover says: whose report, for which fair, made when."""

    title: str
    subject: str  # exhibitor company or area name
    lines: list[str]  # stand, area, fair, venue and dates …
    generated_at: datetime.datetime
    zone_name: str


def _styles() -> dict[str, ParagraphStyle]:
    fonts_register()
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=12.5, textColor=INK)
    return {
        "base": base,
        "muted": ParagraphStyle("muted", parent=base, textColor=colors.HexColor(MUTED)),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "h1": ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=24, leading=29),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=14,
            leading=18,
            spaceBefore=6,
            spaceAfter=6,
            textColor=colors.HexColor(BRAND),
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=11.5,
            leading=14,
            spaceBefore=4,
            spaceAfter=4,
        ),
        "cover_subject": ParagraphStyle(
            "cover_subject",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=17,
            leading=22,
            textColor=colors.HexColor(BRAND),
            alignment=TA_LEFT,
        ),
        "cover_line": ParagraphStyle("cover_line", parent=base, fontSize=11.5, leading=16),
        "cell": ParagraphStyle("cell", parent=base, fontSize=LIST_SIZE, leading=LIST_LEADING),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=base, fontName=FONT_BOLD, fontSize=LIST_SIZE, leading=LIST_LEADING
        ),
        "stats_head": ParagraphStyle(
            "stats_head", parent=base, fontName=FONT_BOLD, fontSize=8, leading=9.5
        ),
        "stats_cell": ParagraphStyle("stats_cell", parent=base, fontSize=8, leading=9.5),
    }


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Document(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, *, head: ReportHead) -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 4 * mm,
            title=f"{head.title} – {head.subject}",
            author="Fairlead",
            subject=head.subject,
            creator="Fairlead",
        )
        self.head = head
        frame = Frame(
            MARGIN,
            MARGIN + 4 * mm,
            CONTENT_W,
            PAGE_H - 2 * MARGIN - 4 * mm,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="main",
        )
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[frame], onPage=self._cover_page),
                PageTemplate(id="body", frames=[frame], onPage=self._body_page),
            ]
        )

    def _cover_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFillColor(colors.HexColor(BRAND))
        canvas.rect(0, PAGE_H - 22 * mm, PAGE_W, 22 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(FONT_BOLD, 15)
        canvas.drawString(MARGIN, PAGE_H - 13.5 * mm, "Fairlead")
        canvas.restoreState()

    def _body_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#d5dbe3"))
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, MARGIN + 1.5 * mm, PAGE_W - MARGIN, MARGIN + 1.5 * mm)
        canvas.setFillColor(colors.HexColor(MUTED))
        left = text_fit(f"{self.head.title} · {self.head.subject}", 7.5, CONTENT_W - 60)
        runs_draw(canvas, text_runs(left, font=FONT), x=MARGIN, y=MARGIN - 2 * mm, size=7.5)
        page = text_runs(_("Page %(number)d") % {"number": doc.page}, font=FONT)
        x = PAGE_W - MARGIN - runs_units(page) * 7.5
        runs_draw(canvas, page, x=x, y=MARGIN - 2 * mm, size=7.5)
        canvas.restoreState()


def _datetime(value: datetime.datetime | None, zone_name: str) -> str:
    """A point in time as the fair's local date and time."""
    if value is None:
        return "–"
    local = value.astimezone(zoneinfo.ZoneInfo(zone_name))
    return formats.date_format(local.replace(tzinfo=None), "SHORT_DATETIME_FORMAT")


def _cover(head: ReportHead, styles: dict[str, ParagraphStyle], *, note: str) -> list[Flowable]:
    story: list = [Spacer(1, 38 * mm), Paragraph(_esc(head.title), styles["h1"]), Spacer(1, 5 * mm)]
    story.append(TextBlock(head.subject, styles["cover_subject"], rtl=False))
    story.append(Spacer(1, 4 * mm))
    story += [TextBlock(line, styles["cover_line"], rtl=False) for line in head.lines if line]
    story.append(Spacer(1, 14 * mm))
    story.append(
        Paragraph(
            _esc(
                _("Generated on %(when)s. Times are given in %(zone)s.")
                % {"when": _datetime(head.generated_at, head.zone_name), "zone": head.zone_name}
            ),
            styles["muted"],
        )
    )
    story.append(Spacer(1, 2 * mm))
    story.append(Paragraph(_esc(note), styles["muted"]))
    return story


def _figure_cells(report: LeadReport) -> list[tuple[str, str]]:
    figures = report.figures
    return [
        (_("Leads"), _count(figures.get("leads"))),
        (_("Scans"), _count(figures.get("scans"))),
        (_("hot"), _count(report.ratings.get("hot"))),
        (_("warm"), _count(report.ratings.get("warm"))),
        (_("cold"), _count(report.ratings.get("cold"))),
        (_("Contact details shared"), _count(figures.get("shared"))),
        (_("Scanner devices"), _count(figures.get("devices"))),
    ]


def _count(value: int | None) -> str:
    return f"{value or 0:,}".replace(",", ".")


def _key_figures(
    report: LeadReport, styles: dict[str, ParagraphStyle], *, zone_name: str
) -> list[Flowable]:
    cells = _figure_cells(report)
    numbers = [
        Paragraph(f'<font name="{FONT_BOLD}" size="17">{value}</font>', styles["base"])
        for _label, value in cells
    ]
    labels = [Paragraph(_esc(str(label)), styles["small"]) for label, _value in cells]
    width = CONTENT_W / len(cells)
    table = Table([numbers, labels], colWidths=[width] * len(cells))
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f0f4f9")),
                ("LINEABOVE", (0, 0), (-1, 0), 2, colors.HexColor(BRAND)),
                ("TOPPADDING", (0, 0), (-1, 0), 7),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    figures = report.figures
    span = _("First scan %(first)s · last scan %(last)s") % {
        "first": _datetime(figures.get("first"), zone_name),
        "last": _datetime(figures.get("last"), zone_name),
    }
    return [table, Spacer(1, 2 * mm), Paragraph(_esc(span), styles["muted"])]


def _side_by_side(left: Flowable, right: Flowable | str, *, gap: float = 8 * mm) -> Table:
    width = (CONTENT_W - gap) / 2
    table = Table([[left, "", right]], colWidths=[width, gap, width])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _report_charts(report: LeadReport, *, with_devices: bool, per_day_hours: bool) -> list:
    half = (CONTENT_W - 8 * mm) / 2
    hours = charts.hour_range(report.per_hour)
    story: list = []
    rating = charts.rating_chart(report.ratings)
    story.append(
        _side_by_side(
            charts.chart_drawing(charts.per_day_chart(report.per_day), width=half, height=130),
            charts.chart_drawing(rating, width=half, height=130),
        )
    )
    story.append(Spacer(1, 5 * mm))
    story.append(
        charts.chart_drawing(
            charts.per_hour_total_chart(report.per_hour, hours=hours), width=CONTENT_W, height=120
        )
    )
    if per_day_hours and len(report.per_hour) > 1:
        story.append(Spacer(1, 5 * mm))
        drawings = [
            charts.chart_drawing(
                charts.per_hour_chart(
                    counts,
                    title=_("Leads per hour on %(day)s")
                    % {"day": formats.date_format(day, "SHORT_DATE_FORMAT")},
                    hours=hours,
                ),
                width=half,
                height=105,
            )
            for day, counts in report.per_hour.items()
        ]
        for index in range(0, len(drawings), 2):
            pair = drawings[index : index + 2]
            story.append(_side_by_side(pair[0], pair[1] if len(pair) > 1 else ""))
            story.append(Spacer(1, 3 * mm))
    story.append(Spacer(1, 5 * mm))
    topics = charts.topics_chart(report.topics)
    topics_drawing = charts.chart_drawing(
        topics, width=half if with_devices else CONTENT_W, height=charts.bars_height(topics)
    )
    if with_devices:
        devices = charts.ranking_chart(
            _("Scans per device"), [(device.label, device.scans) for device in report.devices[:10]]
        )
        devices_drawing = charts.chart_drawing(
            devices, width=half, height=max(charts.bars_height(devices), charts.bars_height(topics))
        )
        story.append(_side_by_side(topics_drawing, devices_drawing))
    else:
        story.append(topics_drawing)
    return story


# --- lead list -------------------------------------------------------------------------------
# One table for the whole list, so that its header row repeats at page breaks only. Names,
# companies and notes wrap in their cells (Paragraphs); a lead's notes are shown up to
# NOTES_SHOWN characters, the rest is in the CSV/XLSX download: a table row cannot be taller
# than a page, and a device may write 100 notes of 4,000 characters.

_LIST_COLUMNS = (0.19, 0.16, 0.21, 0.09, 0.13, 0.06, 0.16)
NOTES_SHOWN = 600
LIST_SIZE, LIST_LEADING = 7.5, 9
LIST_PADDING = 3


def _cell(text: str, style: ParagraphStyle) -> TextBlock | str:
    return TextBlock(text, style) if text else ""


def _notes_text(notes: list[str]) -> str:
    text = " · ".join(notes)
    if len(text) <= NOTES_SHOWN:
        return text
    more = len(text) - NOTES_SHOWN
    return (
        text[:NOTES_SHOWN].rstrip()
        + " … "
        + ngettext(
            "(%(count)d more character: see the CSV or Excel download)",
            "(%(count)d more characters: see the CSV or Excel download)",
            more,
        )
        % {"count": more}
    )


def _lead_table_rows(
    rows: Iterable[LeadRow], ratings: dict[str, str], styles: dict[str, ParagraphStyle]
) -> tuple[list[list], list[tuple]]:
    cell = styles["cell"]
    contact_width = CONTENT_W * _LIST_COLUMNS[2] - 2 * LIST_PADDING
    data: list[list] = []
    style: list[tuple] = []
    for index, row in enumerate(rows, start=1):
        name = f"{row.last_name}, {row.first_name}".strip(", ")
        if row.contact_shared:
            contact = "\n".join(
                [*_email_lines(row.email, contact_width), *([row.phone] if row.phone else [])]
            )
        else:
            contact = _("not shared")
            style.append(("TEXTCOLOR", (2, index), (2, index), colors.HexColor(MUTED)))
        data.append(
            [
                _cell("\n".join(value for value in (name, row.job_title) if value), cell),
                _cell(row.company, cell),
                _cell(contact, cell) if row.contact_shared else contact,
                ratings.get(row.rating, ""),
                _scan_times(row),
                str(row.scan_count),
                _cell(_notes_text(row.notes), cell),
            ]
        )
        if row.rating:
            style.append(
                ("TEXTCOLOR", (3, index), (3, index), colors.HexColor(RATING_COLORS[row.rating]))
            )
    return data, style


def _email_lines(email: str, width: float) -> list[str]:
    """An email address on one line, or split before the "@" when it is too long."""
    if not email:
        return []
    if charts.text_width(email, LIST_SIZE) <= width or "@" not in email:
        return [text_fit(email, LIST_SIZE, width)]
    local, domain = email.split("@", 1)
    return [text_fit(local, LIST_SIZE, width), text_fit("@" + domain, LIST_SIZE, width)]


def _scan_times(row: LeadRow) -> str:
    first = row.first_scanned_at.strftime("%d.%m. %H:%M")
    last = row.last_scanned_at.strftime("%d.%m. %H:%M")
    return first if first == last else f"{first}\n{last}"


def _lead_list(
    rows: Iterable[LeadRow], styles: dict[str, ParagraphStyle], *, zone_name: str
) -> list[Flowable]:
    header_style = styles["cell_bold"]
    header = [
        Paragraph(_esc(str(text)), header_style)
        for text in (
            _("Name / job title"),
            _("Company"),
            _("Email / phone"),
            _("Rating"),
            _("First / last scan"),
            _("Scans"),
            _("Notes"),
        )
    ]
    ratings = {"hot": _("hot"), "warm": _("warm"), "cold": _("cold"), "": ""}
    body, row_styles = _lead_table_rows(rows, ratings, styles)
    if not body:
        return [Paragraph(_esc(_("No leads yet.")), styles["muted"])]
    table = LongTable(
        [header, *body], colWidths=[CONTENT_W * share for share in _LIST_COLUMNS], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, LIST_SIZE),
                ("LEADING", (0, 0), (-1, -1), LIST_LEADING),
                ("TEXTCOLOR", (0, 0), (-1, -1), colors.HexColor(INK)),
                ("LINEBELOW", (0, 0), (-1, 0), 0.9, colors.HexColor(BRAND)),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#d5dbe3")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), LIST_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), LIST_PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("ALIGN", (5, 0), (5, -1), "RIGHT"),
                *row_styles,
            ]
        )
    )
    return [table]


# --- documents -------------------------------------------------------------------------------


def exhibitor_report_pdf(*, head: ReportHead, report: LeadReport, rows: Iterable[LeadRow]) -> bytes:
    """One exhibitor's lead report."""
    styles = _styles()
    buffer = io.BytesIO()
    document = _Document(buffer, head=head)
    story: list = [
        *_cover(
            head,
            styles,
            note=_(
                "Contact details appear only for visitors who agreed to share them with "
                "exhibitors; for the others the report shows name and company only."
            ),
        ),
        NextPageTemplate("body"),
        PageBreak(),
        Paragraph(_esc(_("Key figures")), styles["h2"]),
        *(
            [Paragraph(_esc(_("No leads yet: this report is empty.")), styles["base"])]
            if not report.figures.get("leads")
            else []
        ),
        *_key_figures(report, styles, zone_name=head.zone_name),
        Spacer(1, 6 * mm),
        Paragraph(_esc(_("Charts")), styles["h2"]),
        *_report_charts(report, with_devices=True, per_day_hours=True),
        CondPageBreak(90 * mm),
        Spacer(1, 6 * mm),
        Paragraph(_esc(_("Leads")), styles["h2"]),
        Paragraph(
            _esc(
                _("%(count)s leads, the most recent first. Times in %(zone)s.")
                % {"count": _count(report.figures.get("leads")), "zone": head.zone_name}
            ),
            styles["muted"],
        ),
        Spacer(1, 3 * mm),
        *_lead_list(rows, styles, zone_name=head.zone_name),
    ]
    document.build(story)
    return buffer.getvalue()


def _stats_table(stats: list[ExhibitorStats], styles: dict[str, ParagraphStyle]) -> Table:
    """Figures per exhibitor in German dictionary order (Ä with A); headers and company names
    wrap in their cells."""
    header = [
        Paragraph(_esc(str(text)), styles["stats_head"])
        for text in (
            _("Exhibitor"),
            _("Stand"),
            _("Leads"),
            _("hot"),
            _("warm"),
            _("cold"),
            _("Shared"),
            _("Scans"),
            _("Devices"),
        )
    ]
    shares = (0.34, 0.1, 0.08, 0.08, 0.08, 0.08, 0.08, 0.08, 0.08)
    widths = [CONTENT_W * share for share in shares]
    data: list[list] = [header]
    for entry in sorted(stats, key=lambda entry: text_sort_key(entry.company_name)):
        data.append(
            [
                _cell(entry.company_name, styles["stats_cell"]),
                entry.stand_number,
                *(
                    _count(value)
                    for value in (
                        entry.leads,
                        entry.hot,
                        entry.warm,
                        entry.cold,
                        entry.shared_contacts,
                        entry.scans,
                        entry.devices,
                    )
                ),
            ]
        )
    data.append(
        [
            _("Total"),
            "",
            *(
                _count(sum(getattr(entry, name) for entry in stats))
                for name in ("leads", "hot", "warm", "cold", "shared_contacts", "scans", "devices")
            ),
        ]
    )
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8),
                ("FONT", (0, 1), (-1, -1), FONT, 8),
                ("FONT", (0, -1), (-1, -1), FONT_BOLD, 8),
                ("LINEBELOW", (0, 0), (-1, 0), 0.9, colors.HexColor(BRAND)),
                ("LINEBELOW", (0, 1), (-1, -2), 0.3, colors.HexColor("#d5dbe3")),
                ("LINEABOVE", (0, -1), (-1, -1), 0.9, colors.HexColor(INK)),
                ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return table


def _forum_table(sessions: list[SessionResults], styles: dict[str, ParagraphStyle]) -> list:
    """The forum's relevance votes: per session, each presented approach with its votes per
    value (1–5), their number and mean."""
    header = [
        Paragraph(_esc(str(text)), styles["stats_head"])
        for text in (_("Approach"), "1", "2", "3", "4", "5", _("Votes"), _("Mean"))
    ]
    shares = (0.44, 0.07, 0.07, 0.07, 0.07, 0.07, 0.1, 0.11)
    widths = [CONTENT_W * share for share in shares]
    story: list = []
    for result in sessions:
        data: list[list] = [header]
        for item in result.items:
            mean = "–" if item.mean is None else formats.number_format(item.mean, 2)
            data.append(
                [
                    _cell(item.title, styles["stats_cell"]),
                    *(_count(count) for count in item.counts),
                    _count(item.total),
                    mean,
                ]
            )
        table = Table(data, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8),
                    ("FONT", (0, 1), (-1, -1), FONT, 8),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.9, colors.HexColor(BRAND)),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#d5dbe3")),
                    ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        session = result.session
        title = f"{session.code} · {session.title}"
        story.append(
            KeepTogether(
                [
                    Spacer(1, 3 * mm),
                    TextBlock(title, styles["base"], rtl=False),
                    Spacer(1, 1.5 * mm),
                    table,
                ]
            )
        )
    return story


def area_report_pdf(
    *,
    head: ReportHead,
    total: LeadReport,
    stats: list[ExhibitorStats],
    exhibitor_reports: list[tuple[ExhibitorStats, LeadReport]],
    forum: list[SessionResults] | None = None,
) -> bytes:
    """An area's report: area totals with charts, a statistics table, the forum's relevance
    votes (when the area's forum has any), then each exhibitor."""
    styles = _styles()
    buffer = io.BytesIO()
    document = _Document(buffer, head=head)
    ranking = charts.ranking_chart(
        _("Leads per exhibitor"),
        [(entry.company_name, entry.leads) for entry in sorted(stats, key=lambda e: -e.leads)][:15],
    )
    story: list = [
        *_cover(
            head,
            styles,
            note=_(
                "This report holds figures only; it contains no visitor's contact details. "
                "Interest topics count visitors who agreed to share their details."
            ),
        ),
        NextPageTemplate("body"),
        PageBreak(),
        Paragraph(_esc(_("Area total")), styles["h2"]),
        *_key_figures(total, styles, zone_name=head.zone_name),
        Spacer(1, 6 * mm),
        *_report_charts(total, with_devices=False, per_day_hours=True),
        Spacer(1, 5 * mm),
        charts.chart_drawing(ranking, width=CONTENT_W, height=charts.bars_height(ranking)),
        CondPageBreak(60 * mm),
        Paragraph(_esc(_("Exhibitors")), styles["h2"]),
        _stats_table(stats, styles),
    ]
    if not stats:
        story.append(
            Paragraph(_esc(_("No exhibitors with leads in this area yet.")), styles["muted"])
        )
    if forum:
        story.append(CondPageBreak(60 * mm))
        story.append(Paragraph(_esc(_("Forum: relevance votes")), styles["h2"]))
        story += _forum_table(forum, styles)
    for entry, report in sorted(
        exhibitor_reports, key=lambda pair: text_sort_key(pair[0].company_name)
    ):
        story.append(CondPageBreak(125 * mm))
        story.append(Spacer(1, 4 * mm))
        title = entry.company_name + (
            f" · {_('Stand')} {entry.stand_number}" if entry.stand_number else ""
        )
        story.append(
            KeepTogether(
                [
                    TextBlock(title, styles["h2"], rtl=False),
                    *_key_figures(report, styles, zone_name=head.zone_name),
                    Spacer(1, 5 * mm),
                ]
            )
        )
        story += _report_charts(report, with_devices=True, per_day_hours=False)
    document.build(story)
    return buffer.getvalue()
