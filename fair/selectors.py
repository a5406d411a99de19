import datetime

from django.db.models import QuerySet
from django.utils import timezone

from fair.models import Area, Fair, Stand


def areas_open_for_registration(*, now: datetime.datetime | None = None) -> QuerySet[Area]:
    now = now or timezone.now()
    return (
        Area.objects.select_related("fair", "hall")
        .filter(registration_opens_at__lte=now, registration_deadline__gt=now)
        .order_by("registration_deadline")
    )


def stands_free(*, area: Area) -> QuerySet[Stand]:
    return Stand.objects.filter(area=area, state=Stand.State.FREE, exhibitor__isnull=True)


def fairs_with_areas() -> QuerySet[Fair]:
    """Fairs that have at least one area (and so an exhibitor directory), newest first."""
    return Fair.objects.filter(areas__isnull=False).distinct().order_by("-starts_on", "-pk")
