"""Admin building blocks that every app's back office shares instead of permission overrides."""

from typing import Any

from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString


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


def email_wrappable(address: str) -> SafeString:
    """An email address that a narrow table column may wrap before the "@" (and nowhere else):
    long addresses would otherwise push a change list wider than a 1280 px screen."""
    local, at, domain = (address or "").rpartition("@")
    if not at:
        return format_html("{}", address or "")
    return format_html("{}<wbr>@{}", local, domain)
