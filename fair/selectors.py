import datetime

from django.db.models import QuerySet
from django.utils import timezone

from fair.models import Area, Stand


def areas_open_for_registration(*, now: datetime.datetime | None = None) -> QuerySet[Area]:
    now = now or timezone.now()
    return (
        Area.objects.select_related("fair", "hall")
        .filter(registration_opens_at__lte=now, registration_deadline__gt=now)
        .order_by("registration_deadline")
    )


def stands_free(*, area: Area) -> QuerySet[Stand]:
    return Stand.objects.filter(area=area, state=Stand.State.FREE, exhibitor__isnull=True)
