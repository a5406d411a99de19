"""Forms of the portal pages for scanner devices and qualifying questions (validation only)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from leads.lead_forms import LeadDataErrorsMixin
from leads.models import Question
from leads.services.questions import CHOICE_MAX_LENGTH, CHOICES_MAX


class DeviceForm(forms.Form):
    label = forms.CharField(
        label=_("Device name"),
        max_length=80,
        help_text=_('A name your team recognizes, e.g. "Stand phone 1".'),
    )


class QuestionForm(LeadDataErrorsMixin, forms.Form):
    text = forms.CharField(label=_("Question"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=Question.Kind.choices)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For single and multiple choice: one choice per line."),
    )

    def clean_choices(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["choices"].splitlines()]
        return [line for line in lines if line]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind, choices = cleaned.get("kind"), cleaned.get("choices") or []
        if kind in {Question.Kind.SINGLE, Question.Kind.MULTIPLE}:
            distinct = {choice.casefold() for choice in choices}
            if len(distinct) < 2:
                self.add_error(
                    "choices", _("A choice question needs at least two different choices.")
                )
            elif len(choices) > CHOICES_MAX or any(len(c) > CHOICE_MAX_LENGTH for c in choices):
                self.add_error(
                    "choices",
                    _("At most %(count)d choices of up to %(length)d characters each.")
                    % {"count": CHOICES_MAX, "length": CHOICE_MAX_LENGTH},
                )
        return cleaned

    @classmethod
    def initial_for(cls, question: Question) -> dict:
        return {
            "text": question.text,
            "kind": question.kind,
            "choices": "\n".join(question.choices),
        }
