"""A small fair floor with leads for the report, export, page, dashboard and API tests.

``lead_world()`` builds, on fair days 13–15 February 2019 (Europe/Berlin):
exhibitor A (two devices, three qualifying questions) with four leads, exhibitor B (one
device) with one lead. A's leads cover a visitor who shares contact details (umlauts, ß), one
who does not (Cyrillic), one with formula-looking text, and one scanned twice across two days.
"""

import datetime
import uuid
import zoneinfo
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model

from badges.models import Attendee, Badge
from exhibitors.models import Exhibitor
from fair.models import Area, Fair, Topic
from leads.models import Lead, LeadNote, Question, Scan, ScannerDevice
from tests import factories

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def berlin(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2019, 2, day, hour, minute, tzinfo=BERLIN)


@dataclass
class LeadWorld:
    fair: Fair
    area: Area
    exhibitor: Exhibitor
    other: Exhibitor
    device: ScannerDevice
    device2: ScannerDevice
    other_device: ScannerDevice
    questions: list[Question]
    leads: dict[str, Lead] = field(default_factory=dict)
    other_lead: Lead | None = None


def lead_add(
    *,
    exhibitor: Exhibitor,
    attendee: Attendee,
    scans: list[tuple[ScannerDevice, datetime.datetime]],
    rating: str = "",
    tags: list[str] | None = None,
    answers: dict | None = None,
    notes: list[tuple[str, ScannerDevice | None, object]] = (),
) -> Lead:
    """A lead with its scans and notes, written straight to the database."""
    badge = attendee.badges.filter(state=Badge.State.ACTIVE).first() or factories.make_badge(
        attendee=attendee
    )
    times = sorted(when for _, when in scans)
    lead = Lead.objects.create(
        exhibitor=exhibitor,
        attendee=attendee,
        first_scanned_at=times[0],
        last_scanned_at=times[-1],
        scan_count=len(scans),
        rating=rating,
        tags=tags or [],
        answers=answers or {},
    )
    for index, (device, when) in enumerate(scans):
        Scan.objects.create(
            lead=lead,
            device=device,
            badge=badge,
            client_id=uuid.uuid4(),
            scanned_at=when,
            created_lead=index == 0,
        )
    for text, device, author in notes:
        LeadNote.objects.create(
            lead=lead, text=text, device=device, author=author, written_at=times[-1]
        )
    return lead


def lead_world() -> LeadWorld:
    fair = factories.make_fair(
        name="Elektrotechnik 2019",
        starts_on=datetime.date(2019, 2, 13),
        ends_on=datetime.date(2019, 2, 15),
    )
    area = factories.make_area(fair=fair)
    exhibitor = factories.make_approved_exhibitor(area=area, company_name="Wärmewerk Dortmund GmbH")
    other = factories.make_approved_exhibitor(area=area, company_name="Konkurrenz AG")
    device = ScannerDevice.objects.create(exhibitor=exhibitor, label="Anna's iPhone")
    device2 = ScannerDevice.objects.create(exhibitor=exhibitor, label="Tablet Stand")
    other_device = ScannerDevice.objects.create(exhibitor=other, label="Handheld B")
    questions = [
        Question.objects.create(
            exhibitor=exhibitor,
            text="Budget?",
            kind="single",
            choices=["< 10k", "> 10k"],
            position=0,
        ),
        Question.objects.create(
            exhibitor=exhibitor,
            text="Interessen",
            kind="multiple",
            choices=["Parken", "Wärme"],
            position=1,
        ),
        Question.objects.create(exhibitor=exhibitor, text="Rückruf wann?", kind="text", position=2),
    ]
    topics = list(Topic.objects.filter(area=area).order_by("position"))
    author = get_user_model().objects.create_user(username="standleitung", password="x-9-y-8-z")
    world = LeadWorld(fair, area, exhibitor, other, device, device2, other_device, questions)

    shared = factories.make_attendee(
        fair=fair,
        first_name="Jürgen",
        last_name="Groß",
        company="Stadtwerke Müllheim",
        job_title="Leiter Straßenbeleuchtung",
        email="juergen.gross@stadtwerke.example",
        phone="+49 231 1234-0",
        postal_code="44135",
    )
    shared.topics.set([topics[0], topics[1]])
    world.leads["shared"] = lead_add(
        exhibitor=exhibitor,
        attendee=shared,
        scans=[(device, berlin(13, 10, 15))],
        rating="hot",
        tags=["Rückruf", "Angebot"],
        answers={str(questions[0].id): "> 10k", str(questions[1].id): ["Parken", "Wärme"]},
        notes=[("Möchte ein Angebot für 40 Ladesäulen.", device, None)],
    )

    private = factories.make_attendee(
        fair=fair,
        lead_sharing=False,
        first_name="Дмитрий",
        last_name="Иванов",
        company="ООО Умный город",
        job_title="Geheimer Titel",
        email="secret.ivanov@example.ru",
        phone="+7 495 000000",
        postal_code="101000",
    )
    private.topics.set([topics[2]])
    world.leads["private"] = lead_add(
        exhibitor=exhibitor,
        attendee=private,
        scans=[(device2, berlin(14, 16, 40))],
        rating="warm",
        notes=[("Говорит по-немецки.", None, author)],
    )

    formula = factories.make_attendee(
        fair=fair,
        first_name='=HYPERLINK("http://evil.example","click")',
        last_name="@SUM(A1:A9)",
        company="+cmd|' /C calc'!A0",
        job_title="-2+3",
        email="formula@example.org",
    )
    formula.topics.set([topics[0]])
    world.leads["formula"] = lead_add(
        exhibitor=exhibitor,
        attendee=formula,
        scans=[(device, berlin(14, 9, 5))],
        rating="cold",
        tags=["=1+1"],
        answers={str(questions[2].id): '=WEBSERVICE("x")'},
        notes=[("\tTab am Anfang", device, None)],
    )

    repeat = factories.make_attendee(
        fair=fair, first_name="Öztürk", last_name="Şahin", company="Ärzte-Haus", job_title=""
    )
    world.leads["repeat"] = lead_add(
        exhibitor=exhibitor,
        attendee=repeat,
        scans=[(device, berlin(13, 17, 30)), (device2, berlin(15, 11, 0))],
        notes=[("Erster Besuch", device, None), ("Zweiter Besuch, Tag 3", device2, None)],
    )

    # A visitor of exhibitor B only: A must never see this person.
    stranger = factories.make_attendee(
        fair=fair,
        first_name="Zacharias",
        last_name="Fremdkunde",
        company="Nur-B GmbH",
        email="zacharias@nur-b.example",
    )
    world.other_lead = lead_add(
        exhibitor=other,
        attendee=stranger,
        scans=[(other_device, berlin(13, 12, 0))],
        rating="hot",
        notes=[("Vertraulich für B", other_device, None)],
    )
    return world


@pytest.fixture
def world(db) -> LeadWorld:
    return lead_world()


def many_leads(*, exhibitor: Exhibitor, device: ScannerDevice, count: int, day: int = 14) -> None:
    """``count`` more plain leads for ``exhibitor`` (query-count tests)."""
    for index in range(count):
        attendee = factories.make_attendee(fair=exhibitor.fair, lead_sharing=index % 2 == 0)
        lead_add(
            exhibitor=exhibitor,
            attendee=attendee,
            scans=[(device, berlin(day, 10 + index % 8, index % 60))],
            rating=["hot", "warm", "cold", ""][index % 4],
            tags=["bulk"],
            notes=[(f"Notiz {index}", device, None)],
        )
