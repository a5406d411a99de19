"""Forms of the control room's attendee desk, import wizard and privacy desk (the print run
form is ``badges.forms.PrintRunForm``, shared with the back office)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from badges.importer import FIELDS
from badges.models import Attendee
from badges.organizer_selectors import QUERY_MAX_LENGTH

FIELD_LABELS = {
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "email": _("Email"),
    "company": _("Company"),
    "job_title": _("Job title"),
    "phone": _("Phone"),
    "country": _("Country"),
    "postal_code": _("Postal code"),
    "category": _("Category"),
    "external_id": _("Ticket number"),
    "lead_sharing": _("Consent to share contact details"),
}
assert set(FIELD_LABELS) == set(FIELDS)


class AttendeeSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        help_text=_("Name, company, email or badge code"),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("all categories")), *Attendee.Category.choices],
    )
    printed = forms.ChoiceField(
        label=_("Printed"),
        required=False,
        choices=[
            ("", _("printed or not")),
            ("printed", _("printed")),
            ("not_printed", _("not printed")),
        ],
    )
    badge = forms.ChoiceField(
        label=_("Badge"),
        required=False,
        choices=[
            ("", _("any badge state")),
            ("active", _("active badge")),
            ("revoked", _("revoked, no active badge")),
            ("none", _("no badge")),
        ],
    )


class ImportMappingForm(forms.Form):
    """One choice per column of the file: the attendee field it fills, or none."""

    def __init__(
        self, *args: Any, header: list[str], initial_fields: dict[str, str], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.header = header
        choices = [("", _("— ignore this column —")), *FIELD_LABELS.items()]
        for index, name in enumerate(header):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=name or _("(column %(number)d without a name)") % {"number": index + 1},
                choices=choices,
                required=False,
                initial=initial_fields.get(name, ""),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        seen: dict[str, str] = {}
        for index, name in enumerate(self.header):
            target = cleaned.get(f"col_{index}", "")
            if not target:
                continue
            if target in seen:
                raise forms.ValidationError(
                    _("“%(field)s” is chosen for two columns: %(first)s and %(second)s.")
                    % {"field": FIELD_LABELS[target], "first": seen[target], "second": name}
                )
            seen[target] = name
        missing = [
            str(FIELD_LABELS[name])
            for name in ("first_name", "last_name", "email")
            if name not in seen
        ]
        if missing:
            raise forms.ValidationError(
                _("Choose a column for: %(fields)s.") % {"fields": ", ".join(missing)}
            )
        return cleaned

    def mapping(self) -> dict[str, str]:
        """header → field ("" leaves the column out), as ``badges.importer.csv_parse`` takes it."""
        return {
            name: cast(str, self.cleaned_data.get(f"col_{index}", ""))
            for index, name in enumerate(self.header)
        }


class ErasureRejectForm(forms.Form):
    note = forms.CharField(
        label=_("Reason (the person is told it by mail)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
