"""List filters of the exhibitor list: the review queue first, areas and topics by fair."""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Count, F, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from exhibitors.models import Exhibitor
from exhibitors.selectors import REVIEW_STATES
from fair.models import Area, Topic

if TYPE_CHECKING:
    from django.contrib.admin.filters import _ListFilterChoices
    from django.utils.functional import _StrPromise

State = Exhibitor.State


class ExhibitorStateFilter(admin.SimpleListFilter):
    """By default the list hides unconfirmed registrations: only registrations whose contact
    confirmed the email address reach the organizers' queue."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("review", _("awaiting review (submitted or waitlisted)")),
            *[(value, label) for value, label in State.choices],
            ("all", _("all, including unconfirmed")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Exhibitor]) -> QuerySet[Exhibitor]:
        value = self.value()
        if value is None:
            return queryset.exclude(state=State.UNCONFIRMED)
        if value == "review":
            return queryset.filter(state__in=REVIEW_STATES)
        if value == "all":
            return queryset
        return queryset.filter(state=value)

    def choices(self, changelist: Any) -> Iterator["_ListFilterChoices"]:
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("confirmed registrations (default)"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class AreaListFilter(admin.RelatedFieldListFilter):
    """Areas with their fair's name, read in one query."""

    def field_choices(
        self, field: Any, request: HttpRequest, model_admin: Any
    ) -> list[tuple[str, "str | _StrPromise"]]:
        return [
            (str(area.pk), str(area))
            for area in Area.objects.select_related("fair").order_by("fair__name", "name")
        ]


class TopicListFilter(admin.RelatedFieldListFilter):
    """Topics named with their area, since areas of different fairs share topic names."""

    def field_choices(
        self, field: Any, request: HttpRequest, model_admin: Any
    ) -> list[tuple[str, "str | _StrPromise"]]:
        return [
            (str(topic.pk), f"{topic.name} ({topic.area.name}, {topic.area.fair.name})")
            for topic in Topic.objects.select_related("area", "area__fair").order_by(
                "area__fair__name", "area__name", "position"
            )
        ]


class StaffQuotaFilter(admin.SimpleListFilter):
    """Exhibitors with more stand staff than their quota (e.g. after the quota was lowered)."""

    title = _("staff quota")
    parameter_name = "staff"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("over", _("more staff than the quota"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Exhibitor]) -> QuerySet[Exhibitor]:
        if self.value() != "over":
            return queryset
        return queryset.annotate(staff_over=Count("staff", distinct=True)).filter(
            staff_over__gt=F("staff_quota")
        )
