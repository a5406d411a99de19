"""fair 0006: stands stored before the plan get their type's open sides and places that do not
overlap."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("fair", "0005_forum_programme")]
AFTER = [("fair", "0006_stand_plan_position")]


@pytest.mark.django_db(transaction=True)
def test_existing_stands_get_open_sides_and_a_row_layout():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Fair, Hall, Area, Stand = (
        apps.get_model("fair", name) for name in ("Fair", "Hall", "Area", "Stand")
    )
    fair = Fair.objects.create(
        name="F",
        slug="f",
        venue="V",
        city="C",
        starts_on=datetime.date(2030, 1, 1),
        ends_on=datetime.date(2030, 1, 2),
    )
    hall = Hall.objects.create(fair=fair, name="H")
    now = timezone.now()
    area = Area.objects.create(
        fair=fair,
        hall=hall,
        name="A",
        slug="a",
        registration_opens_at=now,
        registration_deadline=now + datetime.timedelta(days=1),
    )
    for number, width, stand_type in [("1", 30, "row"), ("2", 8, "corner"), ("3", 12, "island")]:
        Stand.objects.create(
            area=area,
            number=number,
            width_m=Decimal(width),
            depth_m=Decimal(5),
            type=stand_type,
            price_per_sqm=Decimal(1),
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    Stand = executor.loader.project_state(AFTER).apps.get_model("fair", "Stand")
    placed = {
        stand.number: (stand.open_sides, stand.x_m, stand.y_m)
        for stand in Stand.objects.order_by("number")
    }
    # 30 + 8 fit a 40 m row; the 12 m island starts the next row after a 3 m aisle.
    assert placed == {
        "1": ("S", Decimal(0), Decimal(0)),
        "2": ("ES", Decimal(30), Decimal(0)),
        "3": ("NESW", Decimal(0), Decimal(8)),
    }
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
