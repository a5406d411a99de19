"""Print runs: badges from the database → BadgeData → PDF on a stream.

Reads only; marking badges printed is ``badges.services.badges_mark_printed``, which the
caller runs once the PDF is completely written.
"""

import datetime
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import BinaryIO

from django.db.models import QuerySet
from django.utils import translation

from badges.codes import short_code_display
from badges.layouts import Layout
from badges.models import Attendee, Badge
from badges.render import BadgeData, PrintIssue, badges_render
from fair.countries import country_name
from fair.models import Fair

QUERY_CHUNK = 500


@cache
def category_label(category: str) -> str:
    """The category as printed: German and English, as is usual at German fairs."""
    labels = []
    for language in ("de", "en"):
        with translation.override(language):
            label = str(Attendee.Category(category).label)
        if label not in labels:
            labels.append(label)
    return " · ".join(labels)


def fair_dates(fair: Fair) -> str:
    """ "13.–15.02.2019 · Westfalenhallen Dortmund" (numeric dates read the same in any
    language)."""
    start: datetime.date = fair.starts_on
    end: datetime.date = fair.ends_on
    if start == end:
        dates = f"{end:%d.%m.%Y}"
    elif (start.year, start.month) == (end.year, end.month):
        dates = f"{start:%d.}–{end:%d.%m.%Y}"
    elif start.year == end.year:
        dates = f"{start:%d.%m.}–{end:%d.%m.%Y}"
    else:
        dates = f"{start:%d.%m.%Y}–{end:%d.%m.%Y}"
    return f"{dates} · {fair.venue}" if fair.venue else dates


def badge_data(badge: Badge, *, fair_cache: dict | None = None) -> BadgeData:
    """What the badge shows. ``badge.attendee`` (and its fair, exhibitor, stand) should be
    fetched with the badge; ``fair_cache`` saves formatting the same fair again."""
    attendee = badge.attendee
    fair_cache = {} if fair_cache is None else fair_cache
    if attendee.fair_id not in fair_cache:
        fair_cache[attendee.fair_id] = (attendee.fair.name, fair_dates(attendee.fair))
    fair_name, dates = fair_cache[attendee.fair_id]
    company = attendee.company
    exhibitor = attendee.exhibitor if attendee.exhibitor_id else None
    stand = getattr(exhibitor, "stand", None) if exhibitor is not None else None
    if attendee.category == Attendee.Category.EXHIBITOR_STAFF and stand is not None:
        company = f"{company} · {stand.number}" if company else stand.number
    return BadgeData(
        qr_content=badge.qr_content,
        short_code=short_code_display(badge.short_code),
        first_name=attendee.first_name,
        last_name=attendee.last_name,
        company=company,
        job_title=attendee.job_title,
        country=country_name(attendee.country, attendee.language) if attendee.country else "",
        category=attendee.category,
        category_label=category_label(attendee.category),
        fair_name=fair_name,
        fair_dates=dates,
    )


@dataclass
class PrintResult:
    count: int
    badge_ids: array  # array("q") of the printed badges' ids, in print order
    # (badge id, name as stored, texts that print otherwise) for each such badge
    issues: list[tuple[int, str, list[PrintIssue]]] = field(default_factory=list)


def badges_write_pdf(
    *, badges: QuerySet[Badge], layout: Layout, out: BinaryIO, title: str = "Badges"
) -> PrintResult:
    """Render the badges of the queryset, in its order, as one PDF onto ``out``.

    Streams: rows come from the database in chunks and pages are drawn chunk by chunk,
    so memory stays flat however many badges there are. Raises ValueError for no badges.
    """
    ids = array("q")
    fair_cache: dict = {}

    def rows() -> Iterator[BadgeData]:
        for badge in badges.iterator(chunk_size=QUERY_CHUNK):
            ids.append(badge.pk)
            yield badge_data(badge, fair_cache=fair_cache)

    found: list[tuple[int, str, list[PrintIssue]]] = []

    def note(index: int, data: BadgeData, issues: list[PrintIssue]) -> None:
        found.append((ids[index], f"{data.first_name} {data.last_name}".strip(), issues))

    count = badges_render(rows(), layout=layout, out=out, title=title, issues=note)
    return PrintResult(count=count, badge_ids=ids, issues=found)
