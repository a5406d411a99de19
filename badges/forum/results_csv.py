"""The forum's vote results as CSV: pure, from results to bytes. UTF-8 with BOM and
semicolons, as German Excel opens it with a double click; the mean with a decimal comma in
German and a point in English."""

import csv
import io
from collections.abc import Iterable

from django.utils import formats
from django.utils.translation import gettext as _

from badges.forum.selectors import SessionResults
from fair.forum.program import fair_zone


def results_csv(results: Iterable[SessionResults]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Session"),
            _("Title"),
            _("Start"),
            _("Room"),
            _("No."),
            _("Item"),
            _("State"),
            _("Votes"),
            _("Mean"),
            "1",
            "2",
            "3",
            "4",
            "5",
        ]
    )
    for entry in results:
        session = entry.session
        start = session.starts_at.astimezone(fair_zone(session.fair))
        for item in entry.items:
            writer.writerow(
                [
                    session.code,
                    session.title,
                    formats.date_format(start, "SHORT_DATETIME_FORMAT"),
                    session.room.name,
                    item.position,
                    item.title,
                    {"pending": _("not opened yet"), "open": _("voting open")}.get(
                        item.state, _("voting closed")
                    ),
                    item.total,
                    "" if item.mean is None else formats.number_format(item.mean, 2),
                    *item.counts,
                ]
            )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
