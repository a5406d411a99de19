"""Retention: ``manage.py purge_expired`` erases the personal data of fairs that ended more
than FAIRLEAD_RETENTION_DAYS ago; idempotent; a dry run stores nothing."""

import datetime
import io
import os
import time

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from badges.import_store import import_file_store
from badges.models import (
    Attendee,
    AttendeeImportChunk,
    Badge,
    ConsentEvent,
    ErasureRequest,
    PrivacyAuditEntry,
)
from badges.privacy import ERASED_NAME, erasure_request
from badges.privacy.retention import fairs_expired, retention_days, retention_purge
from fair.models import RateLimitCounter
from leads.models import Lead, LeadNote, PairingCode, Scan
from tests import factories


def purge(*args) -> str:
    out = io.StringIO()
    call_command("purge_expired", *args, stdout=out)
    return out.getvalue()


def _snapshot() -> tuple:
    """Everything the purge may change, to prove a dry run changes none of it."""
    return (
        list(Attendee.objects.order_by("pk").values()),
        list(Lead.objects.order_by("pk").values()),
        list(LeadNote.objects.order_by("pk").values_list("pk", flat=True)),
        list(Badge.objects.order_by("pk").values_list("pk", "state")),
        list(Attendee.topics.through.objects.order_by("pk").values_list("pk", flat=True)),
        ConsentEvent.objects.count(),
        PrivacyAuditEntry.objects.count(),
        RateLimitCounter.objects.count(),
        PairingCode.objects.count(),
    )


@pytest.fixture
def current(db):
    """A fair still ahead, with a visitor who must be left alone."""
    fair = factories.make_fair()
    return factories.make_badge(fair=fair).attendee


@pytest.fixture
def unconfirmed(world) -> Attendee:
    return factories.make_attendee(fair=world.fair, confirmed_at=None, lead_sharing=False)


HOUSEKEPT = (
    "1 rate-limit counter(s), 1 expired pairing code(s) and 2 leftover(s) of abandoned "
    "attendee imports deleted"
)


@pytest.fixture
def stale_housekeeping(world, settings):
    old = timezone.now() - datetime.timedelta(days=3)
    RateLimitCounter.objects.create(key="a" * 64, window_start=old, count=3)
    RateLimitCounter.objects.create(key="b" * 64, window_start=timezone.now(), count=1)
    PairingCode.objects.create(device=world.device, code_hash="c" * 64, expires_at=old)
    # Expired an hour ago: kept a little longer, so the phone is told "expired", not "unknown".
    PairingCode.objects.create(
        device=world.device2,
        code_hash="d" * 64,
        expires_at=timezone.now() - datetime.timedelta(hours=1),
    )
    # An import wizard left a day ago: its upload and one chunk's results (names, emails).
    token = import_file_store(content=b"Vorname;E-Mail\nLena;lena@example.org\n")
    path = settings.MEDIA_ROOT / "attendee-imports" / f"{token}.csv"
    os.utime(path, (time.time() - 86400, time.time() - 86400))
    chunk = AttendeeImportChunk.objects.create(
        upload=token[:64], fair=world.fair, dry_run=True, number=0, rows=[{"email": "x"}]
    )
    AttendeeImportChunk.objects.filter(pk=chunk.pk).update(created_at=old)
    AttendeeImportChunk.objects.create(upload="fresh", fair=world.fair, dry_run=True, number=0)
    return path


def test_default_retention_is_180_days(settings):
    del settings.FAIRLEAD_RETENTION_DAYS
    assert retention_days() == 180


def test_retention_days_come_from_the_setting(settings):
    settings.FAIRLEAD_RETENTION_DAYS = 30
    assert retention_days() == 30


def test_only_fairs_past_the_period_are_expired(world, current):
    last_day = world.fair.ends_on
    assert list(fairs_expired(days=180, today=last_day + datetime.timedelta(days=180))) == []
    assert list(fairs_expired(days=180, today=last_day + datetime.timedelta(days=181))) == [
        world.fair
    ]


def test_purge_erases_an_expired_fair_and_keeps_lead_counts(world, current, unconfirmed):
    pending = erasure_request(attendee=world.leads["shared"].attendee)
    counts_before = dict(Lead.objects.values_list("pk", "scan_count"))
    scans_before = Scan.objects.count()

    output = purge()

    people = Attendee.objects.filter(fair=world.fair)
    assert people.count() == 5  # the unconfirmed registration is deleted
    assert not Attendee.objects.filter(pk=unconfirmed.pk).exists()
    assert set(people.values_list("last_name", flat=True)) == {ERASED_NAME}
    assert not people.filter(erased_at__isnull=True).exists()
    assert not Badge.objects.filter(attendee__fair=world.fair, state="active").exists()
    assert not LeadNote.objects.exists()
    assert dict(Lead.objects.values_list("pk", "scan_count")) == counts_before
    assert Scan.objects.count() == scans_before
    assert set(Lead.objects.values_list("rating", flat=True)) == {""}
    pending.refresh_from_db()
    assert pending.state == ErasureRequest.State.COMPLETED
    # The current fair is untouched.
    current.refresh_from_db()
    assert current.erased_at is None and current.badges.get().state == "active"
    entry = PrivacyAuditEntry.objects.get(action="retention_purged")
    assert entry.fair == world.fair
    assert entry.details["attendees"] == 5
    assert entry.details["unconfirmed_deleted"] == 1
    assert entry.details["notes_deleted"] == 6
    assert f"Fair {world.fair.pk} (Elektrotechnik 2019): 5 attendee(s) anonymized" in output
    assert "1 unconfirmed registration(s) deleted" in output
    assert "5 lead(s) reduced to counts and times" in output


def test_withdrawn_consent_is_recorded_for_those_who_shared(world):
    sharing = set(
        Attendee.objects.filter(fair=world.fair, lead_sharing=True).values_list("pk", flat=True)
    )
    purge()
    withdrawn = set(
        ConsentEvent.objects.filter(given=False, source="retention").values_list(
            "attendee_id", flat=True
        )
    )
    assert withdrawn == sharing


def test_purge_is_idempotent(
    world, unconfirmed, stale_housekeeping, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        purge()
    after_first = _snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        output = purge()
    assert _snapshot() == after_first
    assert PrivacyAuditEntry.objects.filter(action="retention_purged").count() == 1
    assert "nothing left to erase" in output
    assert (
        "0 rate-limit counter(s), 0 expired pairing code(s) and 0 leftover(s) of abandoned "
        "attendee imports deleted" in output
    )


def test_dry_run_stores_nothing_and_reports_what_would_happen(
    world, unconfirmed, stale_housekeeping, django_capture_on_commit_callbacks
):
    before = _snapshot()
    output = purge("--dry-run")
    assert _snapshot() == before
    assert "[dry run] Fair" in output
    assert "5 attendee(s) anonymized" in output
    assert HOUSEKEPT in output
    assert "Dry run: nothing was changed." in output
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = retention_purge(dry_run=True)
    assert callbacks == []  # the rolled-back transaction deletes no file
    assert report.fairs[0].counts.attendees == 5
    assert report.import_leftovers_deleted == 2
    assert stale_housekeeping.exists() and AttendeeImportChunk.objects.count() == 2


def test_days_option_overrides_the_setting(world, settings):
    settings.FAIRLEAD_RETENTION_DAYS = 180
    far = (timezone.localdate() - world.fair.ends_on).days + 10
    output = purge("--days", str(far))
    assert "No fair is past its retention period." in output
    assert not Attendee.objects.filter(erased_at__isnull=False).exists()


def test_setting_decides_when_no_days_are_given(world, settings):
    settings.FAIRLEAD_RETENTION_DAYS = (timezone.localdate() - world.fair.ends_on).days + 1
    assert "No fair is past its retention period." in purge()
    settings.FAIRLEAD_RETENTION_DAYS = (timezone.localdate() - world.fair.ends_on).days - 1
    assert "attendee(s) anonymized" in purge()


def test_negative_days_are_refused(db):
    with pytest.raises(CommandError):
        purge("--days", "-1")
    with pytest.raises(ValueError):
        retention_purge(days=-1)


def test_housekeeping_deletes_stale_counters_and_pairing_codes(
    world, stale_housekeeping, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        output = purge()
    assert RateLimitCounter.objects.count() == 1
    assert PairingCode.objects.count() == 1
    assert list(AttendeeImportChunk.objects.values_list("upload", flat=True)) == ["fresh"]
    assert not stale_housekeeping.exists()
    assert HOUSEKEPT in output


def test_purge_is_logged(world, caplog):
    with caplog.at_level("INFO", logger="fairlead.retention"):
        purge()
    assert any(
        "retention purge of fair" in record.getMessage() and "'attendees': 5" in record.getMessage()
        for record in caplog.records
    )


def test_purge_anonymizes_staff_lists_and_exhibitor_contacts(world, current):
    from django.contrib.admin.models import ADDITION, LogEntry

    from exhibitors.models import Exhibitor, StaffMember

    staff = factories.make_staff_member(
        exhibitor=world.exhibitor, first_name="Hannelore", last_name="Kraft", email="hk@w.example"
    )
    organizer = factories.make_organizer()
    LogEntry.objects.log_actions(
        user_id=organizer.pk, queryset=[staff], action_flag=ADDITION, change_message="[]"
    )
    current_exhibitor = factories.make_approved_exhibitor(
        area=factories.make_area(fair=current.fair), contact_name="Bleibt Hier"
    )
    current_staff = factories.make_staff_member(exhibitor=current_exhibitor, last_name="Bleibt")

    output = purge()

    staff.refresh_from_db()
    assert (staff.first_name, staff.last_name) == ("", ERASED_NAME)
    assert staff.email.endswith("@erased.invalid")
    assert LogEntry.objects.get().object_repr == ERASED_NAME
    for exhibitor in Exhibitor.objects.filter(fair=world.fair):
        assert exhibitor.contact_name == ERASED_NAME
        assert exhibitor.contact_email.endswith("@erased.invalid")
        assert exhibitor.contact_phone == exhibitor.invoice_email == ""
        assert exhibitor.company_name  # business records stay
    current_exhibitor.refresh_from_db()
    assert current_exhibitor.contact_name == "Bleibt Hier"
    assert StaffMember.objects.get(pk=current_staff.pk).last_name == "Bleibt"
    entry = PrivacyAuditEntry.objects.get(action="retention_purged")
    assert entry.details["staff_anonymized"] == 1
    assert entry.details["exhibitor_contacts_anonymized"] == 2
    assert "1 staff member(s) and 2 exhibitor contact(s) anonymized" in output
    assert purge().count("nothing left to erase") == 1  # idempotent
