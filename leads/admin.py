"""Back office for scanner devices, questions, leads and scans: mostly read-only.

Leads and scans are written only by devices through ``leads.services``; devices are created
in the exhibitor portal or with ``manage.py create_scanner``. The one write here is the
"revoke" action, which calls ``device_revoke``.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from fair.admin_mixins import NoAddAdminMixin, ReadOnlyAdminMixin
from leads.models import (
    Attendance,
    ExportAuditEntry,
    Lead,
    LeadNote,
    Question,
    Scan,
    ScannerDevice,
)
from leads.services.devices import device_revoke


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(ScannerDevice)
class ScannerDeviceAdmin(ReadOnlyAdmin):
    list_display = (
        "label",
        "exhibitor",
        "room",
        "paired_name",
        "paired_at",
        "last_seen_at",
        "revoked_at",
    )
    list_filter = (
        "exhibitor__fair",
        ("room", admin.EmptyFieldListFilter),
        ("revoked_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("label", "paired_name", "exhibitor__company_name", "room__name")
    list_select_related = ("exhibitor", "room")
    fields = (
        "exhibitor",
        "room",
        "label",
        "paired_name",
        "created_at",
        "paired_at",
        "last_seen_at",
        "revoked_at",
    )
    actions = ["revoke"]

    def has_change_permission(self, request: HttpRequest, obj: ScannerDevice | None = None) -> bool:
        # Needed for the revoke action; every field stays read-only.
        return request.user.has_perm("leads.change_scannerdevice")

    def get_readonly_fields(
        self, request: HttpRequest, obj: ScannerDevice | None = None
    ) -> tuple[str, ...]:
        return self.fields

    @admin.action(description=_("Revoke selected devices"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ScannerDevice]) -> None:
        devices = list(queryset.filter(revoked_at__isnull=True))
        for device in devices:
            device_revoke(device=device)
        self.message_user(
            request,
            ngettext("%(count)d device revoked.", "%(count)d devices revoked.", len(devices))
            % {"count": len(devices)},
            messages.SUCCESS,
        )


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ("text", "exhibitor", "kind", "position", "removed_at")
    list_filter = ("kind", "exhibitor__fair")
    search_fields = ("text", "exhibitor__company_name")
    list_select_related = ("exhibitor",)


class LeadNoteInline(NoAddAdminMixin, admin.TabularInline):
    model = LeadNote
    fields = ("written_at", "text", "device", "author")
    readonly_fields = fields
    extra = 0
    can_delete = False


class ScanInline(NoAddAdminMixin, admin.TabularInline):
    model = Scan
    fields = ("scanned_at", "received_at", "device", "client_id", "created_lead")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Lead)
class LeadAdmin(ReadOnlyAdmin):
    list_display = ("attendee", "exhibitor", "scan_count", "rating", "last_scanned_at")
    list_filter = ("rating", "exhibitor__fair")
    search_fields = ("attendee__last_name", "attendee__company", "exhibitor__company_name")
    list_select_related = ("attendee", "exhibitor")
    date_hierarchy = "last_scanned_at"
    inlines = [LeadNoteInline, ScanInline]


@admin.register(Scan)
class ScanAdmin(ReadOnlyAdmin):
    list_display = ("client_id", "device", "lead", "scanned_at", "received_at", "created_lead")
    list_select_related = ("device", "lead", "lead__attendee", "lead__exhibitor")
    search_fields = ("client_id",)
    date_hierarchy = "received_at"


@admin.register(ExportAuditEntry)
class ExportAuditEntryAdmin(ReadOnlyAdmin):
    """The lead export log: who took which lead file, when, with how many rows (read only)."""

    list_display = (
        "at",
        "actor_label",
        "channel",
        "scope",
        "format",
        "exhibitor",
        "fair",
        "row_count",
        "completed",
    )
    list_filter = ("channel", "scope", "format", "completed", "fair")
    list_select_related = ("exhibitor", "fair")
    search_fields = ("actor_label", "exhibitor__company_name")
    date_hierarchy = "at"
    fields = (
        "at",
        "actor_label",
        "user",
        "channel",
        "scope",
        "format",
        "filters",
        "fair",
        "exhibitor",
        "area",
        "row_count",
        "completed",
    )
    readonly_fields = fields


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    """Session check-ins (organizers only; written by room devices through
    ``leads.services.checkin``)."""

    list_display = ("session", "attendee", "scanned_at", "device")
    list_filter = ("session__fair", "session__room")
    list_select_related = ("session", "attendee", "device")
    search_fields = ("session__code", "attendee__last_name")
    date_hierarchy = "scanned_at"
