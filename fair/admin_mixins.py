"""Admin building blocks that every app's back office shares instead of permission overrides."""

from typing import Any

from django.http import HttpRequest


class NoAddAdminMixin:
    """Rows that a service makes elsewhere (registration, import, pairing), never by hand here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdminMixin(NoAddAdminMixin):
    """A log or a history: shown, never added, changed or deleted in the admin."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NoDeleteAdminMixin:
    """Rows whose history matters (badges, requests): changed by actions, never deleted."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
