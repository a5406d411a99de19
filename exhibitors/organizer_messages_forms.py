"""The form of the control room's exhibitor communication: the selection and the texts."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from exhibitors.message_selectors import MessageSelection
from exhibitors.models import Exhibitor, ExhibitorMessage
from exhibitors.services.messages import MessageTexts
from fair.models import Area, Fair


class FairField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Fair) -> str:
        return f"{obj.name} ({obj.starts_on:%d.%m.%Y})"


class AreaField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.name} · {obj.fair.name}"


class ExhibitorMessageForm(forms.Form):
    fair = FairField(label=_("Fair"), queryset=Fair.objects.order_by("-starts_on", "-pk"))
    area = AreaField(
        label=_("Area"),
        queryset=Area.objects.select_related("fair").order_by("fair__name", "name"),
        required=False,
        empty_label=_("all areas"),
    )
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("every state")), *Exhibitor.State.choices],
        required=False,
    )
    without_staff = forms.BooleanField(
        label=_("Only exhibitors who have not named any stand staff yet"), required=False
    )
    subject_de = forms.CharField(
        label=_("Subject (German)"), max_length=ExhibitorMessage.SUBJECT_MAX_LENGTH
    )
    body_de = forms.CharField(
        label=_("Text (German)"),
        max_length=ExhibitorMessage.BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    subject_en = forms.CharField(
        label=_("Subject (English)"),
        max_length=ExhibitorMessage.SUBJECT_MAX_LENGTH,
        required=False,
    )
    body_en = forms.CharField(
        label=_("Text (English)"),
        max_length=ExhibitorMessage.BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("Needed when a recipient reads English; they get this text."),
    )
    expected_count = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=1_000_000
    )
    # The selection the preview was made for: a send with another selection shows a new
    # preview instead of sending (same count, other people is still another selection).
    previewed = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject_de"].widget.attrs["lang"] = "de"
        self.fields["body_de"].widget.attrs["lang"] = "de"
        self.fields["subject_en"].widget.attrs["lang"] = "en"
        self.fields["body_en"].widget.attrs["lang"] = "en"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        area, fair = cleaned.get("area"), cleaned.get("fair")
        if area is not None and fair is not None and area.fair_id != fair.pk:
            self.add_error("area", _("This area belongs to another fair."))
        return cleaned

    def selection(self) -> MessageSelection:
        data = self.cleaned_data
        return MessageSelection(
            fair=data["fair"],
            area=data.get("area"),
            state=cast(str, data.get("state") or ""),
            without_staff=bool(data.get("without_staff")),
        )

    def selection_key(self) -> str:
        selection = self.selection()
        area = selection.area.pk if selection.area is not None else ""
        return f"{selection.fair.pk}:{area}:{selection.state}:{int(selection.without_staff)}"

    def texts(self) -> MessageTexts:
        data = self.cleaned_data
        return MessageTexts(
            subject_de=data["subject_de"],
            body_de=data["body_de"],
            subject_en=data.get("subject_en", ""),
            body_en=data.get("body_en", ""),
        )
