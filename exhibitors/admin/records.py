"""Read-only records: the exhibitors' audit log and their portal accounts."""

import datetime
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from exhibitors.audit_text import audit_entry_text
from exhibitors.models import Exhibitor, ExhibitorAccount, ExhibitorAuditEntry
from fair.admin_mixins import ReadOnlyAdminMixin


class ToStateFilter(admin.SimpleListFilter):
    """The state an entry led to, by its name (the entries store codes)."""

    title = _("new state")
    parameter_name = "to_state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(Exhibitor.State.choices)

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[ExhibitorAuditEntry]
    ) -> QuerySet[ExhibitorAuditEntry]:
        value = self.value()
        return queryset.filter(to_state=value) if value else queryset


@admin.register(ExhibitorAuditEntry)
class ExhibitorAuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The log in words (``audit_entry_text``), never its codes."""

    list_display = ["at", "exhibitor", "what", "note"]
    list_filter = [ToStateFilter, "exhibitor__fair"]
    search_fields = ["exhibitor__company_name", "actor_label", "note"]
    list_select_related = ["exhibitor"]
    date_hierarchy = "at"
    fields = readonly_fields = ("exhibitor", "at", "what", "note")

    @admin.display(description=_("what happened"))
    def what(self, entry: ExhibitorAuditEntry) -> str:
        return audit_entry_text(entry=entry)


@admin.register(ExhibitorAccount)
class ExhibitorAccountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Accounts are made on approval (or with the "send a new portal password link" action);
    access is withdrawn by deactivating the user."""

    list_display = ["user", "user_email", "exhibitor", "password_set", "last_login"]
    list_filter = ["exhibitor__fair", "exhibitor__state"]
    search_fields = ["user__username", "user__email", "exhibitor__company_name"]
    list_select_related = ["user", "exhibitor"]

    @admin.display(description=_("email"), ordering="user__email")
    def user_email(self, account: ExhibitorAccount) -> str:
        return account.user.email

    @admin.display(description=_("password set"), boolean=True)
    def password_set(self, account: ExhibitorAccount) -> bool:
        return account.user.has_usable_password()

    @admin.display(description=_("last login"), ordering="user__last_login")
    def last_login(self, account: ExhibitorAccount) -> datetime.datetime | None:
        return account.user.last_login
