"""The control room in Chromium, through the real server: an organizer logs in and lands on
the home with its counts, opens the review queue from the count, searches it, reviews a
registration, walks the queue with j / k and the previous / next links, approves with a note
and reads the decision back in plain words in the history.

In German and English, at a desk (1280 × 800) and on a tablet held sideways (1024 × 768).
Every page is checked for console errors and CSP violations; a failing step leaves a
screenshot (tests/e2e/portal_journey.py).
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from exhibitors.models import CoExhibitor, Exhibitor
from leads.models import ScannerDevice
from tests import factories
from tests.e2e.portal_journey import PageWatch, log_in, screenshot, step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "organizer-secret-9"
NOTE = "Willkommen & viel Erfolg!"
SIZES = {1280: {"width": 1280, "height": 800}, 1024: {"width": 1024, "height": 768}}
WORDS = {
    "de": {
        "review": "Anmeldungen warten auf Prüfung",
        "approve": "Zulassen und Stand zuweisen",
        "approved_by": r"Zugelassen von orga, \d\d\.\d\d\.\d{4} \d\d:\d\d — " + NOTE,
        "vat_ok": "Format und Prüfziffer sind gültig",
        "mail": "E-Mail an",
    },
    "en": {
        "review": "registrations awaiting review",
        "approve": "Approve and assign a stand",
        "approved_by": r"Approved by orga, \d{1,2} \w{3} \d{4}, \d\d:\d\d — " + NOTE,
        "vat_ok": "Format and check digit are valid",
        "mail": "Mail to",
    },
}


@pytest.fixture
def season(db):
    """One fair: three registrations waiting for review (the first with everything filled
    in), free stands, an unpaired scanner device; an organizer."""
    area = factories.make_area(name="Smart City")
    fair = area.fair
    organizer = factories.make_organizer(username="orga", email="orga@messe.example")
    organizer.set_password(PASSWORD)
    organizer.save()
    alpha = factories.make_exhibitor(
        area=area,
        company_name="Ampelwerk Alpha GmbH",
        contact_email="alpha@queue.example",
        contact_name="Anna Ampel",
        contact_phone="+49 231 1234567",
        vat_id="DE136695976",
        catalog_text="Ampeln, die den Verkehr mitdenken: vernetzte Lichtsignalanlagen.",
        wants_corner=True,
        requested_sqm=20,
    )
    alpha.topics.set(area.topics.all()[:2])
    CoExhibitor.objects.create(exhibitor=alpha, name="Kreuzung & Co. KG")
    beta = factories.make_exhibitor(
        area=area, company_name="Brückenbau Beta KG", contact_email="beta@queue.example"
    )
    chaos = factories.make_exhibitor(
        area=area, company_name="Chaos Consulting Ltd", contact_email="c@queue.example"
    )
    for number in ("3.Q01", "3.Q02", "3.Q03"):
        factories.make_stand(area=area, number=number)
    holder = factories.make_approved_exhibitor(area=area, company_name="Sensorik GmbH")
    ScannerDevice.objects.create(exhibitor=holder, label="Stand phone 1")
    return {"fair": fair, "queue": [alpha, beta, chaos]}


def _text(page, selector: str) -> str:
    return " ".join(page.inner_text(selector).split())


@pytest.mark.parametrize(
    ("language", "width"), [("de", 1280), ("en", 1280), ("de", 1024), ("en", 1024)]
)
def test_control_room_review(browser, live_server, season, language, width):
    base = live_server.url
    words = WORDS[language]
    watch = PageWatch()
    context = browser.new_context(
        viewport=SIZES[width],
        locale="de-DE" if language == "de" else "en-GB",
        timezone_id="Europe/Berlin",
    )
    watch.attach(context)
    page = context.new_page()
    alpha, beta, chaos = season["queue"]
    fair = season["fair"]
    name = f"{language}-{width}"

    with step(page, f"control-room-home-{name}"):
        log_in(page, base, "orga", PASSWORD)
        assert page.url == f"{base}{reverse('organizer:home')}"
        card = f"section.attention[data-fair='{fair.pk}']"
        review = _text(page, f"{card} [data-kind=review]")
        assert review == f"3 {words['review']}"
        assert _text(page, f"{card} [data-kind=devices] .attention-count") == "1"
        assert _text(page, f"{card} [data-kind=unassigned] .attention-count") == "0"
        watch.check(page)
        screenshot(page, f"control-room-home-{name}")

    with step(page, f"control-room-queue-{name}"):
        page.click(f"{card} [data-kind=review] a")
        page.wait_for_load_state("networkidle")
        assert reverse("registrations:queue") in page.url
        rows = page.locator("table.queue tbody tr")
        assert rows.count() == 3
        listed = [" ".join(text.split()) for text in rows.all_inner_texts()]
        assert [row.split(" ", 1)[0] for row in listed] == ["Ampelwerk", "Brückenbau", "Chaos"]
        watch.check(page)
        screenshot(page, f"control-room-queue-{name}")
        # the search term is posted, never put into the URL
        page.fill("input[name=q]", "Brücken")
        page.press("input[name=q]", "Enter")
        page.wait_for_url(re.compile(r"search=1"))
        assert "Br" not in page.url.split("?", 1)[1]
        assert page.locator("table.queue tbody tr").count() == 1
        assert page.input_value("input[name=q]") == "Brücken"
        page.fill("input[name=q]", "")
        page.click(".queue-filter button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "search=1" not in page.url
        assert page.locator("table.queue tbody tr").count() == 3
        watch.check(page)

    with step(page, f"control-room-review-{name}"):
        page.click("text=Ampelwerk Alpha GmbH")
        page.wait_for_load_state("networkidle")
        facts = _text(page, ".review-facts")
        assert "alpha@queue.example" in facts and "+49 231 1234567" in facts
        assert "DE136695976" in facts and words["vat_ok"] in facts
        assert "Kreuzung & Co. KG" in facts and "vernetzte Lichtsignalanlagen" in facts
        decide = _text(page, ".review-decide")
        assert f"{words['mail']} alpha@queue.example" in decide
        assert page.locator("button[name=action][value=approve]").inner_text() == words["approve"]
        watch.check(page)
        screenshot(page, f"control-room-review-{name}")

    with step(page, f"control-room-keys-{name}"):
        page.keyboard.press("j")
        page.wait_for_url(re.compile(rf"/registrations/{beta.pk}/"))
        assert "Brückenbau Beta KG" in page.inner_text("h1")
        page.keyboard.press("k")
        page.wait_for_url(re.compile(rf"/registrations/{alpha.pk}/"))
        # typing j into the note is text, not a jump
        page.fill("textarea[name=note]", "")
        page.locator("textarea[name=note]").press_sequentially("Willkommen & viel Erfolg!jk")
        assert f"/registrations/{alpha.pk}/" in page.url
        watch.check(page)

    with step(page, f"control-room-approve-{name}"):
        page.fill("textarea[name=note]", "Willkommen & viel Erfolg!")
        page.click("button[name=action][value=approve]")
        page.wait_for_load_state("networkidle")
        alpha.refresh_from_db()
        assert alpha.state == Exhibitor.State.APPROVED and alpha.stand is not None
        lines = [" ".join(line.split()) for line in page.locator("ol.history li").all_inner_texts()]
        assert any(re.fullmatch(words["approved_by"], line) for line in lines), lines
        assert alpha.company_name in _text(page, ".messages")
        assert any(
            m.to == [alpha.contact_email] and "Willkommen & viel Erfolg!" in m.body
            for m in mail.outbox
        )
        watch.check(page)
        screenshot(page, f"control-room-approved-{name}")

    with step(page, f"control-room-next-{name}"):
        # approved, it left the "submitted" list but keeps its neighbors
        page.click(".review-pager a[rel=next]")
        page.wait_for_url(re.compile(rf"/registrations/{beta.pk}/"))
        page.click(".review-pager a[rel=next]")
        page.wait_for_url(re.compile(rf"/registrations/{chaos.pk}/"))
        assert page.locator(".review-pager a[rel=next]").count() == 0
        page.click(".review-pager a[rel=prev]")
        page.wait_for_url(re.compile(rf"/registrations/{beta.pk}/"))
        watch.check(page)

    with step(page, f"control-room-back-office-{name}"):
        page.click(".control-room-nav a[href='/admin/']")
        page.wait_for_load_state("networkidle")
        page.click(f"#user-tools a[href='{reverse('organizer:home')}']")
        page.wait_for_load_state("networkidle")
        assert page.url == f"{base}{reverse('organizer:home')}"
        assert _text(page, f"{card} [data-kind=review] .attention-count") == "2"
    context.close()
