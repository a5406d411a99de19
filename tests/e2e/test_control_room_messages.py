"""Messages to exhibitors from the control room in Chromium, in German and English at
1280 × 800: choose "approved, no staff yet" in one area, preview the recipients, send; each
exhibitor's mail is in their language and the message shows in the list of sent messages."""

import pytest
from django.core import mail
from django.urls import reverse

from exhibitors.models import ExhibitorMessage
from tests import factories
from tests.e2e.portal_journey import DESKTOP, PageWatch, log_in, screenshot, step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "organizer-secret-9"


@pytest.fixture
def exhibitors(db):
    area = factories.make_area(fair=factories.make_fair())
    organizer = factories.make_organizer(username="orga", email="orga@messe.example")
    organizer.set_password(PASSWORD)
    organizer.save()
    staffed = factories.make_approved_exhibitor(area=area, company_name="Mit Personal AG")
    factories.make_staff_member(exhibitor=staffed)
    german = factories.make_approved_exhibitor(area=area, company_name="Ampelwerk GmbH")
    english = factories.make_approved_exhibitor(
        area=area, company_name="Bridgeworks Ltd", language="en"
    )
    return {"area": area, "german": german, "english": english}


@pytest.mark.parametrize("language", ["de", "en"])
def test_preview_and_send_a_message(browser, live_server, exhibitors, language):
    area = exhibitors["area"]
    watch = PageWatch()
    context = browser.new_context(
        viewport=DESKTOP,
        locale="de-DE" if language == "de" else "en-GB",
        timezone_id="Europe/Berlin",
    )
    watch.attach(context)
    page = context.new_page()
    with step(page, f"control-room-messages-{language}"):
        log_in(page, live_server.url, "orga", PASSWORD)
        page.goto(f"{live_server.url}{reverse('organizer_exhibitor_messages:index')}")
        page.select_option("#id_fair", str(area.fair_id))
        page.select_option("#id_area", str(area.pk))
        page.select_option("#id_state", "approved")
        page.check("#id_without_staff")
        page.fill("#id_subject_de", "Aufbau ab Montag")
        page.fill("#id_body_de", "Der Aufbau beginnt am 11.02. um 7 Uhr.")
        page.fill("#id_subject_en", "Build-up from Monday")
        page.fill("#id_body_en", "Build-up starts on 11 Feb at 7 am.")
        page.click("button[name=preview]")
        page.wait_for_load_state("networkidle")
        preview = page.inner_text("#recipients-preview")
        assert "2" in preview and "Ampelwerk GmbH" in preview and "Mit Personal" not in preview
        assert not ExhibitorMessage.objects.exists()
        watch.check(page)
        screenshot(page, f"control-room-messages-preview-{language}")

        page.click("button[name=send]")
        page.wait_for_load_state("networkidle")
        assert ExhibitorMessage.objects.get().recipient_count == 2
        subjects = {message.to[0]: message.subject for message in mail.outbox}
        assert subjects == {
            exhibitors["german"].contact_email: "Aufbau ab Montag",
            exhibitors["english"].contact_email: "Build-up from Monday",
        }
        assert "Aufbau ab Montag" in page.inner_text("#sent-messages")
        watch.check(page)
        screenshot(page, f"control-room-messages-sent-{language}")
    context.close()
