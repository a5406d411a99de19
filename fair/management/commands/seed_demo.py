from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fair.demo import demo_seed


class Command(BaseCommand):
    help = "Load the demo fair (Elektrotechnik 2019, Smart City area). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo even with DJANGO_DEBUG off (it has well-known demo passwords).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "The demo has well-known passwords; refusing with DJANGO_DEBUG off "
                "(pass --allow-production to load it anyway)."
            )
        logins = demo_seed()
        self.stdout.write(self.style.SUCCESS("Demo fair ready: Elektrotechnik 2019, Smart City."))
        self.stdout.write(f"  Organizer login (admin at /admin/): {logins['organizer']}")
        self.stdout.write(f"  Exhibitor login (portal at /exhibitor/): {logins['exhibitor']}")
