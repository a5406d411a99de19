"""Forms of the exhibitor's lead pages: the list filter, the lead edit form and the note edit
form."""

import datetime
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from leads.exceptions import LeadDataInvalid
from leads.models import Lead
from leads.services.lead_data import NOTE_MAX_LENGTH


class LeadDataErrorsMixin:
    """Shows a service's ``LeadDataInvalid`` on the form: each message on its field, or on
    the whole form when the form has no field of that name."""

    def add_errors_of(self, error: LeadDataInvalid) -> None:
        assert isinstance(self, forms.Form)
        for field, messages in error.fields.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)


TAG_MAX_LENGTH = 40


class LeadFilterForm(forms.Form):
    """Filters of the leads table (GET). Choices come from the exhibitor's own data."""

    q = forms.CharField(
        label=_("Search name or company"), required=False, max_length=100, strip=True
    )
    rating = forms.ChoiceField(label=_("Rating"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    day = forms.ChoiceField(label=_("Day"), required=False)
    device = forms.ChoiceField(label=_("Scanner device"), required=False)

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        days: list[datetime.date],
        tags: list[str],
        devices: list[tuple[int, str]],
    ) -> None:
        super().__init__(data)
        everything = [("", _("all"))]
        self._choices(
            "rating",
            [
                *everything,
                *Lead.Rating.choices,
                ("none", _("not rated")),
            ],
        )
        self._choices("tag", [*everything, *((tag, tag) for tag in tags)])
        self._choices(
            "day",
            [
                *everything,
                *(
                    (
                        day.isoformat(),
                        f"{formats.date_format(day, 'D')}, "
                        f"{formats.date_format(day, 'SHORT_DATE_FORMAT')}",
                    )
                    for day in days
                ),
            ],
        )
        self._choices(
            "device",
            [
                *everything,
                *((str(pk), label) for pk, label in devices),
            ],
        )

    def _choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def filters(self) -> dict:
        """Keyword arguments for ``leads.reports.leads_filter`` (empty when invalid)."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "search": data["q"],
            "rating": data["rating"] or None,
            "tag": data["tag"] or None,
            "day": datetime.date.fromisoformat(data["day"]) if data["day"] else None,
            "device": int(data["device"]) if data["device"] else None,
        }

    @property
    def active(self) -> bool:
        return any(value not in (None, "") for value in self.filters().values())


class LeadEditForm(LeadDataErrorsMixin, forms.Form):
    """Rating, new tags and a new note for one lead (saved by ``leads.services.lead_update``).

    Ratings are replaced, tags are added to the lead's tags, a note is appended with the
    author and time; nothing is ever overwritten with an empty value.
    """

    rating = forms.ChoiceField(
        label=_("Rating"), choices=[("", _("keep as it is")), *Lead.Rating.choices], required=False
    )
    tags = forms.CharField(
        label=_("Add tags"),
        required=False,
        max_length=400,
        help_text=_("Separate tags with commas, e.g. “callback, quote”."),
    )
    note = forms.CharField(
        label=_("Add a note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_tags(self) -> list[str]:
        tags: list[str] = []
        for part in self.cleaned_data["tags"].split(","):
            tag = " ".join(part.split())
            if not tag:
                continue
            if len(tag) > TAG_MAX_LENGTH:
                raise forms.ValidationError(
                    _("A tag has at most %(max)d characters.") % {"max": TAG_MAX_LENGTH}
                )
            if tag.casefold() not in {existing.casefold() for existing in tags}:
                tags.append(tag)
        return tags

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (
            data.get("rating") or data.get("tags") or (data.get("note") or "").strip()
        ):
            raise forms.ValidationError(_("Choose a rating, add a tag or write a note."))
        return data


class NoteEditForm(LeadDataErrorsMixin, forms.Form):
    """A new text for an existing note (saved by ``leads.services.lead_edit``)."""

    text = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
