"""Lead rows for the exports and the PDF lead list, with the visitor's sharing rule in SQL.

``lead_rows()`` streams leads as flat ``LeadRow`` tuples for the CSV/XLSX/CRM exports and the
PDF lead list. It reads plain values (no model instances) in chunks, so that 100,000 leads
stream in constant memory, and it applies the visitor's sharing decision *inside the query*
(``contact_expressions()``): a field the visitor did not agree to share never leaves the
database. The rule is the same as ``leads.selectors.lead_contact`` (a test compares both), and
so are the field lists (``leads.selectors.SHARED_CONTACT_FIELDS`` and ``BADGE_FIELDS``).
"""

from __future__ import annotations

import datetime
import json
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any, NamedTuple

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Case,
    CharField,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.sql.constants import MULTI
from django.utils.translation import get_language

from badges.models import Attendee
from fair.models import Fair
from leads.models import Lead, LeadNote, Question
from leads.selectors import BADGE_FIELDS, SHARED_CONTACT_FIELDS

# The attendee fields a lead row carries. Which of them an exhibitor may see is decided by the
# field lists of ``leads.selectors`` (the source of ``lead_contact``): BADGE_FIELDS always,
# SHARED_CONTACT_FIELDS (and the topics) only with the visitor's consent, any other never.
CONTACT_FIELDS = SHARED_CONTACT_FIELDS

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


def topic_name(name_de: str, name_en: str) -> str:
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


def answer_text(answer: Any) -> str:
    if isinstance(answer, list | tuple):
        return ", ".join(str(item) for item in answer)
    if answer is None:
        return ""
    return str(answer)


class AnswerOrder:
    """A lead's answers in its exhibitor's asking order; answers to questions that are gone
    (or unknown keys) come last, as stored. Built once per list of questions."""

    def __init__(self, questions: Iterable[Question]) -> None:
        self._questions = {str(question.pk): question for question in questions}
        self._rank = {key: rank for rank, key in enumerate(self._questions)}

    def sorted(self, answers: dict[str, Any]) -> list[tuple[str, Question | None, Any]]:
        """(key, question or None, stored answer) for every answer."""
        keys = sorted(answers, key=lambda key: self._rank.get(key, len(self._rank)))
        return [(key, self._questions.get(key), answers[key]) for key in keys]


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


def _aware(value: Any) -> datetime.datetime:
    """A datetime column as the database driver hands it out (SQLite: UTC text) → aware."""
    if value.__class__ is str:
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


def _json(value: Any, empty: Any) -> Any:
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


def _among(connection: BaseDatabaseWrapper, column: str, ids: list[int]) -> tuple[str, list]:
    """SQL and parameters for "``column`` is one of ``ids``". PostgreSQL gets one array
    parameter: psycopg caches the parsing of statements with at most 50 parameters only, and
    would parse one with 2,000 placeholders anew for every chunk (~6 of 88 ms CPU per 1,000
    CSV rows)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [ids]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", ids


def _notes_by_lead(connection: BaseDatabaseWrapper, lead_ids: list[int]) -> dict[int, list[str]]:
    """The notes' texts of these leads, oldest first (one plain query: this runs once per
    export chunk, and the ORM's per-parameter preparation of 2,000 ids is measurable)."""
    notes: dict[int, list[str]] = defaultdict(list)
    if not lead_ids:
        return notes
    table = connection.ops.quote_name(LeadNote._meta.db_table)
    among, params = _among(connection, "lead_id", lead_ids)
    with connection.cursor() as cursor:
        # A quoted table name and %s placeholders only: no value is put into the SQL text.
        sql = f"SELECT lead_id, text FROM {table} WHERE {among}"  # noqa: S608
        cursor.execute(f"{sql} ORDER BY lead_id, written_at, id", params)
        for lead_id, text in cursor.fetchall():
            notes[lead_id].append(text)
    return notes


def _topics_by_attendee(
    connection: BaseDatabaseWrapper, attendee_ids: list[int], *, language_en: bool
) -> dict[int, list[str]]:
    """Topic names per attendee, in the area's topic order (one plain query)."""
    topics: dict[int, list[str]] = defaultdict(list)
    if not attendee_ids:
        return topics
    quote = connection.ops.quote_name
    through = quote(Attendee.topics.through._meta.db_table)
    topic = quote(Attendee.topics.field.related_model._meta.db_table)
    among, params = _among(connection, "t.attendee_id", attendee_ids)
    with connection.cursor() as cursor:
        # Quoted table names and %s placeholders only: no value is put into the SQL text.
        sql = (
            f"SELECT t.attendee_id, p.name_de, p.name_en FROM {through} t "  # noqa: S608
            f"JOIN {topic} p ON p.id = t.topic_id "
            f"WHERE {among} ORDER BY t.attendee_id, p.position, p.name_de"
        )
        cursor.execute(sql, params)
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
    answer_order = AnswerOrder(questions)
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
                for key, question, answer in answer_order.sorted(answers):
                    text = answer_text(answer)
                    if text == "":
                        continue
                    answer_list.append((question.text if question else key, text))
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
