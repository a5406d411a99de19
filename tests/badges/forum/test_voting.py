"""Relevance votes: one per badge holder and item, 1–5, changeable until the item closes,
only from badges of the session's fair; the results read back exactly."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from badges.forum.models import Vote
from badges.forum.selectors import forum_results_for_fair, session_item_results
from badges.forum.voting import vote_cast
from fair.forum.exceptions import ForumError, VotingClosed
from fair.forum.moderation import vote_item_close
from fair.forum.program import session_delete
from tests import factories
from tests.forum_factories import make_session, open_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(fair):
    return open_item(make_session(fair=fair))


@pytest.fixture
def voter(fair):
    return factories.make_attendee(fair=fair)


def test_a_vote_is_recorded_once_and_can_be_changed(item, voter):
    first = vote_cast(attendee=voter, item_id=item.pk, value=4)
    again = vote_cast(attendee=voter, item_id=item.pk, value=4)
    changed = vote_cast(attendee=voter, item_id=item.pk, value=2)
    assert (first.created, again.created, again.changed, changed.changed) == (
        True,
        False,
        False,
        True,
    )
    assert list(Vote.objects.values_list("attendee_id", "value")) == [(voter.pk, 2)]


def _statements(queries: CaptureQueriesContext) -> list[str]:
    """The captured statements without transaction control (BEGIN, COMMIT, savepoints)."""
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")
    return [query["sql"].split()[0] for query in queries if not query["sql"].startswith(control)]


def _one_vote(statements: list[str]) -> bool:
    # PostgreSQL: lock, checks and upsert in one statement; SQLite: the item locked, the
    # vote upserted.
    return statements == (["WITH"] if connection.vendor == "postgresql" else ["SELECT", "INSERT"])


def test_a_vote_is_one_lock_and_one_upsert_that_moves_only_the_change_time(item, voter):
    with CaptureQueriesContext(connection) as queries:
        first = vote_cast(attendee=voter, item_id=item.pk, value=4)
    assert _one_vote(_statements(queries))
    cast_at = Vote.objects.get().cast_at
    kept = vote_cast(attendee=voter, item_id=item.pk, value=4)
    assert Vote.objects.get().changed_at == cast_at  # the same value changes nothing
    with CaptureQueriesContext(connection) as queries:
        changed = vote_cast(attendee=voter, item_id=item.pk, value=1)
    assert _one_vote(_statements(queries))
    vote = Vote.objects.get()
    assert (vote.value, vote.cast_at) == (1, cast_at) and vote.changed_at > cast_at
    assert [(o.item, o.created, o.changed) for o in (first, kept, changed)] == [
        (item, True, False),
        (item, False, False),
        (item, False, True),
    ]


def test_a_closed_item_refuses_votes_and_keeps_the_last_one(item, voter):
    vote_cast(attendee=voter, item_id=item.pk, value=5)
    vote_item_close(item=item)
    with pytest.raises(VotingClosed, match="closed; your vote was not counted"):
        vote_cast(attendee=voter, item_id=item.pk, value=1)
    assert Vote.objects.get().value == 5


def test_an_item_not_opened_yet_refuses_votes(fair, voter):
    pending = make_session(fair=fair).vote_items.first()
    with pytest.raises(VotingClosed, match="not started"):
        vote_cast(attendee=voter, item_id=pending.pk, value=3)
    assert not Vote.objects.exists()


def test_only_attendees_of_the_sessions_fair_vote(item):
    stranger = factories.make_attendee(fair=factories.make_fair())
    with pytest.raises(ForumError, match="Only badges of this fair"):
        vote_cast(attendee=stranger, item_id=item.pk, value=3)
    erased = factories.make_attendee(fair=item.session.fair, erased_at=timezone.now())
    with pytest.raises(ForumError):
        vote_cast(attendee=erased, item_id=item.pk, value=3)
    assert not Vote.objects.exists()


@pytest.mark.parametrize("value", [0, 6, -1, True, "3", 3.0, None])
def test_values_outside_1_to_5_are_refused(item, voter, value):
    with pytest.raises(ForumError, match="1 to 5"):
        vote_cast(attendee=voter, item_id=item.pk, value=value)


def test_database_refuses_a_second_vote_or_a_value_out_of_range(item, voter):
    now = timezone.now()
    Vote.objects.create(item=item, attendee=voter, value=3, cast_at=now, changed_at=now)
    for values in ({"attendee": voter, "value": 4}, {"attendee": None, "value": 9}):
        attendee = values["attendee"] or factories.make_attendee(fair=item.session.fair)
        with pytest.raises(IntegrityError), transaction.atomic():
            Vote.objects.create(
                item=item, attendee=attendee, value=values["value"], cast_at=now, changed_at=now
            )


def test_an_item_or_session_with_votes_cannot_be_removed(item, voter):
    vote_cast(attendee=voter, item_id=item.pk, value=3)
    with pytest.raises(ForumError, match="has votes"):
        session_delete(session=item.session)
    assert Vote.objects.count() == 1


def test_results_give_distribution_number_and_mean_per_item(fair, item):
    for value in (5, 4, 4, 1):
        vote_cast(attendee=factories.make_attendee(fair=fair), item_id=item.pk, value=value)
    results = session_item_results(session=item.session)
    first, second = results
    assert first.counts == (1, 0, 0, 2, 1) and first.total == 4 and first.mean == 3.5
    assert second.counts == (0, 0, 0, 0, 0) and second.mean is None
    (session_results,) = forum_results_for_fair(fair=fair)
    assert session_results.session == item.session and session_results.items == results


def test_fair_results_take_three_queries_whatever_the_program(fair, django_assert_num_queries):
    for _ in range(4):
        open_item(make_session(fair=fair, items=3))
    with django_assert_num_queries(3):
        results = forum_results_for_fair(fair=fair)
        assert [len(entry.items) for entry in results] == [3, 3, 3, 3]
        assert all(entry.session.room.name and entry.session.fair for entry in results)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_of_one_badge_make_one_vote_and_none_after_closing(fair):
    item = open_item(make_session(fair=fair))
    voters = [factories.make_attendee(fair=fair) for _ in range(6)]
    errors: list[Exception] = []

    def cast(attendee, value):
        try:
            vote_cast(attendee=attendee, item_id=item.pk, value=value)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=cast, args=(attendee, 1 + n % 5))
        for attendee in voters
        for n in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Vote.objects.filter(item=item).count() == len(voters)
    vote_item_close(item=item)
    with pytest.raises(VotingClosed):
        vote_cast(attendee=voters[0], item_id=item.pk, value=5)


def test_a_vote_request_counts_refused_votes_and_items_stay_in_their_session(fair, item, settings):
    from badges.forum.voting import vote_request_charge, vote_submit

    voter = factories.make_badge(fair=fair).attendee
    settings.FAIRLEAD_RATE_LIMITS = {"vote_attendee": (2, 600)}
    other_item = open_item(make_session(fair=fair))

    def submit(*, item_id, session):
        charged = vote_request_charge(
            fair_slug=fair.slug, session_id=session.pk, attendee_id=voter.pk, address="192.0.2.1"
        )
        if charged.retry_after:
            return charged
        assert (charged.session, charged.voter) == (session, voter)
        return vote_submit(attendee=voter, item_id=item_id, value=3, session_id=session.pk)

    refused = submit(item_id=other_item.pk, session=item.session)
    assert refused.item is None and refused.refused
    vote_item_close(item=item)
    closed = submit(item_id=item.pk, session=item.session)
    assert "closed" in closed.refused
    limited = submit(item_id=other_item.pk, session=other_item.session)
    assert limited.retry_after
    assert not Vote.objects.exists()
    assert (
        vote_request_charge(
            fair_slug=fair.slug, session_id=0, attendee_id=voter.pk, address="192.0.2.1"
        )
        is None
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # autocommit, as a request runs it
def test_a_vote_is_one_round_trip_and_its_own_commit_on_postgresql(item, voter):
    with CaptureQueriesContext(connection) as queries:
        outcome = vote_cast(attendee=voter, item_id=item.pk, value=3)
    assert [query["sql"].split()[0] for query in queries.captured_queries] == ["WITH"]
    assert outcome.created and Vote.objects.get().value == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_vote_arriving_while_the_item_closes_waits_and_is_refused(item, voter):
    # The close holds the item's row lock; the vote's statement waits for it and then
    # sees the item closed: nothing is counted after the close.
    locked, release = threading.Event(), threading.Event()

    def close():
        with transaction.atomic():
            vote_item_close(item=item)
            locked.set()
            release.wait(5)
        connection.close()

    closer = threading.Thread(target=close)
    closer.start()
    locked.wait(5)
    threading.Timer(0.3, release.set).start()
    with pytest.raises(VotingClosed):
        vote_cast(attendee=voter, item_id=item.pk, value=5)
    closer.join(5)
    assert not Vote.objects.exists()
