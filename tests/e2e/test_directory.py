"""A visitor finds an exhibitor by topic in the public directory and sees its stand on the hall
plan, in a real Chromium through the live server: home page → the fair's directory → a topic →
the exhibitor's page (its stand highlighted and scrolled into view, zoom buttons) → the whole
plan → a stand on the plan → that stand's exhibitor; and the plan's list alternative.

Run at 390×844 and 1280×800, in German and English; every page is checked for console errors,
failed requests and CSP violations. FAIRLEAD_SCREENSHOTS=1 saves
docs/screenshots/directory-*.png.
"""

import re

import pytest

from tests.e2e.journey import PageWatch, browser_context, journey_step, readme_screenshot
from tests.exhibitors.directory_fixtures import make_directory_area

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT = {
    "de": {
        "directory": "Aussteller und Hallenplan",
        "topic": "Smartes Parken",
        "matches": "1 Aussteller passt.",
        "text": "Sensoren für freie Parkplätze.",
        "whole_plan": "Ganzer Hallenplan mit allen Ständen",
        "table": "Stände und Aussteller",
    },
    "en": {
        "directory": "Exhibitors and hall plan",
        "topic": "Smart parking",
        "matches": "1 exhibitor matches.",
        "text": "Sensors that find free parking spaces.",
        "whole_plan": "Whole hall plan with all stands",
        "table": "Stands and exhibitors",
    },
}


def _inside(inner: dict, outer: dict) -> bool:
    """The center of box ``inner`` lies within box ``outer``."""
    x = inner["x"] + inner["width"] / 2
    y = inner["y"] + inner["height"] / 2
    return (
        outer["x"] <= x <= outer["x"] + outer["width"]
        and outer["y"] <= y <= outer["y"] + outer["height"]
    )


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_visitor_finds_an_exhibitor_by_topic_and_sees_its_stand(
    browser, live_server, tmp_path, viewport, language
):
    directory = make_directory_area()
    text = TEXT[language]
    context = browser_context(browser, viewport=viewport, language=language)
    watch = PageWatch().attach(context)
    page = context.new_page()
    step = lambda name: journey_step(page, f"{viewport}-{language}-{name}", tmp_path)  # noqa: E731
    suffix = f"{viewport}-{language}"

    with step("home"):
        page.goto(f"{live_server.url}/")
        assert page.get_attribute("html", "lang") == language
        assert text["directory"] in page.inner_text("main")
        page.click(f"a[href='/fairs/{directory.area.fair.slug}/exhibitors/']")
        page.wait_for_url(re.compile(r".*/exhibitors/$"))
        assert "Parkwerk Beispiel GmbH" in page.inner_text("main")
        assert "Versteckt" not in page.inner_text("main")
        watch.assert_clean(page)
        readme_screenshot(page, f"directory-list-{suffix}")

    with step("topic"):
        page.click(f".topic-filter a:text-is('{text['topic']}')")
        page.wait_for_url(re.compile(r".*\?topic=\d+$"))
        main = page.inner_text("main")
        assert text["matches"] in main
        assert "Parkwerk Beispiel GmbH" in main and "Wärmequartier" not in main
        assert page.get_attribute(".topic-filter a[aria-current]", "href").startswith("?topic=")
        watch.assert_clean(page)
        readme_screenshot(page, f"directory-topic-{suffix}")

    with step("exhibitor"):
        page.click("a:text-is('Parkwerk Beispiel GmbH')")
        page.wait_for_url(re.compile(rf".*/exhibitors/{directory.parking.pk}/$"))
        assert text["text"] in page.inner_text("main")
        highlighted = page.locator(".hall-plan .stand--highlight")
        assert highlighted.get_attribute("data-stand") == "3.C01"
        frame = page.locator("[data-plan-scroll]").bounding_box()
        assert frame["width"] <= page.viewport_size["width"]  # no page-wide sideways scroll
        assert _inside(highlighted.bounding_box(), frame), "the stand is scrolled into view"
        # The zoom buttons (progressive enhancement) make the drawing wider, then fit it.
        before = page.locator(".hall-plan").bounding_box()["width"]
        page.click("[data-zoom='in']")
        assert page.locator(".hall-plan").bounding_box()["width"] > before * 1.4
        assert _inside(highlighted.bounding_box(), frame)
        page.click("[data-zoom='fit']")
        assert abs(page.locator(".hall-plan").bounding_box()["width"] - before) < 2
        watch.assert_clean(page)
        page.locator("#hall-plan-section").scroll_into_view_if_needed()
        readme_screenshot(page, f"directory-exhibitor-{suffix}")

    with step("plan"):
        page.click(f"a:text-is('{text['whole_plan']}')")
        page.wait_for_url(re.compile(r".*/plan/$"))
        assert page.locator(".hall-plan a").count() == 2  # the two public exhibitors' stands
        table = page.locator("#stand-table")
        assert text["table"] in table.inner_text()
        assert table.locator("a").all_inner_texts() == [
            "Parkwerk Beispiel GmbH",
            "Wärmequartier Muster AG",
        ]
        watch.assert_clean(page)
        readme_screenshot(page, f"directory-plan-{suffix}")
        # A stand on the plan leads to its exhibitor.
        page.locator(".hall-plan a[aria-label*='Wärmequartier']").click()
        page.wait_for_url(re.compile(rf".*/exhibitors/{directory.heat.pk}/$"))
        assert page.locator(".hall-plan .stand--highlight").get_attribute("data-stand") == "3.D01"
        watch.assert_clean(page)
    context.close()


def test_exhibitor_chooses_what_is_public_in_the_portal(browser, live_server, tmp_path):
    """On a phone, in English: no website, a public email; the entry shows exactly that."""
    from tests import factories
    from tests.e2e.helpers import portal_login

    directory = make_directory_area()
    user = factories.make_exhibitor_user(exhibitor=directory.parking)
    context = browser_context(browser, viewport="phone", language="en")
    watch = PageWatch().attach(context)
    portal_login(context, live_server, user)
    page = context.new_page()
    with journey_step(page, "portal-choices", tmp_path):
        page.goto(f"{live_server.url}/exhibitor/profile/")
        section = page.locator("#public-directory")
        assert section.locator("#id_directory_listed").is_checked()
        section.locator("#id_public_website").uncheck()
        section.locator("#id_public_email").fill("hello@parkwerk.example")
        section.scroll_into_view_if_needed()
        readme_screenshot(page, "directory-portal-choices-phone-en")
        page.click("button:text-is('Save profile')")
        page.wait_for_load_state()
        assert "Your company profile was saved." in page.inner_text(".messages")
        page.click("a:text-is('See your entry in the directory')")
        page.wait_for_url(re.compile(rf".*/exhibitors/{directory.parking.pk}/$"))
        main = page.inner_text("main")
        assert "hello@parkwerk.example" in main and "https://parkwerk.example" not in main
        watch.assert_clean(page)
    context.close()


def test_organizer_hides_an_entry_and_shows_it_again(browser, live_server, tmp_path):
    """On a desktop, in German: the entry leaves the directory and the plan, and returns."""
    from tests import factories
    from tests.e2e.helpers import portal_login

    directory = make_directory_area()
    organizer = factories.make_organizer()
    visitor = browser_context(browser, viewport="desktop", language="de")
    context = browser_context(browser, viewport="desktop", language="de")
    watch = PageWatch().attach(context)
    portal_login(context, live_server, organizer)
    page = context.new_page()
    public = visitor.new_page()
    with journey_step(page, "organizer-hide", tmp_path):
        page.goto(f"{live_server.url}/organizer/directory/?fair={directory.area.fair.pk}")
        row = page.locator("tr", has_text="Parkwerk Beispiel GmbH")
        assert "öffentlich" in row.inner_text()
        row.locator("input[name=note]").fill("Irreführender Katalogtext")
        row.locator("button:text-is('Ausblenden')").click()
        page.wait_for_load_state()
        assert "ist im öffentlichen Verzeichnis und auf dem Hallenplan ausgeblendet" in (
            page.inner_text(".messages")
        )
        row = page.locator("tr", has_text="Parkwerk Beispiel GmbH")
        assert "vom Veranstalter ausgeblendet" in row.inner_text()
        readme_screenshot(page, "directory-organizer-desktop-de")
        watch.assert_clean(page)
        public.goto(f"{live_server.url}{directory.plan_url()}")
        assert "Parkwerk" not in public.inner_text("main")
        row.locator("button:text-is('Wieder zeigen')").click()
        page.wait_for_load_state()
        public.goto(f"{live_server.url}{directory.plan_url()}")
        assert "Parkwerk Beispiel GmbH" in public.inner_text("main")
        watch.assert_clean(page)
    context.close()
    visitor.close()
