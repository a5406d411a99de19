"""Two organizers at once: row locks and the database keep one stand for one exhibitor."""

import threading

import pytest

from exhibitors.exceptions import StandNotAvailable, TransitionNotAllowed
from exhibitors.models import Exhibitor
from exhibitors.services.workflow import exhibitor_approve
from fair.models import Stand
from tests import factories
from tests.concurrency import WAIT, in_thread, second_while_first_held

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_second_approval_onto_a_stand_held_by_an_open_transaction_is_refused():
    area = factories.make_area(with_topics=False)
    stand = factories.make_stand(area=area)
    first, second = (factories.make_exhibitor(area=area) for _ in range(2))
    organizer = factories.make_organizer()
    results = second_while_first_held(
        lambda: exhibitor_approve(exhibitor=first, actor=organizer, stand=stand),
        lambda: exhibitor_approve(exhibitor=second, actor=organizer, stand=stand),
    )
    assert results["first"] == "ok"
    assert isinstance(results["second"], StandNotAvailable)
    second.refresh_from_db()
    assert second.state == Exhibitor.State.SUBMITTED and second.stand is None
    assert Exhibitor.objects.get(stand=stand) == first
    assert Stand.objects.get(pk=stand.pk).state == Stand.State.ASSIGNED


def test_simultaneous_approvals_onto_one_stand_leave_exactly_one_winner():
    area = factories.make_area(with_topics=False)
    stand = factories.make_stand(area=area)
    exhibitors = [factories.make_exhibitor(area=area) for _ in range(4)]
    organizer = factories.make_organizer()
    start = threading.Barrier(len(exhibitors))
    results: dict = {}

    def approve(exhibitor):
        def run():
            start.wait(WAIT)
            return exhibitor_approve(exhibitor=exhibitor, actor=organizer, stand=stand)

        return run

    threads = [in_thread(approve(e), results, e.pk) for e in exhibitors]
    for thread in threads:
        thread.join(WAIT)
    winners = [key for key, value in results.items() if isinstance(value, Exhibitor)]
    losers = [value for value in results.values() if isinstance(value, StandNotAvailable)]
    assert len(winners) == 1
    assert len(losers) == len(exhibitors) - 1
    assert Exhibitor.objects.filter(stand=stand).count() == 1
    assert Exhibitor.objects.filter(state=Exhibitor.State.APPROVED).count() == 1


def test_one_exhibitor_approved_twice_at_once_takes_only_one_stand():
    area = factories.make_area(with_topics=False)
    stands = [factories.make_stand(area=area) for _ in range(2)]
    exhibitor = factories.make_exhibitor(area=area)
    organizer = factories.make_organizer()
    start = threading.Barrier(2)
    results: dict = {}

    def approve(stand):
        def run():
            start.wait(WAIT)
            return exhibitor_approve(exhibitor=exhibitor, actor=organizer, stand=stand)

        return run

    threads = [in_thread(approve(s), results, s.pk) for s in stands]
    for thread in threads:
        thread.join(WAIT)
    outcomes = sorted(type(value).__name__ for value in results.values())
    assert outcomes == ["Exhibitor", "TransitionNotAllowed"]
    assert any(isinstance(v, TransitionNotAllowed) for v in results.values())
    assert Stand.objects.filter(state=Stand.State.ASSIGNED).count() == 1
    assert exhibitor.audit_entries.filter(action="approve").count() == 1
