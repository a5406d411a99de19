"""The organizers' back office for exhibitors.

Workflow changes (approve, waitlist, reject, withdraw, stand, quota, portal invitation) are
admin actions. Each is one small class with ``check()`` (would the service refuse?) and
``execute()`` (call the service); the actions never write to the database themselves. State,
stand and staff quota are read-only in the change form for the same reason.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count, Prefetch
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from badges.models import Badge
from exhibitors.exceptions import ExhibitorError
from exhibitors.models import (
    CoExhibitor,
    Exhibitor,
    ExhibitorAccount,
    ExhibitorAuditEntry,
    StaffMember,
)
from exhibitors.quota import staff_quota_for_size
from exhibitors.selectors import REVIEW_STATES, stand_best_fit, stands_free_for
from exhibitors.services.portal import (
    staff_add_check,
    staff_change_check,
    staff_member_add,
    staff_member_remove,
    staff_member_update,
)
from exhibitors.services.workflow import (
    STAFF_QUOTA_MAX,
    exhibitor_approve,
    exhibitor_assign_stand,
    exhibitor_delete,
    exhibitor_invitation_send,
    exhibitor_reject,
    exhibitor_staff_quota_set,
    exhibitor_waitlist,
    exhibitor_withdraw,
    transition_check,
)
from fair.models import Area, Stand, Topic

State = Exhibitor.State


# --------------------------------------------------------------------------- action forms


class StandChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, stand: Stand) -> str:
        return gettext("%(number)s · %(size)s m² · %(type)s · %(quota)d staff badges") % {
            "number": stand.number,
            "size": f"{stand.size_sqm:g}",
            "type": stand.get_type_display(),
            "quota": staff_quota_for_size(stand.size_sqm),
        }


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Stored in the audit log and included in the mail to the contact."),
    )

    def __init__(self, *args, exhibitor: Exhibitor | None = None, **kwargs):
        self.exhibitor = exhibitor
        super().__init__(*args, **kwargs)


class ApproveForm(NoteForm):
    """For one exhibitor: pick the stand and optionally override the quota. For several:
    each gets the best-fitting free stand and the quota of its size."""

    def __init__(self, *args, exhibitor: Exhibitor | None = None, **kwargs):
        super().__init__(*args, exhibitor=exhibitor, **kwargs)
        if exhibitor is None:
            return
        best = stand_best_fit(exhibitor=exhibitor)
        self.fields["stand"] = StandChoiceField(
            label=_("Stand"),
            queryset=stands_free_for(exhibitor=exhibitor),
            initial=best.pk if best else None,
            required=True,
            help_text=_("Free stands of the area, the best fit for %(sqm)d m² first.")
            % {"sqm": exhibitor.requested_sqm},
        )
        self.fields["staff_quota"] = forms.IntegerField(
            label=_("Staff quota"),
            required=False,
            min_value=0,
            max_value=STAFF_QUOTA_MAX,
            help_text=_("Leave empty to use the rule for the stand size."),
        )
        self.order_fields(["stand", "staff_quota", "note"])


class AssignStandForm(forms.Form):
    def __init__(self, *args, exhibitor: Exhibitor | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.exhibitor = exhibitor
        self.fields["stand"] = StandChoiceField(
            label=_("New stand"),
            queryset=stands_free_for(exhibitor=exhibitor),
            required=True,
            help_text=_(
                "The current stand becomes free; the staff quota follows the new stand's size."
            ),
        )


class StaffQuotaForm(NoteForm):
    staff_quota = forms.IntegerField(
        label=_("Staff quota"), min_value=0, max_value=STAFF_QUOTA_MAX, required=True
    )
    field_order = ["staff_quota", "note"]

    def __init__(self, *args, exhibitor: Exhibitor | None = None, **kwargs):
        super().__init__(*args, exhibitor=exhibitor, **kwargs)
        self.fields["note"].help_text = _("Stored in the audit log.")


# --------------------------------------------------------------------------- action classes


class ExhibitorAction:
    """One admin action: ``check`` raises the error the service would raise, ``execute``
    calls the service. ``form_class`` None means no intermediate page."""

    name = ""
    label = ""
    form_class: type[forms.Form] | None = NoteForm
    single_only = False

    def check(self, exhibitor: Exhibitor) -> None:
        raise NotImplementedError

    def execute(self, *, exhibitor: Exhibitor, actor, data: dict) -> Exhibitor:
        raise NotImplementedError

    def success(self, exhibitor: Exhibitor) -> str:
        raise NotImplementedError


class ApproveAction(ExhibitorAction):
    name = "approve"
    label = _("Approve and assign a stand")
    form_class = ApproveForm

    def check(self, exhibitor):
        transition_check(exhibitor=exhibitor, to_state=State.APPROVED)

    def execute(self, *, exhibitor, actor, data):
        return exhibitor_approve(
            exhibitor=exhibitor,
            actor=actor,
            stand=data.get("stand"),
            staff_quota=data.get("staff_quota"),
            note=data.get("note", ""),
        )

    def success(self, exhibitor):
        return gettext("%(company)s approved: stand %(number)s, %(quota)d staff badges.") % {
            "company": exhibitor.company_name,
            "number": exhibitor.stand.number,
            "quota": exhibitor.staff_quota,
        }


class WaitlistAction(ExhibitorAction):
    name = "waitlist"
    label = _("Put on the waiting list")

    def check(self, exhibitor):
        transition_check(exhibitor=exhibitor, to_state=State.WAITLISTED)

    def execute(self, *, exhibitor, actor, data):
        return exhibitor_waitlist(exhibitor=exhibitor, actor=actor, note=data.get("note", ""))

    def success(self, exhibitor):
        return gettext("%(company)s is on the waiting list.") % {"company": exhibitor.company_name}


class RejectAction(ExhibitorAction):
    name = "reject"
    label = _("Reject")

    def check(self, exhibitor):
        transition_check(exhibitor=exhibitor, to_state=State.REJECTED)

    def execute(self, *, exhibitor, actor, data):
        return exhibitor_reject(exhibitor=exhibitor, actor=actor, note=data.get("note", ""))

    def success(self, exhibitor):
        return gettext("%(company)s rejected.") % {"company": exhibitor.company_name}


class WithdrawAction(ExhibitorAction):
    name = "withdraw"
    label = _("Withdraw (on the exhibitor's request)")

    def check(self, exhibitor):
        transition_check(exhibitor=exhibitor, to_state=State.WITHDRAWN)

    def execute(self, *, exhibitor, actor, data):
        return exhibitor_withdraw(exhibitor=exhibitor, actor=actor, note=data.get("note", ""))

    def success(self, exhibitor):
        return gettext("%(company)s withdrawn.") % {"company": exhibitor.company_name}


class AssignStandAction(ExhibitorAction):
    name = "assign_stand"
    label = _("Assign another stand")
    form_class = AssignStandForm
    single_only = True

    def check(self, exhibitor):
        if exhibitor.state != State.APPROVED:
            raise ExhibitorError(
                gettext("%(company)s is not approved; approve it to assign a stand.")
                % {"company": exhibitor.company_name}
            )

    def execute(self, *, exhibitor, actor, data):
        return exhibitor_assign_stand(exhibitor=exhibitor, stand=data["stand"], actor=actor)

    def success(self, exhibitor):
        return gettext("%(company)s now has stand %(number)s (%(quota)d staff badges).") % {
            "company": exhibitor.company_name,
            "number": exhibitor.stand.number,
            "quota": exhibitor.staff_quota,
        }


class StaffQuotaAction(ExhibitorAction):
    name = "set_staff_quota"
    label = _("Override the staff quota")
    form_class = StaffQuotaForm

    def check(self, exhibitor):
        return None

    def execute(self, *, exhibitor, actor, data):
        return exhibitor_staff_quota_set(
            exhibitor=exhibitor,
            staff_quota=data["staff_quota"],
            actor=actor,
            note=data.get("note", ""),
        )

    def success(self, exhibitor):
        return gettext("%(company)s: staff quota %(quota)d.") % {
            "company": exhibitor.company_name,
            "quota": exhibitor.staff_quota,
        }


class InvitationAction(ExhibitorAction):
    name = "send_invitation"
    label = _("Send a new portal password link")
    form_class = None

    def check(self, exhibitor):
        if exhibitor.state != State.APPROVED:
            raise ExhibitorError(
                gettext("%(company)s is not approved; only approved exhibitors get portal access.")
                % {"company": exhibitor.company_name}
            )

    def execute(self, *, exhibitor, actor, data):
        exhibitor_invitation_send(exhibitor=exhibitor, actor=actor)
        return exhibitor

    def success(self, exhibitor):
        return gettext("Password link sent to %(email)s.") % {"email": exhibitor.contact_email}


ACTIONS = {
    action.name: action
    for action in (
        ApproveAction(),
        WaitlistAction(),
        RejectAction(),
        WithdrawAction(),
        AssignStandAction(),
        StaffQuotaAction(),
        InvitationAction(),
    )
}


def _make_admin_action(action: ExhibitorAction):
    def admin_action(model_admin, request, queryset):
        return model_admin.run_exhibitor_action(request, queryset, action)

    admin_action.__name__ = action.name
    return admin.action(description=action.label)(admin_action)


# --------------------------------------------------------------------------- list filter


class ExhibitorStateFilter(admin.SimpleListFilter):
    """By default the list hides unconfirmed registrations: only registrations whose contact
    confirmed the email address reach the organizers' queue."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("review", _("awaiting review (submitted or waitlisted)")),
            *[(value, label) for value, label in State.choices],
            ("all", _("all, including unconfirmed")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset.exclude(state=State.UNCONFIRMED)
        if value == "review":
            return queryset.filter(state__in=REVIEW_STATES)
        if value == "all":
            return queryset
        return queryset.filter(state=value)

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("confirmed registrations (default)"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class AreaListFilter(admin.RelatedFieldListFilter):
    """Areas with their fair's name, read in one query."""

    def field_choices(self, field, request, model_admin):
        return [
            (area.pk, str(area))
            for area in Area.objects.select_related("fair").order_by("fair__name", "name")
        ]


class TopicListFilter(admin.RelatedFieldListFilter):
    """Topics named with their area, since areas of different fairs share topic names."""

    def field_choices(self, field, request, model_admin):
        return [
            (topic.pk, f"{topic.name} ({topic.area.name}, {topic.area.fair.name})")
            for topic in Topic.objects.select_related("area", "area__fair").order_by(
                "area__fair__name", "area__name", "position"
            )
        ]


# --------------------------------------------------------------------------- inlines


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CoExhibitorInline(ReadOnlyInline):
    model = CoExhibitor
    fields = ["name", "website"]
    readonly_fields = fields


class StaffMemberInline(ReadOnlyInline):
    model = StaffMember
    fields = ["first_name", "last_name", "email", "role", "badge", "created_at"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return _staff_queryset(super().get_queryset(request))

    @admin.display(description=_("badge"))
    def badge(self, member: StaffMember) -> str:
        return _badge_label(member)


class AuditEntryInline(ReadOnlyInline):
    model = ExhibitorAuditEntry
    fields = ["at", "action", "from_state", "to_state", "actor_label", "note"]
    readonly_fields = fields
    ordering = ["-at", "-id"]


def _staff_queryset(queryset):
    return queryset.select_related("attendee").prefetch_related(
        Prefetch(
            "attendee__badges",
            queryset=Badge.objects.filter(state=Badge.State.ACTIVE),
            to_attr="active_badges",
        )
    )


def _about(exhibitor: Exhibitor, error: Exception) -> str:
    """The error's message, led by the company name unless it names the company already."""
    text = str(error)
    return text if exhibitor.company_name in text else f"{exhibitor.company_name}: {text}"


def _badge_label(member: StaffMember) -> str:
    attendee = getattr(member, "attendee", None)
    badges = getattr(attendee, "active_badges", None) if attendee is not None else None
    if badges:
        return str(badges[0])
    return gettext("none")


# --------------------------------------------------------------------------- exhibitor


@admin.register(Exhibitor)
class ExhibitorAdmin(admin.ModelAdmin):
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
        "country",
        ("topics", TopicListFilter),
    ]
    search_fields = ["company_name", "vat_id", "contact_email", "contact_name"]
    search_help_text = _("Company, VAT ID, contact email or contact name")
    list_select_related = ["fair", "area", "area__fair", "stand"]
    date_hierarchy = "confirmed_at"
    list_per_page = 50
    filter_horizontal = ["topics"]
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
            _("Stand request and catalogue"),
            {
                "fields": [
                    ("requested_sqm", "preferred_stand_type", "wants_corner"),
                    "topics",
                    "catalogue_text",
                    "logo",
                ]
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

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(staff_count=Count("staff", distinct=True))

    def has_add_permission(self, request) -> bool:
        # Registrations come in through the public form with its double opt-in.
        return False

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "topics":
            object_id = request.resolver_match.kwargs.get("object_id")
            area_id = (
                Exhibitor.objects.filter(pk=object_id).values_list("area_id", flat=True).first()
                if object_id
                else None
            )
            kwargs["queryset"] = Topic.objects.filter(area_id=area_id).select_related("area")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("state"), ordering="state")
    def state_badge(self, exhibitor: Exhibitor):
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
        return f"{stand.number} · {stand.size_sqm:g} m²"

    @admin.display(description=_("staff / quota"), ordering="staff_count")
    def staff_usage(self, exhibitor: Exhibitor) -> str:
        used = getattr(exhibitor, "staff_count", None)
        if used is None:
            used = exhibitor.staff.count()
        return f"{used} / {exhibitor.staff_quota}"

    def delete_model(self, request, obj):
        exhibitor_delete(exhibitor=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for exhibitor in queryset:
            exhibitor_delete(exhibitor=exhibitor, actor=request.user)

    def run_exhibitor_action(self, request, queryset, action: ExhibitorAction):
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
                    result = action.execute(exhibitor=exhibitor, actor=request.user, data=data)
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


# --------------------------------------------------------------------------- staff members


class StaffMemberAdminForm(forms.ModelForm):
    class Meta:
        model = StaffMember
        fields = ["exhibitor", "first_name", "last_name", "email", "role"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        exhibitor = cleaned.get("exhibitor") or getattr(self.instance, "exhibitor", None)
        if exhibitor is None:
            return cleaned
        try:
            if self.instance.pk:
                staff_change_check(exhibitor=exhibitor)
            else:
                staff_add_check(exhibitor=exhibitor)
        except ExhibitorError as error:
            raise forms.ValidationError(str(error)) from error
        email = cleaned.get("email")
        others = StaffMember.objects.filter(exhibitor=exhibitor, email__iexact=email or "")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if email and others.exists():
            self.add_error("email", gettext("This person is already on the staff list."))
        return cleaned


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    form = StaffMemberAdminForm
    list_display = ["full_name", "exhibitor", "email", "role", "badge", "created_at"]
    list_filter = ["exhibitor__fair", "role"]
    search_fields = ["first_name", "last_name", "email", "exhibitor__company_name"]
    list_select_related = ["exhibitor"]
    autocomplete_fields = ["exhibitor"]
    actions = ["remove_from_staff"]

    def get_queryset(self, request):
        return _staff_queryset(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        return ["exhibitor"] if obj is not None else []

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None:
            try:
                staff_change_check(exhibitor=obj.exhibitor)
            except ExhibitorError:
                return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, member: StaffMember) -> str:
        return member.full_name

    @admin.display(description=_("badge"))
    def badge(self, member: StaffMember) -> str:
        return _badge_label(member)

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in ("first_name", "last_name", "email")}
        values["role"] = form.cleaned_data["role"]
        if change:
            staff_member_update(staff_member=obj, actor=request.user, **values)
        else:
            member = staff_member_add(exhibitor=obj.exhibitor, actor=request.user, **values)
            obj.pk = member.pk
            obj.created_at = member.created_at

    def delete_model(self, request, obj):
        staff_member_remove(staff_member=obj, actor=request.user)

    @admin.action(description=_("Remove from the stand staff (revokes the badge)"))
    def remove_from_staff(self, request, queryset):
        for member in queryset.select_related("exhibitor", "exhibitor__fair"):
            try:
                staff_member_remove(staff_member=member, actor=request.user)
            except ExhibitorError as error:
                self.message_user(request, f"{member.full_name}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("%(name)s removed; the badge is revoked.") % {"name": member.full_name},
                    messages.SUCCESS,
                )


# --------------------------------------------------------------------------- audit, accounts


@admin.register(ExhibitorAuditEntry)
class ExhibitorAuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "exhibitor", "action", "from_state", "to_state", "actor_label", "note"]
    list_filter = ["action", "to_state", "exhibitor__fair"]
    search_fields = ["exhibitor__company_name", "actor_label", "note"]
    list_select_related = ["exhibitor"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ExhibitorAccount)
class ExhibitorAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "user_email", "exhibitor", "password_set", "last_login"]
    list_filter = ["exhibitor__fair", "exhibitor__state"]
    search_fields = ["user__username", "user__email", "exhibitor__company_name"]
    list_select_related = ["user", "exhibitor"]

    def has_add_permission(self, request) -> bool:
        # Accounts are made on approval (or with the "send a new portal password link" action).
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("email"), ordering="user__email")
    def user_email(self, account: ExhibitorAccount) -> str:
        return account.user.email

    @admin.display(description=_("password set"), boolean=True)
    def password_set(self, account: ExhibitorAccount) -> bool:
        return account.user.has_usable_password()

    @admin.display(description=_("last login"), ordering="user__last_login")
    def last_login(self, account: ExhibitorAccount):
        return account.user.last_login
