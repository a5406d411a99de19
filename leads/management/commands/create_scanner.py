"""Register a scanner device: ``manage.py create_scanner --exhibitor ID --label TEXT``.

Prints the pairing link and code for the new device, exactly what the portal shows: open the
link on the phone (or type the code on /scan/) within 15 minutes and the scanner page pairs.
With ``--token`` the device is paired at once instead and its API token printed (for scripts
and integrations that call the scan API themselves; the scanner page cannot use a token).
Either secret is printed once; the database keeps only its hash.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from exhibitors.models import Exhibitor
from leads.device_views import pairing_link
from leads.exceptions import LeadsError
from leads.services.devices import device_create, device_pairing_code_create, device_provision
from leads.tokens import pairing_code_display


class Command(BaseCommand):
    help = "Register a scanner device for an approved exhibitor and print its pairing link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--exhibitor", type=int, required=True, help="Exhibitor id")
        parser.add_argument("--label", required=True, help='Device name, e.g. "Stand phone 1"')
        parser.add_argument(
            "--token",
            action="store_true",
            help="Pair the device at once and print its API token instead (for scripts).",
        )

    def handle(self, *args: Any, exhibitor: int, label: str, token: bool, **options: Any) -> None:
        found = Exhibitor.objects.filter(pk=exhibitor).first()
        if found is None:
            raise CommandError(f"There is no exhibitor with id {exhibitor}.")
        if not label.strip():
            raise CommandError("The label must not be empty.")
        try:
            if token:
                credentials = device_provision(exhibitor=found, label=label)
            else:
                with transaction.atomic():
                    device = device_create(exhibitor=found, label=label)
                    issued = device_pairing_code_create(device=device)
        except LeadsError as error:
            raise CommandError(str(error.detail)) from error
        if token:
            device = credentials.device
            if options["verbosity"] >= 1:
                self.stderr.write(
                    f"Scanner device {device.pk} '{device.label}' for {found.company_name}. "
                    "The API token is shown only now:"
                )
            self.stdout.write(credentials.token)
            return
        if options["verbosity"] >= 1:
            until = timezone.localtime(issued.expires_at).strftime("%H:%M")
            self.stderr.write(
                f"Scanner device {device.pk} '{device.label}' for {found.company_name}. "
                f"Open the link on the phone, or type the code on the scanner page, before "
                f"{until}; it works once."
            )
        self.stdout.write(f"Pairing link: {pairing_link(settings.FAIRLEAD_BASE_URL, issued.code)}")
        self.stdout.write(f"Pairing code: {pairing_code_display(issued.code)}")
