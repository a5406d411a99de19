"""Domain errors of the exhibitor workflow and portal; each carries a message for people."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from exhibitors.models import Exhibitor


class ExhibitorError(Exception):
    """Base class: ``str(error)`` is a translated sentence that can be shown as it is."""


class TransitionNotAllowed(ExhibitorError):
    """The exhibitor's state does not allow this change."""

    def __init__(self, *, exhibitor: "Exhibitor", to_state: str, reason: str = "") -> None:
        from exhibitors.models import Exhibitor

        self.exhibitor = exhibitor
        self.from_state = exhibitor.state
        self.to_state = to_state
        message = _("%(company)s cannot go from “%(from)s” to “%(to)s”.") % {
            "company": exhibitor.company_name,
            "from": Exhibitor.State(exhibitor.state).label,
            "to": Exhibitor.State(to_state).label,
        }
        if reason:
            message = f"{message} {reason}"
        super().__init__(message)


class FairAlreadyStarted(ExhibitorError):
    """The change is only possible before the fair starts."""


class StandNotAvailable(ExhibitorError):
    """The stand is taken, reserved, or belongs to another area."""


class NoFreeStand(ExhibitorError):
    """No free stand is left in the exhibitor's area."""


class InvalidStaffQuota(ExhibitorError):
    """A staff quota outside 0 … 32767."""


class StaffQuotaReached(ExhibitorError):
    """All staff badges of the quota are in use."""


class StaffEmailTaken(ExhibitorError):
    """Another staff member of the same exhibitor has this email address."""


class StaffChangeNotAllowed(ExhibitorError):
    """Staff can be changed only for an approved exhibitor until the fair is over."""


class ProfileLocked(ExhibitorError):
    """The profile can no longer be edited (fair started, or registration withdrawn/rejected)."""


class PortalAccountConflict(ExhibitorError):
    """The contact's user account already belongs to another exhibitor."""


class StandPlanInvalid(ExhibitorError):
    """A stand (or a row of a stand plan) cannot be saved: overlap, duplicate number, bad
    value. ``errors`` lists every problem, for people."""

    def __init__(self, message: str, *, errors: list[str] | None = None) -> None:
        self.errors = errors or [message]
        super().__init__(message)


class MessageRefused(ExhibitorError):
    """A message to exhibitors cannot be sent as it is (texts incomplete or too long, nobody
    selected, the selection changed since the preview); ``str(error)`` says why."""
