"""Lead reports in every script: chart labels are set with the badges' fallback faces (read back
from the PDF, rasterised to prove they are not blank), and a wrapped right-to-left text keeps
its lines in reading order (the first words on the first line)."""

import io
import unicodedata
from collections import Counter

import pypdfium2 as pdfium
from django.utils import translation
from reportlab.graphics import renderPDF
from reportlab.platypus import SimpleDocTemplate, Table

from fair.models import Topic
from leads import charts, report_pdf
from leads.models import LeadNote
from leads.reports import exhibitor_report_document
from tests.badges.test_scripts import SCRIPT_NAMES
from tests.leads import report_fixtures

world = report_fixtures.world

# Scripts whose glyphs a PDF holds in visual order (Devanagari vowel signs before their
# consonant) or apart (a Thai tone mark moved left over a tall consonant is read back on a
# line of its own): compared as multisets of characters.
_REORDERED = {"devanagari", "thai"}

NOTE_AR = (
    "يرغب العميل في عرض سعر لنظام الطاقة الشمسية الكامل مع التركيب والصيانة لمدة خمس "
    "سنوات ويطلب الاتصال به بعد المعرض مباشرة"
)
NOTE_HE = (
    "הלקוח מבקש הצעת מחיר למערכת סולארית מלאה כולל התקנה ותחזוקה לחמש שנים ויש לחזור "
    "אליו מיד אחרי התערוכה"
)
COMPANY_HE = "חברת החשמל והאנרגיה המתחדשת של ישראל בעמ"


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).replace("\u200b", "").split())


def _assert_reads_back(label: str, text: str) -> None:
    assert _clean(label) in _clean(text), (label, text)


def _page_lines(data: bytes, page: int = 0, *, left: float = 0, right: float = 10_000) -> list[str]:
    """The text lines of a page between two x positions, top to bottom."""
    pdf = pdfium.PdfDocument(data)
    try:
        text_page = pdf[page].get_textpage()
        text = text_page.get_text_bounded(left=left, right=right)
    finally:
        pdf.close()
    return [line for line in (_clean(line) for line in text.splitlines()) if line]


def _assert_lines_in_reading_order(lines: list[str], text: str) -> None:
    """The words of ``text`` come, line by line from the top, in their logical order."""
    words = _clean(text).split()
    shown = [word for line in lines for word in line.split() if word in words]
    assert len(lines) >= 2 and shown == words, lines


def test_chart_labels_of_every_script_read_back_from_the_pdf_and_are_not_blank():
    companies = [names[2] for names in SCRIPT_NAMES.values()]
    chart = charts.ranking_chart(
        "Firmen", [(name, index + 1) for index, name in enumerate(companies)]
    )
    width, height = 420, charts.bars_height(chart)
    data = renderPDF.drawToString(charts.chart_drawing(chart, width=width, height=height))
    text = "\n".join(_page_lines(data))
    for script, company in zip(SCRIPT_NAMES, companies, strict=True):
        if script in _REORDERED:
            assert not Counter(company.replace(" ", "")) - Counter(text), (script, text)
        else:
            _assert_reads_back(company, text)
    # Every label has ink where it is drawn: left of the bars, on its row.
    pdf = pdfium.PdfDocument(data)
    scale = 3
    image = pdf[0].render(scale=scale).to_pil().convert("L")
    pdf.close()
    labels = [
        shape
        for shape in charts.chart_shapes(chart, width=width, height=height).items
        if isinstance(shape, charts.Label) and shape.anchor == "end"
    ]
    assert len(labels) == len(companies)
    for label, company in zip(labels, companies, strict=True):
        box = (
            (label.x - charts.text_width(label.text, label.size)) * scale,
            (label.y - label.size) * scale,
            label.x * scale,
            (label.y + label.size * 0.3) * scale,
        )
        area = image.crop(tuple(int(value) for value in box))
        dark = sum(area.histogram()[:128]) / (area.width * area.height)
        assert dark > 0.03, company


def test_right_to_left_chart_labels_are_drawn_right_to_left():
    chart = charts.ranking_chart("Geräte", [("Siemens مصر", 2)])
    drawing = charts.chart_drawing(chart, width=300, height=charts.bars_height(chart))
    labels = [
        shape.contents for shape in drawing.contents[0].contents if hasattr(shape, "contents")
    ]
    # The label is two runs: the Latin word first (at the left), the Arabic one after it.
    label = next(strings for strings in labels if len(strings) == 2)
    assert [string.fontName for string in label] == ["FairleadRoboto", "FairleadArabic-Regular"]
    assert label[0].text.strip() == "Siemens" and label[0].x < label[1].x
    # Its letters joined and drawn right to left: the word's end (final form) at the left,
    # its initial meem at the right.
    glyphs = [unicodedata.name(char) for char in label[1].text]
    assert glyphs[0].endswith("FINAL FORM") and glyphs[-1] == "ARABIC LETTER MEEM INITIAL FORM"


def test_report_charts_show_device_and_topic_names_in_every_script(world):
    world.device.label = "جهاز المنصة"
    world.device.save()
    world.device2.label = "טאבלט הדוכן"
    world.device2.save()
    # The two topics that visitors who share their details chose (the chart counts only those).
    names = {"智能停车": 0, "ენერგეტიკა": 1}
    topics = list(Topic.objects.filter(area=world.area).order_by("position"))
    for name, index in names.items():
        topics[index].name_de = topics[index].name_en = name
        topics[index].save()
    with translation.override("en"):
        data = exhibitor_report_document(exhibitor=world.exhibitor)
    text = "\n".join(_page_lines(data, page=1))
    for label in ("جهاز المنصة", "טאבלט הדוכן", *names):
        _assert_reads_back(label, text)


def _cells_pdf(texts: list[str], *, width: float) -> bytes:
    styles = report_pdf._styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer)
    rows = [[report_pdf._cell(text, styles["cell"])] for text in texts]
    document.build([Table(rows, colWidths=[width])])
    return buffer.getvalue()


def test_wrapped_right_to_left_cell_shows_its_first_words_on_its_first_line():
    for text in (NOTE_AR, NOTE_HE, COMPANY_HE):
        lines = _page_lines(_cells_pdf([text], width=120))
        _assert_lines_in_reading_order(lines, text)


def test_wrapped_right_to_left_note_and_company_read_in_order_in_the_lead_list(world):
    lead = world.leads["shared"]
    lead.attendee.company = COMPANY_HE
    # "Eliyahu, Yosef": a Hebrew word and a Roboto comma in one word made ReportLab's
    # paragraph shaping fail.
    lead.attendee.last_name, lead.attendee.first_name = "אליהו", "יוסף"
    lead.attendee.save()
    LeadNote.objects.filter(lead=lead).delete()
    LeadNote.objects.create(lead=lead, text=NOTE_AR, written_at=lead.last_scanned_at)
    with translation.override("en"):
        data = exhibitor_report_document(exhibitor=world.exhibitor)
    page = next(
        index
        for index in range(2, 10)
        if "Name / job title" in " ".join(_page_lines(data, page=index))
    )
    columns = [report_pdf.CONTENT_W * share for share in report_pdf._LIST_COLUMNS]
    company_left = report_pdf.MARGIN + columns[0]
    notes_left = report_pdf.MARGIN + sum(columns[:6])
    company = _page_lines(data, page, left=company_left, right=company_left + columns[1])
    notes = _page_lines(data, page, left=notes_left, right=notes_left + columns[6])
    _assert_lines_in_reading_order(company, COMPANY_HE)
    _assert_lines_in_reading_order(notes, NOTE_AR)
    names = _page_lines(data, page, left=report_pdf.MARGIN, right=company_left)
    assert "אליהו, יוסף" in names, names


def test_page_footer_of_an_arabic_company_shows_its_name_and_the_page_number(world):
    world.exhibitor.company_name = "شركة الكهرباء"
    world.exhibitor.save()
    with translation.override("en"):
        data = exhibitor_report_document(exhibitor=world.exhibitor)
    footer = next(line for line in _page_lines(data, page=1) if line.startswith("Lead report"))
    # (pdfium reads a right-to-left run inside a left-to-right line in drawing order)
    assert footer == "Lead report · الكهرباء شركة Page 2"
    # Drawn in the faces that have the letters: Arabic shaped, "Page" in Roboto.
    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[1]
        fonts = {
            obj.get_font().get_base_name().split("+")[-1]
            for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_TEXT])
        }
    finally:
        pdf.close()
    assert {"Roboto-Regular", "NotoSansArabic-Regular"} <= fonts, fonts
