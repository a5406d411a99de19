"""PDF report layout: headers never overlap, the header row repeats only at page breaks,
long text wraps, an empty report says so, exhibitors sort in German order, and the worst lead
the API accepts makes a bounded report."""

import time

import pypdfium2 as pdfium
import pytest
from django.utils import translation

from exhibitors.models import Exhibitor
from leads import report_pdf
from leads.charts import FONT_BOLD, text_width
from leads.models import LeadNote
from leads.reports import area_report_document, exhibitor_report_document
from leads.services.lead_data import ANSWER_MAX_LENGTH, NOTE_MAX_LENGTH, TAG_MAX_LENGTH, TAGS_MAX
from tests import factories
from tests.leads import report_fixtures

world = report_fixtures.world

LIST_HEADERS = {
    "de": ["Name / Position", "Firma", "E-Mail / Telefon", "Bewertung", "Erster / letzter Scan"],
    "en": ["Name / job title", "Company", "Email / phone", "Rating", "First / last scan"],
}


def _pages(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    try:
        return [pdf[index].get_textpage().get_text_range() for index in range(len(pdf))]
    finally:
        pdf.close()


def _boxes(data: bytes, page_index: int, needle: str) -> list[tuple[float, float, float, float]]:
    pdf = pdfium.PdfDocument(data)
    try:
        text_page = pdf[page_index].get_textpage()
        text = text_page.get_text_range()
        start = text.find(needle)
        assert start >= 0, needle
        return [text_page.get_charbox(index) for index in range(start, start + len(needle))]
    finally:
        pdf.close()


@pytest.mark.parametrize("language", ["de", "en"])
def test_list_header_cells_do_not_overlap(world, language):
    with translation.override(language):
        data = exhibitor_report_document(exhibitor=world.exhibitor)
        headers = LIST_HEADERS[language]
    pages = _pages(data)
    page = next(index for index, text in enumerate(pages) if headers[0] in text)
    # Each header word sits left of the next column's first word, on the list page.
    rating, scans = headers[3], headers[4].split()[0]
    rating_right = max(box[2] for box in _boxes(data, page, rating))
    scans_left = min(box[0] for box in _boxes(data, page, scans))
    assert rating_right < scans_left
    assert rating + scans not in pages[page].replace("\r\n", "")


def test_every_list_header_fits_its_column_in_german():
    widths = [report_pdf.CONTENT_W * share - 6 for share in report_pdf._LIST_COLUMNS]
    with translation.override("de"):
        for text, width in zip(LIST_HEADERS["de"], widths, strict=False):
            longest_word = max(text.split(), key=len)
            assert text_width(longest_word, report_pdf.LIST_SIZE, bold=True) <= width, text
    assert FONT_BOLD


def test_header_row_repeats_only_at_page_breaks(world):
    report_fixtures.many_leads(exhibitor=world.exhibitor, device=world.device, count=120)
    with translation.override("en"):
        pages = _pages(exhibitor_report_document(exhibitor=world.exhibitor))
    list_pages = [text for text in pages if "Name / job title" in text]
    assert len(list_pages) >= 3
    assert all(text.count("Name / job title") == 1 for text in list_pages)
    # No list page without its header: every page after the first list page has one.
    first = pages.index(list_pages[0])
    assert len(list_pages) == len(pages) - first


def test_long_company_and_notes_wrap_instead_of_being_cut(world):
    lead = world.leads["shared"]
    lead.attendee.company = "Überlandwerk Groß-Gerau Energie- und Wasserversorgungsgesellschaft mbH"
    lead.attendee.save()
    note = "Rückruf vereinbart; " * 15  # 300 characters
    LeadNote.objects.create(lead=lead, text=note.strip(), written_at=lead.last_scanned_at)
    with translation.override("en"):
        text = "".join(_pages(exhibitor_report_document(exhibitor=world.exhibitor)))
    # Words wrap onto the next line (a word longer than the column is split): no ellipsis.
    solid = "".join(text.replace("\ufffe", "-").split())  # pdfium: line-end hyphen = U+FFFE
    assert "Energie-undWasserversorgungsgesellschaftmbH" in solid
    assert solid.count("Rückrufvereinbart;") >= 15
    assert "morecharacters" not in solid


def test_empty_exhibitor_report_says_so(world):
    exhibitor = factories.make_approved_exhibitor(area=world.area, company_name="Leer GmbH")
    with translation.override("en"):
        pages = _pages(exhibitor_report_document(exhibitor=exhibitor))
    text = "".join(pages)
    assert "No leads yet: this report is empty." in text
    assert "No leads yet." in text


def test_area_report_lists_exhibitors_in_german_order(world):
    area = world.area
    for name in ("Zander AG", "Ärzte-Energie eG", "Apfel Solar GmbH"):
        factories.make_approved_exhibitor(area=area, company_name=name)
    with translation.override("de"):
        text = "".join(_pages(area_report_document(area=area)))
    flat = " ".join(text.split())
    table = flat[flat.index("Stand Leads") : flat.index("Gesamt")]
    positions = [
        table.index(name) for name in ("Apfel Solar", "Ärzte-Energie", "Konkurrenz", "Zander")
    ]
    assert positions == sorted(positions)


def test_worst_lead_the_api_accepts_gives_a_bounded_report(world, capsys):
    lead = world.leads["shared"]
    lead.tags = [f"{index:02d}" + "t" * (TAG_MAX_LENGTH - 2) for index in range(TAGS_MAX)]
    lead.answers = {str(question.id): "a" * ANSWER_MAX_LENGTH for question in world.questions}
    lead.save()
    LeadNote.objects.bulk_create(
        LeadNote(
            lead=lead,
            text=("n" * 99 + " ") * (NOTE_MAX_LENGTH // 100),
            written_at=lead.last_scanned_at,
        )
        for _ in range(100)
    )
    Exhibitor.objects.filter(pk=world.exhibitor.pk).update()
    started = time.perf_counter()
    with translation.override("en"):
        data = exhibitor_report_document(exhibitor=world.exhibitor)
    seconds = time.perf_counter() - started
    pages = _pages(data)
    # Work is bounded: 400,000 characters of notes do not make 400,000 characters of table.
    assert len(pages) <= 5
    text = " ".join("".join(pages).split())
    assert "more characters: see the CSV or Excel download" in text
    with capsys.disabled():
        print(
            f"\nworst lead report: {len(pages)} pages, {len(data) / 1024:.0f} KiB, {seconds:.2f} s"
        )
