class BadgeUnknown(Exception):
    """No badge has this code (or the text is no badge code at all)."""


class BadgeRevoked(Exception):
    """The badge was revoked (lost, reissued); its code no longer admits anyone."""

    def __init__(self, badge):
        super().__init__("badge revoked")
        self.badge = badge
