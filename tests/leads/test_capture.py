"""lead_capture and lead_update: one lead per exhibitor and attendee, merging, retries."""

import datetime
import uuid
import zoneinfo

import pytest
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from badges.exceptions import BadgeRevoked, BadgeUnknown
from badges.models import Attendee
from badges.services.issue import badge_revoke
from leads.exceptions import ClientIdConflict, LeadDataInvalid, NotALead, OwnStaff
from leads.models import Lead, LeadNote, Question, Scan
from leads.selectors import lead_contact
from leads.services.capture import lead_capture, lead_capture_batch
from leads.services.capture_data import ScanDraft
from leads.services.lead_data import SCAN_MAX_AGE, NoteDraft, client_time_effective
from leads.services.lead_update import lead_update
from leads.services.questions import question_create
from tests import factories
from tests.leads.scan_fixtures import staff_badge


def capture(credentials, badge, **kwargs):
    kwargs.setdefault("client_id", uuid.uuid4())
    return lead_capture(device=credentials.device, code=badge.qr_content, **kwargs)


def test_first_scan_creates_lead_with_one_scan(scanner, badge):
    result = capture(scanner, badge)

    assert result.created and not result.replayed
    lead = Lead.objects.get()
    assert (lead.exhibitor, lead.attendee) == (scanner.device.exhibitor, badge.attendee)
    assert lead.scan_count == 1
    assert lead.first_scanned_at == lead.last_scanned_at
    scan = Scan.objects.get()
    assert (scan.device, scan.badge, scan.lead, scan.created_lead) == (
        scanner.device,
        badge,
        lead,
        True,
    )


def test_second_scan_of_same_badge_by_other_device_updates_existing_lead(
    scanner, second_scanner, badge
):
    first = capture(scanner, badge)
    later = timezone.now()
    second = capture(second_scanner, badge, scanned_at=later)

    assert not second.created and not second.replayed
    assert second.lead.pk == first.lead.pk
    lead = Lead.objects.get()
    assert lead.scan_count == 2
    assert lead.last_scanned_at == later
    assert second.lead.scan_count == 2
    assert Scan.objects.count() == 2


def test_typed_short_code_finds_the_same_lead(scanner, badge):
    capture(scanner, badge)
    typed = f"{badge.short_code[:4].lower()}-{badge.short_code[4:8]} {badge.short_code[8:]}"
    result = lead_capture(device=scanner.device, code=typed, client_id=uuid.uuid4())
    assert not result.created
    assert Lead.objects.get().scan_count == 2


def test_other_exhibitor_gets_its_own_lead(scanner, other_scanner, badge):
    capture(scanner, badge)
    result = capture(other_scanner, badge)
    assert result.created
    assert Lead.objects.count() == 2


def test_same_client_id_returns_stored_result_and_changes_nothing(scanner, badge):
    client_id = uuid.uuid4()
    first = capture(scanner, badge, client_id=client_id, note="Wants a demo")
    again = capture(scanner, badge, client_id=client_id, note="Wants a demo")

    assert again.replayed and again.created
    assert again.lead.pk == first.lead.pk
    assert Lead.objects.get().scan_count == 1
    assert Scan.objects.count() == 1
    assert LeadNote.objects.count() == 1


def test_retry_of_later_scan_replays_as_not_created(scanner, badge):
    capture(scanner, badge)
    client_id = uuid.uuid4()
    capture(scanner, badge, client_id=client_id)
    again = capture(scanner, badge, client_id=client_id)
    assert again.replayed and not again.created
    assert Lead.objects.get().scan_count == 2


def test_retry_after_badge_was_revoked_still_returns_stored_result(scanner, badge):
    client_id = uuid.uuid4()
    capture(scanner, badge, client_id=client_id)
    badge_revoke(badge=badge)
    again = capture(scanner, badge, client_id=client_id)
    assert again.replayed


def test_client_id_used_for_another_badge_is_a_conflict(scanner, badge, fair):
    client_id = uuid.uuid4()
    capture(scanner, badge, client_id=client_id)
    other = factories.make_badge(fair=fair)
    with pytest.raises(ClientIdConflict):
        capture(scanner, other, client_id=client_id)
    assert Lead.objects.count() == 1


def test_client_id_of_another_exhibitor_is_a_conflict_and_reveals_nothing(
    scanner, other_scanner, badge
):
    client_id = uuid.uuid4()
    capture(scanner, badge, client_id=client_id)
    with pytest.raises(ClientIdConflict):
        capture(other_scanner, badge, client_id=client_id)
    assert not Lead.objects.filter(exhibitor=other_scanner.device.exhibitor).exists()


def test_unknown_code_stores_nothing(scanner):
    with pytest.raises(BadgeUnknown):
        lead_capture(device=scanner.device, code="FL1:" + "0" * 26, client_id=uuid.uuid4())
    with pytest.raises(BadgeUnknown):
        lead_capture(device=scanner.device, code="not a badge", client_id=uuid.uuid4())
    assert not Lead.objects.exists() and not Scan.objects.exists()


def test_badge_of_another_fair_is_unknown(scanner):
    foreign = factories.make_badge(fair=factories.make_fair())
    with pytest.raises(BadgeUnknown):
        capture(scanner, foreign)


def test_revoked_badge_stores_nothing(scanner, badge):
    badge_revoke(badge=badge)
    with pytest.raises(BadgeRevoked):
        capture(scanner, badge)
    assert not Lead.objects.exists()


def test_own_staff_badge_is_refused_and_nothing_stored(scanner, exhibitor):
    with pytest.raises(OwnStaff):
        capture(scanner, staff_badge(exhibitor=exhibitor))
    assert not Lead.objects.exists() and not Scan.objects.exists()


def test_other_exhibitors_staff_is_an_ordinary_lead(scanner, other_exhibitor):
    result = capture(scanner, staff_badge(exhibitor=other_exhibitor, lead_sharing=False))
    assert result.created
    contact = lead_contact(lead=result.lead)
    assert contact["company"] == other_exhibitor.company_name
    assert contact["contact_shared"] is False


@pytest.mark.parametrize("category", [Attendee.Category.ORGANIZER, Attendee.Category.SERVICE])
def test_organizer_and_service_badges_are_not_leads(scanner, fair, category):
    badge = factories.make_badge(fair=fair, category=category)
    with pytest.raises(NotALead):
        capture(scanner, badge)
    assert not Lead.objects.exists()


@pytest.mark.parametrize("category", [Attendee.Category.PRESS, Attendee.Category.SPEAKER])
def test_press_and_speakers_are_leads(scanner, fair, category):
    assert capture(scanner, factories.make_badge(fair=fair, category=category)).created


# --- merging ----------------------------------------------------------------------------------


@pytest.fixture
def questions(exhibitor):
    return {
        "budget": question_create(exhibitor=exhibitor, text="Budget?", kind="text"),
        "timing": question_create(
            exhibitor=exhibitor, text="When?", kind="single", choices=["2019", "2020"]
        ),
        "topics": question_create(
            exhibitor=exhibitor, text="Topics?", kind="multiple", choices=["Parking", "Heat"]
        ),
    }


def test_answers_are_validated_and_stored(scanner, badge, questions):
    result = capture(
        scanner,
        badge,
        answers={
            str(questions["budget"].pk): " 50k ",
            questions["timing"].pk: "2019",
            str(questions["topics"].pk): ["Heat", "Parking"],
        },
    )
    assert result.lead.answers == {
        str(questions["budget"].pk): "50k",
        str(questions["timing"].pk): "2019",
        str(questions["topics"].pk): ["Parking", "Heat"],
    }


def test_unknown_question_and_foreign_choice_are_refused_with_field_details(
    scanner, badge, questions, other_exhibitor
):
    foreign = question_create(exhibitor=other_exhibitor, text="Theirs", kind="text")
    with pytest.raises(LeadDataInvalid) as caught:
        capture(
            scanner,
            badge,
            answers={
                "99999": "x",
                str(foreign.pk): "y",
                str(questions["timing"].pk): "2030",
                str(questions["topics"].pk): ["Heat", "Water"],
                str(questions["budget"].pk): ["not", "text"],
            },
        )
    assert set(caught.value.fields) == {
        "answers.99999",
        f"answers.{foreign.pk}",
        f"answers.{questions['timing'].pk}",
        f"answers.{questions['topics'].pk}",
        f"answers.{questions['budget'].pk}",
    }
    assert not Lead.objects.exists()


def test_removed_question_is_no_longer_answerable(scanner, badge, questions):
    questions["budget"].removed_at = timezone.now()
    questions["budget"].save()
    with pytest.raises(LeadDataInvalid):
        capture(scanner, badge, answers={str(questions["budget"].pk): "x"})


def test_later_scan_merges_answers_and_never_overwrites_with_empty_values(
    scanner, second_scanner, badge, questions
):
    budget, timing = str(questions["budget"].pk), str(questions["timing"].pk)
    capture(scanner, badge, rating="hot", answers={budget: "50k"})
    capture(second_scanner, badge, rating=None, answers={budget: "", timing: "2020"})
    capture(second_scanner, badge, answers={timing: []})

    lead = Lead.objects.get()
    assert lead.rating == "hot"
    assert lead.answers == {budget: "50k", timing: "2020"}
    assert lead.scan_count == 3


def test_later_rating_replaces_earlier_one(scanner, badge):
    capture(scanner, badge, rating="cold")
    capture(scanner, badge, rating="warm")
    assert Lead.objects.get().rating == "warm"


def test_notes_of_two_devices_are_both_kept_with_author_and_time(scanner, second_scanner, badge):
    morning = timezone.now() - datetime.timedelta(hours=2)
    noon = timezone.now() - datetime.timedelta(hours=1)
    capture(second_scanner, badge, note="Call back after the fair", scanned_at=noon)
    capture(scanner, badge, note="Interested in heat pumps", scanned_at=morning)

    notes = list(LeadNote.objects.order_by("written_at"))
    assert [(n.text, n.device, n.written_at) for n in notes] == [
        ("Interested in heat pumps", scanner.device, morning),
        ("Call back after the fair", second_scanner.device, noon),
    ]
    lead = Lead.objects.get()
    assert lead.first_scanned_at == morning
    assert lead.last_scanned_at == noon


def test_empty_note_adds_nothing(scanner, badge):
    capture(scanner, badge, note="   ")
    assert not LeadNote.objects.exists()


# --- device time ------------------------------------------------------------------------------


def test_device_time_far_in_the_future_is_replaced_by_server_time():
    now = timezone.now()
    ahead = now + datetime.timedelta(hours=3)
    assert client_time_effective(sent=ahead, received_at=now, time_zone="UTC") == now


def test_device_time_slightly_ahead_is_capped_at_server_time():
    now = timezone.now()
    ahead = now + datetime.timedelta(minutes=2)
    assert client_time_effective(sent=ahead, received_at=now, time_zone="UTC") == now


def test_absurdly_old_device_time_is_replaced_by_server_time():
    now = timezone.now()
    old = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    assert client_time_effective(sent=old, received_at=now, time_zone="UTC") == now
    almost = now - SCAN_MAX_AGE + datetime.timedelta(minutes=1)
    assert client_time_effective(sent=almost, received_at=now, time_zone="UTC") == almost


def test_device_time_without_offset_is_read_in_the_fair_time_zone():
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    now = timezone.now()
    wall_clock = (now - datetime.timedelta(hours=1)).astimezone(berlin).replace(tzinfo=None)
    result = client_time_effective(sent=wall_clock, received_at=now, time_zone="Europe/Berlin")
    assert result == wall_clock.replace(tzinfo=berlin)
    assert result != wall_clock.replace(tzinfo=datetime.UTC)


def test_offline_scan_arriving_late_does_not_move_last_scan_back(scanner, badge):
    now = timezone.now()
    capture(scanner, badge, scanned_at=now)
    capture(scanner, badge, scanned_at=now - datetime.timedelta(hours=5))
    lead = Lead.objects.get()
    assert lead.last_scanned_at == now
    assert lead.first_scanned_at == now - datetime.timedelta(hours=5)


# --- lead_contact -----------------------------------------------------------------------------


def test_contact_with_consent_shows_contact_details_and_topics(scanner, badge, area):
    badge.attendee.topics.set(area.topics.all()[:2])
    contact = lead_contact(lead=capture(scanner, badge).lead)
    attendee = badge.attendee
    assert contact == {
        "first_name": attendee.first_name,
        "last_name": attendee.last_name,
        "company": attendee.company,
        "job_title": attendee.job_title,
        "email": attendee.email,
        "phone": attendee.phone,
        "country": attendee.country,
        "postal_code": attendee.postal_code,
        "topics": [topic.name for topic in area.topics.all()[:2]],
        "contact_shared": True,
    }


def test_contact_without_consent_shows_only_the_badge_print(scanner, private_badge):
    contact = lead_contact(lead=capture(scanner, private_badge).lead)
    attendee = private_badge.attendee
    assert contact == {
        "first_name": attendee.first_name,
        "last_name": attendee.last_name,
        "company": attendee.company,
        "contact_shared": False,
    }


# --- lead_update ------------------------------------------------------------------------------


def test_lead_update_merges_and_appends(scanner, second_scanner, badge, questions):
    budget = str(questions["budget"].pk)
    lead = capture(scanner, badge, rating="warm", answers={budget: "50k"}).lead
    updated = lead_update(
        lead=lead,
        rating=None,
        tags=["Smart parking", "  heat  pump "],
        answers={budget: ""},
        note="Second visit",
        device=second_scanner.device,
    )
    updated = lead_update(lead=updated, tags=["smart PARKING", ""], rating="")

    assert updated.rating == "warm"
    assert updated.tags == ["Smart parking", "heat pump"]
    assert updated.answers == {budget: "50k"}
    assert [(n.text, n.device) for n in updated.notes.all()] == [
        ("Second visit", second_scanner.device)
    ]


def test_lead_update_by_portal_user_records_author(scanner, badge, exhibitor_user):
    lead = capture(scanner, badge).lead
    lead_update(lead=lead, note="Met at the forum", author=exhibitor_user)
    assert LeadNote.objects.get().author == exhibitor_user


def test_lead_update_note_with_known_client_id_is_not_added_twice(scanner, badge):
    lead = capture(scanner, badge).lead
    draft = NoteDraft(text="Send brochure", client_id=uuid.uuid4())
    lead_update(lead=lead, notes=[draft], device=scanner.device)
    lead_update(lead=lead, notes=[draft], device=scanner.device)
    assert LeadNote.objects.count() == 1


def test_lead_update_refuses_bad_values_and_changes_nothing(scanner, badge, questions):
    lead = capture(scanner, badge, rating="cold").lead
    with pytest.raises(LeadDataInvalid) as caught:
        lead_update(
            lead=lead,
            rating="lukewarm",
            tags=["x" * 41],
            answers={str(questions["timing"].pk): "never"},
            note="kept?",
        )
    assert set(caught.value.fields) == {"rating", "tags", f"answers.{questions['timing'].pk}"}
    lead.refresh_from_db()
    assert lead.rating == "cold" and lead.tags == []
    assert not LeadNote.objects.exists()


# --- database integrity -----------------------------------------------------------------------


def test_database_refuses_second_lead_for_same_exhibitor_and_attendee(scanner, badge):
    lead = capture(scanner, badge).lead
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Lead.objects.create(
            exhibitor=lead.exhibitor,
            attendee=lead.attendee,
            first_scanned_at=now,
            last_scanned_at=now,
        )


def test_database_refuses_reused_client_id(scanner, badge):
    scan = capture(scanner, badge).scan
    with pytest.raises(IntegrityError), transaction.atomic():
        Scan.objects.create(
            lead=scan.lead,
            device=scan.device,
            badge=scan.badge,
            client_id=scan.client_id,
            scanned_at=timezone.now(),
        )


def test_database_refuses_zero_scan_count_and_last_before_first(scanner, badge):
    lead = capture(scanner, badge).lead
    with pytest.raises(IntegrityError), transaction.atomic():
        Lead.objects.filter(pk=lead.pk).update(scan_count=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Lead.objects.filter(pk=lead.pk).update(
            last_scanned_at=lead.first_scanned_at - datetime.timedelta(seconds=1)
        )


def test_database_refuses_empty_note(scanner, badge):
    lead = capture(scanner, badge).lead
    with pytest.raises(IntegrityError), transaction.atomic():
        LeadNote.objects.create(lead=lead, text="", written_at=timezone.now())


def test_database_refuses_unknown_question_kind(exhibitor):
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(exhibitor=exhibitor, text="?", kind="essay")


# --- the capture's badge lookup agrees with badges.selectors.badge_resolve ---------------------


def _outcome(function, **kwargs):
    try:
        return function(**kwargs).pk
    except (BadgeUnknown, BadgeRevoked) as error:
        return type(error)


def test_capture_finds_badges_exactly_like_badge_resolve(scanner, fair, badge):
    from badges.selectors import badge_resolve

    revoked = factories.make_badge(fair=fair)
    badge_revoke(badge=revoked)
    foreign = factories.make_badge(fair=factories.make_fair())
    codes = [
        badge.qr_content,
        badge.qr_content.lower(),
        str(badge),  # short code as printed
        badge.short_code.lower(),
        revoked.qr_content,
        str(revoked),
        foreign.qr_content,
        "FL1:" + "0" * 26,
        "hello",
        "",
    ]

    def captured_badge(code):
        result = lead_capture(device=scanner.device, code=code, client_id=uuid.uuid4())
        return result.scan.badge

    for code in codes:
        expected = _outcome(badge_resolve, code=code, fair=fair)
        assert _outcome(captured_badge, code=code) == expected, code
    lead = Lead.objects.get()
    assert lead.scan_count == 4


# --- batches ----------------------------------------------------------------------------------


def _database_error(sqlstate: str) -> OperationalError:
    cause = type("DatabaseCause", (Exception,), {"sqlstate": sqlstate})()
    error = OperationalError("database error")
    error.__cause__ = cause
    return error


def test_batch_returns_results_and_errors_in_order(scanner, badge):
    scans = [
        ScanDraft(code=badge.qr_content, client_id=uuid.uuid4()),
        ScanDraft(code="nonsense", client_id=uuid.uuid4()),
        ScanDraft(code=badge.qr_content, client_id=uuid.uuid4(), rating="hot"),
    ]
    first, unknown, again = lead_capture_batch(device=scanner.device, scans=scans)
    assert first.created and isinstance(unknown, BadgeUnknown) and not again.created
    assert Lead.objects.get().scan_count == 2


def test_batch_is_run_again_after_a_deadlock(scanner, badge, monkeypatch):
    from leads.services import capture as services

    real = services._Capture._write
    failures = [_database_error("40P01")]

    def deadlocking_once(self, accepted):
        result = real(self, accepted)  # written, then rolled back with the whole batch
        if failures:
            raise failures.pop()
        return result

    monkeypatch.setattr(services._Capture, "_write", deadlocking_once)
    scan = ScanDraft(code=badge.qr_content, client_id=uuid.uuid4(), note="once")
    (result,) = lead_capture_batch(device=scanner.device, scans=[scan])

    assert result.created and not result.replayed
    assert Scan.objects.count() == 1 and LeadNote.objects.count() == 1


def test_batch_does_not_retry_other_database_errors(scanner, badge, monkeypatch):
    from leads.services import capture as services

    def broken(self, accepted):
        raise _database_error("53300")  # too many connections

    monkeypatch.setattr(services._Capture, "_write", broken)
    with pytest.raises(OperationalError):
        lead_capture_batch(
            device=scanner.device,
            scans=[ScanDraft(code=badge.qr_content, client_id=uuid.uuid4())],
        )
