"""Retention: personal data of a fair is kept for ``FAIRLEAD_RETENTION_DAYS`` days (default
180) after its last day, then erased by ``manage.py purge_expired`` (run daily from cron).

Per expired fair, in one transaction:

* visitors who never confirmed their address are deleted (they have no badge and no lead);
* every other attendee is anonymised with ``badges.privacy.attendees_anonymise`` (names,
  contact data, topics, badge link gone, badges revoked, consent withdrawn); each lead keeps
  its exhibitor, scan times and scan count, its rating, tags, answers and notes are deleted;
  lead statistics (per exhibitor, day, hour, device) stay right;
* one privacy-log entry with the figures, and a log line.

Already purged people are skipped, so a second run changes nothing and logs nothing per fair.
A dry run does all of it and rolls back, so its figures are exactly what a real run would do.
The same command deletes rate-limit counters older than a day and pairing codes that expired
more than a day ago (they have no use after that).
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from badges.models import Attendee, ConsentEvent, PrivacyAuditEntry
from badges.privacy import AnonymiseCounts, attendees_anonymise
from fair.models import Fair
from fair.ratelimit import rate_limit_counters_purge

logger = logging.getLogger("fairlead.retention")

DEFAULT_RETENTION_DAYS = 180
HOUSEKEEPING_AGE = datetime.timedelta(days=1)


def retention_days() -> int:
    return int(getattr(settings, "FAIRLEAD_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def fairs_expired(*, days: int, today: datetime.date | None = None) -> QuerySet[Fair]:
    """Fairs whose last day is more than ``days`` days before ``today``, oldest first."""
    today = today or timezone.localdate()
    return Fair.objects.filter(ends_on__lt=today - datetime.timedelta(days=days)).order_by(
        "ends_on", "pk"
    )


@dataclass
class FairPurge:
    fair_id: int
    fair_name: str
    unconfirmed_deleted: int = 0
    counts: AnonymiseCounts = field(default_factory=AnonymiseCounts)

    @property
    def changed(self) -> bool:
        return bool(self.unconfirmed_deleted or any(self.counts.as_dict().values()))

    def as_dict(self) -> dict[str, int]:
        return {"unconfirmed_deleted": self.unconfirmed_deleted, **self.counts.as_dict()}


@dataclass
class RetentionReport:
    days: int
    dry_run: bool
    fairs: list[FairPurge] = field(default_factory=list)
    rate_limit_counters_deleted: int = 0
    pairing_codes_deleted: int = 0


def fair_purge(*, fair: Fair, now: datetime.datetime | None = None) -> FairPurge:
    """Erase the personal data of one fair (see the module docstring); idempotent."""
    now = now or timezone.now()
    result = FairPurge(fair_id=fair.pk, fair_name=fair.name)
    with transaction.atomic():
        unconfirmed = Attendee.objects.filter(
            fair=fair,
            category=Attendee.Category.VISITOR,
            confirmed_at__isnull=True,
            erased_at__isnull=True,
            leads__isnull=True,
            badges__isnull=True,
        )
        result.unconfirmed_deleted = (
            Attendee.objects.filter(pk__in=list(unconfirmed.values_list("pk", flat=True)))
            .delete()[1]
            .get("badges.Attendee", 0)
        )
        result.counts = attendees_anonymise(
            attendees=Attendee.objects.filter(fair=fair),
            source=ConsentEvent.Source.RETENTION,
            now=now,
        )
        if result.changed:
            PrivacyAuditEntry.objects.create(
                action=PrivacyAuditEntry.Action.RETENTION_PURGED,
                fair=fair,
                actor_label="purge_expired",
                details={"retention_days": retention_days(), **result.as_dict()},
            )
    return result


def _pairing_codes_purge(*, now: datetime.datetime) -> int:
    from leads.models import PairingCode

    return PairingCode.objects.filter(expires_at__lt=now - HOUSEKEEPING_AGE).delete()[0]


def retention_purge(
    *, days: int | None = None, dry_run: bool = False, now: datetime.datetime | None = None
) -> RetentionReport:
    """Purge every expired fair and the stale rate-limit counters and pairing codes.

    With ``dry_run`` everything runs inside one transaction that is rolled back: the report
    says what would happen and nothing is stored.
    """
    now = now or timezone.now()
    days = retention_days() if days is None else days
    if days < 0:
        raise ValueError("the retention period cannot be negative")
    report = RetentionReport(days=days, dry_run=dry_run)
    with transaction.atomic():
        for fair in fairs_expired(days=days, today=timezone.localdate(now)):
            purge = fair_purge(fair=fair, now=now)
            report.fairs.append(purge)
            if purge.changed:
                logger.info(
                    "%sretention purge of fair %s (%s): %s",
                    "[dry run] " if dry_run else "",
                    fair.pk,
                    fair.name,
                    purge.as_dict(),
                )
        report.rate_limit_counters_deleted = rate_limit_counters_purge(older_than=HOUSEKEEPING_AGE)
        report.pairing_codes_deleted = _pairing_codes_purge(now=now)
        if dry_run:
            transaction.set_rollback(True)
    return report
