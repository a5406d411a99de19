"""The organizer's journey through the back office (the Django admin, the raw-data fallback
and the place for bulk actions) in Chromium, through the real server; the same work on the
control room's own pages is test_control_room_journey.py. Log in (lands on the control room's
home) → the admin's review list → approve one registration with a chosen stand,
waitlist one, reject one (each contact gets a mail) → assign another stand → a print run
(every QR on the PDF decoded) → the dashboard → the area report PDF.

Run on a desktop in German (the back office is used at a desk) and once on a phone in English
for the pages an organizer opens on the way (login, dashboard). Every page is checked for
console errors and warnings and CSP violations; a failing step leaves a screenshot.
"""

from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from badges.models import Badge
from exhibitors.models import Exhibitor
from tests import factories
from tests.e2e.portal_journey import (
    DESKTOP,
    PHONE,
    PageWatch,
    log_in,
    pdf_qr_codes,
    pdf_text,
    screenshot,
    step,
)
from tests.leads.report_fixtures import lead_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "organizer-secret-9"


@pytest.fixture
def season(db):
    """A fair with leads (the dashboard's and the area report's data), an organizer, and three
    registrations waiting in the review queue of the same area with free stands."""
    world = lead_world()
    organizer = factories.make_organizer(username="orga", email="orga@messe.example")
    organizer.set_password(PASSWORD)
    organizer.save()
    waiting = {
        name: factories.make_exhibitor(
            area=world.area, company_name=name, contact_email=f"{key}@queue.example"
        )
        for key, name in (
            ("a", "Ampelwerk Alpha GmbH"),
            ("b", "Brückenbau Beta KG"),
            ("c", "Chaos Consulting Ltd"),
        )
    }
    stands = [factories.make_stand(area=world.area, number=f"3.Q0{n}") for n in (1, 2)]
    return {"world": world, "waiting": waiting, "stands": stands}


def admin_action(page, base: str, exhibitor: Exhibitor, action: str) -> None:
    """Select one exhibitor in the review queue and start an action (its form page opens)."""
    page.goto(f"{base}{reverse('admin:exhibitors_exhibitor_changelist')}?state=review")
    page.check(f"input[name=_selected_action][value='{exhibitor.pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")


def apply(page) -> None:
    page.click("#content-main form [type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize(("viewport", "language"), [("desktop", "de")])
def test_organizer_journey(browser, live_server, season, viewport, language):
    base = live_server.url
    watch = PageWatch()
    context = browser.new_context(
        viewport=DESKTOP if viewport == "desktop" else PHONE,
        locale="de-DE" if language == "de" else "en-GB",
        timezone_id="Europe/Berlin",
        accept_downloads=True,
    )
    watch.attach(context)
    page = context.new_page()
    world, waiting = season["world"], season["waiting"]
    alpha, beta, chaos = waiting.values()

    with step(page, "organizer-login"):
        log_in(page, base, "orga", PASSWORD)
        assert page.url.endswith(reverse("organizer:home"))
        watch.check(page)

    with step(page, "organizer-queue"):
        page.goto(f"{base}{reverse('admin:exhibitors_exhibitor_changelist')}?state=review")
        queue = page.inner_text("#result_list")
        for name in waiting:
            assert name in queue
        watch.check(page)
        screenshot(page, "organizer-review-queue")

    with step(page, "organizer-approve"):
        admin_action(page, base, alpha, "approve")
        first, second = season["stands"]
        page.select_option("select[name=stand]", str(first.pk))
        page.fill("textarea[name=note]", "Willkommen & viel Erfolg!")
        watch.check(page)
        apply(page)
        alpha.refresh_from_db()
        assert alpha.state == Exhibitor.State.APPROVED and alpha.stand_id == first.pk
        watch.check(page)

    with step(page, "organizer-waitlist-reject"):
        admin_action(page, base, beta, "waitlist")
        apply(page)
        admin_action(page, base, chaos, "reject")
        page.fill("textarea[name=note]", "Das Thema passt nicht in den Bereich.")
        apply(page)
        beta.refresh_from_db()
        chaos.refresh_from_db()
        assert (beta.state, chaos.state) == (Exhibitor.State.WAITLISTED, Exhibitor.State.REJECTED)
        to = {message.to[0] for message in mail.outbox}
        assert {alpha.contact_email, beta.contact_email, chaos.contact_email} <= to
        assert any("Willkommen & viel Erfolg!" in message.body for message in mail.outbox)
        watch.check(page)

    with step(page, "organizer-assign-stand"):
        page.goto(f"{base}{reverse('admin:exhibitors_exhibitor_changelist')}")
        page.check(f"input[name=_selected_action][value='{alpha.pk}']")
        page.select_option("select[name=action]", "assign_stand")
        page.click("button[name=index]")
        page.select_option("select[name=stand]", str(second.pk))
        apply(page)
        alpha.refresh_from_db()
        assert alpha.stand_id == second.pk
        watch.check(page)

    with step(page, "organizer-print-run"):
        page.goto(f"{base}{reverse('admin:badges_badge_print_run')}")
        page.select_option("select[name=fair]", str(world.fair.pk))
        watch.check(page)
        with page.expect_download() as info:
            page.click("#content-main form [type=submit]")
        pdf = Path(info.value.path()).read_bytes()
        active = Badge.objects.filter(attendee__fair=world.fair, state=Badge.State.ACTIVE)
        assert sorted(pdf_qr_codes(pdf)) == sorted(badge.qr_content for badge in active)

    with step(page, "organizer-dashboard"):
        page.goto(f"{base}{reverse('organizer:dashboard')}?fair={world.fair.pk}")
        page.wait_for_load_state("networkidle")
        assert world.exhibitor.company_name in page.content()
        watch.check(page)

    with step(page, "organizer-area-report"):
        href = reverse("organizer:area_report", kwargs={"area_id": world.area.pk})
        with page.expect_download() as info:
            page.click(f"a[href='{href}']")
        text = pdf_text(Path(info.value.path()).read_bytes())
        assert world.area.name in text and world.exhibitor.company_name in text
    context.close()


def test_organizer_pages_on_a_phone(browser, live_server, season):
    """Login and dashboard at 390 px in English: the organizer lands on the control room."""
    watch = PageWatch()
    context = browser.new_context(viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True)
    watch.attach(context)
    page = context.new_page()
    with step(page, "organizer-phone"):
        log_in(page, live_server.url, "orga", PASSWORD)
        assert page.url.endswith(reverse("organizer:home"))
        page.goto(
            f"{live_server.url}{reverse('organizer:dashboard')}?fair={season['world'].fair.pk}"
        )
        assert "Leads" in page.content()
        watch.check(page)
        page.goto(f"{live_server.url}/")
        assert reverse("organizer:home") in page.content()  # the home page shows its place
        watch.check(page)
    context.close()
