"""Attendee import from ticketing CSV files: dry run and apply, row by row, idempotent.

The report carries what an import wizard shows before anything is saved: the encoding and
separator found, each column's field (``mapping``), the first rows, and per row what would
happen, including a warning for names a badge would print otherwise than stored
(``badges.print_check``).

Two ways in, one import: ``attendees_import`` does a whole file in one transaction (the
command), ``attendees_import_chunk`` one chunk of its rows per call (the wizard, whose page
asks for chunk after chunk, so that no request of a 50,000-row file runs long). A chunk's
result is saved with its work (``AttendeeImportChunk``): asked again, it is answered from
there, so a reload or a retried request neither loses nor doubles a row. Chunks run in order.
What a row does depends on earlier rows only through a shared email or ticket number (its
duplicates; in a dry run also the rows, or attendees, those link to): such earlier rows are
validated again with the chunk, and a dry run applies them first and rolls them back with
the chunk, so that it shows what the import, chunk after chunk, will do.
"""

import datetime
import math
from dataclasses import asdict, dataclass, field

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from badges.codes import secret_generate, short_code_generate
from badges.consent import IMPORT_TEXT_VERSION
from badges.importer import HEADERS, RowValues, csv_parse, row_validate
from badges.models import Attendee, AttendeeImportChunk, Badge, ConsentEvent
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
    index: int = 0  # of the row among the file's rows (line numbers count blank lines too)


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
    report.rows, accepted = _rows_checked(parsed.rows)
    with transaction.atomic():
        _apply(fair, accepted, timezone.now(), dry_run=dry_run)
        if dry_run:
            transaction.set_rollback(True)
    return report


@dataclass(frozen=True)
class ImportProgress:
    rows: int  # rows of the file
    chunks: int  # chunks of rows it has
    done: int  # chunks done (in order: chunks 0 … done - 1)

    @property
    def finished(self) -> bool:
        return self.done >= self.chunks

    def rows_done(self, size: int) -> int:
        return min(self.rows, self.done * size)


def attendees_import_chunk(
    *,
    fair: Fair,
    upload: str,
    content: bytes,
    mapping: dict[str, str] | None,
    dry_run: bool,
    number: int,
    size: int,
) -> ImportProgress:
    """Dry-run or import chunk ``number`` (rows ``number * size`` up to the next chunk) of the
    file; its results are saved as an ``AttendeeImportChunk`` of ``upload`` (a name for this
    file and mapping) in the same transaction. A chunk that is done, or not the next one, is
    left alone: the answer says how far the import is, and the caller goes on from there.
    Raises badges.importer.ImportFileError when the file as a whole cannot be read.
    """
    parsed = csv_parse(content, mapping=mapping)
    chunks = max(1, math.ceil(len(parsed.rows) / size))
    with transaction.atomic():
        done = AttendeeImportChunk.objects.filter(upload=upload, dry_run=dry_run).count()
        if number != done or number >= chunks:
            return ImportProgress(rows=len(parsed.rows), chunks=chunks, done=done)
        try:
            with transaction.atomic():
                record = AttendeeImportChunk.objects.create(
                    upload=upload, fair=fair, dry_run=dry_run, number=number
                )
        except IntegrityError:  # a request for the same chunk did it meanwhile
            return ImportProgress(rows=len(parsed.rows), chunks=chunks, done=number + 1)
        start, end = number * size, min(len(parsed.rows), (number + 1) * size)
        keys = {key for _line, raw in parsed.rows[start:end] for key in _raw_keys(raw)}
        earlier = [raw for _line, raw in parsed.rows[:start]]
        indexes = [*_earlier_links(fair if dry_run else None, earlier, keys), *range(start, end)]
        results, accepted = _rows_checked(
            [parsed.rows[index] for index in indexes], indexes=indexes, print_check_from=start
        )
        if dry_run:
            with transaction.atomic():
                _apply(fair, accepted, timezone.now(), dry_run=True)
                transaction.set_rollback(True)
        else:
            rows = [(row, result) for row, result in accepted if result.index >= start]
            _apply(fair, rows, timezone.now(), dry_run=False)
        record.rows = [asdict(result) for result in results if result.index >= start]
        record.save(update_fields=["rows"])
    return ImportProgress(rows=len(parsed.rows), chunks=chunks, done=number + 1)


def attendee_import_chunks_delete(*, upload_prefix: str) -> None:
    """Forget the results of the chunks of the uploads named ``upload_prefix…`` (the wizard
    is done with a file: its results under every mapping tried)."""
    AttendeeImportChunk.objects.filter(upload__startswith=upload_prefix).delete()


def _apply(
    fair: Fair,
    accepted: list[tuple[RowValues, ImportRowResult]],
    now: datetime.datetime,
    *,
    dry_run: bool,
) -> None:
    """Import the accepted rows set-wise; if the database refuses any of it (a conflict no
    check here foresaw, or a concurrent change), or rows depend on each other, row by row,
    each row in its own savepoint, so one bad row never stops the others and its result names
    it. A dry run (rolled back by the caller) leaves out, set-wise, what cannot change a row's
    result: the new badges and consent events."""
    try:
        with transaction.atomic():
            _apply_in_bulk(fair, accepted, now, dry_run=dry_run)
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


def _attendee_keys(attendee: Attendee) -> set[tuple[str, str]]:
    keys = {("email", attendee.email.lower())}
    if attendee.external_id:
        keys.add(("external_id", attendee.external_id))
    return keys


def _keys(row: RowValues) -> set[tuple[str, str]]:
    """The email and the ticket number (if any) of a row: what it can be matched on."""
    keys = {("email", str(row.values["email"]).lower())}
    if row.values.get("external_id"):
        keys.add(("external_id", str(row.values["external_id"])))
    return keys


def _raw_keys(raw: dict[str, str]) -> set[tuple[str, str]]:
    """What ``_keys`` gives for the row once validated, from its text (cheap: no checks)."""
    keys = {("email", raw.get("email", "").strip().lower())}
    external_id = " ".join(raw.get("external_id", "").split())
    if external_id:
        keys.add(("external_id", external_id))
    return keys


def _earlier_links(
    fair: Fair | None, earlier: list[dict[str, str]], keys: set[tuple[str, str]]
) -> list[int]:
    """The earlier rows (their indexes) that can change what the rows with these ``keys``
    do: those sharing an email or a ticket number with them, directly or through other such
    rows, or through attendees of ``fair`` if given (matching, duplicates and the database's
    unique emails and ticket numbers look at nothing else). Only these are validated again
    for a chunk, and in its dry run applied first."""
    by_key: dict[tuple[str, str], list[int]] = {}
    for index, raw in enumerate(earlier):
        for key in _raw_keys(raw):
            by_key.setdefault(key, []).append(index)
    linked: set[int] = set()
    keys, new = set(keys), set(keys)
    while new:
        found = {index for key in new for index in by_key.get(key, ())} - linked
        linked |= found
        reached = {key for index in found for key in _raw_keys(earlier[index])}
        if fair is not None:
            for attendee in _existing_for_keys(fair, new):
                reached |= _attendee_keys(attendee)
        new = reached - keys
        keys |= new
    return sorted(linked)


def _rows_checked(
    rows: list[tuple[int, dict[str, str]]],
    *,
    indexes: list[int] | None = None,
    print_check_from: int = 0,
) -> tuple[list[ImportRowResult], list[tuple[RowValues, ImportRowResult]]]:
    """Validate the rows (no database): a result per row, and the valid ones with theirs.
    ``indexes``: the rows' places in the file, when they are a part of it. Rows before
    ``print_check_from`` are only read for what later rows depend on, so they skip the print
    check."""
    results: list[ImportRowResult] = []
    accepted = []
    seen: dict[tuple[str, str], int] = {}
    for position, (line, raw) in enumerate(rows):
        index = indexes[position] if indexes is not None else position
        row = row_validate(raw)
        name = f"{raw.get('first_name', '')} {raw.get('last_name', '')}".strip()
        key_label = f"{HEADERS[row.key[0]][0]} {row.key[1]}"
        result = ImportRowResult(
            line=line, action="rejected", key=key_label, name=name, index=index
        )
        results.append(result)
        if row.errors:
            result.reasons = row.errors
            continue
        if row.key in seen:
            result.reasons = [
                _("Same %(key)s as line %(line)d.") % {"key": key_label, "line": seen[row.key]}
            ]
            continue
        seen[row.key] = line
        if index >= print_check_from:
            result.warnings = _print_warnings(row)
        accepted.append((row, result))
    return results, accepted


_CHUNK = 2000  # values per IN (...) list: far below SQLite's and PostgreSQL's limits


def _chunks(values: list[str]) -> list[list[str]]:
    return [values[start : start + _CHUNK] for start in range(0, len(values), _CHUNK)]


def _existing_for_keys(fair: Fair, keys: set[tuple[str, str]]) -> list[Attendee]:
    """The fair's attendees with one of these emails (in any case) or ticket numbers."""
    ids = sorted(value for kind, value in keys if kind == "external_id")
    emails = sorted(value for kind, value in keys if kind == "email")
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
    fair: Fair,
    accepted: list[tuple[RowValues, ImportRowResult]],
    now: datetime.datetime,
    *,
    dry_run: bool,
) -> None:
    existing = _existing_for_keys(fair, {key for row, _result in accepted for key in _keys(row)})
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

    touched: set[tuple[str, str]] = set()  # emails and ticket numbers of the rows so far
    created: list[tuple[Attendee, RowValues]] = []
    updates: dict[tuple[str, ...], list[Attendee]] = {}
    consents: list[Attendee] = []
    need_badge: list[Attendee] = []
    for row, result in accepted:
        matched = _match(row, by_id, by_email)
        keys = _keys(row) | (_attendee_keys(matched) if matched is not None else set())
        if keys & touched:
            raise _RowRejected()  # an earlier row changes what this one matches: row by row
        touched |= keys
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
    if dry_run:
        return
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
