"""Forms of the organizers' check-in pages (validation only)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from badges.privacy.checkin_notice import EXPORT_PURPOSES
from fair.models import Fair, Room


class RoomDeviceForm(forms.Form):
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none())
    label = forms.CharField(
        label=_("Device name"),
        max_length=80,
        help_text=_('A name the door team recognizes, e.g. "Saal A, door 1".'),
    )

    def __init__(self, *args: Any, fair: Fair, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(fair=fair)  # type: ignore[attr-defined]


class AttendanceExportForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Purpose of this export"),
        choices=list(EXPORT_PURPOSES.items()),
        widget=forms.RadioSelect,
        help_text=_("Only these purposes are stated in the privacy notice. The export is logged."),
    )
