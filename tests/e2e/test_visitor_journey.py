"""The visitor's whole journey in a real Chromium through the live server, real headers:
register → confirmation mail → confirm → badge page → badge PDF (QR decoded) → withdraw
consent → download the data → give consent again → switch language → a replayed
confirmation link → "find my badge link again" (the old link is then a friendly 404).

Run at 390×844 and 1280×800, in German and English; every page is checked for console
errors, failed requests and CSP violations; a failing step saves a screenshot.
"""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from badges.models import Attendee
from tests import factories
from tests.badges.conftest import qr_texts_per_page
from tests.e2e.journey import (
    PageWatch,
    browser_context,
    journey_step,
    mail_link,
    readme_screenshot,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = ("Aoife", "O'Brien & <Ní>")

TEXT = {
    "de": {
        "check": "Bitte prüfen Sie Ihre Angaben",
        "inbox": "Sehen Sie in Ihr Postfach",
        "confirmed": "Ihre Adresse ist bestätigt",
        "withdraw": "Einwilligung widerrufen",
        "withdrawn": "Aussteller sehen ab sofort nur noch",
        "give": "Meine Kontaktdaten weitergeben",
        "given": "erhalten jetzt Ihre Kontaktdaten",
        "download": "Meine Daten herunterladen",
        "used": "bereits bestätigt",
        "invalid": "Dieser Ausweis-Link ist ungültig",
    },
    "en": {
        "check": "Please check your entries",
        "inbox": "Check your inbox",
        "confirmed": "your address is confirmed",
        "withdraw": "Withdraw my consent",
        "withdrawn": "exhibitors see only your name and company",
        "give": "Share my contact details",
        "given": "exhibitors who scan your badge now receive your details",
        "download": "Download my data",
        "used": "already confirmed",
        "invalid": "This badge link is not valid",
    },
}
OTHER = {"de": "en", "en": "de"}


@pytest.fixture
def open_fair(settings, live_server):
    settings.FAIRLEAD_BASE_URL = live_server.url
    fair = factories.make_fair()
    factories.make_area(fair=fair)
    fair.privacy_notice_url = "https://organizer.example/privacy"
    fair.save()
    return fair


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_visitor_journey(browser, live_server, open_fair, tmp_path, viewport, language):
    text = TEXT[language]
    email = f"aoife-{viewport}-{language}@example.org"
    context = browser_context(browser, viewport=viewport, language=language)
    watch = PageWatch().attach(context)
    page = context.new_page()
    posts: list[dict] = []
    page.on(
        "request",
        lambda request: (
            posts.append({"url": request.url, **request.headers})
            if request.method == "POST"
            else None
        ),
    )
    step = lambda name: journey_step(page, f"{viewport}-{language}-{name}", tmp_path)  # noqa: E731

    with step("register"):
        page.goto(f"{live_server.url}/register/{open_fair.slug}/")
        assert page.get_attribute("html", "lang") == language
        assert page.locator('a[href="https://organizer.example/privacy"]').count() == 1
        page.click("form.form button[type=submit]")  # nothing filled in
        summary = page.locator("#error-summary")
        assert text["check"] in summary.inner_text()
        summary.locator('a[href="#id_email"]').click()
        assert page.evaluate("document.activeElement.id") == "id_email"
        watch.assert_clean(page, expected=("response 422",))
        if viewport == "phone" and language == "en":
            readme_screenshot(page, "badges-register-errors-phone")
        page.goto(f"{live_server.url}/register/{open_fair.slug}/")
        page.fill("#id_first_name", NAME[0])
        page.fill("#id_last_name", NAME[1])
        page.fill("#id_email", email)
        page.select_option("#id_country", "IE")
        page.check("#id_lead_sharing")
        if language == "en":
            readme_screenshot(page, f"badges-register-{viewport}")
        page.click("form.form button[type=submit]")
        page.wait_for_url(re.compile(r".*/sent/(#.*)?$"))
        assert text["inbox"] in page.inner_text("main")
        watch.assert_clean(page)

    with step("confirm"):
        link = mail_link(to=email, pattern=r"https?://\S+/register/confirm/\S+/")
        assert "aoife" not in link.lower()  # the link holds no personal data
        page.goto(link)
        page.click("main form button[type=submit]")
        page.wait_for_url(re.compile(r".*/badge/[^/]+/$"))
        confirm_post = posts[-1]
        # Same-origin referrer policy: Chromium sends the real Origin, so CSRF passes.
        assert confirm_post["origin"] == live_server.url
        assert text["confirmed"] in page.inner_text(".messages")
        watch.assert_clean(page)
    badge_url = page.url
    attendee = Attendee.objects.get(email=email)
    badge = attendee.badges.get()

    with step("badge-pdf"):
        if language == "en":
            readme_screenshot(page, f"badges-visitor-page-{viewport}")
        pdf_href = page.get_attribute("a[href$='badge.pdf']", "href")
        pdf = page.request.get(f"{live_server.url}{pdf_href}")
        assert pdf.headers["content-type"] == "application/pdf"
        assert qr_texts_per_page(pdf.body()) == [[badge.qr_content]]
        assert NAME[1].encode() not in pdf.body()  # text is drawn, the QR holds no name

    with step("withdraw-consent"):
        page.click(f"button:has-text('{text['withdraw']}')")
        page.wait_for_load_state()
        assert text["withdrawn"] in page.inner_text(".messages")
        assert not Attendee.objects.get(pk=attendee.pk).lead_sharing
        watch.assert_clean(page)

    with step("download-data"):
        with page.expect_download() as download:
            page.click(f"button:has-text('{text['download']}')")
        data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
        assert data["attendee"]["email"] == email
        assert data["attendee"]["last_name"] == NAME[1]
        assert [event["given"] for event in data["consent_history"]] == [True, False]

    with step("give-consent"):
        page.check("#id_agree")
        page.click(f"button:has-text('{text['give']}')")
        page.wait_for_load_state()
        assert text["given"] in page.inner_text(".messages")
        assert Attendee.objects.get(pk=attendee.pk).lead_sharing
        watch.assert_clean(page)

    with step("switch-language"):
        page.click(f".lang-switch button[value='{OTHER[language]}']")
        page.wait_for_function(f"document.documentElement.lang === '{OTHER[language]}'")
        assert page.url == badge_url
        assert posts[-1]["origin"] == live_server.url
        watch.assert_clean(page)

    with step("no-referrer-to-other-sites"):
        # Leave the badge page for another origin (127.0.0.1 instead of localhost): the
        # browser must not send the secret badge URL along.
        port = urlsplit(live_server.url).port
        with page.expect_request(f"http://127.0.0.1:{port}/healthz") as outgoing:
            page.evaluate(
                """url => { const a = document.createElement("a"); a.href = url;
                            document.body.append(a); a.click(); }""",
                f"http://127.0.0.1:{port}/healthz",
            )
        assert "referer" not in outgoing.value.headers
        page.wait_for_url(f"http://127.0.0.1:{port}/healthz")
        page.goto(badge_url)

    with step("replayed-confirmation"):
        page.goto(link)
        assert TEXT[OTHER[language]]["used"] in page.inner_text("main")
        assert Attendee.objects.get(pk=attendee.pk).access_token_hash == attendee.access_token_hash
        watch.assert_clean(page)

    with step("badge-link-again"):
        Attendee.objects.filter(pk=attendee.pk).update(mail_sent_at=None)
        page.click("a[href$='/badge/again/']")
        page.fill("#id_email", email)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        new_link = mail_link(to=email, pattern=r"https?://\S+/badge/\S+/")
        assert new_link != badge_url
        watch.assert_clean(page)
        response = page.goto(badge_url)  # the old link
        assert response.status == 404
        assert TEXT[OTHER[language]]["invalid"] in page.inner_text("main")
        watch.assert_clean(page, expected=("response 404",))
        page.goto(new_link)
        assert page.locator(".badge-code").inner_text() == str(badge)
        watch.assert_clean(page)
    context.close()
