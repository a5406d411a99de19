"""Lead capture: badge scans at a stand, one at a time or a device's offline batch of them.

One module past 400 lines on purpose: single scans and batches are one engine (a single scan
is a batch of one), and its steps — charge, look up, decide, lock, count, write — only make
sense together; the SQL they run lives apart in ``fair.lean_sql``.

Decisions worth knowing (each has a test in ``tests/leads``):

* **Who is a lead.** Visitors, press, speakers and *other* exhibitors' stand staff are leads like
  anyone else (their data is shown according to their own lead-sharing consent). A badge of the
  scanning exhibitor's *own* stand staff is refused with ``OwnStaff`` (code ``own_staff``), and
  organizer and service badges with ``NotALead`` (``not_a_lead``); in both cases nothing is stored.
* **Device time.** ``scanned_at`` is the device clock; ``lead_data.client_time_effective`` keeps
  it when plausible and puts the server's receive time in its place when the clock is evidently
  wrong (the scan is kept: losing a real contact is worse than a wrong minute).
* **Merging.** A later scan or an update never overwrites a value with an empty one: a rating
  replaces the rating only when given, answers are merged per question (the newest non-empty
  answer to a question wins), tags are added to the set, and notes are appended, each with its
  author device (or user) and time.
* **Retries.** A scan whose ``client_id`` is already stored gets the stored result
  (``replayed=True``) and changes nothing, also when the retry races the original.
* **Budget.** Every scan is charged against its device's budget
  (``fair.ratelimit.scans_per_device``) in the scan's own transaction: one commit per scan or
  batch. Scans are answered in order while the budget is not used up; a well-formed code that
  matches no badge (a guess) costs ``SCAN_MISS_COST`` more, charged before the answer leaves.
  Once the budget is used up, the remaining scans are refused with ``ScanBudgetUsedUp`` (429),
  whether they would hit or not, and nothing of them is stored.
* **Set-wise.** A batch does each kind of work once for all of its scans: one charge, one
  lookup of earlier scans, one of badges, one of questions, one lock of the leads (``SELECT …
  FOR UPDATE`` in id order, so two batches never deadlock on each other), one insert each of
  leads, scans and notes, one prepared update per lead it counts up. A single scan is a batch
  of one. The badge lookup, the lead lock and the writes are fixed SQL (``fair.lean_sql``
  says why and what it measured). On PostgreSQL the charge runs inside the badge lookup
  (``WITH charge AS (<the rate limiter's upsert>) SELECT …``): one round trip for both.
  Exactly one lead per (exhibitor, attendee), also under concurrent devices: counting happens
  on the locked row, and a lead or a client_id stored by a concurrent request in the meantime
  (``IntegrityError``) or a deadlock makes the whole capture run again — it is idempotent.
"""

import datetime
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db import IntegrityError, OperationalError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from badges.codes import CodeFormatError, code_parse
from badges.exceptions import BadgeRevoked, BadgeUnknown
from badges.models import Attendee, Badge
from exhibitors.models import Exhibitor
from fair.lean_sql import LeanSelect, rows_insert, rows_update
from fair.ratelimit import (
    SCAN_MISS_COST,
    Charge,
    rate_limit_charge,
    rate_limit_charge_statement,
    scans_per_device,
)
from leads.exceptions import (
    ClientIdConflict,
    LeadDataInvalid,
    LeadsError,
    NotALead,
    NotAStandDevice,
    OwnStaff,
    ScanBudgetUsedUp,
)
from leads.models import Lead, LeadNote, Question, Scan, ScannerDevice
from leads.services.capture_data import (
    ATTENDEE_FIELDS,
    BADGE_CODE_COLUMNS,
    CaptureResult,
    ScanDraft,
)
from leads.services.capture_fast import lead_capture_fast
from leads.services.lead_data import (
    answers_clean,
    client_time_effective,
    note_clean,
    notes_count_check,
)

_NOT_LEADS = frozenset({Attendee.Category.ORGANIZER, Attendee.Category.SERVICE})
_BADGES_BY_CODES = {
    kind: LeanSelect(
        [
            ("b", Badge, ["id", "attendee", "secret", "short_code", "state"]),
            ("a", Attendee, ATTENDEE_FIELDS),
        ],
        "{badge} b INNER JOIN {attendee} a ON a.id = b.attendee_id "
        f"WHERE b.{column} {{codes_in}} AND a.fair_id = %s",
    )
    for kind, column in BADGE_CODE_COLUMNS.items()
}


@functools.cache
def _charged_badges(charge_sql: str, kind: str) -> LeanSelect:
    """``_BADGES_BY_CODES[kind]`` with the device's charge (``fair.ratelimit``'s upsert) run
    in front of it: one row per badge found, or one row of NULLs, each with the new count."""
    column = BADGE_CODE_COLUMNS[kind]
    return LeanSelect(
        [
            ("b", Badge, ["id", "attendee", "secret", "short_code", "state"]),
            ("a", Attendee, ATTENDEE_FIELDS),
        ],
        "charge LEFT JOIN ({badge} b INNER JOIN {attendee} a ON a.id = b.attendee_id "
        f"AND b.{column} {{codes_in}} AND a.fair_id = %s) ON TRUE",
        extra=['charge."count"'],
        head=f"WITH charge AS ({charge_sql}) ",
    )


_SCANS_BY_CLIENT_ID = LeanSelect(
    [
        ("s", Scan, [field.name for field in Scan._meta.concrete_fields]),
        ("b", Badge, ["id", "secret", "short_code"]),
        ("d", ScannerDevice, ["id", "exhibitor"]),
        ("l", Lead, [field.name for field in Lead._meta.concrete_fields]),
        ("a", Attendee, ATTENDEE_FIELDS),
    ],
    "{scan} s INNER JOIN {badge} b ON b.id = s.badge_id "
    "INNER JOIN {scannerdevice} d ON d.id = s.device_id INNER JOIN {lead} l ON l.id = s.lead_id "
    "INNER JOIN {attendee} a ON a.id = l.attendee_id WHERE s.client_id {client_ids_in}",
)
_LEADS_FOR_UPDATE = LeanSelect(
    [("l", Lead, [field.name for field in Lead._meta.concrete_fields])],
    "{lead} l WHERE l.exhibitor_id = %s AND l.attendee_id {attendees_in} ORDER BY l.id",
    extra=["(SELECT COUNT(*) FROM {leadnote} n WHERE n.lead_id = l.id)"],
    tables={"leadnote": LeadNote},
)
# What a scan changes on a lead that exists.
_COUNTED_FIELDS = [
    "first_scanned_at",
    "last_scanned_at",
    "scan_count",
    "rating",
    "answers",
    "updated_at",
]
_ATTEMPTS = 3
_RETRY_SQLSTATES = {"40P01", "40001"}  # deadlock detected, serialization failure


CaptureError = LeadsError | BadgeUnknown | BadgeRevoked
Outcome = CaptureResult | CaptureError


def lead_capture(
    *,
    device: ScannerDevice,
    code: str,
    client_id: UUID,
    scanned_at: datetime.datetime | None = None,
    rating: str | None = None,
    note: str = "",
    answers: dict[str, Any] | None = None,
) -> CaptureResult:
    """Record one badge scan at a stand; safe to call again with the same ``client_id``.

    Raises ``NotAStandDevice`` for a room device, ``ScanBudgetUsedUp`` (the charge is kept),
    ``BadgeUnknown``/``BadgeRevoked`` (from the badges app), ``OwnStaff``, ``NotALead``,
    ``LeadDataInvalid`` (rating, answers, note) or
    ``ClientIdConflict``; nothing of the scan is stored then. A retry of a scan that was stored
    returns the stored result, even if the badge was revoked since.
    """
    draft = ScanDraft(code, client_id, scanned_at, rating, note, answers)
    return lead_capture_draft(device=device, draft=draft)


def lead_capture_draft(
    *, device: ScannerDevice, draft: ScanDraft, fast: bool = True
) -> CaptureResult:
    """``lead_capture`` of a scan as a ``ScanDraft``; ``fast=False``: the caller has tried
    ``lead_capture_fast`` for it already."""
    if device.exhibitor_id is None:
        raise NotAStandDevice()
    captured = lead_capture_fast(device=device, draft=draft) if fast else None
    if captured is not None:
        return captured
    [outcome] = _capture(device=device, drafts=[draft], look_for_replays=False)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def lead_capture_batch(*, device: ScannerDevice, scans: Sequence[ScanDraft]) -> list[Outcome]:
    """Record scans a device queued offline, in order: one result or domain error per scan.

    The whole batch is one transaction; a refused scan leaves the others in place. Raises
    ``ScanBudgetUsedUp`` when the batch does not fit into the device's budget at all (nothing
    is stored, the charge is kept); scans beyond the budget within the batch get it each.
    """
    if device.exhibitor_id is None:
        raise NotAStandDevice()
    if not scans:
        return []
    return _capture(device=device, drafts=scans, look_for_replays=True)


def _capture(
    *, device: ScannerDevice, drafts: Sequence[ScanDraft], look_for_replays: bool
) -> list[Outcome]:
    for attempt in range(_ATTEMPTS):
        try:
            with transaction.atomic():
                capture = _Capture(device=device, drafts=drafts)
                outcomes = capture.run(look_for_replays=look_for_replays)
        except IntegrityError:
            # A concurrent request stored the same lead or client_id first: run again, now
            # looking for earlier scans (the rollback took this attempt's charge with it).
            if attempt == _ATTEMPTS - 1:
                raise
            look_for_replays = True
        except OperationalError as exc:
            sqlstate = getattr(exc.__cause__, "sqlstate", None)
            if sqlstate not in _RETRY_SQLSTATES or attempt == _ATTEMPTS - 1:
                raise
        else:
            if capture.refused_whole is not None:
                raise capture.refused_whole  # after the commit: the charge is kept
            return outcomes
    raise AssertionError("unreachable")


@dataclass
class _Accepted:
    """A scan that passed every check, waiting to be written."""

    index: int
    draft: ScanDraft
    badge: Badge
    when: datetime.datetime
    rating: str
    answers: dict[str, str | list[str]]
    note: str


@dataclass
class _Capture:
    """One attempt at capturing ``drafts`` (inside the caller's transaction)."""

    device: ScannerDevice
    drafts: Sequence[ScanDraft]
    now: datetime.datetime = field(default_factory=timezone.now)
    refused_whole: ScanBudgetUsedUp | None = None

    @property
    def exhibitor(self) -> Exhibitor:
        """The stand device's exhibitor (``lead_capture`` refuses room devices before)."""
        exhibitor = self.device.exhibitor
        if exhibitor is None:
            raise NotAStandDevice()
        return exhibitor

    def run(self, *, look_for_replays: bool) -> list[Outcome]:
        parsed = [self._parse(draft.code) for draft in self.drafts]
        charge, badges = self._charge_and_badges([value for value in parsed if value is not None])
        if charge.over:
            self.refused_whole = ScanBudgetUsedUp(charge.retry_after)
            return []
        client_ids = [draft.client_id for draft in self.drafts]
        earlier = self._earlier_scans(client_ids) if look_for_replays else {}
        questions = self._questions()

        outcomes: list[Outcome | _Repeat | None] = [None] * len(self.drafts)
        accepted: list[_Accepted] = []
        first_of_client_id: dict[UUID, int] = {}
        budget = charge.remaining
        guesses = 0
        for index, (draft, code) in enumerate(zip(self.drafts, parsed, strict=True)):
            if draft.client_id in earlier:
                outcomes[index] = self._replay(earlier[draft.client_id], code)
                continue
            if draft.client_id in first_of_client_id:
                first = first_of_client_id[draft.client_id]
                same_badge = code is not None and code == parsed[first]
                outcomes[index] = _Repeat(first=first, same_badge=same_badge)
                continue
            first_of_client_id[draft.client_id] = index
            if budget < 0:
                outcomes[index] = ScanBudgetUsedUp(charge.retry_after)
                continue
            badge = badges.get(code) if code is not None else None
            if badge is None:
                if code is not None:  # well-formed, matches nothing: what guessing looks like
                    guesses += 1
                    budget -= SCAN_MISS_COST
                outcomes[index] = BadgeUnknown("no badge with this code")
                continue
            try:
                accepted.append(self._check(index, draft, badge, questions))
            except (LeadsError, BadgeRevoked) as error:
                outcomes[index] = error
        if guesses:
            rate_limit_charge(
                limit=scans_per_device(), key=str(self.device.pk), cost=guesses * SCAN_MISS_COST
            )
        if not look_for_replays:
            # A scan that looked new but was refused may be the retry of a scan stored before
            # (e.g. its badge was revoked since): it gets the stored result after all. Only a
            # refusal costs this lookup.
            refused = {self.drafts[i].client_id: i for i, o in enumerate(outcomes) if o is not None}
            for client_id, scan in self._earlier_scans(refused).items():
                outcomes[refused[client_id]] = self._replay(scan, parsed[refused[client_id]])
        for item, written in self._write(accepted).items():
            outcomes[item] = written
        resolved: list[Outcome] = []
        for outcome in outcomes:
            # Repeats of a client_id within the batch take the outcome of its first scan.
            final = (
                outcome.resolve(outcomes[outcome.first])
                if isinstance(outcome, _Repeat)
                else outcome
            )
            if final is None:
                raise AssertionError("every scan has an outcome")
            resolved.append(final)
        return resolved

    # --- reading -----------------------------------------------------------------------------

    @staticmethod
    def _parse(code: str) -> tuple[str, str] | None:
        try:
            return code_parse(code)
        except CodeFormatError:
            return None

    @staticmethod
    def _earlier_scans(client_ids: Iterable[UUID]) -> dict[UUID, Scan]:
        wanted = sorted(set(client_ids))
        if not wanted:
            return {}
        connection = connections[router.db_for_read(Scan)]
        field = Scan._meta.get_field("client_id")
        values = [field.get_db_prep_value(value, connection) for value in wanted]
        found = {}
        for scan, badge, device, lead, attendee in _SCANS_BY_CLIENT_ID.rows([values], model=Scan):
            lead.attendee = attendee
            scan.lead, scan.badge, scan.device = lead, badge, device
            found[scan.client_id] = scan
        return found

    def _charge_and_badges(
        self, codes: list[tuple[str, str]]
    ) -> tuple[Charge, dict[tuple[str, str], Badge]]:
        """Charge the device for every scan and read the badges of ``codes``. On PostgreSQL the
        charge runs inside the first badge lookup (``WITH charge AS (<the upsert>) SELECT …``):
        one round trip for both. The badges are read also when the charge is over the budget;
        nothing is decided on them then."""
        limit, key, cost = scans_per_device(), str(self.device.pk), len(self.drafts)
        statement = rate_limit_charge_statement(limit=limit, key=key, cost=cost)
        if statement is None:
            charge = rate_limit_charge(limit=limit, key=key, cost=cost)
            return charge, ({} if charge.over else self._badges(codes))
        kinds = [kind for kind in _BADGES_BY_CODES if any(k == kind for k, _ in codes)]
        first = kinds[0] if kinds else "secret"
        values = sorted({v for k, v in codes if k == first})
        found: dict[tuple[str, str], Badge] = {}
        rows = _charged_badges(statement.sql, first).rows(
            [*statement.params, values, self.exhibitor.fair_id], model=Badge
        )
        self._badges_found(found, first, [row[:2] for row in rows if row[0] is not None])
        found.update(self._badges([code for code in codes if code[0] != first]))
        charge = statement.charge(rows[0][2])
        return charge, {code: found[code] for code in codes if code in found}

    def _badges(self, codes: list[tuple[str, str]]) -> dict[tuple[str, str], Badge]:
        """The badges of this fair with these codes, by (kind, value) as ``code_parse`` gives."""
        found: dict[tuple[str, str], Badge] = {}
        for kind, select in _BADGES_BY_CODES.items():
            values = sorted({value for code_kind, value in codes if code_kind == kind})
            if not values:
                continue
            rows = select.rows([values, self.exhibitor.fair_id], model=Badge)
            self._badges_found(found, kind, rows)
        return {code: found[code] for code in codes if code in found}

    @staticmethod
    def _badges_found(
        found: dict[tuple[str, str], Badge], kind: str, rows: Iterable[list[Any]]
    ) -> None:
        for badge, attendee in rows:
            badge.attendee = attendee
            found[kind, badge.secret if kind == "secret" else badge.short_code] = badge

    def _questions(self) -> list[Question] | None:
        if not any(draft.answers for draft in self.drafts):
            return None
        return list(
            Question.objects.filter(exhibitor_id=self.exhibitor.pk, removed_at__isnull=True)
        )

    # --- deciding ----------------------------------------------------------------------------

    def _replay(self, scan: Scan, code: tuple[str, str] | None) -> Outcome:
        kind, value = code or ("", "")
        same_badge = value == (scan.badge.secret if kind == "secret" else scan.badge.short_code)
        if scan.device.exhibitor_id != self.exhibitor.pk or not same_badge:
            return ClientIdConflict()
        return CaptureResult(lead=scan.lead, created=scan.created_lead, replayed=True, scan=scan)

    def _check(
        self, index: int, draft: ScanDraft, badge: Badge, questions: list[Question] | None
    ) -> _Accepted:
        exhibitor = self.exhibitor
        if badge.state == Badge.State.REVOKED:
            raise BadgeRevoked(badge)
        attendee = badge.attendee
        if attendee.category in _NOT_LEADS:
            raise NotALead()
        if (
            attendee.category == Attendee.Category.EXHIBITOR_STAFF
            and attendee.exhibitor_id == exhibitor.pk
        ):
            raise OwnStaff()
        if draft.rating and draft.rating not in Lead.Rating.values:
            raise LeadDataInvalid({"rating": [_("Use hot, warm or cold.")]})
        answers = answers_clean(exhibitor=exhibitor, answers=draft.answers, questions=questions)
        return _Accepted(
            index=index,
            draft=draft,
            badge=badge,
            when=client_time_effective(
                sent=draft.scanned_at, received_at=self.now, time_zone=exhibitor.fair.time_zone
            ),
            rating=draft.rating or "",
            answers=answers,
            note=note_clean(draft.note),
        )

    # --- writing -----------------------------------------------------------------------------

    def _write(self, accepted: list[_Accepted]) -> dict[int, Outcome]:
        if not accepted:
            return {}
        exhibitor_id = self.exhibitor.pk
        attendee_ids = sorted({item.badge.attendee_id for item in accepted})
        leads: dict[int, Lead] = {}
        note_counts: dict[int, int] = {}  # by lead id, before this capture
        for lead, notes in _LEADS_FOR_UPDATE.rows(
            [exhibitor_id, attendee_ids], model=Lead, for_update=True
        ):
            leads[lead.attendee_id] = lead
            note_counts[lead.pk] = notes
        outcomes: dict[int, Outcome] = {}
        new_leads: dict[int, Lead] = {}
        changed: dict[int, Lead] = {}
        notes_in_request: dict[int, int] = {}
        counted: list[tuple[_Accepted, Lead, bool, int]] = []
        for item in accepted:
            attendee = item.badge.attendee
            lead = leads.get(attendee.pk) or new_leads.get(attendee.pk)
            if item.note:
                adding = notes_in_request.get(attendee.pk, 0) + 1
                existing = note_counts.get(lead.pk, 0) if lead is not None and lead.pk else 0
                try:
                    notes_count_check(
                        in_request=adding, existing=existing, adding=adding, field="note"
                    )
                except LeadDataInvalid as error:
                    outcomes[item.index] = error
                    continue
                notes_in_request[attendee.pk] = adding
            created = lead is None
            if lead is None:
                lead = Lead(
                    exhibitor_id=exhibitor_id,
                    attendee=attendee,
                    first_scanned_at=item.when,
                    last_scanned_at=item.when,
                    scan_count=1,
                    rating=item.rating,
                    answers=item.answers,
                )
                new_leads[attendee.pk] = lead
            else:
                lead.first_scanned_at = min(lead.first_scanned_at, item.when)
                lead.last_scanned_at = max(lead.last_scanned_at, item.when)
                lead.scan_count += 1
                lead.rating = item.rating or lead.rating
                lead.answers = {**lead.answers, **item.answers}
                lead.updated_at = self.now
                lead.attendee = attendee
                if lead.pk is not None:
                    changed[lead.pk] = lead
            notes_before = 0 if attendee.pk in new_leads else note_counts[lead.pk]
            counted.append((item, lead, created, notes_before))
        rows_insert(list(new_leads.values()))
        rows_update(changed.values(), _COUNTED_FIELDS)
        # Built only now: the new leads have their ids.
        scans: list[Scan] = []
        new_notes: list[LeadNote] = []
        for item, lead, created, notes_before in counted:
            scan = Scan(
                lead_id=lead.pk,  # ids: much cheaper to construct than related objects
                device_id=self.device.pk,
                badge_id=item.badge.pk,
                client_id=item.draft.client_id,
                scanned_at=item.when,
                created_lead=created,
            )
            scans.append(scan)
            note = None
            if item.note:
                note = LeadNote(lead=lead, text=item.note, device=self.device, written_at=item.when)
                new_notes.append(note)
            outcomes[item.index] = CaptureResult(
                lead=lead,
                created=created,
                replayed=False,
                scan=scan,
                note=note,
                notes_before=notes_before,
            )
        rows_insert(scans)
        rows_insert(new_notes)
        return outcomes


@dataclass(frozen=True)
class _Repeat:
    """A scan whose client_id came earlier in the same batch."""

    first: int
    same_badge: bool

    def resolve(self, first: "Outcome | _Repeat | None") -> Outcome:
        if not self.same_badge:
            return ClientIdConflict()
        if isinstance(first, CaptureResult):
            return CaptureResult(
                lead=first.lead, created=first.created, replayed=True, scan=first.scan
            )
        if first is None or isinstance(first, _Repeat):
            raise AssertionError("a repeat always follows its first scan")
        return first
