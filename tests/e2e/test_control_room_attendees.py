"""The control room's attendee desk in Chromium, through the real server, in German and in
English at 1280 × 800: the import wizard with a file as German Excel saves it (semicolons,
Windows-1252, decimal commas) → columns → dry run with a rejected row → import; then find an
attendee and reprint their badge (the PDF's QR code read back); the privacy desk with an
erasure request confirmed. Also the attendee list on a tablet, and an import of several
chunks: its progress bar, a lost answer, and a reload mid-way. Every page is checked for
console errors and CSP violations; screenshots with FAIRLEAD_SCREENSHOTS=1.
"""

from pathlib import Path

import pytest
from django.urls import reverse

from badges.models import Attendee, AttendeeImportChunk, Badge, ErasureRequest
from badges.privacy import erasure_request
from tests import factories
from tests.e2e.portal_journey import DESKTOP, PageWatch, log_in, pdf_qr_codes, screenshot, step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "organizer-secret-9"
TABLET = {"width": 820, "height": 1180}

GERMAN_EXCEL = (
    "Ticketnummer;Vorname;Nachname;E-Mail-Adresse;Unternehmen;Ticketart;Betrag\r\n"
    "T-101;Jürgen;Müßig;jm@example.org;Groß – Straßenbau GmbH;Besucher;12,50\r\n"
    "T-102;Zoë;Öhler;zo@example.org;Café „Zur Börse“;Presse;0,00\r\n"
    "T-103;Ohne;Adresse;keine-adresse;Nirgendwo AG;Besucher;3,00\r\n"
).encode("cp1252")


@pytest.fixture
def desk(db):
    fair = factories.make_fair()
    factories.make_area(fair=fair)
    organizer = factories.make_organizer(username="orga", email="orga@messe.example")
    organizer.set_password(PASSWORD)
    organizer.save()
    waiting = factories.make_attendee(fair=fair, first_name="Lena", last_name="Löschwunsch")
    factories.make_badge(attendee=waiting)
    erasure_request(attendee=waiting)
    return {"fair": fair}


def open_page(browser, *, viewport, locale):
    watch = PageWatch()
    context = browser.new_context(
        viewport=viewport, locale=locale, timezone_id="Europe/Berlin", accept_downloads=True
    )
    watch.attach(context)
    return context, context.new_page(), watch


def submit_main(page, selector: str) -> None:
    page.locator(selector).first.click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("language", ["de", "en"])
def test_import_search_and_reprint(browser, live_server, desk, language):
    base, fair = live_server.url, desk["fair"]
    context, page, watch = open_page(
        browser, viewport=DESKTOP, locale="de-DE" if language == "de" else "en-GB"
    )

    with step(page, f"control-room-login-{language}"):
        log_in(page, base, "orga", PASSWORD)
        page.goto(f"{base}{reverse('organizer_attendees:import_upload')}?fair={fair.pk}")
        assert page.locator("html").get_attribute("lang") == language
        watch.check(page)
        screenshot(page, f"control-room-import-upload-{language}")

    with step(page, f"control-room-import-upload-{language}"):
        page.set_input_files(
            "#id_file",
            files=[{"name": "tickets.csv", "mimeType": "text/csv", "buffer": GERMAN_EXCEL}],
        )
        submit_main(page, "main form button[type=submit]")
        assert page.url.endswith(reverse("organizer_attendees:import_mapping"))
        mapping = page.inner_text("#import-mapping")
        assert "Müßig" in mapping and "12,50" in mapping  # cp1252 read, decimal comma kept
        assert page.input_value("select[name=col_5]") == "category"
        assert page.input_value("select[name=col_6]") == ""
        watch.check(page)
        screenshot(page, f"control-room-import-mapping-{language}")

    with step(page, f"control-room-import-check-{language}"):
        submit_main(page, "main form button[type=submit]")
        page.wait_for_selector("#import-rows")  # after the dry run's progress page
        assert page.url.endswith(reverse("organizer_attendees:import_check"))
        rows = page.inner_text("#import-rows")
        assert "keine-adresse" in rows
        assert not Attendee.objects.filter(external_id__startswith="T-1").exists()
        watch.check(page)
        screenshot(page, f"control-room-import-check-{language}")

    with step(page, f"control-room-import-done-{language}"):
        submit_main(page, "button[name=import]")
        page.wait_for_selector("#import-figures")
        assert set(
            Attendee.objects.filter(fair=fair, external_id__startswith="T-1").values_list(
                "last_name", "category"
            )
        ) == {("Müßig", "visitor"), ("Öhler", "press")}
        assert page.inner_text("#import-figures").split()[0] == "2"
        watch.check(page)
        screenshot(page, f"control-room-import-done-{language}")

    with step(page, f"control-room-search-{language}"):
        page.goto(f"{base}{reverse('organizer_attendees:list')}?fair={fair.pk}")
        page.fill("#id_q", "Straßenbau")
        submit_main(page, "form[role=search] button[type=submit]")
        listing = page.inner_text("#attendee-list")
        assert "Müßig" in listing and "Öhler" not in listing
        watch.check(page)
        screenshot(page, f"control-room-attendees-{language}")

    with step(page, f"control-room-reprint-{language}"):
        page.click("#attendee-list a")
        attendee = Attendee.objects.get(fair=fair, external_id="T-101")
        badge = Badge.objects.get(attendee=attendee, state=Badge.State.ACTIVE)
        assert badge.printed_at is None
        watch.check(page)
        screenshot(page, f"control-room-attendees-detail-{language}")
        with page.expect_download() as info:
            page.click("button[name=reprint]")
        download = info.value
        assert download.suggested_filename.endswith(".pdf")
        pdf = Path(download.path()).read_bytes()
        assert pdf.startswith(b"%PDF")
        assert pdf_qr_codes(pdf) == [badge.qr_content]
        badge.refresh_from_db()
        assert badge.printed_at is not None

    with step(page, f"control-room-privacy-{language}"):
        page.goto(f"{base}{reverse('organizer_privacy:desk')}")
        assert "Löschwunsch" in page.inner_text("#erasure-pending")
        watch.check(page)
        screenshot(page, f"control-room-privacy-{language}")
        page.click("#erasure-pending a.danger")
        assert "Löschwunsch" in page.inner_text("main")
        watch.check(page)
        submit_main(page, "button[name=erase]")
        assert ErasureRequest.objects.get().state == ErasureRequest.State.COMPLETED
        assert "Löschwunsch" not in page.content()
        watch.check(page)
    context.close()


def test_attendee_list_on_a_tablet(browser, live_server, desk):
    fair = desk["fair"]
    for _ in range(3):
        factories.make_badge(fair=fair)
    context, page, watch = open_page(browser, viewport=TABLET, locale="de-DE")
    with step(page, "control-room-tablet"):
        log_in(page, live_server.url, "orga", PASSWORD)
        page.goto(f"{live_server.url}{reverse('organizer_attendees:list')}?fair={fair.pk}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= TABLET["width"], width  # no sideways scrolling of the page
        watch.check(page)
        screenshot(page, "control-room-attendees-tablet")
    context.close()


def test_import_of_several_chunks_shows_progress_and_survives_a_lost_answer_and_a_reload(
    browser, live_server, desk, settings
):
    settings.FAIRLEAD_IMPORT_CHUNK_ROWS = 3
    base, fair = live_server.url, desk["fair"]
    lines = ["Ticketnummer;Vorname;Nachname;E-Mail-Adresse"]
    lines += [f"C-{n};Vor{n};Nach{n};c{n}@example.org" for n in range(12)]  # four chunks
    context, page, watch = open_page(browser, viewport=DESKTOP, locale="en-GB")
    run_url = f"{base}{reverse('organizer_attendees:import_run')}"
    answers: list[dict] = []

    def record(route):
        response = route.fetch()
        answers.append(response.json())
        route.fulfill(response=response)

    page.route(run_url, record)
    log_in(page, base, "orga", PASSWORD)
    page.goto(f"{base}{reverse('organizer_attendees:import_upload')}?fair={fair.pk}")
    page.set_input_files(
        "#id_file",
        files=[{"name": "big.csv", "mimeType": "text/csv", "buffer": "\r\n".join(lines).encode()}],
    )
    submit_main(page, "main form button[type=submit]")
    submit_main(page, "main form button[type=submit]")  # the columns as proposed

    page.wait_for_selector("#import-rows")
    assert [answer["done"] for answer in answers] == [3, 6, 9, 12]
    assert answers[0]["label"] == "3 of 12 rows"
    assert "12" in page.inner_text("#import-figures")
    watch.check(page)

    # The import: the answer to chunk 1 is lost after the server did its work (the page sends
    # it again), then every request fails until the page is reloaded.
    page.unroute(run_url)
    sent: list[str] = []

    def lose(route):
        sent.append(route.request.post_data or "")
        if len(sent) == 1:
            route.continue_()
        elif len(sent) == 2:
            route.fetch()  # the server does chunk 1; its answer never arrives
            route.abort()
        elif len(sent) <= 3:
            route.continue_()  # chunk 1 again: answered from its stored result
        else:
            route.abort()

    page.route(run_url, lose)
    page.click("button[name=import]")
    page.wait_for_function("() => document.getElementById('import-progress').value === 6")
    page.wait_for_selector("#import-progress-error:not([hidden])")  # chunk 2 failed
    page.unroute(run_url)
    assert len(sent) >= 4  # chunk 0, chunk 1 lost, chunk 1 again, then failures
    assert watch.problems and all("net::ERR_FAILED" in problem for problem in watch.problems)
    watch.problems.clear()  # the requests this test made fail, and nothing else
    page.reload()
    assert page.input_value("#import-run input[name=chunk]") in {"2", "3"}
    page.wait_for_selector("#import-figures")

    assert Attendee.objects.filter(fair=fair, external_id__startswith="C-").count() == 12
    assert Badge.objects.filter(attendee__external_id__startswith="C-").count() == 12
    assert AttendeeImportChunk.objects.filter(dry_run=False).count() == 4
    assert page.inner_text("#import-figures").split()[0] == "12"
    page.reload()  # the results stay
    assert page.inner_text("#import-figures").split()[0] == "12"
    watch.check(page)
    context.close()
