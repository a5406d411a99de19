"""``manage.py seed_demo``: the demo in the highest app it needs (leads), so that every import
of the seeding goes downwards; each app seeds its own part (``<app>/demo.py``)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from leads.demo import demo_seed


class Command(BaseCommand):
    help = (
        "Load the demo: Elektrotechnik 2019 (Smart City area) and an upcoming edition. "
        "Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo even with DJANGO_DEBUG off (it has well-known demo passwords).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "The demo has well-known passwords; refusing with DJANGO_DEBUG off "
                "(pass --allow-production to load it anyway)."
            )
        logins = demo_seed()
        self.stdout.write(self.style.SUCCESS("Demo ready: Elektrotechnik 2019 and the next one."))
        for label, key in (
            ("Organizer (control room /organizer/, back office /admin/)", "organizer"),
            ("Exhibitor, upcoming fair (portal /exhibitor/)", "exhibitor"),
            ("Exhibitor, 2019 fair (historical, read-only)", "exhibitor_2019"),
        ):
            self.stdout.write(f"  {label}: {logins[key]}")
