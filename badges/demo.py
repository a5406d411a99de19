"""The demo's badges part: visitors with their badges and recorded consent, and a badge for
every staff member on the exhibitors' staff lists (see fair/demo.py for the whole).

The historical visitors registered in January 2019 and their badges were printed before the
fair; the upcoming edition's visitors registered in the weeks before the day of seeding.
Consent is recorded as the registration form records it (``ConsentEvent``), with the text
version of its time.
"""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from badges.forum.demo import forum_votes_demo_seed
from badges.models import Attendee, Badge, ConsentEvent
from badges.services.issue import badge_issue, staff_badge_issue
from exhibitors.demo import DemoExhibitors, redate
from exhibitors.models import Exhibitor, StaffMember
from fair.demo import DemoArea, DemoFairs, berlin

HISTORIC_VISITORS = 240
UPCOMING_VISITORS = 24
# The consent text version each edition's visitors saw when they registered.
HISTORIC_CONSENT_VERSION = "2018-09"
UPCOMING_CONSENT_VERSION = "2019-01-v1"
# The print run before the 2019 fair.
PRINTED_2019 = berlin(2019, 2, 11, 16, 0)

FIRST_NAMES = [
    "Jürgen",
    "Anna",
    "Mehmet",
    "Katarzyna",
    "Lukas",
    "Sophie",
    "Ömer",
    "Elena",
    "Jan",
    "Marie",
    "Paweł",
    "Leonie",
    "Jiří",
    "Hannah",
    "Stefan",
    "Ayşe",
    "Nikolaos",
    "Olga",
    "Tobias",
    "Julia",
    "Björn",
    "Fatma",
    "Matthias",
    "Zoë",
]
LAST_NAMES = [
    "Müller",
    "Schmidt",
    "Yılmaz",
    "Nowak",
    "Becker",
    "Hoffmann",
    "Schäfer",
    "Kowalski",
    "Wagner",
    "Dvořák",
    "Papadopoulos",
    "Iwanowa",
    "Krüger",
    "Groß-Weßling",
    "Öztürk",
    "Lehmann",
    "Meier-Lüdenscheidt",
    "Wójcik",
    "Fischer",
    "Brandt",
]
VISITOR_COMPANIES = [
    "Stadt Dortmund – Amt für Digitales (Demo)",
    "Stadtwerke Beispielstadt",
    "Wohnbau Muster eG",
    "Ingenieurbüro Erdacht",
    "Verkehrsverbund Fiktiv",
    "Hochschule Beispiel",
    "Energie Muster AG",
    "Kreisverwaltung Beispielkreis",
    "Planungsbüro Fantasie",
    "Elektro Erfunden GmbH",
]


@dataclass(frozen=True)
class DemoBadges:
    historic: list[Badge]
    upcoming: list[Badge]


def _registered_at(place: DemoArea, n: int) -> datetime.datetime:
    """When visitor ``n`` registered: January 2019, or the three weeks before seeding."""
    if place.is_historic:
        return berlin(2019, 1, 7, 8, 0) + datetime.timedelta(hours=3 * n, minutes=7 * n)
    return timezone.now() - datetime.timedelta(days=21) + datetime.timedelta(hours=19 * n)


def _visitors(*, place: DemoArea, count: int, consent_version: str, seed: int) -> list[Badge]:
    existing = Badge.objects.filter(
        attendee__fair=place.fair, attendee__category=Attendee.Category.VISITOR
    ).select_related("attendee")
    if existing.exists():
        return list(existing.order_by("attendee__email"))
    rng = random.Random(seed)  # the same demo on every machine
    domain = "demo-besucher.example" if place.is_historic else "demo-besucher-next.example"
    badges = []
    for n in range(count):
        shares = rng.random() < 0.7
        registered = _registered_at(place, n)
        confirmed = registered + datetime.timedelta(minutes=4)
        attendee = Attendee.objects.create(
            fair=place.fair,
            category=Attendee.Category.VISITOR,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            company=rng.choice(VISITOR_COMPANIES),
            job_title=rng.choice(["Projektleitung", "Einkauf", "Geschäftsführung", "IT"]),
            email=f"besucher{n + 1}@{domain}",
            country=rng.choice(["DE"] * 8 + ["NL", "PL"]),
            postal_code=f"44{rng.randint(100, 399)}",
            lead_sharing=shares,
            lead_sharing_at=registered,
            lead_sharing_text_version=consent_version,
            confirmed_at=confirmed,
        )
        redate(Attendee, attendee.pk, created_at=registered)
        attendee.topics.set(rng.sample(place.topics, k=rng.randint(1, 3)))
        ConsentEvent.objects.create(
            attendee=attendee,
            given=shares,
            text_version=consent_version,
            source=ConsentEvent.Source.REGISTRATION,
            at=registered,
        )
        badge = badge_issue(attendee=attendee)
        redate(
            Badge,
            badge.pk,
            issued_at=confirmed,
            printed_at=PRINTED_2019 if place.is_historic else None,
        )
        badges.append(badge)
    return badges


def _staff_badges(exhibitors: list[Exhibitor]) -> None:
    """A badge for every staff member, issued when they were put on the list."""
    members = StaffMember.objects.filter(
        exhibitor__in=exhibitors, attendee__isnull=True
    ).select_related("exhibitor", "exhibitor__fair")
    for member in members:
        badge = staff_badge_issue(staff_member=member)
        redate(Attendee, badge.attendee_id, created_at=member.created_at)
        Attendee.objects.filter(pk=badge.attendee_id).update(confirmed_at=member.created_at)
        printed = (
            berlin(2019, 2, 11, 16, 0) if member.exhibitor.fair.starts_on.year == 2019 else None
        )
        redate(Badge, badge.pk, issued_at=member.created_at, printed_at=printed)


def badges_demo_seed(*, fairs: DemoFairs, exhibitors: DemoExhibitors) -> DemoBadges:
    """Visitors with badges for both editions and the staff badges; returns the visitors'
    badges (leads/demo.py scans them)."""
    _staff_badges([*exhibitors.historic, *exhibitors.upcoming])
    historic = _visitors(
        place=fairs.historic,
        count=HISTORIC_VISITORS,
        consent_version=HISTORIC_CONSENT_VERSION,
        seed=2019,
    )
    forum_votes_demo_seed(fair=fairs.historic.fair)
    return DemoBadges(
        historic=historic,
        upcoming=_visitors(
            place=fairs.upcoming,
            count=UPCOMING_VISITORS,
            consent_version=UPCOMING_CONSENT_VERSION,
            seed=2020,
        ),
    )
