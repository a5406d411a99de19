"""Forms of the visitor's privacy section on their badge page (they only validate)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from badges.consent import LEAD_SHARING_TEXT


class ConsentForm(forms.Form):
    """Give consent (the box must be ticked: never pre-ticked) or withdraw it."""

    decision = forms.ChoiceField(choices=[("give", "give"), ("withdraw", "withdraw")])
    agree = forms.BooleanField(label=LEAD_SHARING_TEXT, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "give" and not data.get("agree"):
            self.add_error("agree", _("Tick the box to agree, or leave the page."))
        return data

    @property
    def given(self) -> bool:
        return self.cleaned_data["decision"] == "give"


class ErasureForm(forms.Form):
    understood = forms.BooleanField(
        label=_(
            "I understand: once the organizers confirm, my badge and this link stop working "
            "and my data cannot be restored."
        ),
        error_messages={"required": _("Tick the box to confirm your request.")},
    )
