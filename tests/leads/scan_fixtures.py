"""Fixtures and helpers for lead capture, devices and the scan API.

Import the fixtures into a test module with ``from tests.leads.scan_fixtures import *``
(tests/api/conftest.py does so for the API tests).
"""

import uuid

import pytest
from django.test import Client

from badges.models import Attendee, Badge
from leads.services.devices import DeviceCredentials, device_provision
from tests import factories

__all__ = [
    "api",
    "api_for",
    "badge",
    "other_api",
    "other_scanner",
    "private_badge",
    "scan_body",
    "scanner",
    "second_scanner",
    "staff_badge",
]


def scan_body(badge: Badge, **overrides) -> dict:
    """A JSON body for POST /api/scan/scans with a fresh client_id."""
    body = {"code": badge.qr_content, "client_id": str(uuid.uuid4())}
    body.update(overrides)
    return body


def api_for(credentials: DeviceCredentials) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {credentials.token}", HTTP_ACCEPT_LANGUAGE="en")


def staff_badge(*, exhibitor, **overrides) -> Badge:
    staff = factories.make_staff_member(exhibitor=exhibitor)
    attendee = factories.make_attendee(
        fair=exhibitor.fair,
        category=Attendee.Category.EXHIBITOR_STAFF,
        exhibitor=exhibitor,
        staff_member=staff,
        company=exhibitor.company_name,
        **overrides,
    )
    return factories.make_badge(attendee=attendee)


@pytest.fixture
def scanner(exhibitor) -> DeviceCredentials:
    return device_provision(exhibitor=exhibitor, label="Stand phone 1")


@pytest.fixture
def second_scanner(exhibitor) -> DeviceCredentials:
    return device_provision(exhibitor=exhibitor, label="Stand phone 2")


@pytest.fixture
def other_scanner(other_exhibitor) -> DeviceCredentials:
    return device_provision(exhibitor=other_exhibitor, label="Other phone")


@pytest.fixture
def badge(fair) -> Badge:
    """A visitor who shares contact details with exhibitors."""
    return factories.make_badge(fair=fair, lead_sharing=True)


@pytest.fixture
def private_badge(fair) -> Badge:
    """A visitor who did not consent to lead sharing."""
    return factories.make_badge(fair=fair, lead_sharing=False)


@pytest.fixture
def api(scanner) -> Client:
    return api_for(scanner)


@pytest.fixture
def other_api(other_scanner) -> Client:
    return api_for(other_scanner)
