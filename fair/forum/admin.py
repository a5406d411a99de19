"""The forum program in the back office (raw data): rooms, sessions with their speakers and
vote items. Organizers' daily work is on /organizer/forum/; voting is opened and closed only
there (``fair.forum.moderation``), so the state of an item is read-only here."""

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from fair.forum.program import SESSION_FIELDS
from fair.models import ForumSession, Room, Speaker, VoteItem


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "fair", "capacity", "position"]
    list_filter = ["fair"]
    search_fields = ["name"]
    list_select_related = ["fair"]


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 1
    fields = ["position", "name", "organization", "role"]


class VoteItemInline(admin.TabularInline):
    model = VoteItem
    extra = 1
    fields = ["position", "title_de", "title_en", "state", "opened_at", "closed_at"]
    readonly_fields = ["state", "opened_at", "closed_at"]


class ForumSessionAdminForm(forms.ModelForm):
    """The room and the topic must belong to the session's fair (as in the service)."""

    class Meta:
        model = ForumSession
        fields = ["fair", *SESSION_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        fair, room, topic = cleaned.get("fair"), cleaned.get("room"), cleaned.get("topic")
        if fair and room and room.fair_id != fair.pk:
            self.add_error("room", _("This room belongs to another fair."))
        if fair and topic and topic.area.fair_id != fair.pk:
            self.add_error("topic", _("This topic belongs to another fair."))
        return cleaned


@admin.register(ForumSession)
class ForumSessionAdmin(admin.ModelAdmin):
    form = ForumSessionAdminForm
    list_display = ["code", "title_de", "fair", "room", "starts_at", "ends_at", "topic"]
    list_filter = ["fair", "room", "topic"]
    search_fields = ["code", "title_de", "title_en", "pilot_project", "speakers__name"]
    list_select_related = ["fair", "room", "topic"]
    date_hierarchy = "starts_at"
    inlines = [SpeakerInline, VoteItemInline]
