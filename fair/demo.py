"""The demo's fair part: Elektrotechnik 2019 in the Westfalenhallen Dortmund with its Smart City
area (the historical edition, 13–15 February 2019), an upcoming fictional edition whose
registration is open, their halls, topics and stands, and the organizer's login.

Each app seeds its own part of the demo (``exhibitors.demo``, ``badges.demo``,
``leads.demo``); ``leads.demo.demo_seed`` runs them in order and the ``seed_demo`` command
calls it. Every part is idempotent: a second run finds what the first made and adds nothing.
Historical records get historical dates (``berlin``); the upcoming edition is dated relative
to the day it was first seeded.
"""

import datetime
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from fair.forum.demo import forum_demo_seed
from fair.models import Area, Fair, Hall, Stand, Topic

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
ORGANIZER_USERNAME = "organizer"
ORGANIZER_PASSWORD = "fairlead-demo-organizer"
HISTORIC_SLUG = "elektrotechnik-2019"
UPCOMING_SLUG = "elektrotechnik-demo-next"
# Days from the first seeding to the upcoming edition's first day.
UPCOMING_IN_DAYS = 120

TOPICS = [
    ("Smartes Parken", "Smart parking"),
    ("Wärmewende", "Heat transition"),
    ("Digitalisierung der Wohnungswirtschaft", "Digital housing"),
    ("Digitale Quartiersentwicklung", "Digital neighborhoods"),
    ("Digitale Unternehmensführung", "Digital business management"),
    ("Smarte Mobilität", "Smart mobility"),
    ("Smarte öffentliche Infrastruktur", "Smart public infrastructure"),
    ("Mensch und demographischer Wandel", "People and demographic change"),
    ("Energie & Wasser", "Energy & water"),
]

# (number, width, depth, type): 44 stands from 9 m² row stands to a 120 m² island.
STAND_SIZES: list[tuple[str, int, int, Stand.Type]] = (
    [(f"3.A{n:02d}", 3, 3, Stand.Type.ROW) for n in range(1, 13)]
    + [(f"3.B{n:02d}", 4, 3, Stand.Type.ROW) for n in range(1, 11)]
    + [(f"3.C{n:02d}", 5, 4, Stand.Type.CORNER) for n in range(1, 9)]
    + [(f"3.D{n:02d}", 6, 5, Stand.Type.CORNER) for n in range(1, 6)]
    + [(f"3.E{n:02d}", 8, 5, Stand.Type.HEAD) for n in range(1, 5)]
    + [("3.F01", 10, 7, Stand.Type.HEAD), ("3.F02", 10, 8, Stand.Type.ISLAND)]
    + [("3.G01", 12, 10, Stand.Type.ISLAND)]
)
# The Smart City area's plan (x, y of the north-west corner in metres; open sides, which
# decide the type): a wall row along the north, a double row of row stands, two blocks of four
# corner stands, a block of four corners, head stands back to back, and two islands in the
# south, with 3 m aisles (5 m in the main aisle between the two halves).
_C = [(24, 7, "NW"), (29, 7, "NE"), (24, 11, "SW"), (29, 11, "ES")]
_D = [(1, 18, "NW"), (7, 18, "NE"), (1, 23, "SW"), (7, 23, "ES"), (1, 33, "NE")]
STAND_PLAN: dict[str, tuple[int, int, str]] = {
    **{f"3.A{n:02d}": (1 + 3 * (n - 1), 1, "S") for n in range(1, 13)},
    **{f"3.B{n:02d}": (1 + 4 * (n - 1), 7, "N") for n in range(1, 6)},
    **{f"3.B{n:02d}": (1 + 4 * (n - 6), 10, "S") for n in range(6, 11)},
    **{f"3.C{n:02d}": (x, y, sides) for n, (x, y, sides) in enumerate(_C, start=1)},
    **{f"3.C{n:02d}": (x + 13, y, sides) for n, (x, y, sides) in enumerate(_C, start=5)},
    **{f"3.D{n:02d}": (x, y, sides) for n, (x, y, sides) in enumerate(_D, start=1)},
    "3.E01": (16, 18, "NEW"),
    "3.E02": (16, 23, "ESW"),
    "3.E03": (27, 18, "NEW"),
    "3.E04": (27, 23, "ESW"),
    "3.F01": (38, 18, "NSW"),
    "3.F02": (31, 31, "NESW"),
    "3.G01": (16, 31, "NESW"),
}
PRICE_BY_TYPE = {
    Stand.Type.ROW: Decimal("169.00"),
    Stand.Type.CORNER: Decimal("184.00"),
    Stand.Type.HEAD: Decimal("196.00"),
    Stand.Type.ISLAND: Decimal("209.00"),
}


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    """A moment in the fair's time zone: ``berlin(2019, 2, 13, 9, 30)``."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BERLIN)


@dataclass(frozen=True)
class DemoArea:
    fair: Fair
    area: Area
    stands: dict[str, Stand]
    topics: list[Topic]

    @property
    def is_historic(self) -> bool:
        return self.fair.slug == HISTORIC_SLUG

    def day_start(self, offset_days: int) -> datetime.datetime:
        """Midnight (Berlin) ``offset_days`` after the fair's first day (negative: before)."""
        day = self.fair.starts_on + datetime.timedelta(days=offset_days)
        return datetime.datetime.combine(day, datetime.time(), tzinfo=BERLIN)


@dataclass(frozen=True)
class DemoFairs:
    historic: DemoArea
    upcoming: DemoArea


def _area_with_topics(
    *, fair: Fair, hall: Hall, opens_at: datetime.datetime, deadline: datetime.datetime
) -> tuple[Area, list[Topic]]:
    area, _ = Area.objects.get_or_create(
        fair=fair,
        slug="smart-city",
        defaults={
            "hall": hall,
            "name": "Smart City",
            "description": (
                "Gemeinschaftsfläche der Allianz Smart City Dortmund mit 126 Partnern und "
                "18 Pilotprojekten; Forum der dritten Allianzkonferenz."
            ),
            "registration_opens_at": opens_at,
            "registration_deadline": deadline,
        },
    )
    for position, (name_de, name_en) in enumerate(TOPICS):
        Topic.objects.get_or_create(
            area=area, name_de=name_de, defaults={"name_en": name_en, "position": position}
        )
    return area, list(area.topics.order_by("position"))


def _stands(*, area: Area, sizes: list[tuple[str, int, int, Stand.Type]]) -> dict[str, Stand]:
    stands = {}
    for number, width, depth, stand_type in sizes:
        x, y, open_sides = STAND_PLAN[number]
        stands[number], _ = Stand.objects.get_or_create(
            area=area,
            number=number,
            defaults={
                "width_m": Decimal(width),
                "depth_m": Decimal(depth),
                "x_m": Decimal(x),
                "y_m": Decimal(y),
                "open_sides": open_sides,
                "type": stand_type,
                "price_per_sqm": PRICE_BY_TYPE[stand_type],
            },
        )
    return stands


def _historic() -> DemoArea:
    fair, _ = Fair.objects.get_or_create(
        slug=HISTORIC_SLUG,
        defaults={
            "name": "Elektrotechnik 2019",
            "venue": "Westfalenhallen Dortmund",
            "city": "Dortmund",
            "starts_on": datetime.date(2019, 2, 13),
            "ends_on": datetime.date(2019, 2, 15),
            "terms_version": "2018-09",
            "privacy_notice": (
                "Demo-Datenschutzerklärung der Veranstalter. Verantwortlich für die "
                "Verarbeitung Ihrer Registrierungsdaten ist die Messegesellschaft; Sie "
                "erreichen die Datenschutzbeauftragte unter datenschutz@messe.example."
            ),
        },
    )
    hall, _ = Hall.objects.get_or_create(fair=fair, name="Halle 3")
    area, topics = _area_with_topics(
        fair=fair,
        hall=hall,
        opens_at=berlin(2018, 9, 1, 0, 0),
        deadline=berlin(2019, 1, 11, 23, 59),
    )
    return DemoArea(fair, area, _stands(area=area, sizes=STAND_SIZES), topics)


def _upcoming() -> DemoArea:
    """A next edition whose registration is open, so the demo shows the public forms and an
    exhibitor who can still change everything."""
    today = timezone.localdate()
    starts_on = today + datetime.timedelta(days=UPCOMING_IN_DAYS)
    fair, _created = Fair.objects.get_or_create(
        slug=UPCOMING_SLUG,
        defaults={
            "name": f"Elektrotechnik {starts_on.year} (Demo)",
            "venue": "Westfalenhallen Dortmund",
            "city": "Dortmund",
            "starts_on": starts_on,
            "ends_on": starts_on + datetime.timedelta(days=2),
            "terms_version": f"{today:%Y-%m}",
        },
    )
    hall, _ = Hall.objects.get_or_create(fair=fair, name="Halle 3")
    now = timezone.now()
    area, topics = _area_with_topics(
        fair=fair,
        hall=hall,
        opens_at=now - datetime.timedelta(days=30),
        deadline=now + datetime.timedelta(days=90),
    )
    return DemoArea(fair, area, _stands(area=area, sizes=STAND_SIZES[:24]), topics)


def _organizer() -> None:
    user_model = get_user_model()
    if not user_model.objects.filter(username=ORGANIZER_USERNAME).exists():
        user_model.objects.create_superuser(
            username=ORGANIZER_USERNAME,
            email="organizer@fairlead.example",
            password=ORGANIZER_PASSWORD,
        )


def fair_demo_seed() -> DemoFairs:
    """Both editions with their hall, Smart City area, topics and stands, and the organizer's
    login. Call it inside the caller's transaction."""
    _organizer()
    historic = _historic()
    forum_demo_seed(fair=historic.fair)
    return DemoFairs(historic=historic, upcoming=_upcoming())
