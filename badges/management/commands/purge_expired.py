"""``manage.py purge_expired [--days N] [--dry-run]``

Erases the personal data of every fair that ended more than N days ago (default: the setting
``FAIRLEAD_RETENTION_DAYS``, 180), and deletes stale rate-limit counters and pairing codes.
See ``badges.privacy.retention`` for exactly what is erased and what is kept. Safe to run every day:
fairs already purged are left as they are. Run it from cron, e.g.

    17 3 * * *  cd /srv/fairlead && .venv/bin/python manage.py purge_expired
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from badges.privacy.registry import count_label
from badges.privacy.retention import retention_days, retention_purge


class Command(BaseCommand):
    help = (
        "Erase attendees' personal data of fairs that ended more than the retention period "
        "ago (leads keep only their counts and times) and delete stale rate-limit counters "
        "and pairing codes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="days after a fair's last day (default: FAIRLEAD_RETENTION_DAYS, 180)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="report what would be erased, change nothing",
        )

    def handle(
        self, *args: object, days: int | None = None, dry_run: bool = False, **options: object
    ) -> None:
        if days is not None and days < 0:
            raise CommandError("--days cannot be negative.")
        report = retention_purge(days=days, dry_run=dry_run)
        prefix = "[dry run] " if dry_run else ""
        effective = report.days if days is not None else retention_days()
        self.stdout.write(f"{prefix}Retention period: {effective} days after a fair's last day.")
        for purge in report.fairs:
            head = f"{prefix}Fair {purge.fair_id} ({purge.fair_name}):"
            if not purge.changed:
                self.stdout.write(f"{head} nothing left to erase.")
                continue
            counts = purge.counts
            held = "".join(f"{value} {count_label(key)}, " for key, value in counts.held.items())
            self.stdout.write(
                f"{head} {counts.attendees} attendee(s) anonymized, "
                f"{purge.unconfirmed_deleted} unconfirmed registration(s) deleted, "
                f"{held}"
                f"{counts.badges_revoked} badge(s) revoked, "
                f"{counts.consents_withdrawn} consent(s) withdrawn, "
                f"{purge.staff_anonymized} staff member(s) and "
                f"{purge.exhibitor_contacts_anonymized} exhibitor contact(s) anonymized."
            )
        if not report.fairs:
            self.stdout.write(f"{prefix}No fair is past its retention period.")
        deleted = [
            f"{report.rate_limit_counters_deleted} rate-limit counter(s)",
            *(f"{value} {count_label(key)}" for key, value in report.stale_deleted.items()),
            f"{report.import_leftovers_deleted} leftover(s) of abandoned attendee imports",
        ]
        listed = f"{', '.join(deleted[:-1])} and {deleted[-1]}"
        self.stdout.write(f"{prefix}Housekeeping: {listed} deleted.")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
