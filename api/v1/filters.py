"""Query-parameter filters of ``/api/v1/`` lists, as django-filter FilterSets.

Each parameter is parsed and validated by a form field (ids as whole numbers the database can
hold, choices from the models, ``since`` with an offset and within a sane window, no NUL
characters in text); a bad value raises 422 ``validation_error`` naming the parameter, it is
never silently ignored. DRF's schema generator lists the parameters from these FilterSets.
"""

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from api.params import since_clean
from badges.models import Attendee
from exhibitors.models import Exhibitor
from fair.models import Area, Fair, Stand
from leads import reports
from leads.models import Lead

ID_MAX = 2**63 - 1  # the largest id the database can hold


class _IdField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=ID_MAX, **kwargs)


class IdFilter(filters.NumberFilter):
    """An object id: a whole number from 1 to the largest id the database holds."""

    field_class = _IdField


class _StrictBooleanField(forms.TypedChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        choices = [(text, text) for text in ("true", "false", "1", "0", "yes", "no")]
        super().__init__(
            choices=choices, coerce=lambda text: text in {"true", "1", "yes"}, **kwargs
        )

    def clean(self, value: Any) -> Any:
        return super().clean(value.lower() if isinstance(value, str) else value)


class StrictBooleanFilter(filters.Filter):
    """true/false (also 1/0, yes/no); anything else is an error, not "no filter"."""

    field_class = _StrictBooleanField


class _SinceField(forms.CharField):
    """An ISO 8601 date-time with offset, between 2000-01-01 and tomorrow (``since_clean``)."""

    def to_python(self, value: Any) -> datetime.datetime | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        # A "+" in a query string arrives as a space when the client did not encode it.
        parsed = parse_datetime(text.replace(" ", "+"))
        if parsed is None or parsed.tzinfo is None:
            raise forms.ValidationError(
                _("Give an ISO 8601 date-time with offset, e.g. 2019-02-13T09:00:00+01:00.")
            )
        try:
            return since_clean(parsed, time_zone="UTC")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class SinceFilter(filters.Filter):
    field_class = _SinceField


class AreaFilter(filters.FilterSet):
    fair = IdFilter(field_name="fair_id", label=_("Only areas of this fair (id)."))

    class Meta:
        model = Area
        fields: list[str] = []


class StandFilter(filters.FilterSet):
    area = IdFilter(field_name="area_id", label=_("Only stands of this area (id)."))
    state = filters.ChoiceFilter(choices=Stand.State.choices, label=_("Only stands in this state."))

    class Meta:
        model = Stand
        fields: list[str] = []


class ExhibitorFilter(filters.FilterSet):
    state = filters.ChoiceFilter(
        choices=Exhibitor.State.choices, label=_("Only exhibitors in this state.")
    )
    fair = IdFilter(field_name="fair_id", label=_("Only exhibitors of this fair (id)."))
    area = IdFilter(field_name="area_id", label=_("Only exhibitors of this area (id)."))

    class Meta:
        model = Exhibitor
        fields: list[str] = []


class AttendeeFilter(filters.FilterSet):
    fair = IdFilter(field_name="fair_id", label=_("Only attendees of this fair (id)."))
    category = filters.ChoiceFilter(
        choices=Attendee.Category.choices, label=_("Only this category.")
    )
    lead_sharing = StrictBooleanFilter(
        label=_(
            "Only attendees who do (true) or do not (false) share their details with exhibitors."
        )
    )
    q = filters.CharFilter(
        method="search", label=_("Search in first name, last name, company and email.")
    )

    class Meta:
        model = Attendee
        fields: list[str] = []

    def search(self, queryset: QuerySet[Attendee], name: str, value: str) -> QuerySet[Attendee]:
        for word in value.split():
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(company__icontains=word)
                | Q(email__icontains=word)
            )
        return queryset


class LeadFilter(filters.FilterSet):
    """The same filters as the lead downloads (``leads.reports.leads_filter``)."""

    exhibitor = IdFilter(method="_by_form", label=_("Only leads of this exhibitor (id)."))
    rating = filters.ChoiceFilter(
        method="_by_form",
        choices=[(value, value) for value in ("hot", "warm", "cold", "none")],
        label=_("Only leads with this rating (none: not rated)."),
    )
    since = SinceFilter(
        method="_by_form",
        label=_(
            "Only leads created or changed at or after this ISO 8601 date-time with offset, "
            "e.g. 2019-02-13T09:00:00+01:00 (from 2000-01-01 to tomorrow)."
        ),
    )
    tag = filters.CharFilter(method="_by_form", label=_("Only leads with this tag."))

    class Meta:
        model = Lead
        fields: list[str] = []

    def _by_form(self, queryset: QuerySet[Lead], name: str, value: Any) -> QuerySet[Lead]:
        return queryset  # all of them at once in filter_queryset

    def filter_queryset(self, queryset: QuerySet[Lead]) -> QuerySet[Lead]:
        values = self.form.cleaned_data
        return reports.leads_filter(
            leads=queryset,
            exhibitor=values.get("exhibitor"),
            rating=values.get("rating") or None,
            tag=values.get("tag") or None,
            changed_since=values.get("since"),
        )


class StatisticsFilter(filters.FilterSet):
    fair = IdFilter(field_name="pk", label=_("The fair (organizers; default: the latest)."))

    class Meta:
        model = Fair
        fields: list[str] = []
