"""Forms of the organizers' program pages: they check and convert what was typed; the
services (``fair.forum.program``) write."""

import datetime
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from fair.forum.exceptions import ForumError
from fair.forum.lines import (
    ItemLine,
    SpeakerLine,
    items_format,
    items_parse,
    speakers_format,
    speakers_parse,
)
from fair.forum.program import SessionData, fair_zone
from fair.models import Fair, ForumSession, Room, Topic

SPEAKERS_HELP = _("One per line: Name (Organization, Role).")
ITEMS_HELP = _("The approaches the audience rates 1–5, one per line: German title | English title.")


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=100_000)
    position = forms.IntegerField(
        label=_("Position"), min_value=0, max_value=999, initial=0, required=False
    )


class SessionForm(forms.Form):
    code = forms.CharField(label=_("Number"), max_length=20, help_text=_("e.g. D1-03"))
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none())
    day = forms.TypedChoiceField(label=_("Day"), coerce=datetime.date.fromisoformat)
    start = forms.TimeField(label=_("Start"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("End"), widget=forms.TimeInput(attrs={"type": "time"}))
    title_de = forms.CharField(label=_("Title (German)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    abstract_de = forms.CharField(
        label=_("Abstract (German)"), max_length=4000, required=False, widget=forms.Textarea
    )
    abstract_en = forms.CharField(
        label=_("Abstract (English)"), max_length=4000, required=False, widget=forms.Textarea
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none(), required=False)
    pilot_project = forms.CharField(label=_("Pilot project"), max_length=200, required=False)
    speakers = forms.CharField(
        label=_("Speakers"), required=False, widget=forms.Textarea, help_text=SPEAKERS_HELP
    )
    items = forms.CharField(
        label=_("Vote items"), required=False, widget=forms.Textarea, help_text=ITEMS_HELP
    )

    def __init__(
        self, *args: Any, fair: Fair, session: ForumSession | None = None, **kwargs: Any
    ) -> None:
        if session is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(session)
        super().__init__(*args, **kwargs)
        self.fair = fair
        room_field, topic_field = self.fields["room"], self.fields["topic"]
        assert isinstance(room_field, forms.ModelChoiceField)
        assert isinstance(topic_field, forms.ModelChoiceField)
        room_field.queryset = Room.objects.filter(fair=fair)
        topic_field.queryset = Topic.objects.filter(area__fair=fair).select_related("area")
        days = [
            fair.starts_on + datetime.timedelta(days=offset)
            for offset in range((fair.ends_on - fair.starts_on).days + 1)
        ]
        day_field = self.fields["day"]
        assert isinstance(day_field, forms.ChoiceField)
        day_field.choices = [
            (day.isoformat(), date_format(day, "SHORT_DATE_FORMAT")) for day in days
        ]

    @staticmethod
    def initial_for(session: ForumSession) -> dict:
        zone = fair_zone(session.fair)
        start, end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
        return {
            "code": session.code,
            "room": session.room_id,
            "day": start.date().isoformat(),
            "start": start.time(),
            "end": end.time(),
            "title_de": session.title_de,
            "title_en": session.title_en,
            "abstract_de": session.abstract_de,
            "abstract_en": session.abstract_en,
            "topic": session.topic_id,
            "pilot_project": session.pilot_project,
            "speakers": speakers_format(
                [SpeakerLine(s.name, s.organization, s.role) for s in session.speakers.all()]
            ),
            "items": items_format(
                [ItemLine(i.title_de, i.title_en) for i in session.vote_items.all()]
            ),
        }

    def clean_speakers(self) -> list[SpeakerLine]:
        try:
            return speakers_parse(self.cleaned_data["speakers"])
        except ForumError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_items(self) -> list[ItemLine]:
        try:
            return items_parse(self.cleaned_data["items"])
        except ForumError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def session_data(self) -> SessionData:
        data = self.cleaned_data
        zone = fair_zone(self.fair)
        starts_at = datetime.datetime.combine(data["day"], data["start"], tzinfo=zone)
        ends_at = datetime.datetime.combine(data["day"], data["end"], tzinfo=zone)
        return SessionData(
            code=data["code"],
            room=data["room"],
            title_de=data["title_de"],
            title_en=data["title_en"],
            abstract_de=data["abstract_de"],
            abstract_en=data["abstract_en"],
            pilot_project=data["pilot_project"],
            topic=data["topic"],
            starts_at=starts_at,
            ends_at=ends_at,
            speakers=data["speakers"],
            items=data["items"],
        )


class ProgramImportForm(forms.Form):
    file = forms.FileField(
        label=_("Program (CSV)"),
        help_text=_("Saved from Excel as “CSV UTF-8” or “CSV (semicolon separated)”."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check every row, save nothing"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
