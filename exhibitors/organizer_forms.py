"""The filter of the organizers' review queue: every value checked, a bad one reported and
left out, the others kept.

Fair, area and state travel in the URL (ids and codes). The search term may be a person's
name or email address, and URLs end up in logs and browser histories: it is posted, kept in
the session, and the URL only says ``search=1`` ("apply the session's search").
"""

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from exhibitors.models import Exhibitor
from exhibitors.review_selectors import NEED_STAFF, NEED_STAND, QUEUE_ALL, QUEUE_REVIEW
from fair.models import Area, Fair
from fair.text import text_normalize

SEARCH_MAX_LENGTH = 100
SEARCH_SESSION_KEY = "registrations_search"


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, area: Area) -> str:
        return f"{area.name} ({area.fair.name})"


class QueueFilterForm(forms.Form):
    fair = forms.ModelChoiceField(
        label=_("Fair"),
        queryset=Fair.objects.order_by("-starts_on", "-pk"),
        required=False,
        empty_label=_("all fairs"),
    )
    area = AreaChoiceField(
        label=_("Area"),
        queryset=Area.objects.select_related("fair").order_by("-fair__starts_on", "name"),
        required=False,
        empty_label=_("all areas"),
    )
    state = forms.ChoiceField(
        label=_("State"),
        choices=[
            (QUEUE_REVIEW, _("awaiting review (submitted or waitlisted)")),
            *Exhibitor.State.choices,
            (QUEUE_ALL, _("all, including unconfirmed")),
        ],
        required=False,
        initial=QUEUE_REVIEW,
    )
    need = forms.ChoiceField(
        label=_("Still to do"),
        choices=[
            ("", _("anything")),
            (NEED_STAND, _("approved, no stand yet")),
            (NEED_STAFF, _("more stand staff than the quota")),
        ],
        required=False,
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Company, VAT ID, contact name or email")}
        ),
    )

    def filters(self) -> dict[str, Any]:
        """The valid values as keyword arguments of ``exhibitors_for_queue``."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        fair = data.get("fair")
        area = data.get("area")
        return {
            "fair_id": fair.pk if fair is not None else None,
            "area_id": area.pk if area is not None else None,
            "state": data.get("state") or QUEUE_REVIEW,
            "search": text_normalize(" ".join((data.get("q") or "").split())),
            "need": data.get("need") or "",
        }

    def query(self) -> dict[str, str]:
        """The valid filter values as they go into a link (empty ones left out; a search as
        ``search=1`` only, never the term)."""
        filters = self.filters()
        query = {
            "fair": filters["fair_id"],
            "area": filters["area_id"],
            "state": filters["state"] if filters["state"] != QUEUE_REVIEW else None,
            "search": "1" if filters["search"] else None,
            "need": filters["need"] or None,
        }
        return {key: str(value) for key, value in query.items() if value}


def queue_filter_form(request: HttpRequest) -> QueueFilterForm:
    """The queue's filter as a page's URL gives it, with the session's search term when the
    URL asks for it (``search=1``); a ``q`` in a URL is ignored."""
    data = request.GET.copy()
    data.pop("q", None)
    if request.GET.get("search") == "1":
        data["q"] = request.session.get(SEARCH_SESSION_KEY, "")
    return QueueFilterForm(data)
