"""Session check-in by a room device (leads.services.checkin)."""

import datetime
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from badges.exceptions import BadgeRevoked, BadgeUnknown
from badges.privacy.registry import attendee_data_holders
from badges.services.issue import badge_issue, badge_revoke
from leads.exceptions import (
    ClientIdConflict,
    NoSessionNow,
    NotARoomDevice,
    NotAStandDevice,
    SessionFull,
)
from leads.models import Attendance, ScannerDevice
from leads.services.capture import lead_capture
from leads.services.checkin import CheckinDraft, attendance_checkin, attendance_checkin_batch
from leads.services.devices import device_provision
from tests import factories
from tests.forum_factories import make_session

pytestmark = pytest.mark.django_db


def checkin(device, badge, **kw):
    return attendance_checkin(
        device=device, code=badge.qr_content, client_id=kw.pop("client_id", uuid.uuid4()), **kw
    )


def test_checkin_records_the_person_for_the_session_running_in_the_room(
    door, session_now, live_fair
):
    badge = factories.make_badge(fair=live_fair)

    result = checkin(door, badge)

    assert (result.created, result.replayed) == (True, False)
    assert (result.checked_in, result.capacity) == (1, 3)
    attendance = Attendance.objects.get()
    assert (attendance.session, attendance.attendee, attendance.device_id) == (
        session_now,
        badge.attendee,
        door.pk,
    )


def test_second_scan_of_same_person_is_already_checked_in_and_stores_nothing(
    door, session_now, live_fair
):
    badge = factories.make_badge(fair=live_fair)
    checkin(door, badge)

    again = checkin(door, badge)

    assert (again.created, again.replayed, again.checked_in) == (False, False, 1)
    assert Attendance.objects.count() == 1


def test_reissued_badge_of_a_person_checked_in_counts_once(door, session_now, live_fair):
    old = factories.make_badge(fair=live_fair)
    checkin(door, old)
    badge_revoke(badge=old)
    new = badge_issue(attendee=old.attendee)

    assert checkin(door, new).created is False
    assert Attendance.objects.count() == 1


def test_resent_client_id_returns_the_stored_check_in_and_changes_nothing(
    door, session_now, live_fair
):
    badge = factories.make_badge(fair=live_fair)
    client_id = uuid.uuid4()
    first = checkin(door, badge, client_id=client_id)

    again = checkin(door, badge, client_id=client_id)

    assert (again.created, again.replayed) == (True, True)
    assert again.attendance.pk == first.attendance.pk
    assert Attendance.objects.count() == 1


def test_client_id_reused_for_another_badge_is_a_conflict(door, session_now, live_fair):
    client_id = uuid.uuid4()
    checkin(door, factories.make_badge(fair=live_fair), client_id=client_id)

    with pytest.raises(ClientIdConflict):
        checkin(door, factories.make_badge(fair=live_fair), client_id=client_id)
    assert Attendance.objects.count() == 1


def test_full_session_refuses_the_next_person_and_stores_nothing(door, session_now, live_fair):
    people = [factories.make_badge(fair=live_fair) for _ in range(4)]
    results = [checkin(door, badge) for badge in people[:3]]
    assert [result.checked_in for result in results] == [1, 2, 3]

    with pytest.raises(SessionFull):
        checkin(door, people[3])
    # Someone already inside is still recognized when the room is full.
    assert checkin(door, people[0]).created is False
    assert Attendance.objects.filter(session=session_now).count() == 3


def test_no_session_now_refuses_with_no_session(door, room, live_fair):
    with pytest.raises(NoSessionNow):
        checkin(door, factories.make_badge(fair=live_fair))
    assert not Attendance.objects.exists()


def test_session_starting_within_15_minutes_takes_check_ins_one_later_does_not(
    door, room, live_fair
):
    now = timezone.now().replace(microsecond=0)
    make_session(fair=live_fair, room=room, starts_at=now + datetime.timedelta(minutes=40))
    with pytest.raises(NoSessionNow):
        checkin(door, factories.make_badge(fair=live_fair))

    soon = make_session(
        fair=live_fair, room=room, starts_at=now + datetime.timedelta(minutes=12), minutes=20
    )
    assert checkin(door, factories.make_badge(fair=live_fair)).attendance.session == soon


def test_check_in_queued_offline_counts_for_the_session_of_its_own_time(
    door, session_now, live_fair, room
):
    earlier = make_session(
        fair=live_fair,
        room=room,
        starts_at=session_now.starts_at - datetime.timedelta(minutes=45),
        minutes=30,
    )
    scanned = earlier.starts_at + datetime.timedelta(minutes=5)

    result = checkin(door, factories.make_badge(fair=live_fair), scanned_at=scanned)

    assert result.attendance.session == earlier
    assert result.attendance.scanned_at == scanned


def test_badge_of_another_fair_is_unknown(door, session_now):
    other = factories.make_badge(fair=factories.make_fair())
    with pytest.raises(BadgeUnknown):
        checkin(door, other)
    assert not Attendance.objects.exists()


def test_revoked_badge_is_refused(door, session_now, live_fair):
    badge = factories.make_badge(fair=live_fair)
    badge_revoke(badge=badge)
    with pytest.raises(BadgeRevoked):
        checkin(door, badge)
    assert not Attendance.objects.exists()


def test_batch_answers_each_item_and_one_bad_item_leaves_the_others(door, session_now, live_fair):
    good = [factories.make_badge(fair=live_fair) for _ in range(2)]
    revoked = factories.make_badge(fair=live_fair)
    badge_revoke(badge=revoked)
    drafts = [
        CheckinDraft(good[0].qr_content, uuid.uuid4()),
        CheckinDraft(revoked.qr_content, uuid.uuid4()),
        CheckinDraft("not a code", uuid.uuid4()),
        CheckinDraft(good[1].qr_content, uuid.uuid4()),
        CheckinDraft(good[0].short_code, uuid.uuid4()),
    ]

    outcomes = attendance_checkin_batch(device=door, checkins=drafts)

    assert [type(o).__name__ for o in outcomes] == [
        "CheckinResult",
        "BadgeRevoked",
        "BadgeUnknown",
        "CheckinResult",
        "CheckinResult",
    ]
    assert [o.created for o in outcomes if not isinstance(o, Exception)] == [True, True, False]
    assert Attendance.objects.count() == 2


def test_stand_device_cannot_check_in_and_room_device_cannot_capture_leads(
    door, session_now, live_fair, exhibitor
):
    stand = ScannerDevice.objects.get(pk=device_provision(exhibitor=exhibitor, label="S").device.pk)
    badge = factories.make_badge(fair=exhibitor.fair)
    with pytest.raises(NotARoomDevice):
        attendance_checkin(device=stand, code=badge.qr_content, client_id=uuid.uuid4())
    with pytest.raises(NotAStandDevice):
        lead_capture(device=door, code=badge.qr_content, client_id=uuid.uuid4())


def test_database_refuses_a_second_attendance_of_one_person_in_one_session(
    door, session_now, live_fair
):
    badge = factories.make_badge(fair=live_fair)
    row = {"session": session_now, "attendee": badge.attendee, "badge": badge, "device": door}
    Attendance.objects.create(client_id=uuid.uuid4(), scanned_at=timezone.now(), **row)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(client_id=uuid.uuid4(), scanned_at=timezone.now(), **row)


def test_database_refuses_a_device_with_both_or_neither_exhibitor_and_room(room, exhibitor):
    with pytest.raises(IntegrityError), transaction.atomic():
        ScannerDevice.objects.create(label="both", exhibitor=exhibitor, room=room)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScannerDevice.objects.create(label="neither")


def test_erasing_a_visitor_deletes_their_check_ins(door, session_now, live_fair):
    badge = factories.make_badge(fair=live_fair)
    other = factories.make_badge(fair=live_fair)
    checkin(door, badge)
    checkin(door, other)

    counts: dict[str, int] = {}
    for holder in attendee_data_holders():
        counts.update(holder.anonymize(attendee_ids=[badge.attendee_id], now=timezone.now()))

    assert counts["attendances_deleted"] == 1
    assert list(Attendance.objects.values_list("attendee_id", flat=True)) == [other.attendee_id]


def test_the_visitors_data_copy_lists_their_check_ins(door, session_now, live_fair):
    import zoneinfo

    from badges.privacy.selectors import attendee_data

    badge = factories.make_badge(fair=live_fair)
    checkin(door, badge)
    checkin(door, factories.make_badge(fair=live_fair))  # someone else's

    copy = attendee_data(attendee=badge.attendee)["forum"]["checkins"]

    at = Attendance.objects.get(attendee=badge.attendee).scanned_at
    assert copy == [
        {
            "session": session_now.code,
            "title": session_now.title_de,
            "room": session_now.room.name,
            "checked_in_at": at.astimezone(zoneinfo.ZoneInfo("Europe/Berlin")).isoformat(),
        }
    ]
