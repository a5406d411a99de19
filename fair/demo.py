"""The demo fair: Elektrotechnik 2019 in the Westfalenhallen Dortmund with its Smart City area,
plus an upcoming edition whose exhibitor registration is open. All companies and people are
fictional."""

import datetime
import random
import uuid
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from badges.models import Attendee
from badges.services.issue import badge_issue, staff_badge_issue
from exhibitors.models import CoExhibitor, Exhibitor, ExhibitorAccount, StaffMember
from exhibitors.quota import staff_quota_for_size
from exhibitors.services.audit import exhibitor_audit
from fair.models import Area, Fair, Hall, Stand, Topic
from leads.models import Lead, LeadNote, Scan, ScannerDevice

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
ORGANIZER_USERNAME = "organizer"
ORGANIZER_PASSWORD = "fairlead-demo-organizer"
EXHIBITOR_PASSWORD = "fairlead-demo-exhibitor"
TERMS_VERSION = "2018-09"

TOPICS = [
    ("Smartes Parken", "Smart parking"),
    ("Wärmewende", "Heat transition"),
    ("Digitalisierung der Wohnungswirtschaft", "Digital housing"),
    ("Digitale Quartiersentwicklung", "Digital neighbourhoods"),
    ("Digitale Unternehmensführung", "Digital business management"),
    ("Smarte Mobilität", "Smart mobility"),
    ("Smarte öffentliche Infrastruktur", "Smart public infrastructure"),
    ("Mensch und demographischer Wandel", "People and demographic change"),
    ("Energie & Wasser", "Energy & water"),
]

# (number, width, depth, type): 44 stands from 9 m² row stands to a 120 m² island.
STAND_SIZES = (
    [(f"3.A{n:02d}", 3, 3, Stand.Type.ROW) for n in range(1, 13)]
    + [(f"3.B{n:02d}", 4, 3, Stand.Type.ROW) for n in range(1, 11)]
    + [(f"3.C{n:02d}", 5, 4, Stand.Type.CORNER) for n in range(1, 9)]
    + [(f"3.D{n:02d}", 6, 5, Stand.Type.CORNER) for n in range(1, 6)]
    + [(f"3.E{n:02d}", 8, 5, Stand.Type.HEAD) for n in range(1, 5)]
    + [("3.F01", 10, 7, Stand.Type.HEAD), ("3.F02", 10, 8, Stand.Type.ISLAND)]
    + [("3.G01", 12, 10, Stand.Type.ISLAND)]
)
PRICE_BY_TYPE = {
    Stand.Type.ROW: Decimal("169.00"),
    Stand.Type.CORNER: Decimal("184.00"),
    Stand.Type.HEAD: Decimal("196.00"),
    Stand.Type.ISLAND: Decimal("209.00"),
}


@dataclass(frozen=True)
class DemoExhibitor:
    company: str
    legal_form: str
    city: str
    postal_code: str
    country: str
    vat_id: str
    contact: str
    state: str
    stand: str = ""
    topics: tuple[int, ...] = (0,)
    language: str = "de"
    staff: tuple[tuple[str, str], ...] = ()


S = Exhibitor.State
EXHIBITORS = [
    DemoExhibitor(
        "Parkwerk Beispiel GmbH",
        "GmbH",
        "Dortmund",
        "44137",
        "DE",
        "DE811234565",
        "Greta Parkmann",
        S.APPROVED,
        "3.C01",
        (0, 5),
        staff=(("Lena", "Schranke"), ("Tobias", "Stellplatz"), ("Mira", "Sensor")),
    ),
    DemoExhibitor(
        "Wärmequartier Muster AG",
        "AG",
        "Bochum",
        "44787",
        "DE",
        "DE812345673",
        "Holger Heizwert",
        S.APPROVED,
        "3.D01",
        (1, 8),
        staff=(("Jonas", "Fernwärme"), ("Aylin", "Kessel")),
    ),
    DemoExhibitor(
        "WohnDigital Fiktiv eG",
        "eG",
        "Essen",
        "45127",
        "DE",
        "DE813456783",
        "Petra Mieterstrom",
        S.APPROVED,
        "3.A01",
        (2,),
        staff=(("Kai", "Hausverwaltung"),),
    ),
    DemoExhibitor(
        "Quartierslabor Erfunden GmbH",
        "GmbH",
        "Dortmund",
        "44139",
        "DE",
        "DE814567891",
        "Friedrich Nachbarschaft",
        S.APPROVED,
        "3.B01",
        (3,),
        staff=(("Sophie", "Platzwart"), ("Emre", "Stadtteil")),
    ),
    DemoExhibitor(
        "Ruhr Beispiel-Mobilität GmbH",
        "GmbH",
        "Duisburg",
        "47051",
        "DE",
        "DE815678903",
        "Anja Radweg",
        S.APPROVED,
        "3.E01",
        (5, 6),
        staff=(("Ben", "Ladesäule"), ("Zoë", "Carsharing"), ("Paweł", "Łącki")),
    ),
    DemoExhibitor(
        "Infrastruktur Muster Stadtwerke GmbH",
        "GmbH",
        "Hagen",
        "58095",
        "DE",
        "DE816789014",
        "Jürgen Straßenlicht",
        S.APPROVED,
        "3.F01",
        (6, 8),
        staff=(("Ömer", "Şahin"), ("Katrin", "Leitstelle")),
    ),
    DemoExhibitor(
        "Demografie Werkstatt Fiktiv gGmbH",
        "gGmbH",
        "Unna",
        "59423",
        "DE",
        "DE817890129",
        "Renate Generationen",
        S.APPROVED,
        "3.A02",
        (7,),
    ),
    DemoExhibitor(
        "Wasserwerk Erdacht GmbH & Co. KG",
        "GmbH & Co. KG",
        "Hamm",
        "59065",
        "DE",
        "DE818901236",
        "Uwe Pegelstand",
        S.APPROVED,
        "3.C02",
        (8,),
        staff=(("Nina", "Quelle"),),
    ),
    DemoExhibitor(
        "Smart Lantern Demo B.V.",
        "B.V.",
        "Eindhoven",
        "5611",
        "NL",
        "NL004495445B01",
        "Daan de Lamp",
        S.APPROVED,
        "3.B02",
        (6,),
        language="en",
        staff=(("Sanne", "Licht"),),
    ),
    DemoExhibitor(
        "Mobilita Esempio S.r.l.",
        "S.r.l.",
        "Milano",
        "20121",
        "IT",
        "IT00743110157",
        "Giulia Strada",
        S.APPROVED,
        "3.D02",
        (5,),
        language="en",
    ),
    DemoExhibitor(
        "Geschäftsführung Digital Muster UG",
        "UG (haftungsbeschränkt)",
        "Witten",
        "58452",
        "DE",
        "DE819012341",
        "Dana Dashboard",
        S.SUBMITTED,
        topics=(4,),
    ),
    DemoExhibitor(
        "Energiezentrale Beispiel KG",
        "KG",
        "Lünen",
        "44532",
        "DE",
        "DE821234561",
        "Karl Kilowatt",
        S.SUBMITTED,
        topics=(1, 8),
    ),
    DemoExhibitor(
        "Parkleitsystem Fantasie GmbH",
        "GmbH",
        "Gelsenkirchen",
        "45879",
        "DE",
        "DE822345671",
        "Sabine Schranke",
        S.SUBMITTED,
        topics=(0,),
    ),
    DemoExhibitor(
        "Miet-Cloud Erfunden GmbH",
        "GmbH",
        "Herne",
        "44623",
        "DE",
        "DE823456785",
        "Thomas Tenant",
        S.WAITLISTED,
        topics=(2,),
    ),
    DemoExhibitor(
        "Verkehrsfluss Beispiel GmbH",
        "GmbH",
        "Castrop-Rauxel",
        "44575",
        "DE",
        "DE824567894",
        "Olga Ampel",
        S.WAITLISTED,
        topics=(5,),
    ),
    DemoExhibitor(
        "Nur-Ein-Test Solutions Ltd",
        "Ltd",
        "London",
        "EC1A 1BB",
        "GB",
        "",
        "Oliver Pretend",
        S.REJECTED,
        topics=(4,),
        language="en",
    ),
    DemoExhibitor(
        "Quartiersfunk Fiktiv GmbH",
        "GmbH",
        "Schwerte",
        "58239",
        "DE",
        "DE825678908",
        "Mehmet Funkmast",
        S.WITHDRAWN,
        topics=(3,),
    ),
    DemoExhibitor(
        "Sensorik Erdacht GmbH",
        "GmbH",
        "Iserlohn",
        "58636",
        "DE",
        "DE826789016",
        "Ines Messwert",
        S.UNCONFIRMED,
        topics=(6,),
    ),
    DemoExhibitor(
        "Heizungsdaten Muster GmbH",
        "GmbH",
        "Dortmund",
        "44141",
        "DE",
        "DE827890124",
        "Frank Thermostat",
        S.UNCONFIRMED,
        topics=(1,),
    ),
    DemoExhibitor(
        "Stadtdaten Beispiel AG",
        "AG",
        "Dortmund",
        "44135",
        "DE",
        "DE828901238",
        "Hanna Open-Data",
        S.APPROVED,
        "3.G01",
        (3, 4, 6),
        staff=(("Lukas", "Datenraum"), ("Marie", "Schnittstelle"), ("Jan", "Portal")),
    ),
]
DEMO_EXHIBITOR_LOGIN = "parkmann@parkwerk-beispiel.example"


def _berlin(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BERLIN)


def _email(person: str, company: str) -> str:
    local = person.split()[-1].lower()
    domain = company.split()[0].lower()
    for char, plain in {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e"}.items():
        local, domain = local.replace(char, plain), domain.replace(char, plain)
    return f"{local}@{domain}.example"


def _area_with_topics(*, fair: Fair, hall: Hall, opens_at, deadline) -> Area:
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
    return area


def _stands(*, area: Area, sizes) -> dict[str, Stand]:
    stands = {}
    for number, width, depth, stand_type in sizes:
        stands[number], _ = Stand.objects.get_or_create(
            area=area,
            number=number,
            defaults={
                "width_m": Decimal(width),
                "depth_m": Decimal(depth),
                "type": stand_type,
                "price_per_sqm": PRICE_BY_TYPE[stand_type],
            },
        )
    return stands


def _exhibitor(*, spec: DemoExhibitor, area: Area, stands: dict[str, Stand], topics) -> Exhibitor:
    email = DEMO_EXHIBITOR_LOGIN if spec.stand == "3.C01" else _email(spec.contact, spec.company)
    existing = Exhibitor.objects.filter(fair=area.fair, contact_email=email).first()
    if existing is not None:
        return existing
    registered_at = _berlin(2018, 10, 15, 10, 0)
    stand = stands.get(spec.stand)
    exhibitor = Exhibitor.objects.create(
        fair=area.fair,
        area=area,
        state=spec.state,
        company_name=spec.company,
        legal_form=spec.legal_form,
        street="Musterstraße 1",
        postal_code=spec.postal_code,
        city=spec.city,
        country=spec.country,
        vat_id=spec.vat_id,
        website=f"https://www.{email.split('@')[1]}",
        contact_name=spec.contact,
        contact_email=email,
        language=spec.language,
        requested_sqm=int(stand.size_sqm) if stand else 12,
        preferred_stand_type=stand.type if stand else Stand.Type.ROW,
        catalogue_text=f"{spec.company}: Lösungen für die smarte Stadt von morgen (Demo-Eintrag).",
        terms_accepted_at=registered_at,
        terms_version=TERMS_VERSION,
        privacy_accepted_at=registered_at,
        privacy_version=TERMS_VERSION,
        confirmed_at=None if spec.state == S.UNCONFIRMED else registered_at,
        stand=stand,
        staff_quota=staff_quota_for_size(stand.size_sqm) if stand else 0,
    )
    exhibitor.topics.set([topics[index] for index in spec.topics])
    if stand is not None:
        stand.state = Stand.State.ASSIGNED
        stand.save(update_fields=["state"])
    exhibitor_audit(
        exhibitor=exhibitor, action="registered", actor_label=email, to_state=S.UNCONFIRMED
    )
    if spec.state != S.UNCONFIRMED:
        exhibitor_audit(
            exhibitor=exhibitor,
            action="confirmed",
            actor_label=email,
            from_state=S.UNCONFIRMED,
            to_state=S.SUBMITTED,
        )
    if spec.state not in (S.UNCONFIRMED, S.SUBMITTED):
        exhibitor_audit(
            exhibitor=exhibitor,
            action="state_changed",
            actor_label=ORGANIZER_USERNAME,
            from_state=S.SUBMITTED,
            to_state=spec.state,
            note="Demo",
        )
    for first_name, last_name in spec.staff:
        member = StaffMember.objects.create(
            exhibitor=exhibitor,
            first_name=first_name,
            last_name=last_name,
            email=_email(last_name, spec.company).replace("@", f".{first_name.lower()}@"),
        )
        staff_badge_issue(staff_member=member)
    if spec.state == S.APPROVED and spec.stand == "3.B01":
        CoExhibitor.objects.create(
            exhibitor=exhibitor, name="Nachbarschafts-App Fiktiv UG", website=""
        )
    return exhibitor


@transaction.atomic
def demo_seed() -> dict[str, str]:
    """Create the demo fairs once; running it again changes nothing. Returns the logins."""
    fair, _ = Fair.objects.get_or_create(
        slug="elektrotechnik-2019",
        defaults={
            "name": "Elektrotechnik 2019",
            "venue": "Westfalenhallen Dortmund",
            "city": "Dortmund",
            "starts_on": datetime.date(2019, 2, 13),
            "ends_on": datetime.date(2019, 2, 15),
        },
    )
    hall, _ = Hall.objects.get_or_create(fair=fair, name="Halle 3")
    area = _area_with_topics(
        fair=fair,
        hall=hall,
        opens_at=_berlin(2018, 9, 1, 0, 0),
        deadline=_berlin(2019, 1, 11, 23, 59),
    )
    stands = _stands(area=area, sizes=STAND_SIZES)
    topics = list(area.topics.order_by("position"))
    exhibitors = [
        _exhibitor(spec=spec, area=area, stands=stands, topics=topics) for spec in EXHIBITORS
    ]
    _visitors_and_leads(fair=fair, topics=topics)
    _upcoming_edition()

    user_model = get_user_model()
    organizer = user_model.objects.filter(username=ORGANIZER_USERNAME).first()
    if organizer is None:
        user_model.objects.create_superuser(
            username=ORGANIZER_USERNAME,
            email="organizer@fairlead.example",
            password=ORGANIZER_PASSWORD,
        )
    login_exhibitor = next(e for e in exhibitors if e.contact_email == DEMO_EXHIBITOR_LOGIN)
    if not user_model.objects.filter(username=DEMO_EXHIBITOR_LOGIN).exists():
        user = user_model.objects.create_user(
            username=DEMO_EXHIBITOR_LOGIN,
            email=DEMO_EXHIBITOR_LOGIN,
            password=EXHIBITOR_PASSWORD,
            first_name="Greta",
            last_name="Parkmann",
        )
        ExhibitorAccount.objects.create(user=user, exhibitor=login_exhibitor)
    return {
        "organizer": f"{ORGANIZER_USERNAME} / {ORGANIZER_PASSWORD}",
        "exhibitor": f"{DEMO_EXHIBITOR_LOGIN} / {EXHIBITOR_PASSWORD}",
    }


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
DEMO_VISITORS = 240
NOTES = [
    "Möchte ein Angebot für drei Parkhäuser.",
    "Rückruf nach der Messe vereinbart.",
    "Interesse an Pilotprojekt im Quartier.",
    "Sends RFP in March.",
]


def _visitors_and_leads(*, fair: Fair, topics: list[Topic]) -> None:
    """Visitors with badges, a scanner per approved exhibitor and leads across the fair days.

    Leads are written directly, not through lead_capture: the demo replays scans of 2019,
    which the live service would treat as implausibly old device times.
    """
    if Attendee.objects.filter(fair=fair, category=Attendee.Category.VISITOR).exists():
        return
    rng = random.Random(2019)  # the same demo on every machine
    consent_at = _berlin(2019, 1, 20, 9, 0)
    badges = []
    for n in range(DEMO_VISITORS):
        shares = rng.random() < 0.7
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        attendee = Attendee.objects.create(
            fair=fair,
            category=Attendee.Category.VISITOR,
            first_name=first_name,
            last_name=last_name,
            company=rng.choice(VISITOR_COMPANIES),
            job_title=rng.choice(["Projektleitung", "Einkauf", "Geschäftsführung", "IT"]),
            email=f"besucher{n + 1}@demo-besucher.example",
            country=rng.choice(["DE"] * 8 + ["NL", "PL"]),
            postal_code=f"44{rng.randint(100, 399)}",
            lead_sharing=shares,
            lead_sharing_at=consent_at if shares else None,
            lead_sharing_text_version=TERMS_VERSION if shares else "",
            confirmed_at=consent_at,
        )
        attendee.topics.set(rng.sample(topics, k=rng.randint(1, 3)))
        badges.append(badge_issue(attendee=attendee))

    for exhibitor in Exhibitor.objects.filter(fair=fair, state=S.APPROVED).order_by("pk"):
        device = ScannerDevice.objects.create(exhibitor=exhibitor, label="Standhandy 1")
        for badge in rng.sample(badges, k=rng.randint(12, 45)):
            day = rng.choice([13, 14, 14, 15])
            first = _berlin(2019, 2, day, rng.randint(9, 17), rng.randint(0, 59))
            count = rng.choice([1, 1, 1, 2])
            last = first + datetime.timedelta(minutes=40 * (count - 1))
            lead = Lead.objects.create(
                exhibitor=exhibitor,
                attendee=badge.attendee,
                first_scanned_at=first,
                last_scanned_at=last,
                scan_count=count,
                rating=rng.choice(["hot", "warm", "cold", ""]),
                tags=rng.choice([[], [], ["Rückruf"], ["Angebot"]]),
            )
            Scan.objects.bulk_create(
                Scan(
                    lead=lead,
                    device=device,
                    badge=badge,
                    client_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    scanned_at=first + datetime.timedelta(minutes=40 * i),
                    created_lead=i == 0,
                )
                for i in range(count)
            )
            if rng.random() < 0.3:
                LeadNote.objects.create(
                    lead=lead, device=device, text=rng.choice(NOTES), written_at=first
                )


def _upcoming_edition() -> None:
    """A next edition whose registration is open, so the demo shows the public form."""
    if Fair.objects.filter(slug="elektrotechnik-demo-next").exists():
        return
    today = timezone.localdate()
    starts_on = today + datetime.timedelta(days=120)
    fair = Fair.objects.create(
        slug="elektrotechnik-demo-next",
        name=f"Elektrotechnik {starts_on.year} (Demo)",
        venue="Westfalenhallen Dortmund",
        city="Dortmund",
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=2),
    )
    hall = Hall.objects.create(fair=fair, name="Halle 3")
    now = timezone.now()
    area = _area_with_topics(
        fair=fair,
        hall=hall,
        opens_at=now - datetime.timedelta(days=1),
        deadline=now + datetime.timedelta(days=90),
    )
    _stands(area=area, sizes=STAND_SIZES[:24])
