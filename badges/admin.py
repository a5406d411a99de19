"""Back office for attendees and badges: lists, CSV import, revoke + reissue, print runs."""

import base64
import hashlib
import tempfile

from django.contrib import admin, messages
from django.core import signing
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from badges.codes import short_code_display
from badges.forms import AttendeeImportApplyForm, AttendeeImportForm, LayoutChoiceForm, PrintRunForm
from badges.importer import ImportFileError
from badges.layouts import layout_get
from badges.models import Attendee, Badge, ConsentEvent, ErasureRequest, PrivacyAuditEntry
from badges.print_check import badge_print_check, print_issue_text
from badges.printing import badges_write_pdf
from badges.privacy import PrivacyRefused, erasure_confirm, erasure_reject
from badges.render import PrintIssue
from badges.selectors import badges_for_print
from badges.services.attendee_import import attendees_import
from badges.services.issue import badge_issue, badge_reissue, badges_mark_printed
from fair.models import Fair

IMPORT_SALT = "badges.admin-import"


class ConfirmedFilter(admin.SimpleListFilter):
    title = gettext_lazy("email confirmed")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("yes")), ("no", gettext_lazy("no"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(confirmed_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(confirmed_at__isnull=True)
        return queryset


class ErasedFilter(admin.SimpleListFilter):
    title = gettext_lazy("erased")
    parameter_name = "erased"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("yes")), ("no", gettext_lazy("no"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(erased_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(erased_at__isnull=True)
        return queryset


class PrintedFilter(admin.SimpleListFilter):
    title = gettext_lazy("printed")
    parameter_name = "printed"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("yes")), ("no", gettext_lazy("not yet"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(printed_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(printed_at__isnull=True)
        return queryset


class BadgeInline(admin.TabularInline):
    model = Badge
    extra = 0
    can_delete = False
    fields = ("code", "state", "issued_at", "revoked_at", "printed_at")
    readonly_fields = fields
    ordering = ("-issued_at",)

    @admin.display(description=gettext_lazy("code"))
    def code(self, obj: Badge) -> str:
        return short_code_display(obj.short_code)

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ConsentEventInline(admin.TabularInline):
    model = ConsentEvent
    extra = 0
    can_delete = False
    fields = ("at", "given", "text_version", "source")
    readonly_fields = fields
    ordering = ("at", "id")
    verbose_name_plural = gettext_lazy("Consent history")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


def _reissue(modeladmin, request, attendees) -> None:
    count = 0
    # An erased person gets no new badge.
    for attendee in attendees.filter(erased_at__isnull=True):
        badge_reissue(attendee=attendee)
        count += 1
    modeladmin.message_user(
        request,
        _("%(count)d badge(s) revoked and reissued. The old codes now scan as “revoked”.")
        % {"count": count},
        messages.SUCCESS,
    )


def _print_issues(attendee: Attendee) -> list[PrintIssue]:
    return badge_print_check(
        first_name=attendee.first_name,
        last_name=attendee.last_name,
        company=attendee.company,
        job_title=attendee.job_title,
    )


@admin.register(Attendee)
class AttendeeAdmin(admin.ModelAdmin):
    list_display = (
        "last_name",
        "first_name",
        "company",
        "category",
        "fair",
        "email",
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

    def get_inlines(self, request, obj):
        # A new attendee has no consent history yet: no empty formset on the add page.
        return self.inlines if obj is not None else [BadgeInline]

    change_list_template = "admin/badges/attendee/change_list.html"

    def get_queryset(self, request):
        active = Badge.objects.filter(attendee=OuterRef("pk"), state=Badge.State.ACTIVE)
        return (
            super()
            .get_queryset(request)
            .annotate(active_code=Subquery(active.values("short_code")[:1]))
        )

    @admin.display(description=gettext_lazy("badge"), ordering="active_code")
    def badge_code(self, obj: Attendee) -> str:
        return short_code_display(obj.active_code) if obj.active_code else "—"

    @admin.display(description=gettext_lazy("On the badge"))
    def badge_print(self, obj: Attendee) -> str:
        issues = _print_issues(obj)
        return " ".join(map(print_issue_text, issues)) if issues else _("Printed as stored.")

    @admin.action(description=gettext_lazy("Revoke and reissue the badge (lost badge)"))
    def reissue_badges(self, request, queryset):
        _reissue(self, request, queryset)

    def save_model(self, request, obj, form, change):
        for issue in _print_issues(obj):
            messages.warning(request, print_issue_text(issue))
        super().save_model(request, obj, form, change)
        if not change:
            if obj.confirmed_at is None:
                obj.confirmed_at = timezone.now()
                obj.save(update_fields=["confirmed_at"])
            badge_issue(attendee=obj)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="badges_attendee_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload → dry-run preview → apply exactly the previewed file."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            return HttpResponse(status=403)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import attendees from CSV"),
        }
        form = AttendeeImportForm()
        if request.method == "POST" and "apply" in request.POST:
            apply_form = AttendeeImportApplyForm(request.POST)
            if apply_form.is_valid():
                content = base64.b64decode(apply_form.cleaned_data["content"])
                digest = hashlib.sha256(content).hexdigest()
                try:
                    signed = signing.Signer(salt=IMPORT_SALT).unsign(
                        apply_form.cleaned_data["signature"]
                    )
                except signing.BadSignature:
                    signed = None
                if signed == digest:
                    fair = apply_form.cleaned_data["fair"]
                    try:
                        report = attendees_import(fair=fair, content=content, dry_run=False)
                    except ImportFileError as exc:
                        messages.error(request, str(exc))
                    else:
                        counts = report.counts
                        messages.success(
                            request,
                            _(
                                "Import done: %(created)d created, %(updated)d updated, "
                                "%(unchanged)d unchanged, %(rejected)d rejected."
                            )
                            % counts,
                        )
                        context.update({"report": report, "fair": fair})
                        return TemplateResponse(
                            request, "admin/badges/attendee/import.html", context
                        )
            messages.error(request, _("The previewed file could not be applied; upload it again."))
        elif request.method == "POST":
            form = AttendeeImportForm(request.POST, request.FILES)
            if form.is_valid():
                fair = form.cleaned_data["fair"]
                content = form.cleaned_data["file"].read()
                try:
                    report = attendees_import(fair=fair, content=content, dry_run=True)
                except ImportFileError as exc:
                    form.add_error("file", str(exc))
                else:
                    digest = hashlib.sha256(content).hexdigest()
                    context.update(
                        {
                            "report": report,
                            "fair": fair,
                            "apply_form": AttendeeImportApplyForm(
                                initial={
                                    "fair": fair.pk,
                                    "content": base64.b64encode(content).decode("ascii"),
                                    "signature": signing.Signer(salt=IMPORT_SALT).sign(digest),
                                }
                            ),
                        }
                    )
        context["form"] = form
        return TemplateResponse(request, "admin/badges/attendee/import.html", context)


def _pdf_response(
    request: HttpRequest, *, badges, layout_key: str, filename: str
) -> HttpResponse | None:
    """Render the print run into a temporary file; mark the badges printed once it is
    complete; then stream the file. None when there is no badge to print. Badges that print
    otherwise than stored are named in a warning shown on the next admin page."""
    layout = layout_get(layout_key)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        result = badges_write_pdf(badges=badges, layout=layout, out=spool)
    except ValueError:
        spool.close()
        return None
    spool.flush()
    badges_mark_printed(badge_ids=result.badge_ids)
    for badge_id, name, issues in result.issues:
        messages.warning(
            request,
            _("Badge %(id)d (%(name)s) prints otherwise than stored: %(issues)s")
            % {"id": badge_id, "name": name, "issues": " ".join(map(print_issue_text, issues))},
        )
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=filename, content_type="application/pdf"
    )


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request) -> bool:
        return False  # badges are issued by registration, import, staff lists and reissue

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke instead: the badge's history and leads stay

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

    def get_search_results(self, request, queryset, search_term):
        # People type codes as printed: "7K3M-9Q2Z-X0A", maybe in lower case.
        term = search_term.strip()
        if 11 <= len(term) <= 13 and term.replace("-", "").isalnum():
            term = term.replace("-", "").upper()
        return super().get_search_results(request, queryset, term)

    @admin.action(description=gettext_lazy("Revoke and reissue (lost badge)"))
    def reissue(self, request, queryset):
        attendees = Attendee.objects.filter(
            pk__in=queryset.filter(state=Badge.State.ACTIVE).values("attendee_id")
        )
        _reissue(self, request, attendees)

    @admin.action(description=gettext_lazy("Print selected badges"))
    def print_selected(self, request, queryset):
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
                    ids=active.values("pk"),
                )
                response = _pdf_response(
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
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def get_urls(self):
        return [
            path(
                "print-run/",
                self.admin_site.admin_view(self.print_run_view),
                name="badges_badge_print_run",
            ),
            *super().get_urls(),
        ]

    def print_run_view(self, request: HttpRequest) -> HttpResponse:
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
            response = _pdf_response(
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
                "changelist_url": reverse("admin:badges_badge_changelist"),
            },
        )


# --------------------------------------------------------------------------- privacy


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    """Visitors' erasure requests. Nothing is edited here: an organizer confirms a request
    (the person is anonymised at once, see ``badges.privacy``) or rejects it with a reason."""

    list_display = ("requested_at", "attendee_label", "fair", "state", "decided_at", "decided_by")
    list_filter = ("state", "attendee__fair")
    list_select_related = ("attendee", "attendee__fair", "decided_by")
    search_fields = ("attendee__last_name", "attendee__email")
    date_hierarchy = "requested_at"
    fields = ("attendee", "state", "requested_at", "decided_at", "decided_by", "note")
    readonly_fields = fields
    actions = ["confirm_selected"]
    change_form_template = "badges/admin/erasurerequest_change_form.html"

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("attendee"), ordering="attendee__last_name")
    def attendee_label(self, obj: ErasureRequest) -> str:
        attendee = obj.attendee
        if attendee.erased_at:
            return _("erased attendee #%(id)d") % {"id": attendee.pk}
        return f"{attendee.full_name} <{attendee.email}>"

    @admin.display(description=gettext_lazy("fair"), ordering="attendee__fair")
    def fair(self, obj: ErasureRequest) -> str:
        return obj.attendee.fair.name

    def get_urls(self):
        return [
            path(
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="badges_erasurerequest_decide",
            ),
            *super().get_urls(),
        ]

    def _decide(self, request, erasure, decision: str, note: str) -> bool:
        try:
            if decision == "confirm":
                erasure_confirm(request=erasure, actor=request.user)
                messages.success(
                    request,
                    _("The data of attendee #%(id)d was erased.") % {"id": erasure.attendee_id},
                )
            else:
                erasure_reject(request=erasure, actor=request.user, note=note)
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
        from leads.models import Lead

        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Decide on erasure request #%(id)d") % {"id": erasure.pk},
            "erasure": erasure,
            "attendee": erasure.attendee,
            "leads": Lead.objects.filter(attendee=erasure.attendee).count(),
            "note": note,
        }
        status = 422 if request.method == "POST" else 200
        return TemplateResponse(
            request, "badges/admin/erasurerequest_decide.html", context, status=status
        )

    @admin.action(description=gettext_lazy("Confirm the selected requests (erase now)"))
    def confirm_selected(self, request, queryset):
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
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "badges/admin/erasurerequest_confirm_many.html", context)


class ReadOnlyLogAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PrivacyAuditEntry)
class PrivacyAuditEntryAdmin(ReadOnlyLogAdmin):
    list_display = ("at", "action", "fair", "attendee_id", "actor_label", "details")
    list_filter = ("action", "fair")
    list_select_related = ("fair",)
    date_hierarchy = "at"
    fields = ("at", "action", "fair", "attendee", "actor", "actor_label", "details")
    readonly_fields = fields
