"""List filters of the badge back office: "has this happened yet?" per date field."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy


class _HappenedFilter(admin.SimpleListFilter):
    """Yes/no on whether a date field is set."""

    date_field = ""
    no_label = gettext_lazy("no")

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", gettext_lazy("yes")), ("no", self.no_label)]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ("yes", "no"):
            return queryset.filter(**{f"{self.date_field}__isnull": self.value() == "no"})
        return queryset


class ConfirmedFilter(_HappenedFilter):
    title = gettext_lazy("email confirmed")
    parameter_name = "confirmed"
    date_field = "confirmed_at"


class ErasedFilter(_HappenedFilter):
    title = gettext_lazy("erased")
    parameter_name = "erased"
    date_field = "erased_at"


class PrintedFilter(_HappenedFilter):
    title = gettext_lazy("printed")
    parameter_name = "printed"
    date_field = "printed_at"
    no_label = gettext_lazy("not yet")
