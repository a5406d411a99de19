"""Forms of the organizers' hall plan pages: a stand, a plan import, a staff quota override.
They only parse and check input; exhibitors.services.stand_plan and .workflow write."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from exhibitors.services.workflow import STAFF_QUOTA_MAX
from exhibitors.stand_import import MAX_POSITION_M, MAX_PRICE, MAX_SIZE_M
from fair.csvfile import MAX_BYTES
from fair.models import SIDES, Stand

SIDE_CHOICES = [("N", _("North")), ("E", _("East")), ("S", _("South")), ("W", _("West"))]


def _metres(label: Any, *, minimum: Decimal, maximum: Decimal) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=6,
        decimal_places=2,
        min_value=minimum,
        max_value=maximum,
        localize=True,
    )


class StandForm(forms.Form):
    number = forms.CharField(
        label=_("stand number"), max_length=Stand._meta.get_field("number").max_length
    )
    x_m = _metres(_("x (m)"), minimum=Decimal("0"), maximum=MAX_POSITION_M)
    y_m = _metres(_("y (m)"), minimum=Decimal("0"), maximum=MAX_POSITION_M)
    width_m = _metres(_("width (m)"), minimum=Decimal("1"), maximum=MAX_SIZE_M)
    depth_m = _metres(_("depth (m)"), minimum=Decimal("1"), maximum=MAX_SIZE_M)
    open_sides = forms.MultipleChoiceField(
        label=_("Open sides"),
        choices=SIDE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("1 open side: row stand, 2: corner, 3: head, 4: island. North is up."),
    )
    price_per_sqm = forms.DecimalField(
        label=_("price per m² (EUR)"),
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=MAX_PRICE,
        localize=True,
    )

    def clean_number(self) -> str:
        number = " ".join(self.cleaned_data["number"].split())
        if not number:
            raise forms.ValidationError(_("Give the stand number."))
        return number

    def clean_open_sides(self) -> str:
        chosen = self.cleaned_data["open_sides"]
        return "".join(side for side in SIDES if side in chosen)

    @classmethod
    def initial_for(cls, stand: Stand) -> dict[str, Any]:
        return {
            "number": stand.number,
            "x_m": stand.x_m,
            "y_m": stand.y_m,
            "width_m": stand.width_m,
            "depth_m": stand.depth_m,
            "open_sides": list(stand.open_sides),
            "price_per_sqm": stand.price_per_sqm,
        }


class StandPlanImportForm(forms.Form):
    file = forms.FileField(
        label=_("Stand plan (CSV)"),
        help_text=_("Saved from Excel as “CSV UTF-8” or “CSV (semicolon separated)”."),
    )
    default_price = forms.DecimalField(
        label=_("Price per m² (EUR) for new stands"),
        required=False,
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=MAX_PRICE,
        localize=True,
        help_text=_("Used for new stands when the file has no price column."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check every row, save nothing"), required=False, initial=True
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.") % {"limit": MAX_BYTES // 1048576}
            )
        return upload


class StaffQuotaForm(forms.Form):
    staff_quota = forms.IntegerField(
        label=_("staff badge quota"),
        validators=[MinValueValidator(0), MaxValueValidator(STAFF_QUOTA_MAX)],
    )
    reason = forms.CharField(
        label=_("reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required: the exhibitor's audit trail keeps it."),
    )

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(_("Give a reason for the override."))
        return reason
