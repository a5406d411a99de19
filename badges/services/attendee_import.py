"""Attendee import from ticketing CSV files: dry run and apply, row by row, idempotent.

The report carries what an import wizard shows before anything is saved: the encoding and
separator found, each column's field (``mapping``), the first rows, and per row what would
happen, including a warning for names a badge would print otherwise than stored
(``badges.print_check``).
"""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from badges.consent import IMPORT_TEXT_VERSION
from badges.importer import HEADERS, RowValues, csv_parse, row_validate
from badges.models import Attendee, ConsentEvent
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
    """Import attendees from a ticketing CSV (see badges.importer). Each row is applied in
    its own savepoint, so a bad row never half-applies or stops the others; a dry run does
    everything and then rolls back, so its report is exactly what an import would do.

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
    seen: dict[tuple[str, str], int] = {}
    with transaction.atomic():
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
            try:
                with transaction.atomic():
                    result.action, result.changed = _import_row(fair, row, now)
            except _RowRejected as exc:
                result.reasons = [str(exc)]
            except IntegrityError as exc:
                result.reasons = [_integrity_reason(exc)]
        if dry_run:
            transaction.set_rollback(True)
    return report
