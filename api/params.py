"""Query parameters both APIs share."""

import datetime
import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext as _

from leads.models import TIME_MIN

# A `since` may lie this far in the future (clocks differ); beyond it nothing can match.
SINCE_FUTURE_TOLERANCE = datetime.timedelta(days=1)


def since_clean(value: datetime.datetime, *, time_zone: str) -> datetime.datetime:
    """A ``since`` parameter as an aware time between ``TIME_MIN`` (2000-01-01) and now
    plus a day; a time without offset is read in ``time_zone``. Raises ``ValueError`` with a
    message for people otherwise (the APIs answer 422): year 1 or 9999 with an offset is not a
    time Python or the database can compare, and no lead is older than 2000."""
    latest = timezone.now() + SINCE_FUTURE_TOLERANCE
    message = _("Give a time between %(earliest)s and %(latest)s.") % {
        "earliest": TIME_MIN.date().isoformat(),
        "latest": latest.date().isoformat(),
    }
    # The year is checked before any arithmetic, which would overflow for such values.
    if not TIME_MIN.year <= value.year <= latest.year:
        raise ValueError(message)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, zoneinfo.ZoneInfo(time_zone))
    if not TIME_MIN <= value <= latest:
        raise ValueError(message)
    return value
