"""Organizers' back office: lists, CSV import with preview, reissue, print runs."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from badges.exceptions import BadgeRevoked
from badges.models import Attendee, Badge
from badges.selectors import badge_resolve
from badges.services.issue import staff_badge_issue
from tests import factories
from tests.badges.conftest import qr_texts_per_page

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
CSV = (
    "Ticket-Nr;Vorname;Nachname;E-Mail;Extra\n"
    "T-1;Ann;Alt;ann@example.org;x\n"
    "T-2;Bob;;bob@example.org;y\n"
)


def pdf_content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_attendee_list_query_count_is_fixed(organizer_client, fair, django_assert_num_queries):
    for _ in range(3):
        factories.make_badge(fair=fair)
    url = reverse("admin:badges_attendee_changelist")
    organizer_client.get(url)  # warm up (session, content types)
    with django_assert_num_queries(6) as first:
        organizer_client.get(url)
    for _ in range(5):
        factories.make_badge(fair=fair)
    with django_assert_num_queries(len(first.captured_queries)):
        response = organizer_client.get(url)
    assert response.status_code == 200


def test_badge_list_query_count_is_fixed(organizer_client, fair, django_assert_num_queries):
    for _ in range(3):
        factories.make_badge(fair=fair)
    url = reverse("admin:badges_badge_changelist")
    organizer_client.get(url)
    with django_assert_num_queries(6) as first:
        organizer_client.get(url)
    for _ in range(5):
        factories.make_badge(fair=fair)
    with django_assert_num_queries(len(first.captured_queries)):
        response = organizer_client.get(url)
    assert response.status_code == 200


def test_badge_search_finds_the_printed_code_form(organizer_client, fair):
    badge = factories.make_badge(fair=fair)
    url = reverse("admin:badges_badge_changelist")

    response = organizer_client.get(url, {"q": str(badge).lower()})

    assert response.context["cl"].result_count == 1


def test_admin_import_leads_to_the_control_room_wizard(organizer_client):
    response = organizer_client.get(reverse("admin:badges_attendee_import"))
    changelist = organizer_client.get(reverse("admin:badges_attendee_changelist"))

    assert response["Location"] == reverse("organizer_attendees:import_upload")
    assert reverse("organizer_attendees:import_upload") in changelist.content.decode()


def test_import_page_needs_staff(client, exhibitor_user):
    client.force_login(exhibitor_user)
    response = client.get(reverse("admin:badges_attendee_import"))
    assert response.status_code == 302


def test_reissue_action_revokes_old_code(organizer_client, fair):
    badge = factories.make_badge(fair=fair)

    organizer_client.post(
        reverse("admin:badges_badge_changelist"),
        {"action": "reissue", ACTION_CHECKBOX_NAME: [badge.pk]},
    )

    with pytest.raises(BadgeRevoked):
        badge_resolve(code=badge.qr_content, fair=fair)
    assert badge.attendee.badges.filter(state=Badge.State.ACTIVE).count() == 1


def test_attendee_reissue_action(organizer_client, fair):
    badge = factories.make_badge(fair=fair)

    organizer_client.post(
        reverse("admin:badges_attendee_changelist"),
        {"action": "reissue_badges", ACTION_CHECKBOX_NAME: [badge.attendee.pk]},
    )

    badge.refresh_from_db()
    assert badge.state == Badge.State.REVOKED


def test_print_selected_asks_layout_then_returns_pdf_and_marks_printed(organizer_client, fair):
    chosen, other = factories.make_badge(fair=fair), factories.make_badge(fair=fair)
    url = reverse("admin:badges_badge_changelist")

    ask = organizer_client.post(
        url, {"action": "print_selected", ACTION_CHECKBOX_NAME: [chosen.pk]}, **EN
    )
    assert "1 active badge will be printed" in ask.content.decode()
    response = organizer_client.post(
        url, {"action": "print_selected", ACTION_CHECKBOX_NAME: [chosen.pk], "layout": "id1"}
    )

    assert response["Content-Type"] == "application/pdf"
    assert qr_texts_per_page(pdf_content(response)) == [[chosen.qr_content]]
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert chosen.printed_at is not None and other.printed_at is None


def test_print_run_page_filters_by_exhibitor(organizer_client, fair, exhibitor):
    factories.make_badge(fair=fair)
    staff = staff_badge_issue(staff_member=factories.make_staff_member(exhibitor=exhibitor))

    response = organizer_client.post(
        reverse("admin:badges_badge_print_run"),
        {"fair": fair.pk, "layout": "a6-4up", "exhibitor": exhibitor.pk},
    )

    assert qr_texts_per_page(pdf_content(response)) == [[staff.qr_content]]
    staff.refresh_from_db()
    assert staff.printed_at is not None


def test_print_run_with_no_match_says_so(organizer_client, fair):
    response = organizer_client.post(
        reverse("admin:badges_badge_print_run"),
        {"fair": fair.pk, "layout": "a6", "categories": ["press"]},
        **EN,
    )
    assert response.status_code == 200
    assert "No active badge matches" in response.content.decode()


def test_attendee_added_in_admin_gets_a_badge(organizer_client, fair):
    response = organizer_client.post(
        reverse("admin:badges_attendee_add"),
        {
            "fair": fair.pk,
            "category": "speaker",
            "external_id": "",
            "first_name": "Sara",
            "last_name": "Sprecherin",
            "company": "",
            "job_title": "",
            "email": "sara@example.org",
            "phone": "",
            "country": "DE",
            "postal_code": "",
            "language": "de",
            "badges-TOTAL_FORMS": "0",
            "badges-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    attendee = Attendee.objects.get(email="sara@example.org")
    assert attendee.badges.filter(state="active").count() == 1
    assert attendee.lead_sharing is False
