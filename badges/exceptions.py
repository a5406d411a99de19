from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from badges.models import Badge


class BadgeUnknown(Exception):
    """No badge has this code (or the text is no badge code at all)."""


class BadgeRevoked(Exception):
    """The badge was revoked (lost, reissued); its code no longer admits anyone."""

    def __init__(self, badge: "Badge") -> None:
        super().__init__("badge revoked")
        self.badge = badge


class ConfirmationInvalid(Exception):
    """The confirmation link was altered, belongs to no pending registration, or expired."""

    def __init__(self, *, expired: bool = False):
        super().__init__("confirmation link expired" if expired else "confirmation link invalid")
        self.expired = expired
