"""Pure: a session's attendance list → CSV bytes (name, company, time of entry).

Times in the fair's zone, to the second; cells neutralised against spreadsheet injection by
``leads.exports.csv_stream`` like every other file Fairlead hands out.
"""

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from leads.exports import csv_stream


@dataclass(frozen=True)
class AttendanceRow:
    first_name: str
    last_name: str
    company: str
    scanned_at: datetime.datetime


def attendance_csv(*, rows: Iterable[AttendanceRow], time_zone: str) -> bytes:
    zone = zoneinfo.ZoneInfo(time_zone)
    header = [_("Name"), _("Company"), _("Checked in at")]
    lines = (
        [
            f"{row.first_name} {row.last_name}".strip(),
            row.company,
            row.scanned_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
        ]
        for row in rows
    )
    return b"".join(csv_stream(header=header, rows=lines))
