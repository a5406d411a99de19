"""One organizer's walk through the control room, in Chromium through the real server:
review a registration → approve it with a note → move it to another stand by clicking the
hall plan → (the exhibitor adds two people to the stand staff in the portal) → print that
exhibitor's staff badges from the review page (every QR code on the PDF decoded, every name
read back from its text).

In German and English, at a desk (1280 × 800) and on a tablet held sideways (1024 × 768).
Every page is checked for console errors and CSP violations; a failing step leaves a
screenshot. With FAIRLEAD_SCREENSHOTS=1 each step is saved as
docs/screenshots/journey-<step>-<language>-<width>.png (linked from the README), and the
printed sheet of staff badges as journey-6-badges-<language>.png.
"""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from badges.models import Badge
from exhibitors.models import Exhibitor
from tests import factories
from tests.e2e.portal_journey import (
    PageWatch,
    log_in,
    pdf_qr_codes,
    pdf_screenshot,
    pdf_text,
    screenshot,
    step,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "organizer-secret-9"
EXHIBITOR_PASSWORD = "exhibitor-secret-9"
NOTE = "Willkommen in der Smart City!"
SIZES = {1280: {"width": 1280, "height": 800}, 1024: {"width": 1024, "height": 768}}
# (first name, last name): Latin with diacritics, Turkish, Chinese (family name first on the
# badge is the badge's business; the PDF text must hold both parts).
STAFF = [("Zoë", "Ładowarka"), ("Ayşe", "Yılmaz"), ("伟", "张")]
WORDS = {
    "de": {
        "approve": "Zulassen und Stand zuweisen",
        "approved_by": r"Zugelassen von orga, \d\d\.\d\d\.\d{4} \d\d:\d\d — " + NOTE,
        "plan": "Stand im Hallenplan zuweisen",
        "print": "Ihre Ausstellerausweise drucken",
        "staff": "3 von 10",
    },
    "en": {
        "approve": "Approve and assign a stand",
        "approved_by": r"Approved by orga, \d{1,2} \w{3} \d{4}, \d\d:\d\d — " + NOTE,
        "plan": "Assign a stand on the hall plan",
        "print": "Print their staff badges",
        "staff": "3 of 10",
    },
}


@pytest.fixture
def season(db):
    """A Smart City area with a drawn plan of four stands (one taken), a registration waiting
    for review whose contact already has a portal account, and an organizer."""
    area = factories.make_area(name="Smart City")
    organizer = factories.make_organizer(username="orga", email="orga@messe.example")
    organizer.set_password(PASSWORD)
    organizer.save()
    stands = {
        number: factories.make_stand(
            area=area,
            number=number,
            width_m=Decimal("5"),
            depth_m=Decimal("4"),
            x_m=Decimal(x),
            y_m=Decimal("2"),
            open_sides="N",
        )
        for number, x in (("3.Q01", "2"), ("3.Q02", "8"), ("3.Q03", "14"), ("3.Q04", "20"))
    }
    factories.make_approved_exhibitor(
        area=area, stand=stands["3.Q04"], company_name="Sensorik Nachbar GmbH"
    )
    applicant = factories.make_exhibitor(
        area=area,
        company_name="Ampelwerk Alpha GmbH",
        contact_email="alpha@journey.example",
        contact_name="Anna Ampel",
        requested_sqm=20,
    )
    factories.make_exhibitor_user(exhibitor=applicant, password=EXHIBITOR_PASSWORD)
    return {"area": area, "applicant": applicant, "stands": stands}


def _text(page, selector: str) -> str:
    return " ".join(page.inner_text(selector).split())


def _stand(page, number: str):
    return page.locator(f'svg.hall-plan g[data-stand="{number}"]')


@pytest.mark.parametrize(
    ("language", "width"), [("de", 1280), ("en", 1280), ("de", 1024), ("en", 1024)]
)
def test_review_approve_assign_on_the_plan_print_staff_badges(
    browser, live_server, season, language, width
):
    base, words = live_server.url, WORDS[language]
    applicant, stands = season["applicant"], season["stands"]
    name = f"{language}-{width}"
    locale = "de-DE" if language == "de" else "en-GB"
    watch = PageWatch()
    context = browser.new_context(
        viewport=SIZES[width], locale=locale, timezone_id="Europe/Berlin", accept_downloads=True
    )
    watch.attach(context)
    page = context.new_page()

    with step(page, f"journey-review-{name}"):
        log_in(page, base, "orga", PASSWORD)
        page.click("section.attention [data-kind=review] a")
        page.wait_for_load_state("networkidle")
        page.click(f"text={applicant.company_name}")
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language
        assert applicant.company_name in page.inner_text("h1")
        assert "alpha@journey.example" in _text(page, ".review-facts")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        watch.check(page)
        screenshot(page, f"journey-1-review-{name}")

    with step(page, f"journey-approve-{name}"):
        page.select_option("select[name=stand]", str(stands["3.Q01"].pk))
        page.fill("textarea[name=note]", NOTE)
        approve = page.locator("button[name=action][value=approve]")
        assert approve.inner_text() == words["approve"]
        approve.click()
        page.wait_for_load_state("networkidle")
        applicant.refresh_from_db()
        assert applicant.state == Exhibitor.State.APPROVED
        assert applicant.stand_id == stands["3.Q01"].pk
        lines = [" ".join(line.split()) for line in page.locator("ol.history li").all_inner_texts()]
        assert any(re.fullmatch(words["approved_by"], line) for line in lines), lines
        assert any(m.to == [applicant.contact_email] and NOTE in m.body for m in mail.outbox)
        watch.check(page)
        screenshot(page, f"journey-2-approved-{name}")

    with step(page, f"journey-plan-{name}"):
        page.click(f"text={words['plan']}")
        page.wait_for_load_state("networkidle")
        assert applicant.company_name in page.inner_text("#reviewed-title")
        assert "stand--current" in _stand(page, "3.Q01").get_attribute("class")
        assert _stand(page, "3.Q02").get_attribute("class") == "stand stand--free"
        assert "Sensorik Nachbar" in _stand(page, "3.Q04").text_content()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        watch.check(page)
        screenshot(page, f"journey-3-plan-{name}")
        _stand(page, "3.Q02").click()
        page.wait_for_load_state("networkidle")
        assert applicant.company_name in page.inner_text("h1")
        page.locator("main form.form [type=submit]").click()
        page.wait_for_load_state("networkidle")
        assert "stand--current" in _stand(page, "3.Q02").get_attribute("class")
        assert applicant.company_name in _stand(page, "3.Q02").text_content()
        assert _stand(page, "3.Q01").get_attribute("class") == "stand stand--free"
        applicant.refresh_from_db()
        assert applicant.stand_id == stands["3.Q02"].pk
        assert applicant.audit_entries.filter(action="stand_assign").exists()
        watch.check(page)
        screenshot(page, f"journey-4-assigned-{name}")

    # Meanwhile the exhibitor puts three people on the stand staff in the portal.
    portal = context.browser.new_context(locale=locale, timezone_id="Europe/Berlin")
    watch.attach(portal)
    desk = portal.new_page()
    with step(desk, f"journey-portal-staff-{name}"):
        log_in(desk, base, applicant.contact_email, EXHIBITOR_PASSWORD)
        desk.goto(f"{base}{reverse('portal:staff')}")
        for first, last in STAFF:
            desk.fill("[name=first_name]", first)
            desk.fill("[name=last_name]", last)
            desk.fill("[name=email]", f"{len(last)}-{ord(last[0])}@alpha.example")
            desk.click("#h-add ~ form [type=submit]")
            desk.wait_for_load_state("networkidle")
            assert last in desk.content()
        watch.check(desk)
    portal.close()
    staff_badges = Badge.objects.filter(
        attendee__exhibitor=applicant, state=Badge.State.ACTIVE
    ).select_related("attendee")
    assert staff_badges.count() == len(STAFF)

    with step(page, f"journey-print-{name}"):
        page.click("text=" + ("Anmeldung öffnen" if language == "de" else "Open the registration"))
        page.wait_for_load_state("networkidle")
        assert words["staff"] in _text(page, ".review-facts")
        page.click(f"text={words['print']}")
        page.wait_for_load_state("networkidle")
        assert page.input_value("select[name=exhibitor]") == str(applicant.pk)
        assert page.is_checked("input[name=categories][value=exhibitor_staff]")
        assert not page.is_checked("input[name=categories][value=visitor]")
        watch.check(page)
        screenshot(page, f"journey-5-print-{name}")
        with page.expect_download() as info:
            page.locator("main form [type=submit]").first.click()
        download = info.value
        assert download.suggested_filename.endswith(".pdf")
        pdf = Path(download.path()).read_bytes()
        assert sorted(pdf_qr_codes(pdf)) == sorted(badge.qr_content for badge in staff_badges)
        if width == 1280:
            pdf_screenshot(pdf, f"journey-6-badges-{language}")
        text = pdf_text(pdf)
        for first, last in STAFF:
            assert first in text and last in text, (first, last, text)
        assert applicant.company_name in text
        assert all(
            badge.printed_at is not None
            for badge in Badge.objects.filter(attendee__exhibitor=applicant)
        )
    context.close()
