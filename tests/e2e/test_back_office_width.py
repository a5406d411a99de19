"""The back office at a 1280 px desk screen, in German, with the demo's data: every change list
shows its whole table (nothing cut off or pushed into a sideways scroll), the header names the
back office and links to the control room, and sizes read "20 m²".

Screenshots (FAIRLEAD_SCREENSHOTS=1): docs/screenshots/back-office-*.png.
"""

import os

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from leads.demo import demo_seed
from tests.e2e.portal_journey import DESKTOP, SCREENSHOTS, PageWatch, log_in, step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "organizer-secret-9"
# Wider than its box by more than this many pixels counts as cut off.
SLACK = 2
SCREENSHOT_PAGES = {
    "exhibitors_exhibitor": "back-office-exhibitors",
    "fair_stand": "back-office-stands",
    "exhibitors_exhibitorauditentry": "back-office-audit",
    "badges_attendee": "back-office-attendees",
}


def screenshot(page, name: str) -> None:
    """The first screen of the page (a long change list's full page is unreadable small)."""
    if os.environ.get("FAIRLEAD_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture
def organizer(settings):
    settings.DEBUG = True  # the demo only loads in development
    demo_seed()
    settings.DEBUG = False
    user = get_user_model().objects.get(username="organizer")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_every_change_list_fits_a_1280_px_screen(browser, live_server, organizer):
    base = live_server.url
    watch = PageWatch()
    context = browser.new_context(viewport=DESKTOP, locale="de-DE", timezone_id="Europe/Berlin")
    watch.attach(context)
    page = context.new_page()
    log_in(page, base, "organizer", PASSWORD)

    with step(page, "back-office-index"):
        page.goto(f"{base}{reverse('admin:index')}")
        assert page.inner_text("#site-name") == "Fairlead-Backoffice"
        assert "Fairlead-Backoffice" in page.title()
        page.click("#user-tools >> text=Leitstand")
        assert page.url.endswith(reverse("organizer:home"))

    too_wide = {}
    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        with step(page, f"back-office-{info}"):
            page.goto(f"{base}{reverse(f'admin:{info}_changelist')}")
            widths = page.evaluate(
                """() => {
                  const box = document.querySelector('#changelist-form .results');
                  return box ? [box.scrollWidth, box.clientWidth, document.body.scrollWidth,
                                window.innerWidth] : null;
                }"""
            )
            if widths is not None:
                table, box, body, window = widths
                if table > box + SLACK or body > window + SLACK:
                    too_wide[info] = widths
            if info in SCREENSHOT_PAGES:
                screenshot(page, SCREENSHOT_PAGES[info])
    assert too_wide == {}

    with step(page, "back-office-stand-sizes"):
        page.goto(f"{base}{reverse('admin:fair_stand_changelist')}")
        sizes = page.locator("#result_list td.field-size").all_inner_texts()
        assert sizes and all(text.endswith("\N{NO-BREAK SPACE}m²") for text in sizes)
        assert not any(".00" in text or ",00" in text for text in sizes)
    watch.check(page)
    context.close()
