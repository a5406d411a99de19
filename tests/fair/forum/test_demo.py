"""The demo forum: two days, two rooms, sessions on the area's topics with speakers and items,
every item closed with votes from the demo visitors; seeding twice changes nothing."""

import datetime

import pytest

from badges.forum.demo import forum_votes_demo_seed
from badges.forum.models import Vote
from badges.forum.selectors import forum_results_for_fair
from fair.forum.demo import forum_demo_seed
from fair.forum.program import fair_zone
from fair.models import ForumSession, Room
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_forum_is_realistic_and_idempotent():
    fair = factories.make_fair(
        starts_on=datetime.date(2019, 2, 13), ends_on=datetime.date(2019, 2, 15)
    )
    factories.make_area(fair=fair)
    for _ in range(40):
        factories.make_badge(fair=fair)
    sessions = forum_demo_seed(fair=fair)
    votes = forum_votes_demo_seed(fair=fair)
    zone = fair_zone(fair)
    assert {s.starts_at.astimezone(zone).date() for s in sessions} == {
        datetime.date(2019, 2, 13),
        datetime.date(2019, 2, 14),
    }
    assert Room.objects.filter(fair=fair).count() == 2
    assert all(s.topic is not None and s.speakers.exists() for s in sessions)
    assert votes == Vote.objects.count() > 0
    results = forum_results_for_fair(fair=fair)
    assert len(results) == len(sessions)
    assert all(item.state == "closed" and item.total for r in results for item in r.items)
    forum_demo_seed(fair=fair)
    assert forum_votes_demo_seed(fair=fair) == 0
    assert ForumSession.objects.filter(fair=fair).count() == len(sessions)
    assert Vote.objects.count() == votes
