"""Domain errors of lead capture and scanner devices.

Each carries a stable machine ``code`` that the APIs put into their error body unchanged
(see ``api/errors.py`` for the HTTP status of each code).
"""

from django.utils.translation import gettext_lazy as _


class LeadsError(Exception):
    code = "leads_error"
    default_detail = _("The request could not be carried out.")

    def __init__(self, detail: str | None = None):
        self.detail = detail or self.default_detail
        super().__init__(str(self.detail))


class ExhibitorNotApproved(LeadsError):
    """Only approved exhibitors may have scanner devices and capture leads."""

    code = "exhibitor_inactive"
    default_detail = _("Only approved exhibitors can use scanner devices.")


class DeviceRevoked(LeadsError):
    code = "device_revoked"
    default_detail = _("This scanner device was revoked by its exhibitor.")


class PairingCodeInvalid(LeadsError):
    code = "pairing_code_invalid"
    default_detail = _("This pairing code is not valid.")


class PairingCodeExpired(LeadsError):
    code = "pairing_code_expired"
    default_detail = _("This pairing code has expired; create a new one in the exhibitor portal.")


class PairingCodeUsed(LeadsError):
    code = "pairing_code_used"
    default_detail = _("This pairing code was already used; create a new one in the portal.")


class OwnStaff(LeadsError):
    """The badge belongs to the scanning exhibitor's own stand staff: never a lead."""

    code = "own_staff"
    default_detail = _("This badge belongs to your own stand staff and is not recorded as a lead.")


class NotALead(LeadsError):
    """Organizer and service badges are never leads."""

    code = "not_a_lead"
    default_detail = _("This is an organizer or service badge; it is not recorded as a lead.")


class ClientIdConflict(LeadsError):
    """A client_id that was already used for a different scan (another badge or exhibitor)."""

    code = "client_id_conflict"
    default_detail = _("This client_id was already used for a different scan.")


class LeadDataInvalid(LeadsError):
    """Answers, rating, tags or notes that do not fit; ``fields`` maps a field path to messages."""

    code = "validation_error"
    default_detail = _("Some values are not valid.")

    def __init__(self, fields: dict[str, list[str]], detail: str | None = None):
        self.fields = fields
        super().__init__(detail)


class DeviceLabelTaken(LeadsError):
    code = "device_label_taken"
    default_detail = _("You already have a device with this name.")
