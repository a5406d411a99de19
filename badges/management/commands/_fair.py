"""Which fair a command works on: --fair SLUG, or the only current fair."""

from django.core.management.base import CommandError

from badges.selectors import fairs_open_for_visitors
from fair.models import Fair


def fair_for_command(slug: str | None) -> Fair:
    if slug:
        fair = Fair.objects.filter(slug=slug).first()
        if fair is None:
            raise CommandError(f"No fair with the slug {slug!r}.")
        return fair
    current = list(fairs_open_for_visitors()[:2])
    if len(current) == 1:
        return current[0]
    names = ", ".join(fair.slug for fair in fairs_open_for_visitors()) or "none"
    raise CommandError(f"Say which fair with --fair SLUG (current fairs: {names}).")
