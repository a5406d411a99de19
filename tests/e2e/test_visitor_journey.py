"""The visitor's journey in a real Chromium through the live server, real headers."""

import pytest
from django.core import mail

from tests import factories
from tests.e2e.journey import PageWatch, browser_context, journey_step, mail_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_confirms_from_the_mailed_link(browser, live_server, tmp_path):
    fair = factories.make_fair()
    factories.make_area(fair=fair)
    context = browser_context(browser, viewport="phone", language="en")
    watch = PageWatch().attach(context)
    page = context.new_page()
    with journey_step(page, "register", tmp_path):
        page.goto(f"{live_server.url}/register/{fair.slug}/")
        page.fill("#id_first_name", "Aoife")
        page.fill("#id_last_name", "O'Brien")
        page.fill("#id_email", "aoife@example.org")
        page.select_option("#id_country", "IE")
        page.click("form.form button[type=submit]")
        page.wait_for_url("**/sent/")
    with journey_step(page, "confirm", tmp_path):
        link = mail_link(to="aoife@example.org", pattern=r"https?://\S+/register/confirm/\S+/")
        page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
        response_status = []
        page.on("response", lambda r: response_status.append(r.status))
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert 403 not in response_status, mail.outbox[-1].body
        assert "/badge/" in page.url
    watch.assert_clean(page)
    context.close()
