"""Reads of the leads app: querysets and plain data, no side effects.

The few reads on the scan hot path (device by token, badge by code, the lead to count up,
a lead's notes) are written as fixed SQL through ``_LeanSelect``: on the 2-core fair server
the ORM's query compilation cost more than the database itself (about 0.4 ms against
0.05 ms per query), and these run for every scan. They return ordinary model instances
(with the database converters applied), so callers cannot tell the difference.
"""

import datetime
from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import Count, F, Model, Prefetch, QuerySet
from django.db.models.sql import Query
from django.utils import timezone

from badges.codes import CodeFormatError, code_parse
from badges.exceptions import BadgeRevoked, BadgeUnknown
from badges.models import Attendee, Badge
from exhibitors.models import Exhibitor
from fair.hashing import secret_hash
from fair.models import Fair, Stand, Topic
from leads.models import Lead, LeadNote, PairingCode, Question, ScannerDevice

# What an exhibitor sees of an attendee who consented to share contact details …
SHARED_CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "job_title",
    "email",
    "phone",
    "country",
    "postal_code",
)
# … and of one who did not: only what is printed on the badge anyway.
BADGE_FIELDS = ("first_name", "last_name", "company")


def lead_contact(*, lead: Lead) -> dict:
    """The attendee data the lead's exhibitor may see, and nothing else.

    With the attendee's lead-sharing consent: name, company, job title, email, phone, country,
    postal code and interest topics (names in the active language), ``contact_shared: True``.
    Without it: only the badge print (first and last name, company), ``contact_shared: False``.
    Use it everywhere attendee data reaches an exhibitor (API, pages, exports). The topics
    come from ``attendee.topics.all()``, so prefetch ``attendee__topics`` for lists.
    """
    attendee = lead.attendee
    if not attendee.lead_sharing:
        contact = {name: getattr(attendee, name) for name in BADGE_FIELDS}
        contact["contact_shared"] = False
        return contact
    contact = {name: getattr(attendee, name) for name in SHARED_CONTACT_FIELDS}
    contact["topics"] = [topic.name for topic in _attendee_topics(attendee)]
    contact["contact_shared"] = True
    return contact


def _attendee_topics(attendee: Attendee) -> list[Topic]:
    prefetched = getattr(attendee, "_prefetched_objects_cache", {})
    if "topics" in prefetched:  # prefetch_related("attendee__topics") on a list
        return list(prefetched["topics"])
    return [row[0] for row in _TOPICS_OF_ATTENDEE.rows([attendee.pk], model=Topic)]


class _LeanSelect:
    """A fixed ``SELECT`` over one or more models, returning model instances per row.

    ``parts`` are ``(alias, model, field names)``; ``tail`` is the SQL after the column list
    with ``{<name>}`` placeholders for quoted table names: the parts' models by model name
    (``{lead}`` → ``"leads_lead"``) and the extra ``tables``.
    Only the listed fields are loaded (others are deferred, as with ``only()``); the database
    converters (time zones, JSON …) are applied exactly as the ORM applies them.
    """

    def __init__(
        self,
        parts: Sequence[tuple[str, type[Model], Sequence[str]]],
        tail: str,
        tables: dict[str, type[Model]] | None = None,
    ):
        self.parts = [
            (alias, model, [f for f in model._meta.concrete_fields if f.name in names])
            for alias, model, names in parts
        ]
        self.tail = tail
        self.tables = {model._meta.model_name: model for _alias, model, _names in parts}
        self.tables.update(tables or {})
        self._compiled: dict[str, tuple] = {}

    def _compile(self, using: str) -> tuple:
        if using not in self._compiled:
            connection = connections[using]
            quote = connection.ops.quote_name
            columns = [
                f"{alias}.{quote(field.column)}"
                for alias, _model, fields in self.parts
                for field in fields
            ]
            tables = {name: quote(model._meta.db_table) for name, model in self.tables.items()}
            # Only quoted identifiers are put into the text; values are always parameters.
            sql = f"SELECT {', '.join(columns)} FROM {self.tail.format(**tables)}"  # noqa: S608
            expressions = [
                field.get_col(alias) for alias, _model, fields in self.parts for field in fields
            ]
            compiler = connection.ops.compiler("SQLCompiler")(Query(None), connection, using)
            self._compiled[using] = (sql, compiler, compiler.get_converters(expressions))
        return self._compiled[using]

    def rows(self, params: Sequence, *, model: type[Model], for_update: bool = False) -> list:
        using = router.db_for_write(model) if for_update else router.db_for_read(model)
        connection = connections[using]
        sql, compiler, converters = self._compile(using)
        if for_update and connection.features.has_select_for_update:
            sql += " FOR UPDATE"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = list(compiler.apply_converters(rows, converters))
        result = []
        for row in rows:
            position, instances = 0, []
            for _alias, part_model, fields in self.parts:
                values = row[position : position + len(fields)]
                position += len(fields)
                instance = None
                if values[0] is not None:  # the primary key comes first; None: no LEFT JOIN row
                    instance = part_model.from_db(using, [f.attname for f in fields], values)
                instances.append(instance)
            result.append(instances)
        return result


_DEVICE_BY_TOKEN = _LeanSelect(
    [
        ("d", ScannerDevice, [f.name for f in ScannerDevice._meta.concrete_fields]),
        ("e", Exhibitor, ["id", "fair", "state", "company_name", "stand"]),
        ("f", Fair, [f.name for f in Fair._meta.concrete_fields]),
    ],
    "{scannerdevice} d INNER JOIN {exhibitor} e ON e.id = d.exhibitor_id "
    "INNER JOIN {fair} f ON f.id = e.fair_id WHERE d.token_hash = %s",
)


def device_for_token(*, token: str) -> ScannerDevice | None:
    """The device holding this bearer token (revoked ones too: the caller refuses them).

    Comes with ``device.exhibitor`` (id, fair, state, company name, stand id) and
    ``device.exhibitor.fair`` loaded, in one query by the token's SHA-256 (unique index).
    """
    if not token:
        return None
    rows = _DEVICE_BY_TOKEN.rows([secret_hash(token)], model=ScannerDevice)
    if not rows:
        return None
    device, exhibitor, fair = rows[0]
    Exhibitor.fair.field.set_cached_value(exhibitor, fair)
    ScannerDevice.exhibitor.field.set_cached_value(device, exhibitor)
    return device


_BADGE_FIELDS = ["id", "attendee", "secret", "short_code", "state"]
_ATTENDEE_FIELDS = [
    "id",
    "fair",
    "category",
    "exhibitor",
    "first_name",
    "last_name",
    "company",
    "job_title",
    "email",
    "phone",
    "country",
    "postal_code",
    "lead_sharing",
]
_BADGE_BY_SECRET = _LeanSelect(
    [("b", Badge, _BADGE_FIELDS), ("a", Attendee, _ATTENDEE_FIELDS)],
    "{badge} b INNER JOIN {attendee} a ON a.id = b.attendee_id "
    "WHERE b.secret = %s AND a.fair_id = %s",
)
_BADGE_BY_SHORT_CODE = _LeanSelect(
    [("b", Badge, _BADGE_FIELDS), ("a", Attendee, _ATTENDEE_FIELDS)],
    "{badge} b INNER JOIN {attendee} a ON a.id = b.attendee_id "
    "WHERE b.short_code = %s AND a.fair_id = %s",
)


def badge_for_scan(*, code: str, fair_id: int) -> Badge:
    """``badges.selectors.badge_resolve`` for the scan hot path: same answers, one lean query.

    The active badge for QR content or a typed short code at this fair, with the attendee
    fields a lead shows (``badge.attendee``). Raises ``BadgeUnknown`` / ``BadgeRevoked``
    exactly where ``badge_resolve`` does (a test holds the two together).
    """
    try:
        kind, value = code_parse(code)
    except CodeFormatError as exc:
        raise BadgeUnknown(str(exc)) from exc
    select = _BADGE_BY_SECRET if kind == "secret" else _BADGE_BY_SHORT_CODE
    rows = select.rows([value, fair_id], model=Badge)
    if not rows:
        raise BadgeUnknown("no badge with this code")
    badge, attendee = rows[0]
    Badge.attendee.field.set_cached_value(badge, attendee)
    if badge.state == Badge.State.REVOKED:
        raise BadgeRevoked(badge)
    return badge


_TOPICS_OF_ATTENDEE = _LeanSelect(
    [("t", Topic, [f.name for f in Topic._meta.concrete_fields])],
    "{topic} t INNER JOIN {attendee_topics} j ON j.topic_id = t.id WHERE j.attendee_id = %s "
    "ORDER BY t.position, t.id",
    tables={"attendee_topics": Attendee.topics.through},
)

_LEAD_FOR_UPDATE = _LeanSelect(
    [("l", Lead, [f.name for f in Lead._meta.concrete_fields])],
    "{lead} l WHERE l.exhibitor_id = %s AND l.attendee_id = %s",
)


def lead_for_update(*, exhibitor_id: int, attendee_id: int) -> Lead | None:
    """The lead of this exhibitor and attendee, its row locked until the transaction ends
    (``SELECT … FOR UPDATE`` where the database has it; SQLite locks the whole database)."""
    rows = _LEAD_FOR_UPDATE.rows([exhibitor_id, attendee_id], model=Lead, for_update=True)
    return rows[0][0] if rows else None


_NOTES_OF_LEAD = _LeanSelect(
    [
        ("n", LeadNote, [f.name for f in LeadNote._meta.concrete_fields]),
        ("d", ScannerDevice, ["id", "label"]),
        ("u", get_user_model(), ["id", get_user_model().USERNAME_FIELD]),
    ],
    "{leadnote} n LEFT OUTER JOIN {scannerdevice} d ON d.id = n.device_id "
    "LEFT OUTER JOIN {user} u ON u.id = n.author_id WHERE n.lead_id = %s "
    "ORDER BY n.written_at, n.id",
    tables={"user": get_user_model()},
)


def devices_for_exhibitor(*, exhibitor: Exhibitor) -> QuerySet[ScannerDevice]:
    """The exhibitor's devices with their scan count, active ones first."""
    return (
        ScannerDevice.objects.filter(exhibitor=exhibitor)
        .annotate(scans_total=Count("scans"))
        .order_by(F("revoked_at").asc(nulls_first=True), "label", "id")
    )


def questions_for_exhibitor(
    *, exhibitor: Exhibitor, include_removed: bool = False
) -> QuerySet[Question]:
    """The exhibitor's qualifying questions in their order (removed ones only if asked)."""
    questions = Question.objects.filter(exhibitor=exhibitor)
    if not include_removed:
        questions = questions.filter(removed_at__isnull=True)
    return questions.order_by("position", "id")


def leads_for_exhibitor(*, exhibitor: Exhibitor) -> QuerySet[Lead]:
    """The exhibitor's leads, most recently scanned first, ready for ``lead_contact`` and notes."""
    return (
        Lead.objects.filter(exhibitor=exhibitor)
        .select_related("attendee")
        .prefetch_related(
            "attendee__topics",
            Prefetch(
                "notes",
                queryset=LeadNote.objects.select_related("device", "author").order_by(
                    "written_at", "id"
                ),
            ),
        )
        .order_by("-last_scanned_at", "-id")
    )


def leads_changed_since(*, exhibitor: Exhibitor, since: datetime.datetime | None) -> QuerySet[Lead]:
    """The exhibitor's leads, newest first; with ``since``, only those changed from then on."""
    leads = leads_for_exhibitor(exhibitor=exhibitor)
    if since is not None:
        leads = leads.filter(updated_at__gte=since)
    return leads


def lead_notes(*, lead: Lead) -> list[LeadNote]:
    """The lead's notes, oldest first, with their author device (label) and user (name)."""
    notes = []
    for note, device, author in _NOTES_OF_LEAD.rows([lead.pk], model=LeadNote):
        LeadNote.device.field.set_cached_value(note, device)
        LeadNote.author.field.set_cached_value(note, author)
        notes.append(note)
    return notes


def stand_for_exhibitor(*, exhibitor: Exhibitor) -> Stand | None:
    """The exhibitor's stand with its area and hall, or None before a stand is assigned."""
    if exhibitor.stand_id is None:
        return None
    return Stand.objects.select_related("area", "area__hall").get(pk=exhibitor.stand_id)


def device_for_exhibitor(*, exhibitor: Exhibitor, pk: int) -> ScannerDevice | None:
    """One device, only if it belongs to this exhibitor (other ids give None)."""
    return ScannerDevice.objects.filter(exhibitor=exhibitor, pk=pk).first()


def question_for_exhibitor(*, exhibitor: Exhibitor, pk: int) -> Question | None:
    """One current (not removed) question, only if it belongs to this exhibitor."""
    return Question.objects.filter(exhibitor=exhibitor, pk=pk, removed_at__isnull=True).first()


def pairing_code_state(
    *, device: ScannerDevice, code: str, now: datetime.datetime | None = None
) -> str:
    """``valid``, ``used``, ``expired`` or ``replaced`` (a newer code, or unknown) for a code."""
    now = now or timezone.now()
    pairing = PairingCode.objects.filter(device=device, code_hash=secret_hash(code)).first()
    if pairing is None:
        return "replaced"
    if pairing.used_at is not None:
        return "used"
    if pairing.expires_at <= now:
        return "expired"
    return "valid"
