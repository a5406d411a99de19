"""Writes of the hall plan (exhibitors/services/stand_plan.py)."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry

from exhibitors.exceptions import StandPlanInvalid, TransitionNotAllowed
from exhibitors.models import Exhibitor
from exhibitors.services.stand_plan import (
    exhibitor_stand_pick,
    stand_plan_import,
    stand_plan_import_check,
    stand_save,
)
from exhibitors.stand_import import stand_plan_parse
from fair.models import Stand
from tests import factories
from tests.exhibitors.portal_fixtures import audit_actions

pytestmark = pytest.mark.django_db


def values(**overrides):
    data = {
        "number": "3.N1",
        "x_m": Decimal("10"),
        "y_m": Decimal("0"),
        "width_m": Decimal("3"),
        "depth_m": Decimal("3"),
        "open_sides": "S",
        "price_per_sqm": Decimal("189"),
    }
    data.update(overrides)
    return data


@pytest.fixture
def row_of_two(area):
    """3.R1 at x 0–3 and 3.R2 at x 3–6 (touching, not overlapping)."""
    return [
        factories.make_stand(area=area, number="3.R1", x_m=Decimal(0)),
        factories.make_stand(area=area, number="3.R2", x_m=Decimal(3)),
    ]


def test_stand_save_creates_a_stand_and_logs_it(area, organizer, row_of_two):
    stand = stand_save(area=area, stand=None, actor=organizer, **values(open_sides="ESW"))
    assert (stand.type, stand.area) == ("head", area)
    entry = LogEntry.objects.get(object_id=str(stand.pk))
    assert (entry.action_flag, entry.user) == (ADDITION, organizer)


def test_stands_may_touch(area, organizer, row_of_two):
    stand = stand_save(area=area, stand=None, actor=organizer, **values(x_m=Decimal(6)))
    assert stand.pk


def test_stand_save_refuses_an_overlap_naming_the_other_stand(area, organizer, row_of_two):
    with pytest.raises(StandPlanInvalid, match=r"3\.R2"):
        stand_save(area=area, stand=None, actor=organizer, **values(x_m=Decimal("5.5")))
    assert not Stand.objects.filter(number="3.N1").exists()


def test_stand_save_refuses_a_taken_number(area, organizer, row_of_two):
    with pytest.raises(StandPlanInvalid):
        stand_save(area=area, stand=row_of_two[0], actor=organizer, **values(number="3.R2"))


def test_stand_save_refuses_a_stand_of_another_area(area, organizer):
    elsewhere = factories.make_stand(area=factories.make_area(with_topics=False))
    with pytest.raises(StandPlanInvalid):
        stand_save(area=area, stand=elsewhere, actor=organizer, **values())


def test_stand_save_without_a_change_writes_no_log(area, organizer, row_of_two):
    stand = row_of_two[0]
    same = values(
        number=stand.number,
        x_m=stand.x_m,
        y_m=stand.y_m,
        width_m=stand.width_m,
        depth_m=stand.depth_m,
        open_sides=stand.open_sides,
        price_per_sqm=stand.price_per_sqm,
    )
    stand_save(area=area, stand=stand, actor=organizer, **same)
    assert not LogEntry.objects.filter(object_id=str(stand.pk)).exists()


def test_import_may_swap_two_stands_places(area, organizer, row_of_two):
    rows = stand_plan_parse(b"3.R1;3;0;3;4;S\n3.R2;0;0;3;4;S\n").rows
    check = stand_plan_import(area=area, rows=rows, actor=organizer)
    assert (check.updated, check.created) == (2, 0)
    assert dict(Stand.objects.filter(area=area).values_list("number", "x_m")) == {
        "3.R1": Decimal(3),
        "3.R2": Decimal(0),
    }
    assert LogEntry.objects.filter(action_flag=CHANGE).count() == 2


def test_import_is_all_or_nothing(area, organizer, row_of_two):
    rows = stand_plan_parse(b"3.R1;20;0;3;4;S\n3.NEW;2;0;3;3;S;10\n").rows
    with pytest.raises(StandPlanInvalid) as error:
        stand_plan_import(area=area, rows=rows, actor=organizer)
    assert any("3.NEW" in line for line in error.value.errors)
    assert Stand.objects.get(number="3.R1").x_m == 0
    assert not Stand.objects.filter(number="3.NEW").exists()


def test_import_check_twice_reports_each_problem_once(area, row_of_two):
    rows = stand_plan_parse(b"3.NEW;40;0;3;3;S\n").rows
    stand_plan_import_check(area=area, rows=rows)
    check = stand_plan_import_check(area=area, rows=rows)
    assert len(check.rows[0].errors) == 1  # no price for a new stand


def test_import_of_the_same_plan_again_changes_nothing(area, organizer, row_of_two):
    content = b"3.R1;0;0;3;4;S\n3.R2;3;0;3;4;S\n"
    check = stand_plan_import(area=area, rows=stand_plan_parse(content).rows, actor=organizer)
    assert (check.unchanged, check.updated) == (2, 0)
    assert not LogEntry.objects.exists()


def test_import_with_default_price_for_new_stands(area, organizer):
    rows = stand_plan_parse(b"3.A;0;0;3;3;S\n3.B;3;0;3;3;S;250\n").rows
    stand_plan_import(area=area, rows=rows, actor=organizer, default_price=Decimal("99.5"))
    prices = dict(Stand.objects.filter(area=area).values_list("number", "price_per_sqm"))
    assert prices == {"3.A": Decimal("99.50"), "3.B": Decimal("250.00")}


def test_an_empty_plan_is_not_imported(area, organizer):
    with pytest.raises(StandPlanInvalid):
        stand_plan_import(area=area, rows=[], actor=organizer)


def test_pick_approves_a_waitlisted_registration_with_the_stand(area, organizer):
    stand = factories.make_stand(area=area, width_m=Decimal(6), depth_m=Decimal(5))
    waitlisted = factories.make_exhibitor(area=area, state=Exhibitor.State.WAITLISTED)
    picked = exhibitor_stand_pick(exhibitor=waitlisted, stand=stand, actor=organizer)
    assert (picked.state, picked.stand_id, picked.staff_quota) == ("approved", stand.pk, 10)
    assert audit_actions(picked) == ["approve", "stand_assign"]


def test_pick_refuses_a_rejected_registration(area, organizer):
    stand = factories.make_stand(area=area)
    rejected = factories.make_exhibitor(area=area, state=Exhibitor.State.REJECTED)
    with pytest.raises(TransitionNotAllowed):
        exhibitor_stand_pick(exhibitor=rejected, stand=stand, actor=organizer)
    stand.refresh_from_db()
    assert stand.state == Stand.State.FREE
