"""The organizers' export of a session's attendance list, for a stated purpose only.

A purpose must be one of ``badges.privacy.checkin_notice.EXPORT_PURPOSES`` (the privacy
notice lists them to visitors), and the fair must have a privacy notice (text or link) at
all; otherwise ``AttendanceExportRefused`` and nothing leaves. Each export is one entry of the
export log (scope ``session_attendance``, the purpose and session in its filters). A list holds
at most a room's capacity (≤ a few hundred rows), so it is made in memory, not streamed.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from badges.privacy.checkin_notice import EXPORT_PURPOSES
from fair.models import ForumSession
from leads.attendance_csv import AttendanceRow, attendance_csv
from leads.attendance_selectors import attendance_list
from leads.exceptions import AttendanceExportRefused
from leads.export_audit import ExportActor, export_audit_record
from leads.models import ExportAuditEntry


@dataclass(frozen=True)
class AttendanceFile:
    filename: str
    content: bytes
    rows: int


@transaction.atomic
def attendance_export(
    *,
    session: ForumSession,
    purpose: str,
    actor: ExportActor,
    now: datetime.datetime | None = None,
) -> AttendanceFile:
    """The CSV of who was checked in to ``session``; logged with ``purpose`` and ``actor``."""
    fair = session.fair
    if purpose not in EXPORT_PURPOSES or not (fair.privacy_notice or fair.privacy_notice_url):
        raise AttendanceExportRefused()
    rows = [
        AttendanceRow(
            attendance.attendee.first_name,
            attendance.attendee.last_name,
            attendance.attendee.company,
            attendance.scanned_at,
        )
        for attendance in attendance_list(session=session)
    ]
    content = attendance_csv(rows=rows, time_zone=fair.time_zone)
    export_audit_record(
        actor=actor,
        channel=ExportAuditEntry.Channel.ORGANIZER,
        scope=ExportAuditEntry.Scope.SESSION_ATTENDANCE,
        fmt="csv",
        row_count=len(rows),
        filters={"session": session.code, "purpose": purpose},
        fair=fair,
        at=now,
    )
    return AttendanceFile(
        filename=f"attendance-{slugify(session.code) or session.pk}.csv",
        content=content,
        rows=len(rows),
    )
