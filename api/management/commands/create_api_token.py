"""``manage.py create_api_token --exhibitor ID | --organizer USERNAME [--name NAME]``.

Creates a back-office API token and prints it once (only its hash is stored)."""

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from api.v1.services import ApiTokenError, api_token_create
from exhibitors.models import Exhibitor


class Command(BaseCommand):
    help = "Create an API token for /api/v1/ and print it (it is stored only as a hash)."

    def add_arguments(self, parser: CommandParser) -> None:
        owner = parser.add_mutually_exclusive_group(required=True)
        owner.add_argument("--exhibitor", type=int, metavar="ID", help="exhibitor id")
        owner.add_argument("--organizer", metavar="USERNAME", help="a staff user's username")
        parser.add_argument("--name", default="", help="what the token is for, e.g. 'CRM sync'")

    def handle(
        self,
        *args: Any,
        exhibitor: int | None = None,
        organizer: str | None = None,
        name: str = "",
        **options: Any,
    ) -> None:
        owner: dict[str, Any] = {}
        if exhibitor is not None:
            try:
                owner["exhibitor"] = Exhibitor.objects.get(pk=exhibitor)
            except Exhibitor.DoesNotExist as exc:
                raise CommandError(f"There is no exhibitor with id {exhibitor}.") from exc
            label = owner["exhibitor"].company_name
        else:
            try:
                owner["user"] = User.objects.get(username=organizer)
            except User.DoesNotExist as exc:
                raise CommandError(f"There is no user {organizer!r}.") from exc
            label = str(organizer)
        try:
            token, key = api_token_create(name=name or f"Token for {label}", **owner)
        except ApiTokenError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(f"Created API token “{token.name}” for {label}. It is shown only once:")
        self.stdout.write(key)
