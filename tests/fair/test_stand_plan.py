"""A stand's place on the plan: open sides decide the type, the database holds them together."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from fair.models import Stand, open_sides_normalize, stand_type_for
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("s", "S"), ("W,S", "SW"), ("n e s w", "NESW"), ("O", "E"), ("NO", "NE"), ("S+E", "ES")],
)
def test_open_sides_are_normalized_to_the_order_n_e_s_w(typed, canonical):
    assert open_sides_normalize(typed) == canonical


@pytest.mark.parametrize("typed", ["", "X", "NN", "S1", " , "])
def test_unknown_repeated_or_missing_sides_are_refused(typed):
    with pytest.raises(ValueError):
        open_sides_normalize(typed)


@pytest.mark.parametrize(
    ("sides", "stand_type"),
    [("S", "row"), ("ES", "corner"), ("NS", "corner"), ("ESW", "head"), ("NESW", "island")],
)
def test_the_number_of_open_sides_decides_the_type(sides, stand_type):
    assert stand_type_for(sides) == stand_type


def test_saving_derives_the_type_from_the_open_sides():
    area = factories.make_area(with_topics=False)
    stand = factories.make_stand(area=area, type=Stand.Type.ROW, open_sides="NES")
    stand.refresh_from_db()
    assert stand.type == Stand.Type.HEAD


def test_a_stand_made_with_a_type_only_gets_that_types_open_sides():
    area = factories.make_area(with_topics=False)
    stand = factories.make_stand(area=area, type=Stand.Type.CORNER)
    assert (stand.type, stand.open_sides) == ("corner", "ES")


def test_update_fields_with_open_sides_saves_the_type_too():
    area = factories.make_area(with_topics=False)
    stand = factories.make_stand(area=area, open_sides="S")
    stand.open_sides = "NESW"
    stand.save(update_fields=["open_sides"])
    stand.refresh_from_db()
    assert stand.type == Stand.Type.ISLAND


def test_database_refuses_a_type_that_contradicts_the_open_sides():
    area = factories.make_area(with_topics=False)
    stand = factories.make_stand(area=area, open_sides="S")
    with pytest.raises(IntegrityError), transaction.atomic():
        Stand.objects.filter(pk=stand.pk).update(type=Stand.Type.ISLAND)


def test_database_refuses_open_sides_out_of_order():
    area = factories.make_area(with_topics=False)
    stand = factories.make_stand(area=area, open_sides="SW")
    with pytest.raises(IntegrityError), transaction.atomic():
        Stand.objects.filter(pk=stand.pk).update(open_sides="WS")


def test_database_refuses_a_negative_position():
    area = factories.make_area(with_topics=False)
    stand = factories.make_stand(area=area)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stand.objects.filter(pk=stand.pk).update(x_m=Decimal("-0.5"))
