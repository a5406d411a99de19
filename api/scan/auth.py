"""Bearer-token authentication of scanner devices (CSRF-exempt: no cookies are involved)."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from api.scan.exceptions import TokenInvalid
from exhibitors.models import Exhibitor
from leads.exceptions import DeviceRevoked, ExhibitorNotApproved
from leads.models import ScannerDevice
from leads.selectors import device_for_token
from leads.services.devices import device_seen


class DeviceBearer(HttpBearer):
    """``Authorization: Bearer <device token>``; ``request.auth`` becomes the ScannerDevice
    (a stand device or a room device; each route says which it serves).

    Looked up by the token's SHA-256 on every request (one indexed query, no cache), so a
    revoked device is refused from its very next request.
    """

    openapi_description = "The device token from `POST /api/scan/pair` (or `create_scanner`)."

    def authenticate(self, request: HttpRequest, token: str) -> ScannerDevice:
        device = device_for_token(token=token.strip())
        if device is None:
            raise TokenInvalid()
        if device.revoked_at is not None:
            raise DeviceRevoked()
        # A room device belongs to the organizers: no exhibitor state applies to it.
        if device.exhibitor is not None and device.exhibitor.state != Exhibitor.State.APPROVED:
            raise ExhibitorNotApproved()
        device_seen(device=device)
        return device
