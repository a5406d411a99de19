"""The intermediate forms of the exhibitor actions (stand, staff quota, note)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exhibitors.models import Exhibitor
from exhibitors.quota import staff_quota_for_size
from exhibitors.selectors import stand_best_fit, stands_free_for
from exhibitors.services.workflow import STAFF_QUOTA_MAX
from fair.models import Stand
from fair.units import sqm_number_format


class StandChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, stand: Stand) -> str:
        quota = staff_quota_for_size(stand.size_sqm)
        return ngettext(
            "%(number)s · %(size)s m² · %(type)s · %(quota)d staff badge",
            "%(number)s · %(size)s m² · %(type)s · %(quota)d staff badges",
            quota,
        ) % {
            "number": stand.number,
            "size": sqm_number_format(stand.size_sqm),
            "type": stand.get_type_display(),
            "quota": quota,
        }


class ActionForm(forms.Form):
    """The intermediate form of an action; ``exhibitor`` is given when exactly one is selected."""

    def __init__(self, *args: Any, exhibitor: Exhibitor | None = None, **kwargs: Any) -> None:
        self.exhibitor = exhibitor
        super().__init__(*args, **kwargs)


class NoteForm(ActionForm):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Stored in the audit log and included in the mail to the contact."),
    )


class ApproveForm(NoteForm):
    """For one exhibitor: pick the stand and optionally override the quota. For several:
    each gets the best-fitting free stand and the quota of its size."""

    def __init__(self, *args: Any, exhibitor: Exhibitor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, exhibitor=exhibitor, **kwargs)
        if exhibitor is None:
            return
        best = stand_best_fit(exhibitor=exhibitor)
        self.fields["stand"] = StandChoiceField(
            label=_("Stand"),
            queryset=stands_free_for(exhibitor=exhibitor),
            initial=best.pk if best else None,
            required=True,
            help_text=_("Free stands of the area, the best fit for %(sqm)d m² first.")
            % {"sqm": exhibitor.requested_sqm},
        )
        self.fields["staff_quota"] = forms.IntegerField(
            label=_("Staff quota"),
            required=False,
            min_value=0,
            max_value=STAFF_QUOTA_MAX,
            help_text=_("Leave empty to use the rule for the stand size."),
        )
        self.order_fields(["stand", "staff_quota", "note"])


class AssignStandForm(ActionForm):
    """Only for one exhibitor at a time (the action is single_only)."""

    def __init__(self, *args: Any, exhibitor: Exhibitor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, exhibitor=exhibitor, **kwargs)
        assert exhibitor is not None
        self.fields["stand"] = StandChoiceField(
            label=_("New stand"),
            queryset=stands_free_for(exhibitor=exhibitor),
            required=True,
            help_text=_(
                "The current stand becomes free; the staff quota follows the new stand's size."
            ),
        )


class StaffQuotaForm(NoteForm):
    staff_quota = forms.IntegerField(
        label=_("Staff quota"), min_value=0, max_value=STAFF_QUOTA_MAX, required=True
    )
    field_order = ["staff_quota", "note"]

    def __init__(self, *args: Any, exhibitor: Exhibitor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, exhibitor=exhibitor, **kwargs)
        self.fields["note"].help_text = _("Stored in the audit log.")
