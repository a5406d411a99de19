"""Helpers for lead capture, devices and the scan API (their fixtures are in tests/conftest.py)."""

import uuid

from django.test import Client

from badges.models import Attendee, Badge
from leads.services.devices import DeviceCredentials
from tests import factories


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
