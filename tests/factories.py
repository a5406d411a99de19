"""Plain factory functions for tests: each makes one valid object, overrides by keyword."""

import datetime
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from badges.models import Attendee, Badge
from badges.services.issue import badge_issue
from exhibitors.models import Exhibitor, ExhibitorAccount, StaffMember
from fair.demo import TOPICS
from fair.models import Area, Fair, Hall, Stand, Topic

_seq = itertools.count(1)

SMART_CITY_TOPICS = TOPICS  # the demo fair's Smart City topics


def make_fair(**overrides) -> Fair:
    n = next(_seq)
    today = timezone.localdate()
    values = {
        "name": f"Elektrotechnik Test {n}",
        "slug": f"elektrotechnik-test-{n}",
        "venue": "Westfalenhallen Dortmund",
        "city": "Dortmund",
        "starts_on": today + datetime.timedelta(days=60),
        "ends_on": today + datetime.timedelta(days=62),
    }
    values.update(overrides)
    return Fair.objects.create(**values)


def make_area(*, fair: Fair | None = None, with_topics: bool = True, **overrides) -> Area:
    fair = fair or make_fair()
    n = next(_seq)
    hall, _ = Hall.objects.get_or_create(fair=fair, name="Halle 3")
    now = timezone.now()
    values = {
        "fair": fair,
        "hall": hall,
        "name": "Smart City",
        "slug": f"smart-city-{n}",
        "registration_opens_at": now - datetime.timedelta(days=30),
        "registration_deadline": now + datetime.timedelta(days=30),
    }
    values.update(overrides)
    area = Area.objects.create(**values)
    if with_topics:
        for position, (name_de, name_en) in enumerate(SMART_CITY_TOPICS):
            Topic.objects.create(area=area, name_de=name_de, name_en=name_en, position=position)
    return area


def make_stand(*, area: Area, **overrides) -> Stand:
    n = next(_seq)
    values = {
        "area": area,
        "number": f"3.S{n:03d}",
        "width_m": Decimal("3"),
        "depth_m": Decimal("4"),
        "type": Stand.Type.ROW,
        "price_per_sqm": Decimal("189.00"),
    }
    values.update(overrides)
    return Stand.objects.create(**values)


def make_exhibitor(*, area: Area, **overrides) -> Exhibitor:
    n = next(_seq)
    now = timezone.now()
    values = {
        "fair": area.fair,
        "area": area,
        "state": Exhibitor.State.SUBMITTED,
        "company_name": f"Testwerk {n} GmbH",
        "legal_form": "GmbH",
        "street": "Rheinlanddamm 200",
        "postal_code": "44139",
        "city": "Dortmund",
        "country": "DE",
        "vat_id": f"DE{100000000 + n}",
        "contact_name": f"Kim Kontakt {n}",
        "contact_email": f"kontakt{n}@testwerk.example",
        "requested_sqm": 12,
        "terms_accepted_at": now,
        "terms_version": "2019-01",
        "privacy_accepted_at": now,
        "privacy_version": "2019-01",
        "confirmed_at": now,
    }
    values.update(overrides)
    return Exhibitor.objects.create(**values)


def make_approved_exhibitor(*, area: Area, stand: Stand | None = None, **overrides) -> Exhibitor:
    stand = stand or make_stand(area=area)
    exhibitor = make_exhibitor(
        area=area, state=Exhibitor.State.APPROVED, stand=stand, staff_quota=5, **overrides
    )
    stand.state = Stand.State.ASSIGNED
    stand.save(update_fields=["state"])
    return exhibitor


def make_exhibitor_user(*, exhibitor: Exhibitor, password: str = "correct-horse-9"):
    user = get_user_model().objects.create_user(
        username=exhibitor.contact_email, email=exhibitor.contact_email, password=password
    )
    ExhibitorAccount.objects.create(user=user, exhibitor=exhibitor)
    return user


def make_organizer(**overrides):
    n = next(_seq)
    values = {"username": f"organizer{n}", "email": f"organizer{n}@fair.example"}
    values.update(overrides)
    return get_user_model().objects.create_user(
        password="organizer-pass-9", is_staff=True, is_superuser=True, **values
    )


def make_staff_member(*, exhibitor: Exhibitor, **overrides) -> StaffMember:
    n = next(_seq)
    values = {
        "exhibitor": exhibitor,
        "first_name": "Sam",
        "last_name": f"Standdienst {n}",
        "email": f"staff{n}@testwerk.example",
    }
    values.update(overrides)
    return StaffMember.objects.create(**values)


def make_attendee(*, fair: Fair, lead_sharing: bool = True, **overrides) -> Attendee:
    n = next(_seq)
    values = {
        "fair": fair,
        "category": Attendee.Category.VISITOR,
        "first_name": "Jürgen",
        "last_name": f"Müller-Lüdenscheidt {n}",
        "company": "Stadtwerke Beispielstadt",
        "job_title": "Leiter Digitalisierung",
        "email": f"visitor{n}@example.org",
        "phone": "+49 231 0000",
        "country": "DE",
        "postal_code": "44135",
        "lead_sharing": lead_sharing,
        "lead_sharing_at": timezone.now() if lead_sharing else None,
        "lead_sharing_text_version": "2019-01" if lead_sharing else "",
        "confirmed_at": timezone.now(),
    }
    values.update(overrides)
    return Attendee.objects.create(**values)


def make_badge(
    *, attendee: Attendee | None = None, fair: Fair | None = None, **attendee_kw
) -> Badge:
    attendee = attendee or make_attendee(fair=fair, **attendee_kw)
    return badge_issue(attendee=attendee)
