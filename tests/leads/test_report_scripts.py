"""Lead reports in every script: chart labels are set with the badges' fallback faces (read back
from the PDF, rasterised to prove they are not blank)."""

import unicodedata
from collections import Counter

import pypdfium2 as pdfium
from django.utils import translation
from reportlab.graphics import renderPDF

from fair.models import Topic
from leads import charts
from leads.reports import exhibitor_report_document
from tests.badges.test_scripts import SCRIPT_NAMES
from tests.leads import report_fixtures

world = report_fixtures.world

# Scripts whose glyphs a PDF holds in visual order (Devanagari vowel signs before their
# consonant) or apart (a Thai tone mark moved left over a tall consonant is read back on a
# line of its own): compared as multisets of characters.
_REORDERED = {"devanagari", "thai"}


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
