"""The organizer's hall plan in Chromium: open the Smart City plan while reviewing an approved
exhibitor, click a free stand, confirm, and see the stand colored with the company on it —
in German and English, at 1280 × 800 (desk) and 1024 × 768 (tablet). Every page is checked
for console errors and CSP violations (the plan is inline SVG with an external stylesheet)."""

import os
from decimal import Decimal

import pytest
from django.urls import reverse

from exhibitors.models import Exhibitor
from fair.demo import PRICE_BY_TYPE, STAND_PLAN, STAND_SIZES
from fair.models import Stand
from tests import factories
from tests.e2e.portal_journey import SCREENSHOTS, PageWatch, log_in, step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "organizer-secret-9"
HOLDERS = {
    "3.A03": "Parkraum Dortmund GmbH",
    "3.B02": "Wärmequartier Muster AG",
    "3.B07": "DoNetz Stadtwerke",
    "3.C01": "Smart Lantern B.V.",
    "3.D02": "Quartierswerk Hörde eG",
    "3.E01": "Mobilitätsallianz Ruhr",
    "3.G01": "Westfalen Energie & Wasser",
}
MOVER = "Ampelwerk Alpha GmbH"


@pytest.fixture
def hall(db):
    """The demo's Smart City plan with seven exhibitors on their stands, and one approved
    exhibitor (on 3.A05) waiting to be moved."""
    area = factories.make_area(name="Smart City")
    stands = {}
    for number, width, depth, stand_type in STAND_SIZES:
        x, y, sides = STAND_PLAN[number]
        stands[number] = factories.make_stand(
            area=area,
            number=number,
            width_m=Decimal(width),
            depth_m=Decimal(depth),
            x_m=Decimal(x),
            y_m=Decimal(y),
            open_sides=sides,
            price_per_sqm=PRICE_BY_TYPE[stand_type],
        )
    for number, company in HOLDERS.items():
        factories.make_approved_exhibitor(area=area, stand=stands[number], company_name=company)
    stands["3.F01"].state = Stand.State.RESERVED
    stands["3.F01"].save(update_fields=["state"])
    mover = factories.make_approved_exhibitor(
        area=area, stand=stands["3.A05"], company_name=MOVER, requested_sqm=20
    )
    organizer = factories.make_organizer(username="orga", email="orga@messe.example")
    organizer.set_password(PASSWORD)
    organizer.save()
    return {"area": area, "mover": mover, "stands": stands}


def screenshot_to_plan(page, name: str) -> None:
    """docs/screenshots/NAME.png (FAIRLEAD_SCREENSHOTS=1): the page from the top to the end of
    the plan drawing (the stand table below it would make the picture ten screens long)."""
    if os.environ.get("FAIRLEAD_SCREENSHOTS") != "1":
        return
    box = page.locator("svg.hall-plan").bounding_box()
    assert box is not None
    bottom = page.evaluate("window.scrollY") + box["y"] + box["height"] + 90
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / f"{name}.png"),
        full_page=True,
        clip={"x": 0, "y": 0, "width": page.viewport_size["width"], "height": bottom},
    )


def stand_group(page, number: str):
    return page.locator(f'svg.hall-plan g[data-stand="{number}"]')


@pytest.mark.parametrize(
    ("language", "width", "height"),
    [("de", 1280, 800), ("en", 1280, 800), ("de", 1024, 768), ("en", 1024, 768)],
)
def test_organizer_assigns_a_free_stand_by_clicking_it(
    browser, live_server, hall, language, width, height
):
    watch = PageWatch()
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="de-DE" if language == "de" else "en-GB",
        timezone_id="Europe/Berlin",
    )
    watch.attach(context)
    page = context.new_page()
    area, mover = hall["area"], hall["mover"]
    base = live_server.url
    name = f"organizer-hall-plan-{language}-{width}"
    try:
        with step(page, f"{name} log in"):
            log_in(page, base, "orga", PASSWORD)
        with step(page, f"{name} plan"):
            page.goto(f"{base}{reverse('hallplan:area', args=[area.pk])}?exhibitor={mover.pk}")
            assert page.locator("html").get_attribute("lang") == language
            heading = "Standvergabe für" if language == "de" else "Assigning a stand for"
            assert heading in page.locator("#reviewed-title").inner_text()
            legend = page.locator(".hall-plan-legend").inner_text()
            assert ("reserviert" if language == "de" else "reserved") in legend
            assert ("reserved" if language == "de" else "reserviert") not in legend
            assert "stand--current" in stand_group(page, "3.A05").get_attribute("class")
            assert stand_group(page, "3.C02").get_attribute("class") == "stand stand--free"
            # The plan fills the content column and scales with it (viewBox in metres).
            box = page.locator("svg.hall-plan").bounding_box()
            assert box is not None and box["width"] > 500
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            watch.check(page, "plan")
            screenshot_to_plan(page, name)
        with step(page, f"{name} click"):
            stand_group(page, "3.C02").click()
            page.wait_for_load_state("networkidle")
            assert "/assign/" in page.url
            assert MOVER in page.locator("h1").inner_text()
            page.locator("main form.form [type=submit]").click()
            page.wait_for_load_state("networkidle")
            watch.check(page, "assign")
        with step(page, f"{name} assigned"):
            assert "stand--current" in stand_group(page, "3.C02").get_attribute("class")
            assert MOVER in stand_group(page, "3.C02").text_content()
            assert stand_group(page, "3.A05").get_attribute("class") == "stand stand--free"
            page.goto(f"{base}{reverse('hallplan:area', args=[area.pk])}")
            assert stand_group(page, "3.C02").get_attribute("class") == "stand stand--assigned"
            assert MOVER in stand_group(page, "3.C02").text_content()
            fill = page.evaluate(
                "getComputedStyle(document.querySelector("
                "'g[data-stand=\"3.C02\"] .stand-area')).fill"
            )
            assert fill == "rgb(207, 224, 245)"  # the assigned color of hallplan.css
            # The table is the accessible alternative and agrees with the drawing.
            row = page.locator('tr[data-stand="3.C02"]')
            assert MOVER in row.inner_text()
            watch.check(page, "assigned")
            if width == 1280:
                screenshot_to_plan(page, f"{name}-assigned")
    finally:
        context.close()
    mover = Exhibitor.objects.get(pk=mover.pk)
    assert mover.stand.number == "3.C02"
    assert mover.audit_entries.filter(action="stand_assign").exists()
