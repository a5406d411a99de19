import pytest
from django.core.management import CommandError, call_command

from badges.models import Attendee, Badge
from exhibitors.models import Exhibitor, ExhibitorAuditEntry, StaffMember
from fair.models import Area, Fair, Stand
from leads.models import Lead, Scan


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
    days = {dt.date() for dt in Scan.objects.values_list("scanned_at", flat=True)}
    assert {d.isoformat() for d in days} <= {"2019-02-13", "2019-02-14", "2019-02-15"}
    assert sum(leads.values_list("scan_count", flat=True)) == Scan.objects.count()


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


def test_demo_logins_work(client, db):
    call_command("seed_demo")
    assert client.login(username="organizer", password="fairlead-demo-organizer")
    assert client.login(
        username="parkmann@parkwerk-beispiel.example", password="fairlead-demo-exhibitor"
    )
