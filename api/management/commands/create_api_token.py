"""``manage.py create_api_token --exhibitor ID | --organizer USERNAME [--name NAME]``.

Creates a back-office API token and prints it once (only its hash is stored)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.v1.services import ApiTokenError, api_token_create
from exhibitors.models import Exhibitor


class Command(BaseCommand):
    help = "Create an API token for /api/v1/ and print it (it is stored only as a hash)."

    def add_arguments(self, parser):
        owner = parser.add_mutually_exclusive_group(required=True)
        owner.add_argument("--exhibitor", type=int, metavar="ID", help="exhibitor id")
        owner.add_argument("--organizer", metavar="USERNAME", help="a staff user's username")
        parser.add_argument("--name", default="", help="what the token is for, e.g. 'CRM sync'")

    def handle(self, *args, exhibitor=None, organizer=None, name="", **options):
        owner: dict = {}
        if exhibitor is not None:
            try:
                owner["exhibitor"] = Exhibitor.objects.get(pk=exhibitor)
            except Exhibitor.DoesNotExist as exc:
                raise CommandError(f"There is no exhibitor with id {exhibitor}.") from exc
            label = owner["exhibitor"].company_name
        else:
            user_model = get_user_model()
            try:
                owner["user"] = user_model.objects.get(**{user_model.USERNAME_FIELD: organizer})
            except user_model.DoesNotExist as exc:
                raise CommandError(f"There is no user {organizer!r}.") from exc
            label = organizer
        try:
            token, key = api_token_create(name=name or f"Token for {label}", **owner)
        except ApiTokenError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(f"Created API token “{token.name}” for {label}. It is shown only once:")
        self.stdout.write(key)
