"""Fixtures of the privacy tests: the lead world of tests/leads plus badge links."""

import secrets

import pytest

from badges.models import Attendee
from fair.hashing import secret_hash
from tests.leads import report_fixtures

world = report_fixtures.world  # the fixture, for these modules

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def link_for(attendee: Attendee) -> str:
    """Give the attendee a fresh badge link (as visitor_confirm does) and return its token."""
    token = secrets.token_urlsafe(32)
    attendee.access_token_hash = secret_hash(token)
    attendee.save(update_fields=["access_token_hash"])
    return token


@pytest.fixture
def shared(world) -> Attendee:
    """Jürgen Groß: shares contact details; captured by exhibitor A (hot, tags, note)."""
    return world.leads["shared"].attendee


@pytest.fixture
def shared_token(shared) -> str:
    return link_for(shared)


def badge_url(token: str, name: str = "badge") -> str:
    from django.urls import reverse

    return reverse(f"badges:{name}", kwargs={"token": token})
