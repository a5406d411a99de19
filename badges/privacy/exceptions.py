"""Privacy requests that cannot be carried out; ``str(exc)`` says why (translated)."""

from django.utils.translation import gettext_lazy as _


class PrivacyRefused(Exception):
    """A privacy request that cannot be carried out; ``str(exc)`` says why (translated)."""


class AttendeeErased(PrivacyRefused):
    def __init__(self) -> None:
        super().__init__(_("This person's data has already been erased."))


class ErasureAlreadyRequested(PrivacyRefused):
    def __init__(self) -> None:
        super().__init__(_("An erasure request is already waiting for the organizers."))


class ErasureNotPending(PrivacyRefused):
    def __init__(self) -> None:
        super().__init__(_("This erasure request was already decided."))


class ErasureReasonMissing(PrivacyRefused):
    def __init__(self) -> None:
        super().__init__(_("Say why the request is rejected: the person is told the reason."))
