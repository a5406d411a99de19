"""Erasure: the organizer confirms (or rejects with a reason) in the admin; the person is
anonymized everywhere, leads keep only counts and times, the privacy log records it."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from badges.models import Attendee, Badge, ConsentEvent, ErasureRequest, PrivacyAuditEntry
from badges.privacy import (
    ERASED_NAME,
    AttendeeErased,
    ErasureNotPending,
    ErasureReasonMissing,
    consent_set,
    erasure_confirm,
    erasure_reject,
    erasure_request,
)
from leads import reports
from leads.models import Lead, LeadNote, Scan
from leads.selectors import lead_contact
from leads.services.devices import device_provision
from tests import factories
from tests.leads.report_fixtures import berlin, lead_add
from tests.leads.scan_fixtures import scan_body
from tests.privacy.conftest import EN, badge_url


@pytest.fixture
def organizer(db):
    return factories.make_organizer()


@pytest.fixture
def pending(world, shared, shared_token) -> ErasureRequest:
    # Captured by both exhibitors, with notes, ratings, tags, answers on each side.
    lead_add(
        exhibitor=world.other,
        attendee=shared,
        scans=[(world.other_device, berlin(14, 9)), (world.other_device, berlin(15, 10))],
        rating="warm",
        tags=["Messe-Kontakt"],
        notes=[("Ruft nächste Woche an", world.other_device, None)],
    )
    return erasure_request(attendee=shared)


def test_confirmed_erasure_anonymizes_the_person_everywhere(
    world, shared, shared_token, pending, organizer, django_capture_on_commit_callbacks
):
    leads_before = {
        lead.pk: (lead.first_scanned_at, lead.last_scanned_at, lead.scan_count)
        for lead in Lead.objects.filter(attendee=shared)
    }
    scans_before = Scan.objects.filter(lead__attendee=shared).count()
    with django_capture_on_commit_callbacks(execute=True):
        erasure_confirm(request=pending, actor=organizer)

    person = Attendee.objects.get(pk=shared.pk)
    assert (person.first_name, person.last_name) == ("", ERASED_NAME)
    assert person.email == f"erased-{person.pk}@erased.invalid"
    for name in ("company", "job_title", "phone", "country", "postal_code", "external_id"):
        assert getattr(person, name) == ""
    assert person.topics.count() == 0
    assert person.lead_sharing is False
    assert person.access_token_hash is None
    assert person.erased_at is not None
    assert set(person.badges.values_list("state", flat=True)) == {Badge.State.REVOKED}
    # Leads keep exactly their counts and times; the rest of them is gone.
    leads = Lead.objects.filter(attendee=person)
    assert {
        lead.pk: (lead.first_scanned_at, lead.last_scanned_at, lead.scan_count) for lead in leads
    } == leads_before
    assert {(lead.rating, tuple(lead.tags), tuple(lead.answers)) for lead in leads} == {
        ("", (), ())
    }
    assert not LeadNote.objects.filter(lead__attendee=person).exists()
    assert Scan.objects.filter(lead__attendee=person).count() == scans_before
    # Other people's leads are untouched.
    assert LeadNote.objects.filter(lead=world.leads["repeat"]).count() == 2
    assert Lead.objects.get(pk=world.leads["private"].pk).rating == "warm"
    # Consent withdrawn in the history; request closed; the log says who and what.
    last = ConsentEvent.objects.filter(attendee=person).latest("at")
    assert (last.given, last.source) == (False, "erasure")
    pending.refresh_from_db()
    assert (pending.state, pending.decided_by) == ("completed", organizer)
    entry = PrivacyAuditEntry.objects.get(action="erasure_completed")
    assert entry.actor == organizer
    assert entry.details["leads_stripped"] == 2
    assert entry.details["notes_deleted"] == 2
    assert "Groß" not in str(entry.details)
    # A last mail to the old address; the link is dead.
    assert [message.to for message in mail.outbox] == [["juergen.gross@stadtwerke.example"]]
    assert Client().get(badge_url(shared_token), **EN).status_code == 404


def test_exhibitors_see_no_trace_of_the_person_after_erasure(world, shared, pending, organizer):
    erasure_confirm(request=pending, actor=organizer)
    contact = lead_contact(lead=Lead.objects.get(pk=world.leads["shared"].pk))
    assert contact == {
        "first_name": "",
        "last_name": ERASED_NAME,
        "company": "",
        "contact_shared": False,
    }
    rows = list(
        reports.lead_rows(
            leads=Lead.objects.filter(exhibitor=world.exhibitor),
            zone=reports.fair_zone(world.fair),
        )
    )
    row = next(row for row in rows if row.id == world.leads["shared"].pk)
    assert (row.email, row.notes, row.tags, row.answers, row.rating) == ("", [], [], [], "")
    assert row.scan_count == 1


def test_erased_badge_scans_as_revoked(world, shared, pending, organizer):
    badge = shared.badges.get()
    erasure_confirm(request=pending, actor=organizer)
    credentials = device_provision(exhibitor=world.exhibitor, label="Stand phone")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {credentials.token}", **EN)
    response = api.post("/api/scan/scans", scan_body(badge), content_type="application/json")
    assert response.status_code == 410
    assert response.json()["error"] == "badge_revoked"
    assert "Groß" not in response.content.decode()


def test_statistics_stay_right_after_erasure(world, shared, pending, organizer):
    before = reports.key_figures(leads=Lead.objects.filter(exhibitor=world.exhibitor))
    erasure_confirm(request=pending, actor=organizer)
    after = reports.key_figures(leads=Lead.objects.filter(exhibitor=world.exhibitor))
    assert (after["leads"], after["scans"], after["first"], after["last"]) == (
        before["leads"],
        before["scans"],
        before["first"],
        before["last"],
    )
    assert after["shared"] == before["shared"] - 1


def test_confirming_twice_is_refused(pending, organizer):
    erasure_confirm(request=pending, actor=organizer)
    with pytest.raises(ErasureNotPending):
        erasure_confirm(request=pending, actor=organizer)
    assert PrivacyAuditEntry.objects.filter(action="erasure_completed").count() == 1


def test_an_erased_person_cannot_ask_or_change_consent_again(shared, pending, organizer):
    erasure_confirm(request=pending, actor=organizer)
    with pytest.raises(AttendeeErased):
        erasure_request(attendee=shared)
    with pytest.raises(AttendeeErased):
        consent_set(attendee=shared, given=True)


def test_reject_needs_a_reason(pending, organizer):
    with pytest.raises(ErasureReasonMissing):
        erasure_reject(request=pending, actor=organizer, note="  ")
    pending.refresh_from_db()
    assert pending.state == "pending"


def test_rejection_keeps_the_data_and_tells_the_person_why(
    shared, pending, organizer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        erasure_reject(
            request=pending, actor=organizer, note="Open invoice for the workshop: kept 10 years."
        )
    pending.refresh_from_db()
    assert (pending.state, pending.decided_by) == ("rejected", organizer)
    shared.refresh_from_db()
    assert shared.erased_at is None and shared.email == "juergen.gross@stadtwerke.example"
    assert mail.outbox[-1].to == ["juergen.gross@stadtwerke.example"]
    assert "Open invoice for the workshop" in mail.outbox[-1].body
    assert PrivacyAuditEntry.objects.filter(action="erasure_rejected").exists()
    with pytest.raises(ErasureNotPending):
        erasure_confirm(request=pending, actor=organizer)


def test_after_rejection_a_new_request_is_possible(shared, pending, organizer):
    erasure_reject(request=pending, actor=organizer, note="Legal hold.")
    assert erasure_request(attendee=shared).state == "pending"


# --- the admin -------------------------------------------------------------------------------


@pytest.fixture
def admin_client(organizer) -> Client:
    client = Client(**EN)
    client.force_login(organizer)
    return client


def test_admin_lists_requests_and_offers_the_decision(admin_client, pending):
    listing = admin_client.get(reverse("admin:badges_erasurerequest_changelist"))
    assert listing.status_code == 200
    assert "Groß" in listing.content.decode()
    change = admin_client.get(reverse("admin:badges_erasurerequest_change", args=[pending.pk]))
    decide = reverse("admin:badges_erasurerequest_decide", args=[pending.pk])
    assert decide in change.content.decode()
    page = admin_client.get(decide)
    assert page.status_code == 200
    assert "The 2 leads keep only their scan times and scan counts" in page.content.decode()


def test_admin_confirm_erases(admin_client, shared, pending, organizer):
    response = admin_client.post(
        reverse("admin:badges_erasurerequest_decide", args=[pending.pk]), {"decision": "confirm"}
    )
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.erased_at is not None
    assert ErasureRequest.objects.get(pk=pending.pk).decided_by == organizer


def test_admin_reject_without_reason_is_refused(admin_client, shared, pending):
    response = admin_client.post(
        reverse("admin:badges_erasurerequest_decide", args=[pending.pk]), {"decision": "reject"}
    )
    assert response.status_code == 422
    assert "Say why the request is rejected" in response.content.decode()
    assert ErasureRequest.objects.get(pk=pending.pk).state == "pending"


def test_admin_reject_with_reason(admin_client, pending):
    response = admin_client.post(
        reverse("admin:badges_erasurerequest_decide", args=[pending.pk]),
        {"decision": "reject", "note": "Legal hold."},
    )
    assert response.status_code == 302
    assert ErasureRequest.objects.get(pk=pending.pk).state == "rejected"


def test_admin_decide_on_a_decided_request_is_refused(admin_client, pending, organizer):
    erasure_reject(request=pending, actor=organizer, note="Legal hold.")
    response = admin_client.post(
        reverse("admin:badges_erasurerequest_decide", args=[pending.pk]), {"decision": "confirm"}
    )
    assert response.status_code == 422
    assert "already decided" in response.content.decode()
    assert ErasureRequest.objects.get(pk=pending.pk).state == "rejected"


def test_admin_bulk_confirm_asks_first_then_erases(admin_client, world, pending):
    other = factories.make_attendee(fair=world.fair)
    second = erasure_request(attendee=other)
    url = reverse("admin:badges_erasurerequest_changelist")
    data = {"action": "confirm_selected", "_selected_action": [pending.pk, second.pk]}

    ask = admin_client.post(url, data)
    assert ask.status_code == 200
    assert "Yes, erase them" in ask.content.decode()
    assert not Attendee.objects.filter(erased_at__isnull=False).exists()

    done = admin_client.post(url, {**data, "post": "yes"})
    assert done.status_code == 302
    assert Attendee.objects.filter(erased_at__isnull=False).count() == 2


def test_admin_cannot_add_edit_or_delete_requests_or_log(admin_client, pending):
    assert admin_client.get(reverse("admin:badges_erasurerequest_add")).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:badges_erasurerequest_delete", args=[pending.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    entry = PrivacyAuditEntry.objects.get()
    assert admin_client.get(reverse("admin:badges_privacyauditentry_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:badges_privacyauditentry_add")).status_code == 403
    change = admin_client.post(
        reverse("admin:badges_privacyauditentry_change", args=[entry.pk]), {"actor_label": "x"}
    )
    assert change.status_code == 403
    assert PrivacyAuditEntry.objects.get().actor_label == "badge link"


def test_admin_shows_the_consent_history_of_an_attendee(admin_client, shared):
    consent_set(attendee=shared, given=False, now=timezone.now())
    page = admin_client.get(reverse("admin:badges_attendee_change", args=[shared.pk]))
    assert page.status_code == 200
    assert "Consent history" in page.content.decode()
    assert "visitor&#x27;s badge page" in page.content.decode()


def test_admin_does_not_reissue_badges_for_erased_people(admin_client, shared, pending):
    erasure_confirm(request=pending, actor=factories.make_organizer())
    admin_client.post(
        reverse("admin:badges_attendee_changelist"),
        {"action": "reissue_badges", "_selected_action": [shared.pk]},
    )
    assert not shared.badges.filter(state=Badge.State.ACTIVE).exists()


def test_erasure_renames_the_admins_recent_actions_about_the_person(
    world, shared, pending, organizer
):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    name = shared.full_name
    LogEntry.objects.log_actions(
        user_id=organizer.pk,
        queryset=[shared],
        action_flag=CHANGE,
        change_message=f'[{{"changed": {{"fields": ["email"]}}}}, "{shared.email}"]',
    )
    other = LogEntry.objects.create(
        user=organizer,
        content_type=ContentType.objects.get_for_model(Attendee),
        object_id=str(factories.make_attendee(fair=world.fair).pk),
        object_repr="Someone else",
        action_flag=CHANGE,
    )

    erasure_confirm(request=pending, actor=organizer)

    entry = LogEntry.objects.exclude(pk=other.pk).get()
    assert entry.object_repr == ERASED_NAME and entry.change_message == ""
    texts = " ".join(LogEntry.objects.values_list("object_repr", "change_message").first())
    assert name not in texts and "@" not in texts
    other.refresh_from_db()
    assert other.object_repr == "Someone else"


def test_the_admins_recent_actions_no_longer_name_the_erased_person(
    world, shared, pending, organizer
):
    from django.contrib.admin.models import ADDITION, LogEntry

    admin_client = Client()
    admin_client.force_login(organizer)

    LogEntry.objects.log_actions(
        user_id=organizer.pk, queryset=[shared], action_flag=ADDITION, change_message="[]"
    )
    name = shared.last_name
    assert name in admin_client.get(reverse("admin:index")).content.decode()

    erasure_confirm(request=pending, actor=organizer)

    assert name not in admin_client.get(reverse("admin:index")).content.decode()
