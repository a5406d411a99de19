"""Domain errors of lead capture and scanner devices.

Each carries a sentence for people (``detail``); the APIs answer each with the code, status
and text of the error table in ``api/errors.py``.
"""

from django.utils.translation import gettext_lazy as _


class LeadsError(Exception):
    default_detail = _("The request could not be carried out.")

    def __init__(self, detail: str | None = None):
        self.detail = detail or self.default_detail
        super().__init__(str(self.detail))


class ExhibitorNotApproved(LeadsError):
    """Only approved exhibitors may have scanner devices and capture leads."""

    default_detail = _("Only approved exhibitors can use scanner devices.")


class DeviceRevoked(LeadsError):
    default_detail = _("This scanner device was revoked by its exhibitor.")


class PairingCodeInvalid(LeadsError):
    default_detail = _("This pairing code is not valid.")


class PairingCodeExpired(LeadsError):
    default_detail = _("This pairing code has expired; create a new one in the exhibitor portal.")


class PairingCodeUsed(LeadsError):
    default_detail = _("This pairing code was already used; create a new one in the portal.")


class OwnStaff(LeadsError):
    """The badge belongs to the scanning exhibitor's own stand staff: never a lead."""

    default_detail = _("This badge belongs to your own stand staff and is not recorded as a lead.")


class NotALead(LeadsError):
    """Organizer and service badges are never leads."""

    default_detail = _("This is an organizer or service badge; it is not recorded as a lead.")


class ClientIdConflict(LeadsError):
    """A client_id that was already used for a different scan (another badge or exhibitor)."""

    default_detail = _("This client_id was already used for a different scan.")


class LeadDataInvalid(LeadsError):
    """Answers, rating, tags or notes that do not fit; ``fields`` maps a field path to messages."""

    default_detail = _("Some values are not valid.")

    def __init__(self, fields: dict[str, list[str]], detail: str | None = None):
        self.fields = fields
        super().__init__(detail)


class DeviceLabelTaken(LeadsError):
    default_detail = _("You already have a device with this name.")


class DeviceLimitReached(LeadsError):
    """An exhibitor has as many devices as ``FAIRLEAD_DEVICES_PER_EXHIBITOR`` allows."""

    default_detail = _("You have as many scanner devices as an exhibitor may have.")


class ScanBudgetUsedUp(LeadsError):
    """The device has used up its scan budget (``fair.ratelimit.scans_per_device``)."""

    default_detail = _("Too many requests; try again shortly.")

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__()


class NotAStandDevice(LeadsError):
    """A room device (session check-in) asked for something only stand devices do."""

    default_detail = _(
        "This device is paired to a forum room for session check-in; it does not capture leads."
    )


class NotARoomDevice(LeadsError):
    """A stand device asked to check people in to a session."""

    default_detail = _("Only a device paired to a forum room checks people in to sessions.")


class NoSessionNow(LeadsError):
    """No session runs in the device's room at the check-in time, and none starts soon."""

    default_detail = _(
        "No session in this room now or within the next 15 minutes; nobody was checked in."
    )


class SessionFull(LeadsError):
    """The session has as many people checked in as its room holds."""

    default_detail = _("The room is full: this person cannot be checked in.")


class AttendanceExportRefused(LeadsError):
    """A session's attendance list leaves only for a purpose the privacy notice states, and
    only at a fair that has a privacy notice."""

    default_detail = _("Choose one of the purposes stated in the privacy notice.")
