"""Two erasure requests at once on PostgreSQL: the attendee's row lock makes the second wait
for the first and then refuse, so one request stays pending."""

import pytest

from badges.models import ErasureRequest
from badges.privacy import ErasureAlreadyRequested, erasure_request
from tests import factories
from tests.concurrency import second_while_first_held

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_second_erasure_request_waits_for_the_first_and_is_refused():
    attendee = factories.make_badge(fair=factories.make_fair()).attendee
    results = second_while_first_held(
        lambda: erasure_request(attendee=attendee), lambda: erasure_request(attendee=attendee)
    )
    assert results["first"] == "ok"
    assert isinstance(results["second"], ErasureAlreadyRequested)
    assert ErasureRequest.objects.filter(attendee=attendee).count() == 1
