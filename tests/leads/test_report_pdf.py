"""PDF reports: text extracted with pypdfium2, one page rasterised, privacy kept."""

import pypdfium2 as pdfium
from django.utils import translation

from leads.reports import area_report_document, exhibitor_report_document
from tests.leads import report_fixtures

world = report_fixtures.world  # the fixture, for this module


def _texts(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    return [pdf[index].get_textpage().get_text_range() for index in range(len(pdf))]


def test_exhibitor_report_has_cover_figures_charts_and_lead_list(world):
    with translation.override("en"):
        data = exhibitor_report_document(exhibitor=world.exhibitor)
    assert data.startswith(b"%PDF")
    pages = _texts(data)
    assert len(pages) >= 3
    cover, figures = pages[0], pages[1]
    assert "Lead report" in cover
    assert "Wärmewerk Dortmund GmbH" in cover
    assert world.exhibitor.stand.number in cover
    assert "Elektrotechnik 2019" in cover
    assert "13.02.2019" in cover or "13 Feb 2019" in cover
    assert "Key figures" in figures
    assert "Leads per day" in figures and "Rating" in figures
    assert "Leads per hour" in figures and "Top interest topics" in figures
    assert "Smart parking" in figures
    assert "Anna's iPhone" in figures
    lead_list = "\n".join(pages[2:])
    assert "Groß, Jürgen" in lead_list
    assert "Иванов, Дмитрий" in lead_list
    assert "ООО Умный город" in lead_list
    # A long address is split before the "@", never cut.
    assert "juergen.gross@stadtwerke.example" in lead_list.replace("\r\n@", "@")
    assert "Möchte ein Angebot" in lead_list
    assert "13.02. 10:15" in lead_list


def test_exhibitor_report_shows_no_unshared_or_foreign_data(world):
    text = "\n".join(_texts(exhibitor_report_document(exhibitor=world.exhibitor)))
    for secret in ("secret.ivanov@example.ru", "+7 495 000000", "Geheimer Titel"):
        assert secret not in text
    assert "Fremdkunde" not in text and "Konkurrenz" not in text


def test_key_figures_are_printed(world):
    with translation.override("de"):
        figures = _texts(exhibitor_report_document(exhibitor=world.exhibitor))[1]
    # leads, scans, hot, warm, cold, contact details shared, devices
    assert "4 5 1 1 1 3 2" in figures
    # first and last scan in Europe/Berlin
    assert "13.02.2019 10:15" in figures and "15.02.2019 11:00" in figures


def test_rasterised_chart_page_has_the_brand_colored_bars(world):
    data = exhibitor_report_document(exhibitor=world.exhibitor)
    page = pdfium.PdfDocument(data)[1]
    image = page.render(scale=1).to_pil().convert("RGB")
    colors = image.getcolors(maxcolors=1_000_000)
    brand = sum(count for count, rgb in colors if rgb == (11, 92, 173))
    hot = sum(count for count, rgb in colors if rgb == (198, 40, 40))
    assert brand > 500, "the per-day and per-hour bars are drawn"
    assert hot > 50, "the rating chart has a 'hot' bar"


def test_area_report_has_totals_each_exhibitor_and_no_contact_data(world):
    with translation.override("en"):
        data = area_report_document(area=world.area)
    pages = _texts(data)
    text = "\n".join(pages)
    assert "Area report" in pages[0] and "Smart City" in pages[0]
    assert "Area total" in text and "Leads per exhibitor" in text
    assert "Wärmewerk Dortmund GmbH" in text and "Konkurrenz AG" in text
    assert "Total" in text
    for contact in ("juergen.gross@stadtwerke.example", "Groß", "Иванов", "Fremdkunde"):
        assert contact not in text


def test_area_report_shows_the_forums_relevance_votes(world):
    from badges.forum.voting import vote_cast
    from tests import factories
    from tests.forum_factories import make_session, open_item

    session = make_session(fair=world.area.fair, items=2, title_en="Smart parking pilots")
    item = open_item(session)
    for value in (5, 4, 4):
        vote_cast(
            attendee=factories.make_attendee(fair=world.area.fair), item_id=item.pk, value=value
        )
    with translation.override("en"):
        text = "\n".join(_texts(area_report_document(area=world.area)))
    assert "Forum: relevance votes" in text
    assert "Smart parking pilots" in text
    assert "Approach 1" in text and "4.33" in text, "the item's mean of 5, 4, 4"


def test_area_report_without_a_forum_has_no_forum_section(world):
    with translation.override("en"):
        text = "\n".join(_texts(area_report_document(area=world.area)))
    assert "Forum" not in text
