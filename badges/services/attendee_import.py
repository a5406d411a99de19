"""Attendee import from ticketing CSV files: dry run and apply, row by row, idempotent.

The report carries what an import wizard shows before anything is saved: the encoding and
separator found, each column's field (``mapping``), the first rows, and per row what would
happen, including a warning for names a badge would print otherwise than stored
(``badges.print_check``).
"""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from badges.codes import secret_generate, short_code_generate
from badges.consent import IMPORT_TEXT_VERSION
from badges.importer import HEADERS, ParsedFile, RowValues, csv_parse, row_validate
from badges.models import Attendee, Badge, ConsentEvent
from badges.print_check import badge_print_check, print_issue_text
from badges.privacy import consent_record
from badges.services.issue import badge_issue
from fair.models import Fair


@dataclass
class ImportRowResult:
    line: int
    action: str  # "created" | "updated" | "unchanged" | "rejected"
    key: str
    name: str
    reasons: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool
    unknown_columns: list[str]
    rows: list[ImportRowResult] = field(default_factory=list)
    encoding: str = "UTF-8"
    delimiter: str = ","
    mapping: list[tuple[str, str | None]] = field(default_factory=list)  # header → field
    preview: list[dict[str, str]] = field(default_factory=list)

    @property
    def warnings(self) -> list[ImportRowResult]:
        return [row for row in self.rows if row.warnings]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {
            action: self.count(action) for action in ("created", "updated", "unchanged", "rejected")
        }


class _RowRejected(Exception):
    pass


def _decided_by_the_person(attendee: Attendee) -> bool:
    """Whether the person's latest consent decision was made on their own badge page: a
    ticketing file (often an older export) never overrides that."""
    latest = attendee.consent_events.order_by("-at", "-id").values_list("source", flat=True)
    return latest.first() == ConsentEvent.Source.SELF_SERVICE


def _import_match(fair: Fair, row: RowValues) -> Attendee | None:
    kind, value = row.key
    if kind == "external_id":
        found = Attendee.objects.filter(fair=fair, external_id=value).first()
        if found is not None:
            return found
        # A person who registered (or was imported) without a ticket number gets it now.
        candidates = Attendee.objects.filter(
            fair=fair, external_id="", email__iexact=row.values["email"]
        )
    else:
        candidates = Attendee.objects.filter(fair=fair, email__iexact=value)
    matches = list(candidates[:2])
    if len(matches) > 1:
        raise _RowRejected(
            _("Several attendees of this fair have the email %(email)s; add a ticket number.")
            % {"email": row.values["email"]}
        )
    return matches[0] if matches else None


def _import_row(fair: Fair, row: RowValues, now: datetime.datetime) -> tuple[str, list[str]]:
    attendee = _import_match(fair, row)
    if attendee is None:
        attendee = Attendee(fair=fair, confirmed_at=now, **row.values)
        attendee.category = row.values.get("category") or Attendee.Category.VISITOR
        if row.lead_sharing:
            attendee.lead_sharing = True
            attendee.lead_sharing_at = now
            attendee.lead_sharing_text_version = IMPORT_TEXT_VERSION
        attendee.save()
        if row.lead_sharing:
            consent_record(
                attendee=attendee,
                given=attendee.lead_sharing,
                text_version=attendee.lead_sharing_text_version,
                source=ConsentEvent.Source.IMPORT,
                at=now,
            )
        badge_issue(attendee=attendee)
        return "created", []
    changed = [name for name, value in row.values.items() if getattr(attendee, name) != value]
    for name in changed:
        setattr(attendee, name, row.values[name])
    if (
        row.lead_sharing is not None
        and row.lead_sharing != attendee.lead_sharing
        and not _decided_by_the_person(attendee)
    ):
        attendee.lead_sharing = row.lead_sharing
        attendee.lead_sharing_at = now
        attendee.lead_sharing_text_version = IMPORT_TEXT_VERSION
        changed += ["lead_sharing", "lead_sharing_at", "lead_sharing_text_version"]
        consent_changed = True
    else:
        consent_changed = False
    if attendee.confirmed_at is None:
        attendee.confirmed_at = now
        changed.append("confirmed_at")
    if changed:
        attendee.save(update_fields=changed)
    if consent_changed:
        consent_record(
            attendee=attendee,
            given=attendee.lead_sharing,
            text_version=attendee.lead_sharing_text_version,
            source=ConsentEvent.Source.IMPORT,
            at=now,
        )
    if not attendee.badges.exists():
        badge_issue(attendee=attendee)
        changed.append("badge")
    labels = [
        name for name in changed if name not in ("lead_sharing_at", "lead_sharing_text_version")
    ]
    return ("updated" if changed else "unchanged"), labels


def _integrity_reason(error: IntegrityError) -> str:
    text = str(error).lower()
    if "email" in text:
        return _("Another visitor of this fair already has this email address.")
    if "external_id" in text:
        return _("Another attendee of this fair already has this ticket number.")
    if "staff_member" in text:
        return _("A stand staff member's category cannot be changed by an import.")
    return _("The database refused the row (%(error)s).") % {"error": error}


def _print_warnings(row: RowValues) -> list[str]:
    issues = badge_print_check(
        first_name=str(row.values.get("first_name", "")),
        last_name=str(row.values.get("last_name", "")),
        company=str(row.values.get("company", "")),
        job_title=str(row.values.get("job_title", "")),
    )
    return [print_issue_text(issue) for issue in issues]


def attendees_import(
    *,
    fair: Fair,
    content: bytes,
    dry_run: bool,
    mapping: dict[str, str] | None = None,
    encoding: str | None = None,
) -> ImportReport:
    """Import attendees from a ticketing CSV (see badges.importer); a dry run does
    everything and then rolls back, so its report is exactly what an import would do.

    Set-wise: the attendees a file can match are read in a few queries, new ones are
    inserted and changed ones updated in bulk, with their badges and consent events. If the
    database refuses any of it (a conflict no check here foresaw, or a concurrent change),
    the whole file is applied again row by row, each row in its own savepoint, so one bad
    row never stops the others and the report names it.

    ``mapping`` (header → field) and ``encoding`` are passed to ``badges.importer.csv_parse``.
    Raises badges.importer.ImportFileError when the file as a whole cannot be read.
    """
    parsed = csv_parse(content, mapping=mapping, encoding=encoding)
    report = ImportReport(
        dry_run=dry_run,
        unknown_columns=parsed.unknown_columns,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter_label,
        mapping=parsed.mapping,
        preview=parsed.preview(),
    )
    now = timezone.now()
    accepted = _rows_checked(parsed, report)
    with transaction.atomic():
        try:
            with transaction.atomic():
                _apply_in_bulk(fair, accepted, now)
        except (IntegrityError, _RowRejected):
            for row, result in accepted:
                result.reasons, result.changed = [], []
                try:
                    with transaction.atomic():
                        result.action, result.changed = _import_row(fair, row, now)
                except _RowRejected as exc:
                    result.action, result.reasons = "rejected", [str(exc)]
                except IntegrityError as exc:
                    result.action, result.reasons = "rejected", [_integrity_reason(exc)]
        if dry_run:
            transaction.set_rollback(True)
    return report


def _rows_checked(
    parsed: ParsedFile, report: ImportReport
) -> list[tuple[RowValues, ImportRowResult]]:
    """Validate every row (no database): the valid ones, with their report entries."""
    accepted = []
    seen: dict[tuple[str, str], int] = {}
    for line, raw in parsed.rows:
        row = row_validate(raw)
        name = f"{raw.get('first_name', '')} {raw.get('last_name', '')}".strip()
        key_label = f"{HEADERS[row.key[0]][0]} {row.key[1]}"
        result = ImportRowResult(line=line, action="rejected", key=key_label, name=name)
        report.rows.append(result)
        if row.errors:
            result.reasons = row.errors
            continue
        if row.key in seen:
            result.reasons = [
                _("Same %(key)s as line %(line)d.") % {"key": key_label, "line": seen[row.key]}
            ]
            continue
        seen[row.key] = line
        result.warnings = _print_warnings(row)
        accepted.append((row, result))
    return accepted


_CHUNK = 2000  # values per IN (...) list: far below SQLite's and PostgreSQL's limits


def _chunks(values: list[str]) -> list[list[str]]:
    return [values[start : start + _CHUNK] for start in range(0, len(values), _CHUNK)]


def _existing(fair: Fair, rows: list[RowValues]) -> list[Attendee]:
    ids = sorted({row.key[1] for row in rows if row.key[0] == "external_id"})
    emails = sorted({str(row.values["email"]).lower() for row in rows})
    found: dict[int, Attendee] = {}
    for chunk in _chunks(ids):
        found.update((a.pk, a) for a in Attendee.objects.filter(fair=fair, external_id__in=chunk))
    for chunk in _chunks(emails):
        matches = Attendee.objects.annotate(email_lower=Lower("email")).filter(
            fair=fair, email_lower__in=chunk
        )
        found.update((attendee.pk, attendee) for attendee in matches)
    return list(found.values())


def _match(
    row: RowValues, by_id: dict[str, Attendee], by_email: dict[str, list[Attendee]]
) -> Attendee | None:
    """What _import_match decides, from the attendees read beforehand."""
    kind, value = row.key
    email = str(row.values["email"]).lower()
    if kind == "external_id":
        if value in by_id:
            return by_id[value]
        candidates = [a for a in by_email.get(email, []) if a.external_id == ""]
    else:
        candidates = by_email.get(email, [])
    if len(candidates) > 1:
        raise _RowRejected()  # the row-by-row pass names it
    return candidates[0] if candidates else None


def _apply_in_bulk(
    fair: Fair, accepted: list[tuple[RowValues, ImportRowResult]], now: datetime.datetime
) -> None:
    existing = _existing(fair, [row for row, _result in accepted])
    by_id = {attendee.external_id: attendee for attendee in existing if attendee.external_id}
    by_email: dict[str, list[Attendee]] = {}
    for attendee in existing:
        by_email.setdefault(attendee.email.lower(), []).append(attendee)
    pks = [attendee.pk for attendee in existing]
    with_badge = set(
        Badge.objects.filter(attendee_id__in=pks).values_list("attendee_id", flat=True)
    )
    latest_source: dict[int, str] = {}
    events = ConsentEvent.objects.filter(attendee_id__in=pks).order_by("attendee_id", "-at", "-id")
    for attendee_id, source in events.values_list("attendee_id", "source"):
        latest_source.setdefault(attendee_id, source)

    created: list[tuple[Attendee, RowValues]] = []
    updates: dict[tuple[str, ...], list[Attendee]] = {}
    consents: list[Attendee] = []
    need_badge: list[Attendee] = []
    for row, result in accepted:
        matched = _match(row, by_id, by_email)
        if matched is None:
            attendee = Attendee(fair=fair, confirmed_at=now, **row.values)
            attendee.category = row.values.get("category") or Attendee.Category.VISITOR
            if row.lead_sharing:
                attendee.lead_sharing = True
                attendee.lead_sharing_at = now
                attendee.lead_sharing_text_version = IMPORT_TEXT_VERSION
            created.append((attendee, row))
            result.action, result.changed = "created", []
            continue
        attendee = matched
        if attendee.staff_member_id and row.values.get("category", attendee.category) != (
            attendee.category
        ):
            raise _RowRejected()  # the database refuses it; the row-by-row pass says why
        changed = [name for name, value in row.values.items() if getattr(attendee, name) != value]
        for name in changed:
            setattr(attendee, name, row.values[name])
        if (
            row.lead_sharing is not None
            and row.lead_sharing != attendee.lead_sharing
            and latest_source.get(attendee.pk) != ConsentEvent.Source.SELF_SERVICE
        ):
            attendee.lead_sharing = row.lead_sharing
            attendee.lead_sharing_at = now
            attendee.lead_sharing_text_version = IMPORT_TEXT_VERSION
            changed += ["lead_sharing", "lead_sharing_at", "lead_sharing_text_version"]
            consents.append(attendee)
        if attendee.confirmed_at is None:
            attendee.confirmed_at = now
            changed.append("confirmed_at")
        if changed:
            updates.setdefault(tuple(changed), []).append(attendee)
        labels = [
            name for name in changed if name not in ("lead_sharing_at", "lead_sharing_text_version")
        ]
        if attendee.pk not in with_badge:
            need_badge.append(attendee)
            with_badge.add(attendee.pk)
            labels.append("badge")
        result.action, result.changed = ("updated" if labels else "unchanged"), labels

    new = Attendee.objects.bulk_create([attendee for attendee, _row in created], batch_size=500)
    for fields, attendees in updates.items():
        Attendee.objects.bulk_update(attendees, list(fields), batch_size=500)
    consents += [attendee for attendee, row in created if row.lead_sharing]
    ConsentEvent.objects.bulk_create(
        [
            ConsentEvent(
                attendee=attendee,
                given=attendee.lead_sharing,
                text_version=attendee.lead_sharing_text_version,
                source=ConsentEvent.Source.IMPORT,
                at=now,
            )
            for attendee in consents
        ],
        batch_size=500,
    )
    Badge.objects.bulk_create(
        [
            Badge(attendee=attendee, secret=secret_generate(), short_code=short_code_generate())
            for attendee in [*new, *need_badge]
        ],
        batch_size=500,
    )
