"""The control room's home (/organizer/): what waits per fair, and where each line leads."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from badges.models import Badge, ErasureRequest
from exhibitors.models import Exhibitor
from leads.home_selectors import fair_attention_list
from leads.home_views import home_items
from leads.models import ScannerDevice
from tests import factories

State = Exhibitor.State
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DE = {"HTTP_ACCEPT_LANGUAGE": "de"}


def _device(exhibitor, label, **values):
    return ScannerDevice.objects.create(exhibitor=exhibitor, label=label, **values)


@pytest.fixture
def busy(db):
    """A fair with some of each kind of work, one with a single registration, one with none."""
    now = timezone.now()
    area = factories.make_area()
    fair = area.fair
    for _ in range(2):
        factories.make_exhibitor(area=area, state=State.SUBMITTED)
    factories.make_exhibitor(area=area, state=State.WAITLISTED)
    factories.make_exhibitor(area=area, state=State.UNCONFIRMED, confirmed_at=None)
    factories.make_exhibitor(area=area, state=State.APPROVED)  # approved, no stand
    over = factories.make_approved_exhibitor(area=area)
    at_quota = factories.make_approved_exhibitor(area=area)
    Exhibitor.objects.filter(pk__in=[over.pk, at_quota.pk]).update(staff_quota=1)
    for _ in range(2):
        factories.make_staff_member(exhibitor=over)
    factories.make_staff_member(exhibitor=at_quota)
    rejected = factories.make_exhibitor(area=area, state=State.REJECTED)
    factories.make_staff_member(exhibitor=rejected)  # a closed list is not work

    waiting = factories.make_attendee(fair=fair)
    ErasureRequest.objects.create(attendee=waiting, requested_at=now)
    decided = factories.make_attendee(fair=fair)
    ErasureRequest.objects.create(
        attendee=decided, requested_at=now, state=ErasureRequest.State.REJECTED, decided_at=now
    )

    factories.make_badge(fair=fair)
    factories.make_badge(fair=fair)
    printed = factories.make_badge(fair=fair)
    Badge.objects.filter(pk=printed.pk).update(printed_at=now)
    revoked = factories.make_badge(fair=fair)
    Badge.objects.filter(pk=revoked.pk).update(state=Badge.State.REVOKED, revoked_at=now)

    _device(over, "new phone")
    _device(over, "paired phone", paired_at=now, token_hash="a" * 64)
    _device(over, "given up", revoked_at=now)

    other_area = factories.make_area()
    factories.make_exhibitor(area=other_area, state=State.SUBMITTED)
    quiet = factories.make_fair()
    return {"fair": fair, "other": other_area.fair, "quiet": quiet}


def test_counts_each_kind_of_work_per_fair(busy):
    fairs = [busy["fair"], busy["other"], busy["quiet"]]
    busy_fair, other, quiet = fair_attention_list(fairs=fairs)
    assert busy_fair.fair == busy["fair"]
    assert (busy_fair.awaiting_review, busy_fair.waitlisted, busy_fair.unassigned) == (2, 1, 1)
    assert busy_fair.staff_over_quota == 1
    assert busy_fair.erasure_requests == 1
    assert busy_fair.badges_unprinted == 2
    assert busy_fair.devices_unpaired == 1
    assert busy_fair.total == 9
    assert (other.awaiting_review, other.total) == (1, 1)
    assert quiet.total == 0


def test_counting_takes_the_same_queries_for_any_number_of_fairs(busy, django_assert_num_queries):
    fairs = [busy["fair"], busy["other"], busy["quiet"]]
    with django_assert_num_queries(5):
        fair_attention_list(fairs=fairs)
    with django_assert_num_queries(5):
        fair_attention_list(fairs=fairs[:1])


@pytest.fixture
def organizer_client(client, db):
    client.force_login(factories.make_organizer())
    return client


def test_each_line_opens_a_list_of_exactly_the_counted_rows(busy, organizer_client):
    """The home's links go to lists filtered to the rows it counted (the admin's device list,
    as no control-room page lists devices)."""
    attention = fair_attention_list(fairs=[busy["fair"]])[0]
    items = home_items(attention)
    assert [item.key for item in items] == [
        "review",
        "waitlist",
        "unassigned",
        "staff",
        "erasure",
        "badges",
        "devices",
    ]
    for item in items:
        response = organizer_client.get(item.href, **EN)
        assert response.status_code == 200, item.href
        if item.href.startswith("/admin/"):
            assert response.context["cl"].result_count == item.count, item.key
        elif item.key == "erasure":  # the privacy desk lists every fair's requests
            pending = response.context["pending"]
            assert item.href.endswith("#erasure-pending")
            assert sum(r.attendee.fair_id == busy["fair"].pk for r in pending) == item.count
        else:
            assert response.context["page"].paginator.count == item.count, item.key


def test_home_shows_counts_and_links_in_german_and_english(busy, organizer_client):
    english = organizer_client.get(reverse("organizer:home"), **EN).content.decode()
    assert busy["fair"].name in english and busy["quiet"].name in english
    text = " ".join(re.sub(r"<[^>]+>", " ", english).split())
    assert "2 registrations awaiting review" in text
    assert "1 registration on the waiting list" in text  # ngettext: one, not "1 registrations"
    assert "Nothing waits for you at this fair." in english  # the quiet fair
    assert f'href="{reverse("organizer:dashboard")}?fair={busy["fair"].pk}"' in english
    german = organizer_client.get(reverse("organizer:home"), **DE).content.decode()
    assert "Anmeldungen warten auf Prüfung" in german
    assert "Leitstand" in german


def test_home_pins_its_queries(busy, organizer_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert organizer_client.get(reverse("organizer:home")).status_code == 200


def test_home_needs_an_organizer(client, busy):
    response = client.get(reverse("organizer:home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    exhibitor = factories.make_approved_exhibitor(area=factories.make_area(fair=busy["fair"]))
    client.force_login(factories.make_exhibitor_user(exhibitor=exhibitor))
    assert client.get(reverse("organizer:home")).status_code == 403


def test_lead_dashboard_is_one_click_away_under_its_old_name(busy, organizer_client):
    assert reverse("organizer:dashboard") == "/organizer/leads/"
    assert reverse("organizer:home") == "/organizer/"
    page = organizer_client.get(reverse("organizer:home"), **EN).content.decode()
    assert f'href="{reverse("organizer:dashboard")}"' in page  # the control room's navigation


def test_back_office_links_to_the_control_room(organizer_client):
    page = organizer_client.get(reverse("admin:index"), **EN).content.decode()
    assert f'<a href="{reverse("organizer:home")}">Control room</a>' in page
