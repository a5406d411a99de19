from django.db import IntegrityError, transaction

from badges.codes import secret_generate, short_code_generate
from badges.models import Attendee, Badge

_ISSUE_ATTEMPTS = 5


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
