"""What ``leads`` holds about attendees, for visitor privacy (``badges.privacy``).

``badges`` may not import ``leads``, so this module implements
``badges.privacy.registry.AttendeeDataHolder`` and ``LeadsConfig.ready()`` registers it:

* captures: which exhibitors scanned the attendee (company, stand, first/last scan, count);
* touch: a consent change marks the attendee's leads changed (``?since=`` syncs see it);
* anonymize: each lead keeps its exhibitor, scan times and count (and its scans), so lead
  statistics stay right; its rating, tags, answers and notes are deleted; the attendee's
  session check-ins (``Attendance``) are deleted (a session's count drops by one);
* purge_stale: pairing codes that expired more than a day ago.

The export log (``ExportAuditEntry``) names no attendee and stays as it is.
"""

import datetime
from collections.abc import Sequence

from badges.models import Attendee
from badges.privacy.registry import Capture, Checkin
from badges.privacy.selectors import attendee_zone
from leads.models import Attendance, Lead, LeadNote, LeadNoteRevision, PairingCode

STALE_AGE = datetime.timedelta(days=1)


class LeadsPrivacy:
    count_labels = {
        "leads_stripped": "lead(s) reduced to counts and times",
        "notes_deleted": "lead note(s) deleted",
        "attendances_deleted": "session check-in(s) deleted",
        "pairing_codes_deleted": "expired pairing code(s)",
    }

    def captures(self, *, attendee: Attendee) -> list[Capture]:
        zone = attendee_zone(attendee)
        rows = (
            Lead.objects.filter(attendee=attendee)
            .order_by("-last_scanned_at", "-id")
            .values_list(
                "exhibitor__company_name",
                "exhibitor__stand__number",
                "first_scanned_at",
                "last_scanned_at",
                "scan_count",
            )
        )
        return [
            Capture(name, stand or "", first.astimezone(zone), last.astimezone(zone), count)
            for name, stand, first, last, count in rows
        ]

    def checkins(self, *, attendee: Attendee) -> list[Checkin]:
        zone = attendee_zone(attendee)
        rows = (
            Attendance.objects.filter(attendee=attendee)
            .order_by("scanned_at", "id")
            .values_list("session__code", "session__title_de", "session__room__name", "scanned_at")
        )
        return [Checkin(code, title, room, at.astimezone(zone)) for code, title, room, at in rows]

    def touch(self, *, attendee_ids: Sequence[int], now: datetime.datetime) -> None:
        Lead.objects.filter(attendee_id__in=list(attendee_ids)).update(updated_at=now)

    def anonymize(self, *, attendee_ids: Sequence[int], now: datetime.datetime) -> dict[str, int]:
        ids = list(attendee_ids)
        # A note's earlier texts go with it (they are contact notes as much as the note is).
        LeadNoteRevision.objects.filter(lead__attendee_id__in=ids).delete()
        notes = LeadNote.objects.filter(lead__attendee_id__in=ids).delete()[0]
        leads = Lead.objects.filter(attendee_id__in=ids).update(
            rating="", tags=[], answers={}, updated_at=now
        )
        attendances = Attendance.objects.filter(attendee_id__in=ids).delete()[0]
        return {
            "leads_stripped": leads,
            "notes_deleted": notes,
            "attendances_deleted": attendances,
        }

    def purge_stale(self, *, now: datetime.datetime) -> dict[str, int]:
        deleted = PairingCode.objects.filter(expires_at__lt=now - STALE_AGE).delete()[0]
        return {"pairing_codes_deleted": deleted}
