"""Read-only records: the exhibitors' audit log and their portal accounts."""

import datetime

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from exhibitors.audit_text import audit_entry_text
from exhibitors.models import ExhibitorAccount, ExhibitorAuditEntry
from fair.admin_mixins import ReadOnlyAdminMixin


class AuditTransitionMixin:
    """The audit list and the exhibitor's audit inline show one column "Submitted → Approved"
    instead of two columns of state codes."""

    @admin.display(description=_("state change"))
    def audit_transition(self, entry: ExhibitorAuditEntry) -> str:
        return entry.transition


@admin.register(ExhibitorAuditEntry)
class ExhibitorAuditEntryAdmin(AuditTransitionMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "exhibitor", "what", "action", "audit_transition", "note"]
    list_filter = ["action", "to_state", "exhibitor__fair"]
    search_fields = ["exhibitor__company_name", "actor_label", "note"]

    @admin.display(description=_("what happened"))
    def what(self, entry: ExhibitorAuditEntry) -> str:
        return audit_entry_text(entry=entry)

    list_select_related = ["exhibitor"]
    date_hierarchy = "at"


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
