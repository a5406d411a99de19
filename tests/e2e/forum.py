"""Shared helpers of the forum's browser tests: a forum with a session to vote on, phones
that link themselves to a badge, votes, and reading the projector's figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from badges.codes import short_code_display
from badges.models import Badge
from fair.forum.lines import ItemLine
from fair.models import Fair, ForumSession, VoteItem
from tests import factories
from tests.e2e.journey import PageWatch, browser_context
from tests.forum_factories import at, make_room, make_session, open_item


@dataclass
class Forum:
    fair: Fair
    session: ForumSession
    item: VoteItem  # open for votes
    later: VoteItem  # not opened yet

    def url(self, live_server, page: str) -> str:
        base = f"{live_server.url}/forum/{self.fair.slug}"
        if page == "program":
            return f"{base}/"
        if page == "session":
            return f"{base}/sessions/{self.session.pk}/"
        return f"{base}/sessions/{self.session.pk}/{page}/"


def forum_create() -> Forum:
    """A fair with the Smart City topics, two rooms and a session whose first item is open."""
    area = factories.make_area()
    fair = area.fair
    forum, workshop = (
        make_room(fair=fair, name="Forum Halle 3", capacity=150),
        make_room(fair=fair, name="Werkstattraum 3.2", capacity=60),
    )
    topics = list(area.topics.order_by("position"))
    session = make_session(
        fair=fair,
        room=forum,
        starts_at=at(fair, hour=10, minute=45),
        topic=topics[0],
        code="F1-02",
        title_de="Freie Parkplätze in Echtzeit: Sensoren in der Innenstadt",
        title_en="Free parking spaces in real time: sensors in the city center",
        items=[
            ItemLine("Bodensensoren je Stellplatz", "In-ground sensors per parking space"),
            ItemLine("Kamerabasierte Belegungserkennung", "Camera-based occupancy detection"),
        ],
    )
    make_session(fair=fair, room=workshop, starts_at=at(fair, hour=11), topic=topics[1])
    make_session(fair=fair, room=forum, starts_at=at(fair, day=1, hour=10), topic=topics[5])
    item = open_item(session, 1)
    return Forum(fair=fair, session=session, item=item, later=session.vote_items.get(position=2))


def watched_page(browser, *, viewport: str, language: str):
    context = browser_context(browser, viewport=viewport, language=language)
    watch = PageWatch().attach(context)
    return context, watch, context.new_page()


def phone_link_by_code(page, live_server, forum: Forum, badge: Badge) -> None:
    """On the vote page, type the code printed on the badge (the phone has no badge yet)."""
    page.goto(forum.url(live_server, "vote"))
    page.fill("#badge-code", short_code_display(badge.short_code).lower())
    page.click(".vote-who button[type=submit]")
    page.wait_for_selector(f'[data-item="{forum.item.pk}"] .vote-value')


def vote(page, item: VoteItem, value: int) -> None:
    page.click(f'#item-{item.pk} button[name="value"][value="{value}"]')
    page.wait_for_selector(f'#item-{item.pk} button[value="{value}"][aria-pressed="true"]')


def projector_figures(page, item: VoteItem) -> dict:
    return page.evaluate(
        """id => {
          const item = document.querySelector(`[data-item="${id}"]`);
          return {
            total: item.querySelector("[data-total]").textContent,
            mean: item.querySelector("[data-mean]").textContent,
            counts: [...item.querySelectorAll("[data-count]")].map(cell => cell.textContent),
            state: item.dataset.state,
          };
        }""",
        item.pk,
    )


def wait_for_projector(page, item: VoteItem, *, total: int, timeout: int = 2500) -> None:
    """The projector shows ``total`` votes on ``item`` within ``timeout`` ms, by itself."""
    page.wait_for_function(
        """([id, total]) => document.querySelector(`[data-item="${id}"] [data-total]`)
             .textContent === String(total)""",
        arg=[item.pk, total],
        timeout=timeout,
    )


def logged_in_as_organizer(context, live_server) -> None:
    client = Client()
    client.force_login(factories.make_organizer())
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
