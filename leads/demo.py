"""The demo's leads part — scanner devices and the leads their stands captured, a door device
of the 2019 forum and who it checked in to the sessions — and
``demo_seed``, which runs every app's part in order (fair → exhibitors → badges → leads).

Leads are written directly, not through ``lead_capture``: the demo replays scans of 2019,
which the live service rightly refuses as implausibly old device times. Devices show honest
states: a device that scanned was paired before its first scan (with a token nobody knows, so
it cannot be used) and was last seen at its last scan; a device that never scanned is "not
yet paired".
"""

import datetime
import random
import secrets
import uuid
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from badges.demo import DemoBadges, badges_demo_seed
from badges.models import Badge
from exhibitors.demo import (
    EXHIBITOR_PASSWORD,
    HISTORIC_LOGIN,
    UPCOMING_LOGIN,
    DemoExhibitors,
    exhibitors_demo_seed,
    redate,
)
from exhibitors.models import Exhibitor
from fair.demo import (
    BERLIN,
    ORGANIZER_PASSWORD,
    ORGANIZER_USERNAME,
    DemoFairs,
    berlin,
    fair_demo_seed,
)
from fair.hashing import secret_hash
from fair.models import ForumSession
from leads.models import Attendance, Lead, LeadNote, Scan, ScannerDevice

NOTES = [
    "Möchte ein Angebot für drei Parkhäuser.",
    "Rückruf nach der Messe vereinbart.",
    "Interesse an Pilotprojekt im Quartier.",
    "Sends RFP in March.",
]
# The upcoming edition's leads come from the press and partner preview before the fair.
PREVIEW_NOTES = [
    "Beim Vorab-Termin für Partner gesprochen; Unterlagen zur Messe mitbringen.",
    "Pressevorschau: möchte das Parkleitsystem auf dem Stand sehen.",
]


def _paired_device(
    *, exhibitor: Exhibitor, label: str, created: datetime.datetime, paired: datetime.datetime
) -> ScannerDevice:
    """A device paired at ``paired``; its token was never shown to anyone."""
    device = ScannerDevice.objects.create(
        exhibitor=exhibitor,
        label=label,
        paired_name=f"{label} ({exhibitor.company_name.split()[0]})",
        token_hash=secret_hash(secrets.token_urlsafe(32)),
        paired_at=paired,
        last_seen_at=paired,
    )
    redate(ScannerDevice, device.pk, created_at=created)
    return device


def _leads(
    *,
    exhibitor: Exhibitor,
    device: ScannerDevice,
    badges: list[Badge],
    count: int,
    moment: Callable[[random.Random], datetime.datetime],
    notes: list[str],
    rng: random.Random,
) -> None:
    """``count`` leads of ``badges`` scanned by ``device`` at ``moment(rng)``."""
    last_seen = device.paired_at
    for badge in rng.sample(badges, k=min(count, len(badges))):
        first = moment(rng)
        scans = rng.choice([1, 1, 1, 2])
        last = first + datetime.timedelta(minutes=40 * (scans - 1))
        lead = Lead.objects.create(
            exhibitor=exhibitor,
            attendee=badge.attendee,
            first_scanned_at=first,
            last_scanned_at=last,
            scan_count=scans,
            rating=rng.choice(["hot", "warm", "cold", ""]),
            tags=rng.choice([[], [], ["Rückruf"], ["Angebot"]]),
        )
        redate(Lead, lead.pk, created_at=first, updated_at=last)
        Scan.objects.bulk_create(
            Scan(
                lead=lead,
                device=device,
                badge=badge,
                client_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                scanned_at=first + datetime.timedelta(minutes=40 * i),
                created_lead=i == 0,
            )
            for i in range(scans)
        )
        Scan.objects.filter(lead=lead).update(received_at=last + datetime.timedelta(seconds=2))
        if rng.random() < 0.3:
            note = LeadNote.objects.create(
                lead=lead, device=device, text=rng.choice(notes), written_at=first
            )
            redate(LeadNote, note.pk, created_at=first)
        last_seen = max(last_seen or last, last)
    ScannerDevice.objects.filter(pk=device.pk).update(last_seen_at=last_seen)


def _historic_leads(*, exhibitors: list[Exhibitor], badges: list[Badge]) -> None:
    """A paired phone per approved exhibitor and its leads over the three fair days."""
    if ScannerDevice.objects.filter(exhibitor__in=exhibitors).exists():
        return
    rng = random.Random(2019)  # the same demo on every machine

    def fair_day_moment(rng: random.Random) -> datetime.datetime:
        day = rng.choice([13, 14, 14, 15])
        return berlin(2019, 2, day, rng.randint(9, 17), rng.randint(0, 59))

    for exhibitor in exhibitors:
        if exhibitor.state != Exhibitor.State.APPROVED:
            continue
        device = _paired_device(
            exhibitor=exhibitor,
            label="Standhandy 1",
            created=berlin(2019, 2, 8, 11, 0),
            paired=berlin(2019, 2, 13, 8, 30),
        )
        _leads(
            exhibitor=exhibitor,
            device=device,
            badges=badges,
            count=rng.randint(12, 45),
            moment=fair_day_moment,
            notes=NOTES,
            rng=rng,
        )


def _upcoming_leads(*, exhibitors: list[Exhibitor], badges: list[Badge]) -> None:
    """The approved exhibitors of the upcoming edition: a paired phone with a few leads from
    the preview days, and (for the demo login) a tablet that is not paired yet."""
    if ScannerDevice.objects.filter(exhibitor__in=exhibitors).exists():
        return
    rng = random.Random(2020)
    now = timezone.now()
    today = timezone.localdate()

    def preview_moment(rng: random.Random) -> datetime.datetime:
        """Office hours on one of the two days before the seeding."""
        day = today - datetime.timedelta(days=rng.choice([1, 2]))
        return datetime.datetime.combine(
            day, datetime.time(rng.randint(9, 16), rng.randint(0, 59)), tzinfo=BERLIN
        )

    for index, exhibitor in enumerate(exhibitors):
        if exhibitor.state != Exhibitor.State.APPROVED:
            continue
        device = _paired_device(
            exhibitor=exhibitor,
            label="Standhandy 1",
            created=now - datetime.timedelta(days=5),
            paired=now - datetime.timedelta(days=4),
        )
        _leads(
            exhibitor=exhibitor,
            device=device,
            badges=badges,
            count=8 if index == 0 else 4,
            moment=preview_moment,
            notes=PREVIEW_NOTES,
            rng=rng,
        )
        if index == 0:
            ScannerDevice.objects.create(exhibitor=exhibitor, label="Tablet Empfang")


def _historic_checkins(*, badges: list[Badge]) -> None:
    """A paired device at the door of the 2019 forum's main room and who entered its sessions
    (between ten minutes before and five minutes after the start; never more than the room
    holds)."""
    if not badges:
        return
    fair = badges[0].attendee.fair
    sessions = list(ForumSession.objects.filter(fair=fair, room__position=0).select_related("room"))
    if not sessions or ScannerDevice.objects.filter(room=sessions[0].room).exists():
        return
    room = sessions[0].room
    device = ScannerDevice.objects.create(
        room=room,
        label="Forum, Tür 1",
        paired_name="Einlass-Handy (Forum)",
        token_hash=secret_hash(secrets.token_urlsafe(32)),
        paired_at=berlin(2019, 2, 13, 8, 45),
        last_seen_at=berlin(2019, 2, 13, 8, 45),
    )
    redate(ScannerDevice, device.pk, created_at=berlin(2019, 2, 12, 16, 0))
    rng = random.Random(2019_02)
    active = [badge for badge in badges if badge.state == Badge.State.ACTIVE]
    last_seen = berlin(2019, 2, 13, 8, 45)
    for session in sessions:
        people = rng.sample(active, min(len(active), room.capacity, rng.randint(25, 60)))
        for badge in people:
            when = session.starts_at + datetime.timedelta(seconds=rng.randint(-600, 300))
            Attendance.objects.create(
                session=session,
                attendee_id=badge.attendee_id,
                badge=badge,
                device=device,
                client_id=uuid.uuid4(),
                scanned_at=when,
            )
            last_seen = max(last_seen, when)
    ScannerDevice.objects.filter(pk=device.pk).update(last_seen_at=last_seen)


def leads_demo_seed(*, exhibitors: DemoExhibitors, badges: DemoBadges) -> None:
    _historic_leads(exhibitors=exhibitors.historic, badges=badges.historic)
    _historic_checkins(badges=badges.historic)
    _upcoming_leads(exhibitors=exhibitors.upcoming, badges=badges.upcoming)


@transaction.atomic
def demo_seed() -> dict[str, str]:
    """Load the whole demo once (each app's part in import order); running it again changes
    nothing. Returns the logins as "user / password"."""
    fairs: DemoFairs = fair_demo_seed()
    exhibitors = exhibitors_demo_seed(fairs=fairs)
    badges = badges_demo_seed(fairs=fairs, exhibitors=exhibitors)
    leads_demo_seed(exhibitors=exhibitors, badges=badges)
    return {
        "organizer": f"{ORGANIZER_USERNAME} / {ORGANIZER_PASSWORD}",
        "exhibitor": f"{UPCOMING_LOGIN} / {EXHIBITOR_PASSWORD}",
        "exhibitor_2019": f"{HISTORIC_LOGIN} / {EXHIBITOR_PASSWORD}",
    }
