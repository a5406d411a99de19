"""Every error page in a real Chromium, in German and English, phone and desktop: ours
(branded, translated, a way back), no console errors or CSP violations beyond the status the
test asked for; the CSRF failure page leads back to the form."""

import pytest

from tests import factories
from tests.e2e.journey import PageWatch, browser_context, journey_step, readme_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = {
    "/bad/": (400, {"de": "nicht verstehen", "en": "could not understand"}),
    "/forbidden/": (403, {"de": "nicht öffnen", "en": "may not open this page"}),
    "/nowhere/": (404, {"de": "Diese Seite gibt es nicht", "en": "This page does not exist"}),
    "/boom/": (500, {"de": "etwas schiefgegangen", "en": "went wrong on our side"}),
    "/badge/not-a-real-link/": (
        404,
        {"de": "Dieser Ausweis-Link ist ungültig", "en": "This badge link is not valid"},
    ),
    "/register/confirm/not-a-real-link/": (
        404,
        {"de": "Dieser Link ist ungültig", "en": "This link is not valid"},
    ),
}
CSRF = {"de": "Bitte senden Sie das Formular erneut", "en": "Please send the form again"}


@pytest.mark.urls("tests.error_urls")
@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_error_pages(browser, live_server, tmp_path, viewport, language):
    fair = factories.make_fair()
    context = browser_context(browser, viewport=viewport, language=language)
    watch = PageWatch().attach(context)
    page = context.new_page()

    for path, (status, texts) in PAGES.items():
        with journey_step(page, f"{viewport}-{language}{path}", tmp_path):
            response = page.goto(live_server.url + path)
            assert response.status == status
            assert page.get_attribute("html", "lang") == language
            assert texts[language] in page.inner_text("main")
            assert "Traceback" not in page.content()
            assert page.locator("main a.button").count() >= 1  # a way back
            watch.assert_clean(page, expected=(f"response {status}",))
            if path == "/nowhere/" and viewport == "phone":
                readme_screenshot(page, f"error-404-{language}")

    with journey_step(page, f"{viewport}-{language}-csrf", tmp_path):
        form = f"{live_server.url}/register/{fair.slug}/"
        page.goto(form)
        context.clear_cookies()  # the CSRF cookie is gone, as after blocking cookies
        page.click("form.form button[type=submit]")
        page.wait_for_load_state()
        assert CSRF[language] in page.inner_text("main")
        watch.assert_clean(page, expected=("response 403",))
        page.click("main a.button.primary")
        page.wait_for_url(form)
        watch.assert_clean(page)
    context.close()
