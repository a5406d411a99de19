"""The demo's exhibitor part: registrations in every state of the workflow with their audit
trail, stands, co-exhibitors, stand staff, portal logins and catalog entries in German and
English for the public directory (see fair/demo.py for the whole). Past 400 lines because
most of it is data (20 fictional exhibitors and their histories).

The historical edition (2019) holds 20 fictional exhibitors; its audit entries and records are
dated in 2018/2019, when they happened. The upcoming edition holds the exhibitor a newcomer
tries the portal with (approved, a stand, room on the staff list, a profile that can still be
changed) and registrations waiting for the organizers' review.
"""

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.translation import gettext

from exhibitors.models import (
    CoExhibitor,
    Exhibitor,
    ExhibitorAccount,
    ExhibitorAuditEntry,
    StaffMember,
)
from exhibitors.quota import staff_quota_for_size
from fair.demo import BERLIN, ORGANIZER_USERNAME, DemoArea, DemoFairs, berlin
from fair.models import Stand
from fair.units import sqm_number_format

EXHIBITOR_PASSWORD = "fairlead-demo-exhibitor"
# The portal login on the upcoming edition (everything can still be changed there) and the
# one on the historical edition (the fair is over: profile and staff list are final).
UPCOMING_LOGIN = "parkmann@parkwerk-beispiel.example"
HISTORIC_LOGIN = "open-data@stadtdaten.example"


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
# The historical edition: 20 exhibitors in every state of the workflow.
HISTORIC_EXHIBITORS = [
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


def _again(company: str, **changes: Any) -> DemoExhibitor:
    """A company of 2019 registering for the next edition (state, stand, staff of its own)."""
    spec = next(spec for spec in HISTORIC_EXHIBITORS if spec.company == company)
    return dataclasses.replace(spec, **changes)


# The upcoming edition: the exhibitor of the demo login and registrations to review.
UPCOMING_EXHIBITORS = [
    _again(
        "Parkwerk Beispiel GmbH",
        state=S.APPROVED,
        stand="3.C01",
        staff=(("Lena", "Schranke"), ("Tobias", "Stellplatz")),
    ),
    _again(
        "Wärmequartier Muster AG", state=S.APPROVED, stand="3.D01", staff=(("Jonas", "Fernwärme"),)
    ),
    _again("Energiezentrale Beispiel KG", state=S.SUBMITTED),
    _again("Sensorik Erdacht GmbH", state=S.SUBMITTED),
    _again("Smart Lantern Demo B.V.", state=S.SUBMITTED, stand="", staff=()),
    _again("Miet-Cloud Erfunden GmbH", state=S.WAITLISTED),
]

# Catalog entries (German, English) of the approved exhibitors, so that the public directory
# of both editions is populated; the others keep a generic German line. Every approved demo
# exhibitor keeps the directory defaults (listed; logo, text and website shown).
CATALOG: dict[str, tuple[str, str]] = {
    "Parkwerk Beispiel GmbH": (
        "Bodensensoren und eine App, die freie Parkplätze in Echtzeit zeigt: weniger "
        "Parksuchverkehr in der Innenstadt.",
        "Ground sensors and an app that show free parking spaces in real time: less traffic "
        "searching for a space in the city center.",
    ),
    "Wärmequartier Muster AG": (
        "Quartierswärme aus Abwärme und Wärmepumpen, geplant mit den Stadtwerken.",
        "District heating from waste heat and heat pumps, planned with the municipal utility.",
    ),
    "WohnDigital Fiktiv eG": (
        "Digitale Mieterservices und vernetzte Haustechnik für Wohnungsgenossenschaften.",
        "Digital tenant services and connected building technology for housing cooperatives.",
    ),
    "Quartierslabor Erfunden GmbH": (
        "Wir entwickeln Stadtteile gemeinsam mit ihren Bewohnern – digital und vor Ort.",
        "We develop neighborhoods together with the people who live there, online and on site.",
    ),
    "Ruhr Beispiel-Mobilität GmbH": (
        "Ladesäulen, Carsharing und Radverleih aus einer Hand, in einer App.",
        "Charging points, car sharing and bike hire from one provider, in one app.",
    ),
    "Infrastruktur Muster Stadtwerke GmbH": (
        "Intelligente Straßenbeleuchtung und Sensorik für die öffentliche Infrastruktur.",
        "Smart street lighting and sensors for public infrastructure.",
    ),
    "Demografie Werkstatt Fiktiv gGmbH": (
        "Assistenzsysteme und Nachbarschaftshilfe für ein selbstbestimmtes Leben im Alter.",
        "Assistive systems and neighborly help for an independent life in old age.",
    ),
    "Wasserwerk Erdacht GmbH & Co. KG": (
        "Leckageortung im Trinkwassernetz mit vernetzten Messstellen.",
        "Finding leaks in the drinking water network with connected measuring points.",
    ),
    "Smart Lantern Demo B.V.": (
        "Straßenlaternen mit Ladepunkt, WLAN und Umweltsensoren.",
        "Street lamps with a charging point, Wi-Fi and environmental sensors.",
    ),
    "Mobilita Esempio S.r.l.": (
        "Mobilitätsplattform für Pendler: Bus, Bahn und Leihrad in einem Ticket.",
        "A mobility platform for commuters: bus, train and hire bike on one ticket.",
    ),
    "Stadtdaten Beispiel AG": (
        "Offene Daten der Stadt als Dienst: Schnittstellen, Dashboards und Beratung.",
        "The city's open data as a service: interfaces, dashboards and advice.",
    ),
}

# What the organizers did to reach each state, as the workflow names it in the audit log.
_DECISION: dict[str, str] = {
    S.APPROVED: "approve",
    S.WAITLISTED: "waitlist",
    S.REJECTED: "reject",
}


@dataclass(frozen=True)
class DemoExhibitors:
    historic: list[Exhibitor]
    upcoming: list[Exhibitor]


def demo_email(person: str, company: str) -> str:
    """``Greta Parkmann`` at ``Parkwerk Beispiel GmbH`` → ``parkmann@parkwerk.example``."""
    local = person.split()[-1].lower()
    domain = company.split()[0].lower()
    for char, plain in {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e"}.items():
        local, domain = local.replace(char, plain), domain.replace(char, plain)
    return f"{local}@{domain}.example"


def redate(model: type[Model], pk: int, **moments: datetime.datetime | None) -> None:
    """Set ``auto_now``/``auto_now_add`` timestamps to when a demo record really happened
    (an UPDATE, which those fields do not overwrite)."""
    model._default_manager.filter(pk=pk).update(**moments)


def _audit(exhibitor: Exhibitor, at: datetime.datetime, **values: str) -> None:
    entry = ExhibitorAuditEntry.objects.create(exhibitor=exhibitor, **values)
    redate(ExhibitorAuditEntry, entry.pk, at=at)


class _Timeline:
    """When each step of one registration happened: historical dates for 2019, dates before
    the day of seeding for the upcoming edition; ``index`` spreads the exhibitors out."""

    def __init__(self, place: DemoArea, index: int) -> None:
        # Office hours: registrations in the morning, decisions after lunch.
        if place.is_historic:
            self.registered = berlin(2018, 10, 1 + index, 9 + index % 8, 0)
            self.decided = berlin(2018, 11, 20 + index % 5, 14, 0)
            self.staff_added = berlin(2019, 1, 21 + index // 3, 9 + 2 * (index % 3), 0)
        else:
            today = timezone.localdate()

            def day(before: int, hour: int) -> datetime.datetime:
                moment = today - datetime.timedelta(days=before)
                return datetime.datetime.combine(moment, datetime.time(hour), tzinfo=BERLIN)

            self.registered = day(30 - index, 9 + index % 8)
            self.decided = day(12 - index, 14)
            self.staff_added = day(5, 10 + index)
        self.confirmed = self.registered + datetime.timedelta(minutes=25)


def _exhibitor(*, spec: DemoExhibitor, place: DemoArea, index: int, email: str) -> Exhibitor:
    existing = Exhibitor.objects.filter(fair=place.fair, contact_email=email).first()
    if existing is not None:
        return existing
    when = _Timeline(place, index)
    stand = place.stands.get(spec.stand)
    confirmed = spec.state != S.UNCONFIRMED
    generic_text = f"{spec.company}: Lösungen für die smarte Stadt von morgen (Demo-Eintrag)."
    exhibitor = Exhibitor.objects.create(
        fair=place.fair,
        area=place.area,
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
        catalog_text=CATALOG.get(spec.company, (generic_text, ""))[0],
        catalog_text_en=CATALOG.get(spec.company, ("", ""))[1],
        public_email=f"info@{email.split('@')[1]}" if spec.company in CATALOG else "",
        terms_accepted_at=when.registered,
        terms_version=place.fair.terms_version,
        privacy_accepted_at=when.registered,
        privacy_version=place.fair.terms_version,
        confirmed_at=when.confirmed if confirmed else None,
        stand=stand,
        staff_quota=staff_quota_for_size(stand.size_sqm) if stand else 0,
    )
    exhibitor.topics.set([place.topics[index] for index in spec.topics])
    if stand is not None:
        stand.state = Stand.State.ASSIGNED
        stand.save(update_fields=["state"])
    last_change = when.confirmed if confirmed else when.registered
    _audit(
        exhibitor, when.registered, action="registered", actor_label=email, to_state="unconfirmed"
    )
    if confirmed:
        _audit(
            exhibitor,
            when.confirmed,
            action="confirmed",
            actor_label=email,
            from_state=S.UNCONFIRMED,
            to_state=S.SUBMITTED,
        )
    if spec.state in _DECISION or spec.state == S.WITHDRAWN:
        last_change = when.decided
        _audit(
            exhibitor,
            when.decided,
            action=_DECISION.get(spec.state, "withdraw"),
            actor_label=email if spec.state == S.WITHDRAWN else ORGANIZER_USERNAME,
            from_state=S.SUBMITTED,
            to_state=spec.state,
        )
    if stand is not None:
        _audit(
            exhibitor,
            when.decided,
            action="stand_assign",
            actor_label=ORGANIZER_USERNAME,
            # The note the approval writes (exhibitors.services.workflow), as a German-speaking
            # organizer would have left it.
            note=_stand_note(stand, exhibitor.staff_quota),
        )
    redate(Exhibitor, exhibitor.pk, created_at=when.registered, updated_at=last_change)
    for position, (first_name, last_name) in enumerate(spec.staff):
        member = StaffMember.objects.create(
            exhibitor=exhibitor,
            first_name=first_name,
            last_name=last_name,
            email=demo_email(last_name, spec.company).replace("@", f".{first_name.lower()}@"),
        )
        added = when.staff_added + datetime.timedelta(minutes=7 * position)
        redate(StaffMember, member.pk, created_at=added)
        _audit(exhibitor, added, action="staff_add", actor_label=email, note=member.full_name)
    if spec.stand == "3.B01":
        CoExhibitor.objects.create(exhibitor=exhibitor, name="Nachbarschafts-App Fiktiv UG")
    return exhibitor


def _login(*, exhibitor: Exhibitor, username: str) -> None:
    """A portal account with the demo password (the workflow would mail an invitation)."""
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        return
    first_name, _sep, last_name = exhibitor.contact_name.partition(" ")
    user = user_model.objects.create_user(
        username=username,
        email=username,
        password=EXHIBITOR_PASSWORD,
        first_name=first_name,
        last_name=last_name,
    )
    ExhibitorAccount.objects.create(user=user, exhibitor=exhibitor)


def exhibitors_demo_seed(*, fairs: DemoFairs) -> DemoExhibitors:
    """The exhibitors of both editions with their staff and the two portal logins. Staff
    badges are the badges app's part (badges/demo.py)."""
    historic = [
        _exhibitor(
            spec=spec,
            place=fairs.historic,
            index=index,
            email=demo_email(spec.contact, spec.company),
        )
        for index, spec in enumerate(HISTORIC_EXHIBITORS)
    ]
    upcoming = [
        _exhibitor(
            spec=spec,
            place=fairs.upcoming,
            index=index,
            email=UPCOMING_LOGIN if index == 0 else demo_email(spec.contact, spec.company),
        )
        for index, spec in enumerate(UPCOMING_EXHIBITORS)
    ]
    _login(exhibitor=upcoming[0], username=UPCOMING_LOGIN)
    historic_login = next(e for e in historic if e.contact_email == HISTORIC_LOGIN)
    _login(exhibitor=historic_login, username=HISTORIC_LOGIN)
    return DemoExhibitors(historic=historic, upcoming=upcoming)


def _stand_note(stand: Stand, staff_quota: int) -> str:
    with translation.override("de"):
        return gettext("Stand %(number)s (%(size)s m²), staff quota %(quota)d") % {
            "number": stand.number,
            "size": sqm_number_format(stand.size_sqm),
            "quota": staff_quota,
        }
