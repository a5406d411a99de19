"""Stand staff in the back office: added, changed and removed through the exhibitor services
(quota, state and fair dates are checked there); the badges app issues and revokes badges."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from exhibitors.admin.actions import admin_user
from exhibitors.exceptions import ExhibitorError
from exhibitors.models import StaffMember
from exhibitors.services.portal import (
    staff_add_check,
    staff_change_check,
    staff_member_add,
    staff_member_remove,
    staff_member_update,
)


class StaffMemberAdminForm(forms.ModelForm):
    class Meta:
        model = StaffMember
        fields = ["exhibitor", "first_name", "last_name", "email", "role"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
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
    list_display = ["full_name", "exhibitor", "email", "role", "created_at"]
    list_filter = ["exhibitor__fair", "role"]
    search_fields = ["first_name", "last_name", "email", "exhibitor__company_name"]
    list_select_related = ["exhibitor"]
    autocomplete_fields = ["exhibitor"]
    actions = ["remove_from_staff"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: StaffMember | None = None
    ) -> list[str]:
        return ["exhibitor"] if obj is not None else []

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: StaffMember | None = None) -> bool:
        if obj is not None:
            try:
                staff_change_check(exhibitor=obj.exhibitor)
            except ExhibitorError:
                return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, member: StaffMember) -> str:
        return member.full_name

    def save_model(
        self, request: HttpRequest, obj: StaffMember, form: forms.ModelForm, change: bool
    ) -> None:
        values = {name: form.cleaned_data[name] for name in ("first_name", "last_name", "email")}
        values["role"] = form.cleaned_data["role"]
        if change:
            staff_member_update(staff_member=obj, actor=admin_user(request), **values)
        else:
            member = staff_member_add(exhibitor=obj.exhibitor, actor=admin_user(request), **values)
            obj.pk = member.pk
            obj.created_at = member.created_at

    def delete_model(self, request: HttpRequest, obj: StaffMember) -> None:
        staff_member_remove(staff_member=obj, actor=admin_user(request))

    @admin.action(description=_("Remove from the stand staff (revokes the badge)"))
    def remove_from_staff(self, request: HttpRequest, queryset: QuerySet[StaffMember]) -> None:
        for member in queryset.select_related("exhibitor", "exhibitor__fair"):
            try:
                staff_member_remove(staff_member=member, actor=admin_user(request))
            except ExhibitorError as error:
                self.message_user(request, f"{member.full_name}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("%(name)s removed; the badge is revoked.") % {"name": member.full_name},
                    messages.SUCCESS,
                )
