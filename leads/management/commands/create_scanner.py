"""Pre-provision a scanner device: ``manage.py create_scanner --exhibitor ID --label TEXT``.

Prints the device token once (it is stored only as a hash). Enter it on the device, or hand
out the phone already paired.
"""

from django.core.management.base import BaseCommand, CommandError

from exhibitors.models import Exhibitor
from leads.exceptions import LeadsError
from leads.services.devices import device_provision


class Command(BaseCommand):
    help = "Create a paired scanner device for an approved exhibitor and print its token."

    def add_arguments(self, parser):
        parser.add_argument("--exhibitor", type=int, required=True, help="Exhibitor id")
        parser.add_argument("--label", required=True, help='Device name, e.g. "Stand phone 1"')

    def handle(self, *args, exhibitor: int, label: str, **options):
        found = Exhibitor.objects.filter(pk=exhibitor).first()
        if found is None:
            raise CommandError(f"There is no exhibitor with id {exhibitor}.")
        if not label.strip():
            raise CommandError("The label must not be empty.")
        try:
            credentials = device_provision(exhibitor=found, label=label)
        except LeadsError as error:
            raise CommandError(str(error.detail)) from error
        device = credentials.device
        if options["verbosity"] >= 1:
            self.stderr.write(
                f"Scanner device {device.pk} '{device.label}' for {found.company_name}. "
                "The token is shown only now:"
            )
        self.stdout.write(credentials.token)
