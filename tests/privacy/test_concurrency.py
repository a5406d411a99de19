"""Two erasure requests at once on PostgreSQL: the attendee's row lock makes the second wait
for the first and then refuse, so one request stays pending."""

import threading

import pytest
from django.db import connection, transaction

from badges.models import ErasureRequest
from badges.privacy import ErasureAlreadyRequested, erasure_request
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WAIT = 20  # seconds; only a safety net against a hung test, never a measured figure


def _in_thread(target, results: dict, key: str) -> threading.Thread:
    def run():
        try:
            results[key] = target()
        except Exception as error:  # reported to the main thread
            results[key] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_second_erasure_request_waits_for_the_first_and_is_refused():
    attendee = factories.make_badge(fair=factories.make_fair()).attendee
    first_done, release = threading.Event(), threading.Event()
    results: dict = {}

    def first_and_hold():
        with transaction.atomic():
            erasure_request(attendee=attendee)
            first_done.set()
            release.wait(WAIT)
        return "ok"

    def second():
        first_done.wait(WAIT)
        return erasure_request(attendee=attendee)

    t1 = _in_thread(first_and_hold, results, "first")
    t2 = _in_thread(second, results, "second")
    first_done.wait(WAIT)
    release.set()
    t1.join(WAIT)
    t2.join(WAIT)
    assert results["first"] == "ok"
    assert isinstance(results["second"], ErasureAlreadyRequested)
    assert ErasureRequest.objects.filter(attendee=attendee).count() == 1
