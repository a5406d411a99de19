"""The vote path's hand-written SQL (badges.forum.vote_sql): it finds the right item and fair,
and on PostgreSQL votes share the item's lock while closing waits for them."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from badges.forum.vote_sql import session_with_voter_charge, vote_record
from fair.forum.moderation import vote_item_close
from fair.ratelimit import rate_limit_charge_statement, votes_per_attendee, votes_per_ip
from tests import factories
from tests.forum_factories import make_session, open_item

pytestmark = pytest.mark.django_db


def record(item, voter, *, session_id=None, value=3):
    return vote_record(
        item_id=item.pk,
        session_id=session_id,
        attendee_id=voter.pk,
        fair_id=voter.fair_id,
        value=value,
        at=timezone.now(),
    )


@pytest.mark.postgres
def test_vote_record_returns_the_item_and_its_fair_and_respects_the_session(fair):
    item = open_item(make_session(fair=fair))
    other = make_session(fair=factories.make_fair())
    voter = factories.make_attendee(fair=fair)
    found, fair_id, done = record(item, voter, session_id=item.session_id)
    assert (found.pk, found.state, found.title_de, fair_id, done) == (
        item.pk,
        "open",
        item.title_de,
        fair.pk,
        "created",
    )
    assert record(item, voter, session_id=other.pk) is None
    assert record(item, voter, value=3)[2] == "kept"
    assert record(item, voter, value=5)[2] == "changed"
    stranger = factories.make_attendee(fair=other.fair)
    assert record(item, stranger)[2] is None  # another fair's badge: nothing written


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_votes_share_the_lock_and_closing_waits_for_them(fair):
    item = open_item(make_session(fair=fair))
    first, second = factories.make_attendee(fair=fair), factories.make_attendee(fair=fair)
    holding, release = threading.Event(), threading.Event()
    closed_at: list[float] = []

    def vote_in_flight():
        with transaction.atomic():
            record(item, first)
            holding.set()
            release.wait(5)
        connection.close()

    def close():
        vote_item_close(item=item)
        closed_at.append(time.monotonic())
        connection.close()

    voter = threading.Thread(target=vote_in_flight)
    voter.start()
    holding.wait(5)
    # A second vote does not wait for the first one.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '500ms'")
        assert record(item, second)[2] == "created"
    closer = threading.Thread(target=close)
    closer.start()
    time.sleep(0.5)
    assert closed_at == []  # the close waits for the vote in flight
    released = time.monotonic()
    release.set()
    voter.join(5)
    closer.join(5)
    assert closed_at and closed_at[0] >= released


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # autocommit, as a request runs it
def test_both_vote_limits_are_charged_in_the_look_up_of_session_and_voter(
    django_assert_num_queries,
):
    session = make_session(fair=factories.make_fair())
    voter = factories.make_badge(fair=session.fair).attendee
    statements = [
        rate_limit_charge_statement(limit=votes_per_attendee(), key=str(voter.pk)),
        rate_limit_charge_statement(limit=votes_per_ip(), key="192.0.2.1"),
    ]

    def charge(*, session_id=session.pk, attendee_id=voter.pk):
        return session_with_voter_charge(
            fair_slug=session.fair.slug,
            session_id=session_id,
            attendee_id=attendee_id,
            statements=statements,
        )

    with django_assert_num_queries(1):
        found, found_voter, counts = charge()
    assert (found.pk, found.fair.slug, found_voter.pk, counts) == (
        session.pk,
        session.fair.slug,
        voter.pk,
        [1, 1],
    )
    assert charge(attendee_id=factories.make_attendee(fair=session.fair).pk)[1:] == (None, [2, 2])
    assert charge(session_id=session.pk + 1000) is None  # no such session: counted all the same
    assert charge()[2] == [4, 4]
    with connection.cursor() as cursor:  # the setting lived only in the statement's transaction
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
