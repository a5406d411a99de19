"""Privacy: erasure requests (confirm or reject) and the privacy audit log."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from badges.models import ErasureRequest, PrivacyAuditEntry
from badges.privacy import PrivacyRefused, erasure_confirm, erasure_reject
from exhibitors.admin.actions import admin_user
from fair.admin_mixins import NoAddAdminMixin, NoDeleteAdminMixin, ReadOnlyAdminMixin


@admin.register(ErasureRequest)
class ErasureRequestAdmin(NoAddAdminMixin, NoDeleteAdminMixin, admin.ModelAdmin):
    """Visitors' erasure requests. Nothing is edited here: an organizer confirms a request
    (the person is anonymized at once, see ``badges.privacy``) or rejects it with a reason."""

    list_display = ("requested_at", "attendee_label", "fair", "state", "decided_at", "decided_by")
    list_filter = ("state", "attendee__fair")
    list_select_related = ("attendee", "attendee__fair", "decided_by")
    search_fields = ("attendee__last_name", "attendee__email")
    date_hierarchy = "requested_at"
    fields = ("attendee", "state", "requested_at", "decided_at", "decided_by", "note")
    readonly_fields = fields
    actions = ["confirm_selected"]
    change_form_template = "badges/admin/erasurerequest_change_form.html"

    @admin.display(description=gettext_lazy("attendee"), ordering="attendee__last_name")
    def attendee_label(self, obj: ErasureRequest) -> str:
        attendee = obj.attendee
        if attendee.erased_at:
            return _("erased attendee #%(id)d") % {"id": attendee.pk}
        return f"{attendee.full_name} <{attendee.email}>"

    @admin.display(description=gettext_lazy("fair"), ordering="attendee__fair")
    def fair(self, obj: ErasureRequest) -> str:
        return obj.attendee.fair.name

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="badges_erasurerequest_decide",
            ),
            *super().get_urls(),
        ]

    def _decide(
        self, request: HttpRequest, erasure: ErasureRequest, decision: str, note: str
    ) -> bool:
        try:
            if decision == "confirm":
                erasure_confirm(request=erasure, actor=admin_user(request))
                messages.success(
                    request,
                    _("The data of attendee #%(id)d was erased.") % {"id": erasure.attendee_id},
                )
            else:
                erasure_reject(request=erasure, actor=admin_user(request), note=note)
                messages.success(
                    request, _("The request was rejected; the person is told the reason by mail.")
                )
        except PrivacyRefused as exc:
            messages.error(request, str(exc))
            return False
        return True

    def decide_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Confirm (erase now) or reject (with a reason) one request, after a look at it."""
        erasure = (
            ErasureRequest.objects.select_related("attendee", "attendee__fair")
            .filter(pk=pk)
            .first()
        )
        if erasure is None:
            return HttpResponse(status=404)
        if not self.has_change_permission(request, erasure):
            return HttpResponse(status=403)
        note = request.POST.get("note", "")
        if request.method == "POST":
            decision = request.POST.get("decision")
            if decision in ("confirm", "reject") and self._decide(request, erasure, decision, note):
                return HttpResponseRedirect(
                    reverse("admin:badges_erasurerequest_change", args=[erasure.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Decide on erasure request #%(id)d") % {"id": erasure.pk},
            "erasure": erasure,
            "attendee": erasure.attendee,
            # The reverse relation of leads.Lead.attendee: badges does not import leads.
            "leads": erasure.attendee.leads.count(),
            "note": note,
        }
        status = 422 if request.method == "POST" else 200
        return TemplateResponse(
            request, "badges/admin/erasurerequest_decide.html", context, status=status
        )

    @admin.action(description=gettext_lazy("Confirm the selected requests (erase now)"))
    def confirm_selected(
        self, request: HttpRequest, queryset: QuerySet[ErasureRequest]
    ) -> HttpResponse | None:
        pending = list(
            queryset.filter(state=ErasureRequest.State.PENDING).select_related(
                "attendee", "attendee__fair"
            )
        )
        if request.POST.get("post") == "yes":
            done = sum(
                1 for erasure in pending if self._decide(request, erasure, "confirm", note="")
            )
            self.message_user(
                request,
                _("%(count)d erasure request(s) carried out.") % {"count": done},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Erase these people?"),
            "requests": pending,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "badges/admin/erasurerequest_confirm_many.html", context)


@admin.register(PrivacyAuditEntry)
class PrivacyAuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "action", "fair", "attendee_id", "actor_label", "details")
    list_filter = ("action", "fair")
    list_select_related = ("fair",)
    date_hierarchy = "at"
    fields = ("at", "action", "fair", "attendee", "actor", "actor_label", "details")
    readonly_fields = fields
