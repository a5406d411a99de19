"""Attendees: list, edit, CSV import with a preview, reissue a lost badge."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from badges.admin.actions import print_issues, reissue
from badges.admin.filters import ConfirmedFilter, ErasedFilter
from badges.codes import short_code_display
from badges.models import Attendee, Badge, ConsentEvent
from badges.print_check import print_issue_text
from badges.services.issue import badge_issue
from fair.admin_mixins import NoAddAdminMixin, ReadOnlyAdminMixin, email_wrappable


class BadgeInline(NoAddAdminMixin, admin.TabularInline):
    model = Badge
    extra = 0
    can_delete = False
    fields = ("code", "state", "issued_at", "revoked_at", "printed_at")
    readonly_fields = fields
    ordering = ("-issued_at",)

    @admin.display(description=gettext_lazy("code"))
    def code(self, obj: Badge) -> str:
        return short_code_display(obj.short_code)


class ConsentEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ConsentEvent
    extra = 0
    can_delete = False
    fields = ("at", "given", "text_version", "source")
    readonly_fields = fields
    ordering = ("at", "id")
    verbose_name_plural = gettext_lazy("Consent history")


@admin.register(Attendee)
class AttendeeAdmin(admin.ModelAdmin):
    list_display = (
        "last_name",
        "first_name",
        "company",
        "category",
        "email_display",
        "lead_sharing",
        "confirmed_at",
        "badge_code",
    )
    list_display_links = ("last_name", "first_name")
    list_filter = ("fair", "category", "lead_sharing", ConfirmedFilter, ErasedFilter)
    list_select_related = ("fair",)
    search_fields = (
        "first_name",
        "last_name",
        "email",
        "company",
        "external_id",
        "badges__short_code",
    )
    readonly_fields = (
        "lead_sharing",
        "lead_sharing_at",
        "lead_sharing_text_version",
        "staff_member",
        "exhibitor",
        "created_at",
        "confirmed_at",
        "mail_sent_at",
        "erased_at",
        "badge_print",
    )
    fieldsets = (
        (None, {"fields": ("fair", "category", "external_id")}),
        (
            gettext_lazy("Person"),
            {
                "fields": (
                    ("first_name", "last_name"),
                    "company",
                    "job_title",
                    "badge_print",
                    "email",
                    "phone",
                    ("country", "postal_code"),
                    "language",
                    "topics",
                )
            },
        ),
        (
            gettext_lazy("Consent to share contact details (given by the person only)"),
            {"fields": ("lead_sharing", "lead_sharing_at", "lead_sharing_text_version")},
        ),
        (
            gettext_lazy("Record"),
            {
                "fields": (
                    "exhibitor",
                    "staff_member",
                    "created_at",
                    "confirmed_at",
                    "mail_sent_at",
                    "erased_at",
                )
            },
        ),
    )
    filter_horizontal = ("topics",)
    inlines = [BadgeInline, ConsentEventInline]
    actions = ["reissue_badges"]

    def get_inlines(
        self, request: HttpRequest, obj: Attendee | None
    ) -> list[type[InlineModelAdmin[Any, Any]]]:
        # A new attendee has no consent history yet: no empty formset on the add page.
        return self.inlines if obj is not None else [BadgeInline]

    change_list_template = "admin/badges/attendee/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attendee]:
        active = Badge.objects.filter(attendee=OuterRef("pk"), state=Badge.State.ACTIVE)
        return (
            super()
            .get_queryset(request)
            .annotate(active_code=Subquery(active.values("short_code")[:1]))
        )

    @admin.display(description=gettext_lazy("email"), ordering="email")
    def email_display(self, obj: Attendee) -> str:
        return email_wrappable(obj.email)

    @admin.display(description=gettext_lazy("badge"), ordering="active_code")
    def badge_code(self, obj: Attendee) -> str:
        code = getattr(obj, "active_code", None)  # annotated by get_queryset
        return short_code_display(code) if code else "—"

    @admin.display(description=gettext_lazy("On the badge"))
    def badge_print(self, obj: Attendee) -> str:
        issues = print_issues(obj)
        return " ".join(map(print_issue_text, issues)) if issues else _("Printed as stored.")

    @admin.action(description=gettext_lazy("Revoke and reissue the badge (lost badge)"))
    def reissue_badges(self, request: HttpRequest, queryset: QuerySet[Attendee]) -> None:
        reissue(self, request, queryset)

    def save_model(
        self, request: HttpRequest, obj: Attendee, form: forms.ModelForm[Attendee], change: bool
    ) -> None:
        for issue in print_issues(obj):
            messages.warning(request, print_issue_text(issue))
        super().save_model(request, obj, form, change)
        if not change:
            if obj.confirmed_at is None:
                obj.confirmed_at = timezone.now()
                obj.save(update_fields=["confirmed_at"])
            badge_issue(attendee=obj)

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="badges_attendee_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """The attendee import is the control room's wizard (a dry run of every row, chunk by
        chunk, for files up to the 50,000-row limit); this address leads there."""
        return redirect("organizer_attendees:import_upload")
