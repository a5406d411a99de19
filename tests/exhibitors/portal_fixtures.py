"""Helpers for the workflow, portal and admin tests.

Import the fixtures you use by their function names (``submitted_fixture``); pytest knows
them by their short names (``submitted``).
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from exhibitors.models import Exhibitor
from fair.models import Stand
from tests import factories


def profile_data(exhibitor: Exhibitor, **changes) -> dict:
    """The portal's profile form as posted unchanged, with ``changes``."""
    data = {
        name: getattr(exhibitor, name)
        for name in (
            "company_name",
            "legal_form",
            "street",
            "postal_code",
            "city",
            "website",
            "phone",
            "contact_name",
            "contact_phone",
            "contact_position",
            "language",
            "catalog_text",
        )
    }
    data.update(changes)
    return data


def make_stand_sized(*, area, width: str, depth: str, **overrides) -> Stand:
    return factories.make_stand(
        area=area, width_m=Decimal(width), depth_m=Decimal(depth), **overrides
    )


def make_started_fair(**overrides):
    """A fair whose first day was yesterday (so it has started and is not yet over)."""
    today = timezone.localdate()
    return factories.make_fair(
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=1),
        **overrides,
    )


def make_past_fair(**overrides):
    today = timezone.localdate()
    return factories.make_fair(
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today - datetime.timedelta(days=8),
        **overrides,
    )


def audit_actions(exhibitor: Exhibitor) -> list[str]:
    return list(exhibitor.audit_entries.order_by("id").values_list("action", flat=True))


@pytest.fixture(name="submitted")
def submitted_fixture(area) -> Exhibitor:
    return factories.make_exhibitor(area=area, state=Exhibitor.State.SUBMITTED)


@pytest.fixture(name="free_stand")
def free_stand_fixture(area) -> Stand:
    """A free 4 × 5 m stand (20 m², staff quota 10)."""
    return make_stand_sized(area=area, width="4", depth="5")


@pytest.fixture(name="empty_cache", autouse=True)
def empty_cache_fixture(db):
    """Rate limits live in the cache; each test of a module that imports this starts
    without them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
