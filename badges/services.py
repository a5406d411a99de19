"""Writes for attendees and badges: issue, revoke, reissue, visitor registration, imports."""

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from badges.codes import secret_generate, short_code_generate
from badges.consent import IMPORT_TEXT_VERSION, LEAD_SHARING_TEXT_VERSION
from badges.importer import HEADERS, RowValues, csv_parse, row_validate
from badges.models import Attendee, Badge, ConsentEvent
from badges.tokens import CONFIRM_SALT, token_hash
from exhibitors.models import StaffMember
from fair.mail import absolute_url, mail_send_on_commit
from fair.models import Fair, Topic

_ISSUE_ATTEMPTS = 5
# At most one mail per attendee in this interval, however often the form is sent.
MAIL_INTERVAL = datetime.timedelta(seconds=60)
_PRINTED_BATCH = 500


def badge_issue(*, attendee: Attendee) -> Badge:
    """Give the attendee a new active badge with fresh random codes."""
    for attempt in range(_ISSUE_ATTEMPTS):
        try:
            # A savepoint, so that a (astronomically unlikely) code collision can be retried
            # inside the caller's transaction.
            with transaction.atomic():
                return Badge.objects.create(
                    attendee=attendee, secret=secret_generate(), short_code=short_code_generate()
                )
        except IntegrityError:
            if (
                attempt == _ISSUE_ATTEMPTS - 1
                or attendee.badges.filter(state=Badge.State.ACTIVE).exists()
            ):
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def staff_badge_issue(*, staff_member: StaffMember) -> Badge:
    """Make (or refresh) the staff member's attendee record and give it an active badge.

    The exhibitor portal calls this within the stand's staff quota (it checks the quota).
    Calling it again keeps the active badge and only refreshes name, email and company.
    """
    exhibitor = staff_member.exhibitor
    values = {
        "fair": exhibitor.fair,
        "category": Attendee.Category.EXHIBITOR_STAFF,
        "exhibitor": exhibitor,
        "first_name": staff_member.first_name,
        "last_name": staff_member.last_name,
        "email": staff_member.email,
        "company": exhibitor.company_name,
        "country": exhibitor.country,
        "language": exhibitor.language,
    }
    attendee, _created = Attendee.objects.update_or_create(
        staff_member=staff_member,
        defaults=values,
        # The exhibitor vouches for its staff: no email confirmation round.
        create_defaults={**values, "confirmed_at": timezone.now()},
    )
    active = attendee.badges.filter(state=Badge.State.ACTIVE).first()
    return active or badge_issue(attendee=attendee)


def badge_revoke(*, badge: Badge) -> Badge:
    """Revoke a badge: later scans of its codes are told "revoked"."""
    if badge.state == Badge.State.ACTIVE:
        badge.state = Badge.State.REVOKED
        badge.revoked_at = timezone.now()
        badge.save(update_fields=["state", "revoked_at"])
    return badge


def staff_badge_revoke(*, staff_member: StaffMember) -> None:
    """Revoke the active badge of a staff member who leaves the stand team."""
    for badge in Badge.objects.filter(
        attendee__staff_member=staff_member, state=Badge.State.ACTIVE
    ):
        badge_revoke(badge=badge)


@transaction.atomic
def badge_reissue(*, attendee: Attendee) -> Badge:
    """A lost badge: revoke the active badge (its codes now scan as "revoked") and issue a
    new one. The attendee, their leads and their old badges stay; the visitor's badge link
    keeps working and shows the new badge."""
    locked = Attendee.objects.select_for_update().get(pk=attendee.pk)
    for badge in Badge.objects.filter(attendee=locked, state=Badge.State.ACTIVE):
        badge_revoke(badge=badge)
    return badge_issue(attendee=locked)


def badges_mark_printed(*, badge_ids: Iterable[int], at: datetime.datetime | None = None) -> int:
    """Record that these badges were printed (call it once the PDF is written)."""
    at = at or timezone.now()
    ids = list(badge_ids)
    updated = 0
    with transaction.atomic():
        for start in range(0, len(ids), _PRINTED_BATCH):
            updated += Badge.objects.filter(pk__in=ids[start : start + _PRINTED_BATCH]).update(
                printed_at=at
            )
    return updated


# --------------------------------------------------------------------------- visitors


@dataclass(frozen=True)
class Registration:
    attendee: Attendee
    # "created": new, confirmation mailed; "pending": not yet confirmed, confirmation mailed
    # again; "resent": confirmed earlier, badge link mailed again; "throttled": a mail went
    # out less than MAIL_INTERVAL ago, nothing sent.
    outcome: str


def confirmation_token(*, attendee: Attendee) -> str:
    return signing.dumps({"a": attendee.pk, "e": attendee.email}, salt=CONFIRM_SALT)


def _badge_access_rotate(attendee: Attendee) -> str:
    """A new secret badge link for the attendee; earlier links stop working."""
    token = secrets.token_urlsafe(32)
    attendee.access_token_hash = token_hash(token)
    attendee.save(update_fields=["access_token_hash"])
    return token


def _mail_allowed(attendee: Attendee, now: datetime.datetime) -> bool:
    return attendee.mail_sent_at is None or now - attendee.mail_sent_at >= MAIL_INTERVAL


def _mail_confirmation(attendee: Attendee, now: datetime.datetime) -> None:
    url = absolute_url(
        reverse("badges:confirm", kwargs={"token": confirmation_token(attendee=attendee)})
    )
    hours = settings.FAIRLEAD_CONFIRMATION_MAX_AGE // 3600
    mail_send_on_commit(
        to=attendee.email,
        template="badges/mail/confirm",
        context={"attendee": attendee, "fair": attendee.fair, "url": url, "hours": hours},
        language=attendee.language,
    )
    attendee.mail_sent_at = now
    attendee.save(update_fields=["mail_sent_at"])


def _mail_badge(attendee: Attendee, token: str, now: datetime.datetime) -> None:
    url = absolute_url(reverse("badges:badge", kwargs={"token": token}))
    mail_send_on_commit(
        to=attendee.email,
        template="badges/mail/badge",
        context={"attendee": attendee, "fair": attendee.fair, "url": url},
        language=attendee.language,
    )
    attendee.mail_sent_at = now
    attendee.save(update_fields=["mail_sent_at"])


_VISITOR_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "job_title",
    "phone",
    "country",
    "postal_code",
)


@transaction.atomic
def visitor_register(
    *, fair: Fair, data: dict, topics: Iterable[Topic], language: str
) -> Registration:
    """Register a visitor (double opt-in): mail a confirmation link, or — for an address that
    already confirmed for this fair — mail the badge link again instead of a second record.

    ``data`` holds the form's cleaned values: email, lead_sharing and the _VISITOR_FIELDS.
    """
    now = timezone.now()
    email = data["email"].strip().lower()
    topics = list(topics)
    if any(topic.area.fair_id != fair.pk for topic in topics):
        raise ValueError("topics must belong to the fair")
    existing = (
        Attendee.objects.select_for_update()
        .filter(fair=fair, category=Attendee.Category.VISITOR, email=email)
        .first()
    )
    if existing is not None and existing.confirmed_at is not None:
        if not _mail_allowed(existing, now):
            return Registration(attendee=existing, outcome="throttled")
        if not existing.badges.exists():
            badge_issue(attendee=existing)
        _mail_badge(existing, _badge_access_rotate(existing), now)
        return Registration(attendee=existing, outcome="resent")
    attendee = existing or Attendee(fair=fair, category=Attendee.Category.VISITOR, email=email)
    if existing is not None and not _mail_allowed(existing, now):
        return Registration(attendee=existing, outcome="throttled")
    # Not confirmed yet: the latest form wins (only the mailbox owner can confirm it).
    for name in _VISITOR_FIELDS:
        setattr(attendee, name, data.get(name, "") or "")
    attendee.language = language
    decided_before = (attendee.lead_sharing, attendee.lead_sharing_text_version)
    attendee.lead_sharing = bool(data.get("lead_sharing"))
    attendee.lead_sharing_at = now
    attendee.lead_sharing_text_version = LEAD_SHARING_TEXT_VERSION
    try:
        with transaction.atomic():
            attendee.save()
    except IntegrityError:
        # Someone registered the same address a moment ago: treat it as a repeat.
        existing = Attendee.objects.get(fair=fair, category=Attendee.Category.VISITOR, email=email)
        return Registration(attendee=existing, outcome="throttled")
    if existing is None or decided_before != (attendee.lead_sharing, LEAD_SHARING_TEXT_VERSION):
        _consent_event(attendee, ConsentEvent.Source.REGISTRATION, now)
    attendee.topics.set(topics)
    _mail_confirmation(attendee, now)
    return Registration(attendee=attendee, outcome="pending" if existing else "created")


@transaction.atomic
def visitor_confirm(*, attendee: Attendee) -> str:
    """Confirm the visitor's address, give them a badge and mail the secret badge link.

    Returns the link's token (the caller redirects the visitor to their badge). Confirming
    again makes a new link, mails it, and keeps the badge.
    """
    now = timezone.now()
    locked = Attendee.objects.select_for_update().select_related("fair").get(pk=attendee.pk)
    if locked.confirmed_at is None:
        locked.confirmed_at = now
        locked.save(update_fields=["confirmed_at"])
    if not locked.badges.exists():
        badge_issue(attendee=locked)
    token = _badge_access_rotate(locked)
    _mail_badge(locked, token, now)
    return token


# --------------------------------------------------------------------------- CSV import


@dataclass
class ImportRowResult:
    line: int
    action: str  # "created" | "updated" | "unchanged" | "rejected"
    key: str
    name: str
    reasons: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool
    unknown_columns: list[str]
    rows: list[ImportRowResult] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {
            action: self.count(action) for action in ("created", "updated", "unchanged", "rejected")
        }


class _RowRejected(Exception):
    pass


def _consent_event(attendee: Attendee, source: str, now: datetime.datetime) -> None:
    """The attendee's current lead-sharing decision, added to their consent history."""
    ConsentEvent.objects.create(
        attendee=attendee,
        given=attendee.lead_sharing,
        text_version=attendee.lead_sharing_text_version,
        source=source,
        at=now,
    )


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
            _consent_event(attendee, ConsentEvent.Source.IMPORT, now)
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
        _consent_event(attendee, ConsentEvent.Source.IMPORT, now)
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


def attendees_import(*, fair: Fair, content: bytes, dry_run: bool) -> ImportReport:
    """Import attendees from a ticketing CSV (see badges.importer). Each row is applied in
    its own savepoint, so a bad row never half-applies or stops the others; a dry run does
    everything and then rolls back, so its report is exactly what an import would do.

    Raises badges.importer.ImportFileError when the file as a whole cannot be read.
    """
    parsed = csv_parse(content)
    report = ImportReport(dry_run=dry_run, unknown_columns=parsed.unknown_columns)
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
