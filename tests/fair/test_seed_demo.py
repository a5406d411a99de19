import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max, Min

from badges.models import Attendee, Badge, ConsentEvent, Vote
from exhibitors.exceptions import ExhibitorError
from exhibitors.models import Exhibitor, ExhibitorAuditEntry, StaffMember
from exhibitors.selectors import exhibitor_for_user
from exhibitors.services.portal import profile_edit_check, staff_add_check
from fair.models import Area, Fair, ForumSession, Stand
from leads.models import Attendance, Lead, LeadNote, Scan, ScannerDevice


@pytest.fixture(autouse=True)
def _debug_on(settings):
    # The test runner turns DEBUG off; the demo only loads in development.
    settings.DEBUG = True


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Fair,
            Area,
            Stand,
            Exhibitor,
            StaffMember,
            Attendee,
            Badge,
            ExhibitorAuditEntry,
            ConsentEvent,
            ScannerDevice,
            Lead,
            LeadNote,
            Scan,
            ForumSession,
            Vote,
            Attendance,
        )
    }


def test_seed_demo_loads_the_2019_smart_city_area(db):
    call_command("seed_demo")

    fair = Fair.objects.get(slug="elektrotechnik-2019")
    assert (fair.name, fair.venue) == ("Elektrotechnik 2019", "Westfalenhallen Dortmund")
    assert (str(fair.starts_on), str(fair.ends_on)) == ("2019-02-13", "2019-02-15")
    area = fair.areas.get(slug="smart-city")
    assert area.topics.count() == 9
    assert area.stands.count() >= 40
    assert set(area.stands.values_list("type", flat=True)) == set(Stand.Type.values)
    assert len({stand.size_sqm for stand in area.stands.all()}) >= 5
    exhibitors = Exhibitor.objects.filter(fair=fair)
    assert exhibitors.count() >= 18
    assert set(exhibitors.values_list("state", flat=True)) == set(Exhibitor.State.values)
    approved = exhibitors.filter(state=Exhibitor.State.APPROVED)
    assert all(exhibitor.stand_id for exhibitor in approved)
    assert StaffMember.objects.filter(exhibitor__fair=fair).count() >= 10
    assert Badge.objects.filter(attendee__category=Attendee.Category.EXHIBITOR_STAFF).count() == (
        StaffMember.objects.count()
    )
    visitors = Attendee.objects.filter(fair=fair, category=Attendee.Category.VISITOR)
    assert visitors.count() == 240
    assert 0 < visitors.filter(lead_sharing=True).count() < 240
    leads = Lead.objects.filter(exhibitor__fair=fair)
    assert leads.count() >= approved.count() * 12
    assert {lead.exhibitor.state for lead in leads.select_related("exhibitor")} == {"approved"}
    scans = Scan.objects.filter(lead__exhibitor__fair=fair)
    days = {dt.date() for dt in scans.values_list("scanned_at", flat=True)}
    assert {d.isoformat() for d in days} <= {"2019-02-13", "2019-02-14", "2019-02-15"}
    assert sum(leads.values_list("scan_count", flat=True)) == scans.count()


def test_second_seed_demo_run_changes_nothing(db):
    call_command("seed_demo")
    before = _counts()

    call_command("seed_demo")

    assert _counts() == before


def test_seed_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert Fair.objects.count() == 0


UPCOMING_LOGIN = "parkmann@parkwerk-beispiel.example"
HISTORIC_LOGIN = "open-data@stadtdaten.example"


def test_demo_logins_work(client, db):
    call_command("seed_demo")
    assert client.login(username="organizer", password="fairlead-demo-organizer")
    for username in (UPCOMING_LOGIN, HISTORIC_LOGIN):
        assert client.login(username=username, password="fairlead-demo-exhibitor")


def _demo_exhibitor(username: str) -> Exhibitor:
    from django.contrib.auth import get_user_model

    return exhibitor_for_user(user=get_user_model().objects.get(username=username))


def test_upcoming_exhibitor_login_can_try_every_portal_flow(db):
    call_command("seed_demo")
    exhibitor = _demo_exhibitor(UPCOMING_LOGIN)
    assert exhibitor.fair.slug == "elektrotechnik-demo-next"
    assert not exhibitor.fair.has_started()
    assert exhibitor.state == Exhibitor.State.APPROVED and exhibitor.stand_id
    profile_edit_check(exhibitor=exhibitor)  # the profile is editable
    staff_add_check(exhibitor=exhibitor)  # room left on an open staff list
    assert 0 < exhibitor.staff.count() < exhibitor.staff_quota
    assert Lead.objects.filter(exhibitor=exhibitor).count() >= 5
    devices = {device.label: device for device in exhibitor.devices.all()}
    assert devices["Standhandy 1"].is_active and devices["Standhandy 1"].scans.exists()
    assert devices["Tablet Empfang"].paired_at is None
    assert not devices["Tablet Empfang"].scans.exists()
    # Registrations of the upcoming fair wait for the organizers' review.
    waiting = Exhibitor.objects.filter(fair=exhibitor.fair, state=Exhibitor.State.SUBMITTED)
    assert waiting.count() >= 2


def test_historic_exhibitor_login_shows_a_finished_fair(db):
    call_command("seed_demo")
    exhibitor = _demo_exhibitor(HISTORIC_LOGIN)
    assert exhibitor.fair.slug == "elektrotechnik-2019"
    with pytest.raises(ExhibitorError):
        profile_edit_check(exhibitor=exhibitor)
    with pytest.raises(ExhibitorError):
        staff_add_check(exhibitor=exhibitor)
    assert Lead.objects.filter(exhibitor=exhibitor).exists()


def test_every_device_state_is_honest(db):
    """A device that scanned was paired before its first scan and last seen at its last."""
    call_command("seed_demo")
    for device in ScannerDevice.objects.annotate(first=Min("scans__scanned_at")).annotate(
        last=Max("scans__scanned_at")
    ):
        if device.first is None:
            continue
        assert device.paired_at is not None and device.token_hash, device
        assert device.created_at <= device.paired_at <= device.first, device
        assert device.last_seen_at == max(
            lead.last_scanned_at for lead in Lead.objects.filter(scans__device=device)
        )


def test_historic_records_carry_historic_dates(db):
    call_command("seed_demo")
    fair = Fair.objects.get(slug="elektrotechnik-2019")
    before_the_end = datetime.datetime(2019, 2, 16, tzinfo=datetime.UTC)
    dated = {
        "audit entries": ExhibitorAuditEntry.objects.filter(exhibitor__fair=fair).values_list(
            "at", flat=True
        ),
        "registrations": Exhibitor.objects.filter(fair=fair).values_list("created_at", flat=True),
        "staff": StaffMember.objects.filter(exhibitor__fair=fair).values_list(
            "created_at", flat=True
        ),
        "attendees": Attendee.objects.filter(fair=fair).values_list("created_at", flat=True),
        "badges": Badge.objects.filter(attendee__fair=fair).values_list("issued_at", flat=True),
        "consents": ConsentEvent.objects.filter(attendee__fair=fair).values_list("at", flat=True),
        "devices": ScannerDevice.objects.filter(exhibitor__fair=fair).values_list(
            "created_at", flat=True
        ),
        "leads": Lead.objects.filter(exhibitor__fair=fair).values_list("created_at", flat=True),
        "scans received": Scan.objects.filter(lead__exhibitor__fair=fair).values_list(
            "received_at", flat=True
        ),
    }
    for what, moments in dated.items():
        moments = list(moments)
        assert moments, what
        assert all(moment < before_the_end for moment in moments), what
    consents = ConsentEvent.objects.filter(attendee__fair=fair)
    assert consents.count() == Attendee.objects.filter(fair=fair, category="visitor").count()


def test_organizer_dashboard_opens_on_the_fair_with_data(client, db):
    call_command("seed_demo")
    client.login(username="organizer", password="fairlead-demo-organizer")
    response = client.get("/organizer/leads/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["fair"].slug == "elektrotechnik-2019"


@pytest.mark.django_db
def test_demo_holds_the_2019_forum_with_votes():
    call_command("seed_demo", verbosity=0)
    sessions = ForumSession.objects.filter(fair__slug="elektrotechnik-2019")
    assert sessions.values("room").distinct().count() == 2
    assert len({session.starts_at.date() for session in sessions}) == 2
    assert Vote.objects.filter(item__session__fair__slug="elektrotechnik-2019").count() > 100


def test_demo_has_a_paired_door_device_and_check_ins_on_the_2019_forum(db):
    call_command("seed_demo")
    door = ScannerDevice.objects.select_related("room__fair").get(room__isnull=False)
    assert door.room.fair.slug == "elektrotechnik-2019"
    assert door.token_hash and door.paired_at is not None and door.exhibitor_id is None
    sessions = ForumSession.objects.filter(room=door.room)
    assert sessions.exists()
    for session in sessions:
        attendances = Attendance.objects.filter(session=session)
        assert 0 < attendances.count() <= door.room.capacity
        assert {a.scanned_at.year for a in attendances} == {2019}
        assert all(a.device_id == door.pk for a in attendances)
    assert door.last_seen_at == Attendance.objects.aggregate(last=Max("scanned_at"))["last"]
