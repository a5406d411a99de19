"""The database itself refuses invalid badges and attendees."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from badges.models import Attendee, Badge
from tests import factories


@pytest.fixture
def badge(fair):
    return factories.make_badge(fair=fair)


def test_database_refuses_a_duplicate_secret(badge):
    other = factories.make_attendee(fair=badge.attendee.fair)
    with pytest.raises(IntegrityError):
        Badge.objects.create(attendee=other, secret=badge.secret, short_code="0000000000" + "0")


def test_database_refuses_a_duplicate_short_code(badge):
    other = factories.make_attendee(fair=badge.attendee.fair)
    with pytest.raises(IntegrityError):
        Badge.objects.create(attendee=other, secret="0" * 26, short_code=badge.short_code)


def test_database_refuses_two_active_badges_for_one_attendee(badge):
    with pytest.raises(IntegrityError):
        Badge.objects.create(attendee=badge.attendee, secret="1" * 26, short_code="1" * 11)


def test_database_refuses_a_short_code_with_ambiguous_characters(fair):
    attendee = factories.make_attendee(fair=fair)
    with pytest.raises(IntegrityError):
        Badge.objects.create(attendee=attendee, secret="2" * 26, short_code="OIL00000000")


def test_database_refuses_revoked_without_time(badge):
    with pytest.raises(IntegrityError):
        Badge.objects.filter(pk=badge.pk).update(state=Badge.State.REVOKED)


def test_database_refuses_consent_without_time_and_text_version(fair):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_attendee(fair=fair, lead_sharing=True, lead_sharing_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_attendee(
            fair=fair,
            lead_sharing=True,
            lead_sharing_at=timezone.now(),
            lead_sharing_text_version="",
        )


def test_database_refuses_an_unknown_category(fair):
    with pytest.raises(IntegrityError):
        factories.make_attendee(fair=fair, category="vip")


def test_database_refuses_a_second_visitor_with_the_same_email(fair):
    factories.make_attendee(fair=fair, email="same@example.org")
    with pytest.raises(IntegrityError):
        factories.make_attendee(fair=fair, email="same@example.org")


def test_database_refuses_a_shared_badge_link_hash(fair):
    factories.make_attendee(fair=fair, access_token_hash="a" * 64)
    with pytest.raises(IntegrityError):
        factories.make_attendee(fair=fair, access_token_hash="a" * 64)


def test_same_email_may_be_press_and_visitor(fair):
    factories.make_attendee(fair=fair, email="both@example.org")
    factories.make_attendee(fair=fair, email="both@example.org", category=Attendee.Category.PRESS)
    assert Attendee.objects.filter(email="both@example.org").count() == 2
