"""Live relevance voting in a real Chromium: three visitors vote from their phones while the
projector page shows the results change by itself, without reloading; the moderator closes the
item and a late vote is refused with a clear message. And a visitor saves a session to their
agenda from the badge link. In German and English, at 390×844 and 1280×800; every page is
watched for console errors, failed requests and CSP violations."""

import re
from pathlib import Path

import pytest
from icalendar import Calendar

from badges.forum.models import AgendaEntry, Vote
from tests import factories
from tests.e2e.forum import (
    forum_create,
    logged_in_as_organizer,
    phone_link_by_code,
    projector_figures,
    vote,
    wait_for_projector,
    watched_page,
)
from tests.e2e.journey import readme_screenshot
from tests.forum_factories import badge_link_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT = {
    "de": {
        "mean": ("5,0", "4,0", "3,0"),
        "closed": "Die Abstimmung ist geschlossen.",
        "refused": "ist geschlossen; Ihre Stimme wurde nicht gezählt",
        "state_closed": "Abstimmung geschlossen",
        "forum": "Mein Forumsprogramm und Abstimmungen",
        "this_phone": "Im Forum mit diesem Handy abstimmen",
        "close": "Abstimmung schließen",
        "open": "Abstimmung öffnen",
        "save": "In mein Programm",
        "saved": "steht in Ihrem Programm",
    },
    "en": {
        "mean": ("5.0", "4.0", "3.0"),
        "closed": "Voting is closed.",
        "refused": "is closed; your vote was not counted",
        "state_closed": "voting closed",
        "forum": "My forum agenda and votes",
        "this_phone": "Vote in the forum from this phone",
        "close": "Close voting",
        "open": "Open voting",
        "save": "Save to my agenda",
        "saved": "is on your agenda",
    },
}


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_three_visitors_vote_while_the_projector_updates_itself(
    browser, live_server, settings, viewport, language
):
    settings.FAIRLEAD_BASE_URL = live_server.url
    text = TEXT[language]
    forum = forum_create()
    badges = [factories.make_badge(fair=forum.fair) for _ in range(3)]
    contexts = []

    def open_page():
        context, watch, page = watched_page(browser, viewport=viewport, language=language)
        contexts.append(context)
        return watch, page

    projector_watch, projector = open_page()
    projector.goto(forum.url(live_server, "projector"))
    projector.evaluate("window.__notReloaded = true")
    assert projector.get_attribute("html", "lang") == language
    assert projector_figures(projector, forum.item)["total"] == "0"
    projector_watch.assert_clean(projector)

    # Visitor 1 types the code printed on the badge into the page the projector's QR opens.
    first_watch, first = open_page()
    phone_link_by_code(first, live_server, forum, badges[0])
    vote(first, forum.item, 5)
    wait_for_projector(projector, forum.item, total=1)
    assert projector_figures(projector, forum.item)["mean"] == text["mean"][0]
    first_watch.assert_clean(first)

    # Visitor 2 links the phone from the badge link in the mail, then finds the open vote.
    second_watch, second = open_page()
    second.goto(f"{live_server.url}/badge/{badge_link_token(badges[1].attendee)}/")
    second.click(f"a:has-text('{text['forum']}')")
    second.click(f"button:has-text('{text['this_phone']}')")
    second.wait_for_url(re.compile(r".*/forum/[^/]+/vote/$"))
    second.click(f"a[href$='/sessions/{forum.session.pk}/vote/']")
    vote(second, forum.item, 4)
    wait_for_projector(projector, forum.item, total=2)
    second_watch.assert_clean(second)

    third_watch, third = open_page()
    phone_link_by_code(third, live_server, forum, badges[2])
    vote(third, forum.item, 3)
    wait_for_projector(projector, forum.item, total=3)
    assert projector_figures(projector, forum.item)["mean"] == text["mean"][1]
    if language == "en":
        readme_screenshot(third, f"forum-vote-{viewport}")

    # Visitor 1 changes their mind: still three votes, the mean follows.
    vote(first, forum.item, 2)
    projector.wait_for_function(
        """([id, mean]) => document.querySelector(`[data-item="${id}"] [data-mean]`)
             .textContent === mean""",
        arg=[forum.item.pk, text["mean"][2]],
        timeout=2500,
    )
    figures = projector_figures(projector, forum.item)
    assert figures["total"] == "3" and figures["counts"] == ["0", "1", "1", "1", "0"]
    if language == "en":
        projector.wait_for_timeout(600)  # the bars' width transition
        readme_screenshot(projector, f"forum-projector-{viewport}")

    # The moderator closes the item: projector and vote pages follow without reloading.
    moderator_context, moderator_watch, moderator = watched_page(
        browser, viewport="desktop", language=language
    )
    contexts.append(moderator_context)
    logged_in_as_organizer(moderator_context, live_server)
    moderator.goto(f"{live_server.url}/organizer/forum/sessions/{forum.session.pk}/moderate/")
    moderator.click(f'[data-item="{forum.item.pk}"] button:has-text("{text["close"]}")')
    projector.wait_for_function(
        "id => document.querySelector(`[data-item=\"${id}\"]`).dataset.state === 'closed'",
        arg=forum.item.pk,
        timeout=2500,
    )
    assert text["state_closed"] in projector.inner_text(f'[data-item="{forum.item.pk}"]')
    third.wait_for_selector(f"#item-{forum.item.pk} .when-closed", state="visible", timeout=2500)
    assert text["closed"] in third.inner_text(f"#item-{forum.item.pk}")

    # A vote sent from the page as it was before the close is refused, clearly.
    third.eval_on_selector(
        f"#item-{forum.item.pk} form",
        "form => form.requestSubmit(form.querySelector('button[value=\"5\"]'))",
    )
    third.wait_for_selector(".messages")
    assert text["refused"] in third.inner_text(".messages")
    assert sorted(Vote.objects.values_list("value", flat=True)) == [2, 3, 4]

    # The next item opens: the phones show its buttons without reloading.
    moderator.click(f'[data-item="{forum.later.pk}"] button:has-text("{text["open"]}")')
    first.wait_for_selector(f"#item-{forum.later.pk} .vote-value", state="visible", timeout=2500)
    vote(first, forum.later, 4)
    wait_for_projector(projector, forum.later, total=1)
    assert projector.evaluate("window.__notReloaded") is True

    # The organizer's other forum pages load cleanly too.
    for path in ("", f"sessions/{forum.session.pk}/", "import/", "rooms/new/"):
        moderator.goto(f"{live_server.url}/organizer/forum/{path}?fair={forum.fair.pk}")
        moderator_watch.assert_clean(moderator)
    for watch, page in (
        (moderator_watch, moderator),
        (projector_watch, projector),
        (first_watch, first),
        (second_watch, second),
        (third_watch, third),
    ):
        watch.assert_clean(page)
    for context in contexts:
        context.close()


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_visitor_saves_a_session_to_the_agenda_from_the_program_and_badge_link(
    browser, live_server, settings, viewport, language
):
    settings.FAIRLEAD_BASE_URL = live_server.url
    text = TEXT[language]
    forum = forum_create()
    attendee = factories.make_badge(fair=forum.fair).attendee
    context, watch, page = watched_page(browser, viewport=viewport, language=language)

    page.goto(forum.url(live_server, "program"))
    assert page.locator(".forum-session").count() == 3
    watch.assert_clean(page)
    if language == "en":
        readme_screenshot(page, f"forum-program-{viewport}")
    page.click(f"a[href$='/sessions/{forum.session.pk}/']")
    title = forum.session.title_de if language == "de" else forum.session.title_en
    assert page.inner_text("h1") == title
    watch.assert_clean(page)
    if language == "en":
        readme_screenshot(page, f"forum-session-{viewport}")
    with page.expect_download() as download:
        page.click("a[href$='session.ics']")
    calendar = Calendar.from_ical(Path(download.value.path()).read_bytes())
    assert len(list(calendar.walk("VEVENT"))) == 1

    token = badge_link_token(attendee)
    page.goto(f"{live_server.url}/badge/{token}/agenda/")
    page.click(f"#s{forum.session.pk} button:has-text('{text['save']}')")
    page.wait_for_selector("#my-agenda")
    assert text["saved"] in page.inner_text(".messages")
    assert list(AgendaEntry.objects.values_list("session_id", flat=True)) == [forum.session.pk]
    with page.expect_download() as download:
        page.click("a[href$='agenda.ics']")
    (event,) = Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
    assert event.decoded("DTSTART") == forum.session.starts_at
    watch.assert_clean(page)
    if language == "en" and viewport == "phone":
        readme_screenshot(page, "forum-agenda-phone")
    context.close()
