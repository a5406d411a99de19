"""Two organizers placing a stand on the same free spot at once: the area lock lets one win."""

from decimal import Decimal

import pytest

from exhibitors.exceptions import StandPlanInvalid
from exhibitors.services.stand_plan import stand_save
from fair.models import Stand
from tests import factories
from tests.concurrency import second_while_first_held

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_second_new_stand_on_the_spot_of_an_uncommitted_one_is_refused():
    area = factories.make_area(with_topics=False)
    organizer = factories.make_organizer()

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

    results = second_while_first_held(
        lambda: stand_save(area=area, stand=None, actor=organizer, **values("3.ONE")),
        lambda: stand_save(area=area, stand=None, actor=organizer, **values("3.TWO")),
    )
    assert results["first"] == "ok"
    assert isinstance(results["second"], StandPlanInvalid)
    assert list(Stand.objects.filter(area=area).values_list("number", flat=True)) == ["3.ONE"]
