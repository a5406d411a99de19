"""The exhibitor list (the organizers' review queue) and change form."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import models
from django.db.models import Count, ManyToManyField, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from exhibitors.admin.actions import (
    ACTIONS,
    ExhibitorAction,
    _about,
    _make_admin_action,
    admin_user,
)
from exhibitors.admin.filters import (
    AreaListFilter,
    ExhibitorStateFilter,
    StaffQuotaFilter,
    TopicListFilter,
)
from exhibitors.admin.records import AuditTransitionMixin
from exhibitors.audit_text import audit_entry_text
from exhibitors.exceptions import ExhibitorError
from exhibitors.models import CoExhibitor, Exhibitor, ExhibitorAuditEntry, StaffMember
from exhibitors.services.workflow import exhibitor_delete
from fair.admin_mixins import NoAddAdminMixin, ReadOnlyAdminMixin
from fair.models import Topic
from fair.units import sqm_format


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


class CoExhibitorInline(ReadOnlyInline):
    model = CoExhibitor
    fields = readonly_fields = ("name", "website")


class StaffMemberInline(ReadOnlyInline):
    model = StaffMember
    fields = readonly_fields = ("first_name", "last_name", "email", "role", "created_at")
    show_change_link = True


class AuditEntryInline(AuditTransitionMixin, ReadOnlyInline):
    model = ExhibitorAuditEntry
    fields = readonly_fields = ("at", "what", "audit_transition", "note")
    ordering = ["-at", "-id"]

    @admin.display(description=_("what happened"))
    def what(self, entry: ExhibitorAuditEntry) -> str:
        return audit_entry_text(entry=entry)


@admin.register(Exhibitor)
class ExhibitorAdmin(NoAddAdminMixin, admin.ModelAdmin):
    """Registrations come in through the public form with its double opt-in, never by hand."""

    list_display = [
        "company_name",
        "area",
        "state_badge",
        "stand_display",
        "requested_sqm",
        "staff_usage",
        "confirmed_at",
    ]
    list_display_links = ["company_name"]
    list_filter = [
        ExhibitorStateFilter,
        "fair",
        ("area", AreaListFilter),
        # Only the countries exhibitors come from, not all 249.
        ("country", CountryFilter),
        ("topics", TopicListFilter),
        StaffQuotaFilter,
    ]
    search_fields = ["company_name", "vat_id", "contact_email", "contact_name"]
    search_help_text = _("Company, VAT ID, contact email or contact name")
    list_select_related = ["fair", "area", "area__fair", "stand"]
    date_hierarchy = "confirmed_at"
    list_per_page = 50
    filter_horizontal = ["topics"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [CoExhibitorInline, StaffMemberInline, AuditEntryInline]
    actions = [_make_admin_action(action) for action in ACTIONS.values()]
    readonly_fields = [
        "fair",
        "area",
        "state",
        "stand",
        "staff_quota",
        "staff_usage",
        "terms_accepted_at",
        "terms_version",
        "privacy_accepted_at",
        "privacy_version",
        "created_at",
        "confirmed_at",
        "updated_at",
        "directory_listed",
        "public_logo",
        "public_catalog_text",
        "public_website",
        "public_email",
        "directory_hidden",
    ]
    fieldsets = [
        (
            _("Workflow"),
            {
                "fields": [
                    ("fair", "area"),
                    ("state", "stand"),
                    ("staff_quota", "staff_usage"),
                    ("created_at", "confirmed_at", "updated_at"),
                ],
                "description": _(
                    "State, stand and staff quota change only through the actions in the "
                    "exhibitor list (approve, waitlist, reject, withdraw, assign another stand, "
                    "override the staff quota), so that each change is logged and mailed."
                ),
            },
        ),
        (
            _("Company"),
            {
                "fields": [
                    "company_name",
                    "legal_form",
                    "street",
                    ("postal_code", "city"),
                    "country",
                    ("vat_id", "tax_number"),
                    "website",
                    "phone",
                ]
            },
        ),
        (
            _("Contact person"),
            {
                "fields": [
                    "contact_name",
                    "contact_email",
                    ("contact_phone", "contact_position"),
                    "language",
                ]
            },
        ),
        (
            _("Stand request and catalog"),
            {
                "fields": [
                    ("requested_sqm", "preferred_stand_type", "wants_corner"),
                    "topics",
                    "catalog_text",
                    "catalog_text_en",
                    "logo",
                ]
            },
        ),
        (
            _("Public exhibitor directory"),
            {
                "fields": [
                    ("directory_listed", "directory_hidden"),
                    ("public_logo", "public_catalog_text", "public_website"),
                    "public_email",
                ],
                "description": _(
                    "The exhibitor chooses what is public in the portal; hide an entry on the "
                    "organizers' directory page, so that the change is logged."
                ),
            },
        ),
        (
            _("Invoice address"),
            {
                "classes": ["collapse"],
                "fields": [
                    "invoice_company",
                    "invoice_street",
                    ("invoice_postal_code", "invoice_city", "invoice_country"),
                    "invoice_email",
                ],
            },
        ),
        (
            _("Consent"),
            {
                "classes": ["collapse"],
                "fields": [
                    ("terms_accepted_at", "terms_version"),
                    ("privacy_accepted_at", "privacy_version"),
                ],
            },
        ),
    ]

    class Media:
        css = {"all": ["css/admin_exhibitors.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Exhibitor]:
        return super().get_queryset(request).annotate(staff_count=Count("staff", distinct=True))

    def formfield_for_manytomany(
        self, db_field: ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField | None:
        if db_field.name == "topics":
            match = request.resolver_match
            object_id = match.kwargs.get("object_id") if match is not None else None
            area_id = (
                Exhibitor.objects.filter(pk=object_id).values_list("area_id", flat=True).first()
                if object_id
                else None
            )
            kwargs["queryset"] = Topic.objects.filter(area_id=area_id or 0).select_related("area")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("state"), ordering="state")
    def state_badge(self, exhibitor: Exhibitor) -> str:
        return format_html(
            '<span class="fl-state fl-state-{}">{}</span>',
            exhibitor.state,
            exhibitor.get_state_display(),
        )

    @admin.display(description=_("stand"), ordering="stand__number")
    def stand_display(self, exhibitor: Exhibitor) -> str:
        stand = exhibitor.stand
        if stand is None:
            return "–"
        return f"{stand.number} · {sqm_format(stand.size_sqm)}"

    @admin.display(description=_("staff / quota"), ordering="staff_count")
    def staff_usage(self, exhibitor: Exhibitor) -> str:
        used = getattr(exhibitor, "staff_count", None)
        if used is None:
            used = exhibitor.staff.count()
        return f"{used} / {exhibitor.staff_quota}"

    def delete_model(self, request: HttpRequest, obj: Exhibitor) -> None:
        exhibitor_delete(exhibitor=obj, actor=admin_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Exhibitor]) -> None:
        for exhibitor in queryset:
            exhibitor_delete(exhibitor=exhibitor, actor=admin_user(request))

    def run_exhibitor_action(
        self, request: HttpRequest, queryset: QuerySet[Exhibitor], action: ExhibitorAction
    ) -> TemplateResponse | None:
        exhibitors = list(queryset.select_related("fair", "area", "area__hall", "stand"))
        single = exhibitors[0] if len(exhibitors) == 1 else None
        if action.single_only and single is None:
            self.message_user(
                request,
                gettext("“%(action)s” works on one exhibitor at a time; select exactly one.")
                % {"action": action.label},
                messages.WARNING,
            )
            return None
        form = None
        if action.form_class is not None:
            if "apply" in request.POST:
                form = action.form_class(request.POST, exhibitor=single)
            else:
                form = action.form_class(exhibitor=single)
        if form is None or (form.is_bound and form.is_valid()):
            data = form.cleaned_data if form is not None else {}
            for exhibitor in exhibitors:
                try:
                    action.check(exhibitor)
                    result = action.execute(
                        exhibitor=exhibitor, actor=admin_user(request), data=data
                    )
                except ExhibitorError as error:
                    self.message_user(request, _about(exhibitor, error), messages.ERROR)
                else:
                    self.message_user(request, action.success(result), messages.SUCCESS)
            return None
        rows = []
        for exhibitor in exhibitors:
            try:
                action.check(exhibitor)
                refusal = ""
            except ExhibitorError as error:
                refusal = _about(exhibitor, error)
            rows.append({"exhibitor": exhibitor, "refusal": refusal})
        context = {
            **self.admin_site.each_context(request),
            "title": action.label,
            "opts": self.model._meta,
            "action": action,
            "action_name": action.name,
            "form": form,
            "rows": rows,
            "runnable": sum(1 for row in rows if not row["refusal"]),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "form_url": request.get_full_path(),
            "changelist_url": reverse("admin:exhibitors_exhibitor_changelist"),
        }
        return TemplateResponse(request, "admin/exhibitors/exhibitor/action_form.html", context)
