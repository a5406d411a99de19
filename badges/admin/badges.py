"""Badges: list, reissue, print selected badges or a print run."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from badges.admin.actions import reissue
from badges.admin.filters import PrintedFilter
from badges.codes import short_code_display
from badges.forms import LayoutChoiceForm, PrintRunForm
from badges.models import Attendee, Badge
from badges.print_response import pdf_response
from badges.selectors import badges_for_print
from fair.admin_mixins import NoAddAdminMixin, NoDeleteAdminMixin
from fair.models import Fair


@admin.register(Badge)
class BadgeAdmin(NoAddAdminMixin, NoDeleteAdminMixin, admin.ModelAdmin):
    list_display = (
        "code",
        "attendee_name",
        "category",
        "fair",
        "state",
        "issued_at",
        "printed_at",
    )
    list_filter = ("state", PrintedFilter, "attendee__fair", "attendee__category")
    list_select_related = ("attendee", "attendee__fair")
    search_fields = (
        "short_code",
        "attendee__first_name",
        "attendee__last_name",
        "attendee__email",
        "attendee__company",
    )
    fields = ("attendee", "code", "state", "issued_at", "revoked_at", "printed_at")
    readonly_fields = fields
    actions = ["reissue", "print_selected"]
    change_list_template = "admin/badges/badge/change_list.html"

    @admin.display(description=gettext_lazy("code"), ordering="short_code")
    def code(self, obj: Badge) -> str:
        return short_code_display(obj.short_code)

    @admin.display(description=gettext_lazy("attendee"), ordering="attendee__last_name")
    def attendee_name(self, obj: Badge) -> str:
        return obj.attendee.full_name

    @admin.display(description=gettext_lazy("category"), ordering="attendee__category")
    def category(self, obj: Badge) -> str:
        return obj.attendee.get_category_display()

    @admin.display(description=gettext_lazy("fair"), ordering="attendee__fair")
    def fair(self, obj: Badge) -> str:
        return obj.attendee.fair.name

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Badge], search_term: str
    ) -> tuple[QuerySet[Badge], bool]:
        # People type codes as printed: "7K3M-9Q2Z-X0A", maybe in lower case.
        term = search_term.strip()
        if 11 <= len(term) <= 13 and term.replace("-", "").isalnum():
            term = term.replace("-", "").upper()
        return super().get_search_results(request, queryset, term)

    @admin.action(description=gettext_lazy("Revoke and reissue (lost badge)"))
    def reissue(self, request: HttpRequest, queryset: QuerySet[Badge]) -> None:
        attendees = Attendee.objects.filter(
            pk__in=queryset.filter(state=Badge.State.ACTIVE).values("attendee_id")
        )
        reissue(self, request, attendees)

    @admin.action(description=gettext_lazy("Print selected badges"))
    def print_selected(
        self, request: HttpRequest, queryset: QuerySet[Badge]
    ) -> HttpResponseBase | None:
        active = queryset.filter(state=Badge.State.ACTIVE)
        if "layout" in request.POST:
            form = LayoutChoiceForm(request.POST)
            fair_ids = set(active.values_list("attendee__fair", flat=True))
            if not fair_ids:
                self.message_user(request, _("No active badge selected."), messages.ERROR)
                return None
            if len(fair_ids) > 1:
                self.message_user(
                    request, _("Select badges of one fair per print run."), messages.ERROR
                )
                return None
            if form.is_valid():
                layout_key = form.cleaned_data["layout"]
                badges = badges_for_print(
                    fair=Fair.objects.get(pk=fair_ids.pop()),
                    ids=active.values_list("pk", flat=True),
                )
                response = pdf_response(
                    request,
                    badges=badges,
                    layout_key=layout_key,
                    filename=f"badges-{layout_key}.pdf",
                )
                if response is not None:
                    return response
        return TemplateResponse(
            request,
            "admin/badges/badge/print_selected.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Print selected badges"),
                "form": LayoutChoiceForm(),
                "queryset": queryset,
                "active_count": active.count(),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "print-run/",
                self.admin_site.admin_view(self.print_run_view),
                name="badges_badge_print_run",
            ),
            *super().get_urls(),
        ]

    def print_run_view(self, request: HttpRequest) -> HttpResponseBase:
        if not self.has_change_permission(request):
            return HttpResponse(status=403)
        form = PrintRunForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            badges = badges_for_print(
                fair=data["fair"],
                categories=data["categories"] or None,
                exhibitor=data["exhibitor"],
                not_printed=data["not_printed"],
                ids=data["ids"],
            )
            response = pdf_response(
                request,
                badges=badges,
                layout_key=data["layout"],
                filename=f"badges-{data['fair'].slug}-{data['layout']}.pdf",
            )
            if response is not None:
                return response
            form.add_error(None, _("No active badge matches this selection."))
        return TemplateResponse(
            request,
            "admin/badges/badge/print_run.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Print run"),
                "form": form,
            },
        )
