"""Read-side figures about leads: rows for exports and counts for charts. No writes.

Two kinds of reads live here:

* ``lead_rows()`` streams leads as flat ``LeadRow`` tuples for the CSV/XLSX/CRM exports and the
  PDF lead list. It reads plain values (no model instances) in chunks, so that 100,000 leads
  stream in constant memory, and it applies the visitor's sharing decision *inside the query*
  (``contact_expressions()``): a field the visitor did not agree to share never leaves the
  database. The rule is the same as ``leads.selectors.lead_contact`` (a test compares both).
* The aggregations (``leads_per_day``, ``leads_per_hour``, ``rating_split``, ``top_topics``,
  ``scans_per_device``, ``exhibitor_statistics``, ``attendance_figures``) feed the charts of the
  dashboard, the PDF reports and the statistics API. Days and hours are counted in the fair's
  own time zone (Europe/Berlin), by the lead's first scan.
"""

from __future__ import annotations

import datetime
import json
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractHour, TruncDate
from django.db.models.sql.constants import MULTI
from django.utils.translation import get_language

from badges.models import Attendee, Badge
from exhibitors.models import Exhibitor
from fair.models import Area, Fair
from leads.models import Lead, LeadNote, Question, Scan, ScannerDevice
from leads.selectors import BADGE_FIELDS, SHARED_CONTACT_FIELDS, leads_for_exhibitor

# The attendee fields a lead row carries. Which of them an exhibitor may see is decided by the
# field lists of ``leads.selectors`` (the source of ``lead_contact``): BADGE_FIELDS always,
# SHARED_CONTACT_FIELDS (and the topics) only with the visitor's consent, any other never.
CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "job_title",
    "email",
    "phone",
    "country",
    "postal_code",
)

RATINGS = ("hot", "warm", "cold", "")
EXPORT_CHUNK_SIZE = 2000


def fair_zone(fair: Fair) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(fair.time_zone or "Europe/Berlin")


def fair_days(*, fair: Fair) -> list[datetime.date]:
    days = (fair.ends_on - fair.starts_on).days + 1
    return [fair.starts_on + datetime.timedelta(days=offset) for offset in range(days)]


def day_bounds(*, day: datetime.date, zone: zoneinfo.ZoneInfo) -> tuple[datetime.datetime, ...]:
    """The first instant of ``day`` and of the following day in ``zone`` (aware datetimes)."""
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def _topic_name(name_de: str, name_en: str) -> str:
    return name_en if (get_language() or "de").startswith("en") else name_de


# --- the sharing rule, in SQL -------------------------------------------------------------


def contact_expressions(prefix: str = "attendee__") -> dict[str, Case | F | Value]:
    """Annotations ``contact_<field>`` for a Lead queryset (or an Attendee one with prefix "").

    Always-visible fields are read as they are; shared fields are replaced by "" in the query
    unless the attendee agreed to share them.
    """
    shared = Q(**{f"{prefix}lead_sharing": True})
    expressions: dict[str, Case | F | Value] = {}
    for name in CONTACT_FIELDS:
        if name in BADGE_FIELDS:
            expressions[f"contact_{name}"] = F(f"{prefix}{name}")
        elif name in SHARED_CONTACT_FIELDS:
            expressions[f"contact_{name}"] = Case(
                When(shared, then=F(f"{prefix}{name}")),
                default=Value(""),
                output_field=CharField(),
            )
        else:
            expressions[f"contact_{name}"] = Value("", output_field=CharField())
    return expressions


# --- rows for exports ---------------------------------------------------------------------


class LeadRow(NamedTuple):
    """One lead, flattened, with only the contact data the exhibitor may see."""

    id: int
    exhibitor_id: int
    exhibitor_name: str
    stand_number: str
    first_name: str
    last_name: str
    company: str
    job_title: str
    email: str
    phone: str
    country: str
    postal_code: str
    contact_shared: bool
    topics: list[str]
    rating: str
    tags: list[str]
    # [(question text, answer text)] in the exhibitor's question order, answered ones only.
    answers: list[tuple[str, str]]
    # {question id: answer text}, for layouts with one column per question.
    answers_by_question: dict[int, str]
    notes: list[str]
    first_scanned_at: datetime.datetime  # in the fair's time zone
    last_scanned_at: datetime.datetime
    scan_count: int


def answer_text(answer) -> str:
    if isinstance(answer, list | tuple):
        return ", ".join(str(item) for item in answer)
    if answer is None:
        return ""
    return str(answer)


def questions_for(*, leads: QuerySet[Lead]) -> list[Question]:
    """The qualifying questions of every exhibitor in ``leads``, in asking order (one query)."""
    return list(
        Question.objects.filter(exhibitor__in=leads.order_by().values("exhibitor_id"))
        .order_by("exhibitor_id", "position", "id")
        .only("id", "exhibitor_id", "text", "position")
    )


_ROW_VALUES = (
    "id",
    "exhibitor_id",
    "exhibitor__company_name",
    "exhibitor__stand__number",
    "attendee_id",
    "attendee__lead_sharing",
    *(f"contact_{name}" for name in CONTACT_FIELDS),
    "rating",
    "tags",
    "answers",
    "first_scanned_at",
    "last_scanned_at",
    "scan_count",
)


def _aware(value) -> datetime.datetime:
    """A datetime column as the database driver hands it out (SQLite: UTC text) → aware."""
    if value.__class__ is str:
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


def _json(value, empty):
    if value is None:
        return empty
    if value.__class__ is str:
        return json.loads(value) if len(value) > 2 else empty
    return value


def _raw_chunks(queryset: QuerySet, names: tuple[str, ...], chunk_size: int) -> Iterator[list]:
    """The rows of ``queryset.values_list(*names)`` as the driver returns them, in chunks.

    Like ``QuerySet.iterator(chunk_size)`` (a server-side cursor on PostgreSQL, fetchmany on
    SQLite), but without Django's per-value converters, which cost more than the rest of a CSV
    export together; the caller converts the few columns that need it.
    """
    values = queryset.values_list(*names)
    compiler = values.query.get_compiler(using=values.db)
    compiler.setup_query()
    selected = [alias for _expression, _sql, alias in compiler.select]
    if selected == list(names):
        for rows in compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=chunk_size):
            yield rows
        return
    reorder = itemgetter(*(selected.index(name) for name in names))
    for rows in compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=chunk_size):
        yield [reorder(row) for row in rows]


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def _notes_by_lead(connection, lead_ids: list[int]) -> dict[int, list[str]]:
    """The notes' texts of these leads, oldest first (one plain query: this runs once per
    export chunk, and the ORM's per-parameter preparation of 2,000 ids is measurable)."""
    notes: dict[int, list[str]] = defaultdict(list)
    if not lead_ids:
        return notes
    table = connection.ops.quote_name(LeadNote._meta.db_table)
    with connection.cursor() as cursor:
        # A quoted table name and %s placeholders only: no value is put into the SQL text.
        sql = f"SELECT lead_id, text FROM {table} WHERE lead_id IN ({_placeholders(len(lead_ids))})"  # noqa: S608
        cursor.execute(f"{sql} ORDER BY lead_id, written_at, id", lead_ids)
        for lead_id, text in cursor.fetchall():
            notes[lead_id].append(text)
    return notes


def _topics_by_attendee(
    connection, attendee_ids: list[int], *, language_en: bool
) -> dict[int, list[str]]:
    """Topic names per attendee, in the area's topic order (one plain query)."""
    topics: dict[int, list[str]] = defaultdict(list)
    if not attendee_ids:
        return topics
    quote = connection.ops.quote_name
    through = quote(Attendee.topics.through._meta.db_table)
    topic = quote(Attendee.topics.field.related_model._meta.db_table)
    with connection.cursor() as cursor:
        # Quoted table names and %s placeholders only: no value is put into the SQL text.
        sql = (
            f"SELECT t.attendee_id, p.name_de, p.name_en FROM {through} t "  # noqa: S608
            f"JOIN {topic} p ON p.id = t.topic_id "
            f"WHERE t.attendee_id IN ({_placeholders(len(attendee_ids))}) "
            "ORDER BY t.attendee_id, p.position, p.name_de"
        )
        cursor.execute(sql, attendee_ids)
        for attendee_id, name_de, name_en in cursor.fetchall():
            topics[attendee_id].append(name_en if language_en else name_de)
    return topics


def lead_rows(
    *,
    leads: QuerySet[Lead],
    zone: zoneinfo.ZoneInfo,
    questions: list[Question] | None = None,
    chunk_size: int = EXPORT_CHUNK_SIZE,
) -> Iterator[LeadRow]:
    """Stream ``leads`` as ``LeadRow``s: 1 query for the questions (unless given), 1 for the
    leads (read with a cursor, ``chunk_size`` rows at a time) and 2 per chunk (notes, topics)."""
    if questions is None:
        questions = questions_for(leads=leads)
    question_text = {str(question.id): question.text for question in questions}
    question_order = {str(question.id): index for index, question in enumerate(questions)}
    language_en = (get_language() or "de").startswith("en")
    queryset = leads.select_related(None).prefetch_related(None).annotate(**contact_expressions())
    connection = connections[queryset.db]
    for chunk in _raw_chunks(queryset, _ROW_VALUES, chunk_size):
        notes = _notes_by_lead(connection, [values[0] for values in chunk])
        topics = _topics_by_attendee(
            connection, [values[4] for values in chunk if values[5]], language_en=language_en
        )
        for values in chunk:
            (
                lead_id,
                exhibitor_id,
                exhibitor_name,
                stand_number,
                attendee_id,
                shared,
                first_name,
                last_name,
                company,
                job_title,
                email,
                phone,
                country,
                postal_code,
                rating,
                tags,
                answers,
                first_scanned_at,
                last_scanned_at,
                scan_count,
            ) = values
            answers = _json(answers, {})
            answers_by_question: dict[int, str] = {}
            answer_list: list[tuple[str, str]] = []
            if answers:
                for key in sorted(answers, key=lambda k: question_order.get(k, 10**6)):
                    text = answer_text(answers[key])
                    if text == "":
                        continue
                    answer_list.append((question_text.get(key, key), text))
                    if key.isdigit():
                        answers_by_question[int(key)] = text
            yield LeadRow(
                lead_id,
                exhibitor_id,
                exhibitor_name,
                stand_number or "",
                first_name,
                last_name,
                company,
                job_title or "",
                email or "",
                phone or "",
                country or "",
                postal_code or "",
                bool(shared),
                topics.get(attendee_id, []),
                rating,
                list(_json(tags, [])),
                answer_list,
                answers_by_question,
                notes.get(lead_id, []),
                _aware(first_scanned_at).astimezone(zone),
                _aware(last_scanned_at).astimezone(zone),
                scan_count,
            )


# --- lead filters shared by the portal pages, their exports and the API ---------------------


def leads_filter(
    *,
    leads: QuerySet[Lead],
    rating: str | None = None,
    tag: str | None = None,
    day: datetime.date | None = None,
    zone: zoneinfo.ZoneInfo | None = None,
    device: ScannerDevice | int | None = None,
    search: str = "",
    exhibitor: Exhibitor | int | None = None,
    changed_since: datetime.datetime | None = None,
) -> QuerySet[Lead]:
    """Narrow a lead queryset. ``rating="none"`` means unrated; ``day`` is a fair day in
    ``zone`` and matches leads with at least one scan on that day; ``device`` matches leads that
    device scanned; ``search`` matches every word against first name, last name or company."""
    if exhibitor is not None:
        leads = leads.filter(exhibitor=exhibitor)
    if rating:
        leads = leads.filter(rating="" if rating == "none" else rating)
    if tag:
        leads = leads.filter(pk__in=_lead_ids_with_tag(leads=leads, tag=tag))
    if day is not None:
        start, end = day_bounds(day=day, zone=zone or zoneinfo.ZoneInfo("Europe/Berlin"))
        leads = leads.filter(
            Exists(
                Scan.objects.filter(lead=OuterRef("pk"), scanned_at__gte=start, scanned_at__lt=end)
            )
        )
    if device is not None:
        leads = leads.filter(Exists(Scan.objects.filter(lead=OuterRef("pk"), device=device)))
    for word in search.split():
        leads = leads.filter(
            Q(attendee__first_name__icontains=word)
            | Q(attendee__last_name__icontains=word)
            | Q(attendee__company__icontains=word)
        )
    if changed_since is not None:
        leads = leads.filter(updated_at__gte=changed_since)
    return leads


def _lead_ids_with_tag(*, leads: QuerySet[Lead], tag: str) -> list[int]:
    # JSON containment is not portable (SQLite has none), so the tag lists are read and matched
    # here; the list holds ids only and is passed back as one IN (…) parameter list.
    wanted = tag.casefold()
    return [
        lead_id
        for lead_id, tags in leads.order_by().prefetch_related(None).values_list("id", "tags")
        if any(str(item).casefold() == wanted for item in tags or [])
    ]


def tags_in_use(*, leads: QuerySet[Lead]) -> list[str]:
    """Every tag used on these leads, sorted case-insensitively (one query)."""
    seen: dict[str, str] = {}
    for tags in leads.order_by().prefetch_related(None).values_list("tags", flat=True):
        for tag in tags or []:
            seen.setdefault(str(tag).casefold(), str(tag))
    return sorted(seen.values(), key=str.casefold)


# --- aggregations for charts -----------------------------------------------------------------


def leads_per_day(*, leads: QuerySet[Lead], fair: Fair) -> list[tuple[datetime.date, int]]:
    """Leads by the day of their first scan; every fair day is listed, also with 0."""
    zone = fair_zone(fair)
    counts = dict(
        leads.order_by()
        .annotate(day=TruncDate("first_scanned_at", tzinfo=zone))
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    for day in fair_days(fair=fair):
        counts.setdefault(day, 0)
    return sorted(counts.items())


def leads_per_hour(*, leads: QuerySet[Lead], fair: Fair) -> dict[datetime.date, list[int]]:
    """Leads by day and hour (0 … 23) of their first scan; every fair day is listed."""
    zone = fair_zone(fair)
    result: dict[datetime.date, list[int]] = {day: [0] * 24 for day in fair_days(fair=fair)}
    rows = (
        leads.order_by()
        .annotate(
            day=TruncDate("first_scanned_at", tzinfo=zone),
            hour=ExtractHour("first_scanned_at", tzinfo=zone),
        )
        .values_list("day", "hour")
        .annotate(n=Count("id"))
        .values_list("day", "hour", "n")
    )
    for day, hour, count in rows:
        result.setdefault(day, [0] * 24)[hour] += count
    return dict(sorted(result.items()))


def rating_split(*, leads: QuerySet[Lead]) -> dict[str, int]:
    """{"hot": n, "warm": n, "cold": n, "": unrated}."""
    counts = dict(
        leads.order_by().values_list("rating").annotate(n=Count("id")).values_list("rating", "n")
    )
    return {rating: counts.get(rating, 0) for rating in RATINGS}


def top_topics(*, leads: QuerySet[Lead], limit: int = 8) -> list[tuple[str, int]]:
    """The interest topics most often named by the leads' visitors; only visitors who agreed to
    share their details count (their topics are part of the shared data)."""
    through = Attendee.topics.through
    rows = (
        through.objects.filter(
            attendee__in=leads.filter(attendee__lead_sharing=True).values("attendee_id")
        )
        .values_list("topic_id", "topic__name_de", "topic__name_en")
        .annotate(n=Count("id"))
        .order_by("-n", "topic__position", "topic__name_de")
    )
    return [(_topic_name(name_de, name_en), count) for _, name_de, name_en, count in rows[:limit]]


@dataclass
class DeviceCount:
    device_id: int
    label: str
    exhibitor_name: str
    scans: int


def scans_per_device(*, scans: QuerySet[Scan], limit: int | None = None) -> list[DeviceCount]:
    rows = (
        scans.order_by()
        .values_list("device_id", "device__label", "device__exhibitor__company_name")
        .annotate(n=Count("id"))
        .order_by("-n", "device__label")
    )
    if limit is not None:
        rows = rows[:limit]
    return [DeviceCount(device_id, label, name, n) for device_id, label, name, n in rows]


@dataclass
class ExhibitorStats:
    exhibitor_id: int
    company_name: str
    stand_number: str
    area_name: str
    leads: int = 0
    hot: int = 0
    warm: int = 0
    cold: int = 0
    unrated: int = 0
    shared_contacts: int = 0
    scans: int = 0
    devices: int = 0
    first_scan: datetime.datetime | None = None
    last_scan: datetime.datetime | None = None


def exhibitor_statistics(*, exhibitors: QuerySet[Exhibitor]) -> list[ExhibitorStats]:
    """Lead and scan figures per exhibitor, in three queries whatever the number of exhibitors."""
    stats = {
        pk: ExhibitorStats(pk, name, stand or "", area)
        for pk, name, stand, area in exhibitors.order_by("company_name", "pk").values_list(
            "pk", "company_name", "stand__number", "area__name"
        )
    }
    lead_figures = (
        Lead.objects.filter(exhibitor__in=exhibitors.values("pk"))
        .order_by()
        .values_list("exhibitor_id")
        .annotate(
            total=Count("id"),
            hot=Count("id", filter=Q(rating="hot")),
            warm=Count("id", filter=Q(rating="warm")),
            cold=Count("id", filter=Q(rating="cold")),
            shared=Count("id", filter=Q(attendee__lead_sharing=True)),
            first=Min("first_scanned_at"),
            last=Max("last_scanned_at"),
        )
        .values_list("exhibitor_id", "total", "hot", "warm", "cold", "shared", "first", "last")
    )
    for pk, total, hot, warm, cold, shared, first, last in lead_figures:
        entry = stats[pk]
        entry.leads, entry.hot, entry.warm, entry.cold = total, hot, warm, cold
        entry.unrated = total - hot - warm - cold
        entry.shared_contacts, entry.first_scan, entry.last_scan = shared, first, last
    scan_figures = (
        Scan.objects.filter(lead__exhibitor__in=exhibitors.values("pk"))
        .order_by()
        .values_list("lead__exhibitor_id")
        .annotate(n=Count("id"), devices=Count("device_id", distinct=True))
        .values_list("lead__exhibitor_id", "n", "devices")
    )
    for pk, scans, devices in scan_figures:
        stats[pk].scans, stats[pk].devices = scans, devices
    return list(stats.values())


def attendance_figures(*, fair: Fair) -> dict[str, int]:
    """Visitors registered and confirmed, badges issued (active) and printed, for one fair."""
    visitors = Attendee.objects.filter(fair=fair, category=Attendee.Category.VISITOR).aggregate(
        registered=Count("id"),
        confirmed=Count("id", filter=Q(confirmed_at__isnull=False)),
        sharing=Count("id", filter=Q(lead_sharing=True)),
    )
    badges = Badge.objects.filter(attendee__fair=fair).aggregate(
        issued=Count("id", filter=Q(state=Badge.State.ACTIVE)),
        printed=Count("id", filter=Q(printed_at__isnull=False)),
    )
    return {
        "visitors_registered": visitors["registered"],
        "visitors_confirmed": visitors["confirmed"],
        "visitors_sharing": visitors["sharing"],
        "badges_issued": badges["issued"],
        "badges_printed": badges["printed"],
    }


def key_figures(*, leads: QuerySet[Lead]) -> dict:
    """Totals for a set of leads: leads, scans, shared contacts, first and last scan."""
    figures = leads.order_by().aggregate(
        leads=Count("id"),
        shared=Count("id", filter=Q(attendee__lead_sharing=True)),
        first=Min("first_scanned_at"),
        last=Max("last_scanned_at"),
    )
    scan_figures = Scan.objects.filter(lead__in=leads.order_by().values("pk")).aggregate(
        scans=Count("id"), devices=Count("device_id", distinct=True)
    )
    return {**figures, **scan_figures}


# --- bundles for the PDF reports and the dashboard ------------------------------------------


@dataclass
class LeadReport:
    """Everything one set of leads shows in a report: figures and chart data."""

    title: str
    figures: dict
    ratings: dict[str, int]
    per_day: list[tuple[datetime.date, int]]
    per_hour: dict[datetime.date, list[int]]
    topics: list[tuple[str, int]]
    devices: list[DeviceCount] = field(default_factory=list)


def lead_report(*, leads: QuerySet[Lead], fair: Fair, title: str) -> LeadReport:
    return LeadReport(
        title=title,
        figures=key_figures(leads=leads),
        ratings=rating_split(leads=leads),
        per_day=leads_per_day(leads=leads, fair=fair),
        per_hour=leads_per_hour(leads=leads, fair=fair),
        topics=top_topics(leads=leads),
        devices=scans_per_device(scans=Scan.objects.filter(lead__in=leads.values("pk"))),
    )


def exhibitor_leads(*, exhibitor: Exhibitor) -> QuerySet[Lead]:
    """All leads of one exhibitor (``leads_for_exhibitor``) without its list prefetches."""
    return leads_for_exhibitor(exhibitor=exhibitor).select_related(None).prefetch_related(None)


def area_exhibitors(*, area: Area) -> QuerySet[Exhibitor]:
    """Exhibitors of an area that have or had leads, or hold a stand, by company name."""
    return (
        Exhibitor.objects.filter(area=area)
        .filter(Q(state=Exhibitor.State.APPROVED) | Q(leads__isnull=False))
        .distinct()
        .select_related("stand", "area", "fair")
        .order_by("company_name", "pk")
    )


# --- downloads and documents: the same files for the portal, the organizers and the CLI -----


class RowCounter:
    """Passes rows through and counts them (the export log records how many were sent)."""

    def __init__(self, rows):
        self._rows = iter(rows)
        self.count = 0

    def __iter__(self) -> RowCounter:
        return self

    def __next__(self):
        row = next(self._rows)
        self.count += 1
        return row


@dataclass
class Download:
    filename: str
    content_type: str
    chunks: Iterator[bytes]
    # Lead files count the rows they stream; None where the count is known beforehand.
    rows: RowCounter | None = None


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text)[:40] or "export"


def _fair_dates(fair: Fair) -> str:
    from django.utils import formats

    first = formats.date_format(fair.starts_on, "SHORT_DATE_FORMAT")
    last = formats.date_format(fair.ends_on, "SHORT_DATE_FORMAT")
    return first if first == last else f"{first} – {last}"


# Formats that share a file extension get distinct file names (leads.csv, leads-excel.csv).
FILENAME_SUFFIX = {"csv-excel": "-excel", "salesforce": "-salesforce", "hubspot": "-hubspot"}


def exhibitor_download(
    *, exhibitor: Exhibitor, fmt: str, leads: QuerySet[Lead] | None = None
) -> Download:
    """One exhibitor's leads (all, or the filtered ``leads``) as a file in ``fmt``."""
    from leads import exports

    formats = exports.export_formats()
    if fmt not in formats:
        raise ValueError(f"unknown export format {fmt!r}")
    fair = exhibitor.fair
    zone = fair_zone(fair)
    leads = exhibitor_leads(exhibitor=exhibitor) if leads is None else leads
    leads = leads.filter(exhibitor=exhibitor)
    questions = list(
        Question.objects.filter(exhibitor=exhibitor)
        .order_by("position", "id")
        .only("id", "exhibitor_id", "text", "position")
    )
    if fmt == "salesforce":
        layout = exports.salesforce_layout(source=fair.name, zone_name=zone.key)
    elif fmt == "hubspot":
        layout = exports.hubspot_layout(zone_name=zone.key)
    else:
        layout = exports.standard_layout(questions=questions, zone_name=zone.key)
    rows = RowCounter(lead_rows(leads=leads, zone=zone, questions=questions))
    spec = formats[fmt]
    return Download(
        filename=f"leads-{_slug(exhibitor.company_name)}{FILENAME_SUFFIX.get(fmt, '')}"
        f".{spec.extension}",
        content_type=spec.content_type,
        chunks=exports.lead_export_stream(fmt=fmt, layout=layout, rows=rows),
        rows=rows,
    )


def organizer_leads_download(*, fair: Fair, fmt: str) -> Download:
    """Every lead of a fair (exhibitor and stand in front) as CSV, CSV for Excel or XLSX."""
    from leads import exports

    if fmt not in {"csv", "csv-excel", "xlsx"}:
        raise ValueError(f"unknown export format {fmt!r}")
    zone = fair_zone(fair)
    leads = Lead.objects.filter(exhibitor__fair=fair).order_by(
        "exhibitor__company_name", "exhibitor_id", "-last_scanned_at", "-id"
    )
    layout = exports.standard_layout(questions=None, with_exhibitor=True, zone_name=zone.key)
    spec = exports.export_formats()[fmt]
    rows = RowCounter(lead_rows(leads=leads, zone=zone))
    return Download(
        filename=f"leads-{_slug(fair.name)}{FILENAME_SUFFIX.get(fmt, '')}.{spec.extension}",
        content_type=spec.content_type,
        chunks=exports.lead_export_stream(fmt=fmt, layout=layout, rows=rows),
        rows=rows,
    )


def exhibitor_statistics_download(*, fair: Fair, fmt: str) -> Download:
    """Lead and scan figures per exhibitor of a fair as CSV or XLSX."""
    from django.utils.translation import gettext as _

    from leads import exports

    zone = fair_zone(fair)
    stats = exhibitor_statistics(
        exhibitors=Exhibitor.objects.filter(fair=fair)
        .filter(Q(state=Exhibitor.State.APPROVED) | Q(leads__isnull=False))
        .distinct()
    )
    header = [
        _("Exhibitor ID"),
        _("Exhibitor"),
        _("Area"),
        _("Stand"),
        _("Leads"),
        _("hot"),
        _("warm"),
        _("cold"),
        _("not rated"),
        _("Contact details shared"),
        _("Scans"),
        _("Scanner devices"),
        _("First scan (%(zone)s)") % {"zone": zone.key},
        _("Last scan (%(zone)s)") % {"zone": zone.key},
    ]
    rows = (
        [
            entry.exhibitor_id,
            entry.company_name,
            entry.area_name,
            entry.stand_number,
            entry.leads,
            entry.hot,
            entry.warm,
            entry.cold,
            entry.unrated,
            entry.shared_contacts,
            entry.scans,
            entry.devices,
            entry.first_scan.astimezone(zone) if entry.first_scan else None,
            entry.last_scan.astimezone(zone) if entry.last_scan else None,
        ]
        for entry in stats
    )
    name = f"exhibitor-statistics-{_slug(fair.name)}"
    if fmt == "xlsx":
        chunks = exports.xlsx_stream(
            header=[str(text) for text in header],
            rows=rows,
            sheet_title=str(_("Exhibitors")),
            column_widths=(10, 30, 20, 10, 8, 8, 8, 8, 10, 12, 8, 10, 19, 19),
        )
        return Download(f"{name}.xlsx", exports.XLSX_TYPE, chunks)
    if fmt in {"csv", "csv-excel"}:
        chunks = exports.csv_stream(
            header=[str(text) for text in header],
            rows=rows,
            delimiter=";" if fmt == "csv-excel" else ",",
        )
        return Download(f"{name}.csv", exports.CSV_TYPE, chunks)
    raise ValueError(f"unknown export format {fmt!r}")


def exhibitor_report_document(*, exhibitor: Exhibitor, now: datetime.datetime | None = None):
    """The exhibitor's PDF lead report as bytes."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from leads.report_pdf import ReportHead, exhibitor_report_pdf

    fair = exhibitor.fair
    zone = fair_zone(fair)
    leads = exhibitor_leads(exhibitor=exhibitor)
    stand = exhibitor.stand.number if exhibitor.stand_id else ""
    head = ReportHead(
        title=str(_("Lead report")),
        subject=exhibitor.company_name,
        lines=[
            (_("Stand %(number)s") % {"number": stand}) + f" · {exhibitor.area.name}"
            if stand
            else exhibitor.area.name,
            fair.name,
            f"{fair.venue}, {fair.city}",
            _fair_dates(fair),
        ],
        generated_at=(now or timezone.now()).astimezone(zone),
        zone_name=zone.key,
    )
    report = lead_report(leads=leads, fair=fair, title=exhibitor.company_name)
    rows = lead_rows(leads=leads.order_by("-last_scanned_at", "-id"), zone=zone)
    return exhibitor_report_pdf(head=head, report=report, rows=rows)


def area_report_document(*, area: Area, now: datetime.datetime | None = None) -> bytes:
    """The area's PDF report (area total, statistics table, each exhibitor) as bytes."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from leads.report_pdf import ReportHead, area_report_pdf

    fair = area.fair
    zone = fair_zone(fair)
    exhibitors = area_exhibitors(area=area)
    head = ReportHead(
        title=str(_("Area report")),
        subject=area.name,
        lines=[fair.name, f"{fair.venue}, {fair.city}", _fair_dates(fair)],
        generated_at=(now or timezone.now()).astimezone(zone),
        zone_name=zone.key,
    )
    area_leads = Lead.objects.filter(exhibitor__area=area)
    total = lead_report(leads=area_leads, fair=fair, title=area.name)
    stats = exhibitor_statistics(exhibitors=exhibitors)
    per_exhibitor = [
        (
            entry,
            lead_report(
                leads=Lead.objects.filter(exhibitor_id=entry.exhibitor_id),
                fair=fair,
                title=entry.company_name,
            ),
        )
        for entry in stats
    ]
    return area_report_pdf(head=head, total=total, stats=stats, exhibitor_reports=per_exhibitor)
