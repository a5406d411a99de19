"""The control room's attendee search and retention figures (badges.organizer_selectors)."""

import datetime

import pytest
from django.utils import timezone

from badges.codes import short_code_display
from badges.models import Attendee, PrivacyAuditEntry
from badges.organizer_selectors import attendees_search, fairs_retention
from badges.services.issue import badge_reissue, badge_revoke, badges_mark_printed
from tests import factories


def names(queryset) -> set[str]:
    return {attendee.last_name for attendee in queryset}


@pytest.fixture
def people(fair):
    anna = factories.make_attendee(
        fair=fair,
        first_name="Anna",
        last_name="Ampel",
        company="Verkehrsamt",
        email="a@stadt.example",
    )
    bernd = factories.make_attendee(
        fair=fair,
        first_name="Bernd",
        last_name="Brücke",
        company="Brückenbau KG",
        email="b@bau.example",
        category=Attendee.Category.PRESS,
    )
    other_fair = factories.make_fair()
    factories.make_attendee(fair=other_fair, first_name="Anna", last_name="Anderswo")
    return {
        "anna": factories.make_badge(attendee=anna),
        "bernd": factories.make_badge(attendee=bernd),
    }


def test_search_finds_name_company_and_email_within_the_fair_only(fair, people):
    assert names(attendees_search(fair=fair, query="anna")) == {"Ampel"}
    assert names(attendees_search(fair=fair, query="brückenbau")) == {"Brücke"}
    assert names(attendees_search(fair=fair, query="stadt.example")) == {"Ampel"}
    assert names(attendees_search(fair=fair, query="Bernd Brücke")) == {"Brücke"}


def test_search_finds_a_badge_code_typed_as_printed_in_lower_case(fair, people):
    typed = short_code_display(people["bernd"].short_code).lower()

    found = attendees_search(fair=fair, query=typed)

    assert names(found) == {"Brücke"}
    assert found.get().badge_code == people["bernd"].short_code


def test_search_finds_the_owner_of_a_revoked_code(fair, people):
    old = people["anna"]
    badge_reissue(attendee=old.attendee)

    assert names(attendees_search(fair=fair, query=short_code_display(old.short_code))) == {"Ampel"}


def test_filters_category_printed_and_badge_state(fair, people):
    badges_mark_printed(badge_ids=[people["anna"].pk])
    badge_revoke(badge=people["bernd"])
    nobody = factories.make_attendee(fair=fair, last_name="Ohneausweis")

    assert names(attendees_search(fair=fair, category="press")) == {"Brücke"}
    assert names(attendees_search(fair=fair, printed="printed")) == {"Ampel"}
    assert names(attendees_search(fair=fair, printed="not_printed")) == set()
    assert names(attendees_search(fair=fair, badge="revoked")) == {"Brücke"}
    assert names(attendees_search(fair=fair, badge="none")) == {nobody.last_name}
    assert names(attendees_search(fair=fair, badge="active")) == {"Ampel"}


def test_unknown_filter_values_are_ignored(fair, people):
    assert len(attendees_search(fair=fair, category="pirate", printed="maybe", badge="x")) == 2


def test_annotations_show_the_active_badge(fair, people):
    badges_mark_printed(badge_ids=[people["anna"].pk])
    anna = attendees_search(fair=fair, query="Ampel").get()

    assert anna.badge_id == people["anna"].pk
    assert anna.badge_printed_at is not None
    assert anna.has_revoked is False


def test_search_list_takes_one_query_however_many_attendees(
    fair, people, django_assert_num_queries
):
    for _ in range(5):
        factories.make_badge(fair=fair)
    with django_assert_num_queries(1):
        rows = list(attendees_search(fair=fair))
        assert all(row.fair.name for row in rows)
    assert len(rows) == 7


def test_retention_says_when_a_fair_is_erased(settings, fair):
    settings.FAIRLEAD_RETENTION_DAYS = 180
    factories.make_attendee(fair=fair)
    today = fair.ends_on + datetime.timedelta(days=10)

    row = next(r for r in fairs_retention(today=today) if r.fair.pk == fair.pk)

    assert row.erase_on == fair.ends_on + datetime.timedelta(days=181)
    assert row.days_left == 171 and not row.due
    assert (row.people_held, row.erased, row.purged_at) == (1, 0, None)


def test_retention_shows_the_last_purge(settings, fair):
    settings.FAIRLEAD_RETENTION_DAYS = 0
    PrivacyAuditEntry.objects.create(
        action=PrivacyAuditEntry.Action.RETENTION_PURGED, fair=fair, actor_label="purge_expired"
    )
    row = next(
        r
        for r in fairs_retention(today=fair.ends_on + datetime.timedelta(days=1))
        if r.fair.pk == fair.pk
    )

    assert row.due and row.purged_at is not None
    assert row.purged_at <= timezone.now()
