"""Two organizers placing a stand on the same free spot at once: the area lock lets one win."""

import threading
from decimal import Decimal

import pytest
from django.db import transaction

from exhibitors.exceptions import StandPlanInvalid
from exhibitors.services.stand_plan import stand_save
from fair.models import Stand
from tests import factories
from tests.exhibitors.test_workflow_concurrency import WAIT, _in_thread

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_second_new_stand_on_the_spot_of_an_uncommitted_one_is_refused():
    area = factories.make_area(with_topics=False)
    organizer = factories.make_organizer()
    first_done, release = threading.Event(), threading.Event()
    results: dict = {}

    def values(number):
        return {
            "number": number,
            "x_m": Decimal(5),
            "y_m": Decimal(5),
            "width_m": Decimal(3),
            "depth_m": Decimal(3),
            "open_sides": "S",
            "price_per_sqm": Decimal(100),
        }

    def save_first_and_hold():
        with transaction.atomic():
            stand_save(area=area, stand=None, actor=organizer, **values("3.ONE"))
            first_done.set()
            release.wait(WAIT)
        return "ok"

    def save_second():
        first_done.wait(WAIT)
        return stand_save(area=area, stand=None, actor=organizer, **values("3.TWO"))

    t1 = _in_thread(save_first_and_hold, results, "first")
    t2 = _in_thread(save_second, results, "second")
    first_done.wait(WAIT)
    release.set()
    t1.join(WAIT)
    t2.join(WAIT)
    assert results["first"] == "ok"
    assert isinstance(results["second"], StandPlanInvalid)
    assert list(Stand.objects.filter(area=area).values_list("number", flat=True)) == ["3.ONE"]
