"""The visitor's privacy section on their badge page: who captured them, consent, a copy of
their data, an erasure request; and the refusals (wrong, replaced, erased links)."""

import json

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from badges.consent import LEAD_SHARING_TEXT_VERSION
from badges.models import Badge, ConsentEvent, ErasureRequest, PrivacyAuditEntry
from badges.privacy import (
    ErasureAlreadyRequested,
    attendees_anonymize,
    consent_set,
    erasure_request,
)
from tests.leads.report_fixtures import berlin, lead_add
from tests.privacy.conftest import EN, badge_url, link_for


def test_page_lists_the_exhibitors_who_captured_the_visitor_with_berlin_times(
    client, world, shared, shared_token
):
    lead_add(
        exhibitor=world.other,
        attendee=shared,
        scans=[(world.other_device, berlin(15, 9, 5)), (world.other_device, berlin(15, 16, 45))],
        rating="cold",
        notes=[("Nur für B: Budget knapp", world.other_device, None)],
    )
    response = client.get(badge_url(shared_token), **EN)

    assert response.status_code == 200
    text = response.content.decode()
    assert "Wärmewerk Dortmund GmbH" in text
    assert "Konkurrenz AG" in text
    assert world.exhibitor.stand.number in text
    # 13 Feb 2019 10:15 and 15 Feb 16:45 in Berlin (stored in UTC: 09:15 and 15:45).
    assert "13 Feb 2019, 10:15" in text  # one English date style everywhere (fair/formats)
    assert "15 Feb 2019, 16:45" in text
    assert "15:45" not in text
    # The exhibitors' own notes and ratings stay theirs.
    assert "Möchte ein Angebot" not in text
    assert "Budget knapp" not in text
    assert "Rückruf" not in text


def test_page_query_count_is_pinned(client, world, shared, shared_token, django_assert_num_queries):
    for exhibitor, device in ((world.other, world.other_device),):
        lead_add(exhibitor=exhibitor, attendee=shared, scans=[(device, berlin(14, 11))])
    # session/messages are not used for a GET: attendee, badge, captures, consent history,
    # pending erasure request, whether the fair has a forum program.
    with django_assert_num_queries(6):
        assert client.get(badge_url(shared_token), **EN).status_code == 200


def test_page_without_captures_says_so(client, world):
    visitor = world.leads["shared"].attendee.__class__.objects.create(
        fair=world.fair, category="visitor", first_name="Ida", last_name="Neu", email="i@x.org"
    )
    response = client.get(badge_url(link_for(visitor)), **EN)
    assert "No exhibitor has scanned your badge yet." in response.content.decode()


@pytest.mark.parametrize(
    ("method", "name"),
    [("get", "badge"), ("post", "consent"), ("post", "data_download"), ("get", "erasure")],
)
def test_wrong_link_is_404_everywhere(client, world, method, name):
    response = getattr(client, method)(
        badge_url("not-the-secret", name), {"decision": "withdraw"}, **EN
    )
    assert response.status_code == 404
    assert not ConsentEvent.objects.exists()


def test_replaced_link_no_longer_works(client, shared):
    old = link_for(shared)
    new = link_for(shared)  # registering again mails a new link; the old one stops working
    assert client.get(badge_url(old), **EN).status_code == 404
    response = client.post(badge_url(old, "consent"), {"decision": "withdraw"}, **EN)
    assert response.status_code == 404
    shared.refresh_from_db()
    assert shared.lead_sharing is True
    assert client.get(badge_url(new), **EN).status_code == 200


def test_link_of_an_erased_person_is_dead(client, shared, shared_token):
    attendees_anonymize(attendees=type(shared).objects.filter(pk=shared.pk), source="erasure")
    assert client.get(badge_url(shared_token), **EN).status_code == 404
    assert client.post(badge_url(shared_token, "data_download"), **EN).status_code == 404


def test_privacy_pages_are_private(client, shared_token):
    response = client.get(badge_url(shared_token, "erasure"), **EN)
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


# --- consent ---------------------------------------------------------------------------------


def test_withdrawing_consent_takes_effect_and_is_recorded(client, shared, shared_token):
    response = client.post(badge_url(shared_token, "consent"), {"decision": "withdraw"}, **EN)

    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.lead_sharing is False
    event = ConsentEvent.objects.get(attendee=shared)
    assert (event.given, event.source, event.text_version) == (
        False,
        "self_service",
        LEAD_SHARING_TEXT_VERSION,
    )
    page = client.get(badge_url(shared_token), **EN).content.decode()
    assert "see only your name and company" in page
    assert "Share my contact details" in page


def test_withdrawing_twice_records_one_event(client, shared, shared_token):
    for _ in range(2):
        client.post(badge_url(shared_token, "consent"), {"decision": "withdraw"}, **EN)
    assert ConsentEvent.objects.filter(attendee=shared).count() == 1


def test_consent_can_be_given_again_with_time_and_text_version(client, world, shared_token):
    shared = world.leads["shared"].attendee
    consent_set(attendee=shared, given=False)
    before = timezone.now()
    response = client.post(
        badge_url(shared_token, "consent"), {"decision": "give", "agree": "on"}, **EN
    )

    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.lead_sharing is True
    assert shared.lead_sharing_at >= before
    assert shared.lead_sharing_text_version == LEAD_SHARING_TEXT_VERSION
    assert list(ConsentEvent.objects.filter(attendee=shared).values_list("given", flat=True)) == [
        False,
        True,
    ]


def test_giving_consent_needs_the_ticked_box(client, world, shared_token):
    shared = world.leads["shared"].attendee
    consent_set(attendee=shared, given=False)
    response = client.post(badge_url(shared_token, "consent"), {"decision": "give"}, **EN)

    assert response.status_code == 422
    assert "Tick the box to agree" in response.content.decode()
    shared.refresh_from_db()
    assert shared.lead_sharing is False


def test_consent_change_marks_the_leads_changed_for_syncing_clients(shared, world):
    lead = world.leads["shared"]
    before = lead.updated_at
    consent_set(attendee=shared, given=False)
    lead.refresh_from_db()
    assert lead.updated_at > before


def test_consent_page_accepts_only_post(client, shared_token):
    assert client.get(badge_url(shared_token, "consent"), **EN).status_code == 405


# --- a copy of the data ----------------------------------------------------------------------


def test_data_download_holds_everything_about_the_person_and_nothing_of_the_exhibitor(
    client, world, shared, shared_token
):
    consent_set(attendee=shared, given=False)
    response = client.post(badge_url(shared_token, "data_download"), **EN)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(response.content)
    assert data["attendee"]["email"] == "juergen.gross@stadtwerke.example"
    assert data["attendee"]["last_name"] == "Groß"
    assert [topic["en"] for topic in data["attendee"]["topics"]] == [
        "Smart parking",
        "Heat transition",
    ]
    assert [event["given"] for event in data["consent_history"]] == [False]
    badge = shared.badges.get()
    assert data["badges"][0]["short_code"] == str(badge)
    assert badge.secret not in response.content.decode()
    assert data["leads"] == [
        {
            "exhibitor": "Wärmewerk Dortmund GmbH",
            "stand": world.exhibitor.stand.number,
            "first_scanned_at": "2019-02-13T10:15:00+01:00",
            "last_scanned_at": "2019-02-13T10:15:00+01:00",
            "scan_count": 1,
        }
    ]
    text = response.content.decode()
    for secret in ("Möchte ein Angebot", "hot", "Rückruf", "> 10k"):
        assert secret not in text
    entry = PrivacyAuditEntry.objects.get(action="data_downloaded")
    assert entry.attendee == shared
    assert entry.details == {"leads": 1, "badges": 1}


def test_data_download_is_post_only(client, shared_token):
    assert client.get(badge_url(shared_token, "data_download"), **EN).status_code == 405
    assert not PrivacyAuditEntry.objects.exists()


# --- erasure request -------------------------------------------------------------------------


def test_erasure_request_needs_the_ticked_box(client, shared, shared_token):
    response = client.post(badge_url(shared_token, "erasure"), {}, **EN)
    assert response.status_code == 422
    assert "Tick the box to confirm your request." in response.content.decode()
    assert not ErasureRequest.objects.exists()


def test_erasure_request_is_recorded_and_the_organizers_told(
    client, settings, shared, shared_token, django_capture_on_commit_callbacks
):
    settings.FAIRLEAD_ORGANIZER_EMAIL = "datenschutz@messe.example"
    with django_capture_on_commit_callbacks(execute=True):
        with_commit = client.post(badge_url(shared_token, "erasure"), {"understood": "on"}, **EN)

    assert with_commit.status_code == 302
    request = ErasureRequest.objects.get(attendee=shared)
    assert request.state == "pending"
    assert PrivacyAuditEntry.objects.filter(action="erasure_requested", attendee=shared).exists()
    assert [message.to for message in mail.outbox] == [["datenschutz@messe.example"]]
    assert f"/admin/badges/erasurerequest/{request.pk}/change/" in mail.outbox[0].body
    assert "Groß" not in mail.outbox[0].body  # the mail names no one
    page = client.get(badge_url(shared_token), **EN).content.decode()
    assert "You asked for erasure on" in page
    # Until the organizers decide, everything keeps working.
    shared.refresh_from_db()
    assert shared.badges.get().state == Badge.State.ACTIVE


def test_erasure_requested_twice_is_refused(client, shared, shared_token):
    client.post(badge_url(shared_token, "erasure"), {"understood": "on"}, **EN)
    response = client.post(badge_url(shared_token, "erasure"), {"understood": "on"}, **EN)

    assert response.status_code == 409
    assert "already waiting" in response.content.decode()
    with pytest.raises(ErasureAlreadyRequested):
        erasure_request(attendee=shared)
    assert ErasureRequest.objects.filter(attendee=shared).count() == 1


def test_database_refuses_a_second_pending_request(shared):
    ErasureRequest.objects.create(attendee=shared, requested_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        ErasureRequest.objects.create(attendee=shared, requested_at=timezone.now())


def test_database_refuses_a_decided_request_without_decision_time(shared):
    with pytest.raises(IntegrityError), transaction.atomic():
        ErasureRequest.objects.create(
            attendee=shared, requested_at=timezone.now(), state="completed"
        )


def test_database_refuses_given_consent_without_text_version(shared):
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentEvent.objects.create(
            attendee=shared, given=True, text_version="", source="self_service", at=timezone.now()
        )
