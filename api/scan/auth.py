"""Bearer-token authentication of scanner devices (CSRF-exempt: no cookies are involved)."""

import time
from dataclasses import dataclass, field

from django.http import HttpRequest
from ninja.security import HttpBearer

from api.scan.exceptions import TokenInvalid
from exhibitors.models import Exhibitor
from fair.hashing import secret_hash
from leads.exceptions import DeviceRevoked, ExhibitorNotApproved
from leads.models import ScannerDevice
from leads.selectors import device_for_token
from leads.services.devices import device_seen

# How long this process remembers a stand device for ``DeviceBearer(remember=True)``; bounds
# how old the fair and exhibitor the scan route reads from memory may be (not whether the
# device may scan: the scan's own statement checks that).
REMEMBER_SECONDS = 60.0
REMEMBER_MAX = 10_000  # devices; when full, this process starts over
_remembered: dict[str, tuple[float, ScannerDevice]] = {}  # token digest → (until, device)


def device_memory_clear() -> None:
    """Forget every remembered device (a test starts from a process that just started)."""
    _remembered.clear()


def device_checked(*, token: str) -> ScannerDevice:
    """The device holding ``token`` if it may use the API now; raises ``TokenInvalid``,
    ``DeviceRevoked`` or ``ExhibitorNotApproved``. A stand device is remembered for
    ``DeviceBearer(remember=True)``; a refused one is forgotten."""
    token_hash = secret_hash(token)
    _remembered.pop(token_hash, None)
    device = device_for_token(token=token)
    if device is None:
        raise TokenInvalid()
    if device.revoked_at is not None:
        raise DeviceRevoked()
    # A room device belongs to the organizers: no exhibitor state applies to it.
    if device.exhibitor is not None and device.exhibitor.state != Exhibitor.State.APPROVED:
        raise ExhibitorNotApproved()
    if device.exhibitor is not None:
        if len(_remembered) >= REMEMBER_MAX:
            _remembered.clear()
        _remembered[token_hash] = (time.monotonic() + REMEMBER_SECONDS, device)
    return device


@dataclass(frozen=True)
class DeviceClaim:
    """``request.auth`` of ``DeviceBearer(remember=True)``: a stand device and whether it was
    checked in this request; if not, the route must have the scan's statement check it
    (``lead_capture_fast`` with ``token_hash``) or call ``device_checked``."""

    device: ScannerDevice
    token: str = field(repr=False)  # a credential: never in a traceback or log
    token_hash: str = field(repr=False)
    checked: bool = False


class DeviceBearer(HttpBearer):
    """``Authorization: Bearer <device token>``; ``request.auth`` becomes the ScannerDevice
    (a stand device or a room device; each route says which it serves).

    Looked up by the token's SHA-256 on every request (one indexed query), so a revoked device
    is refused from its very next request. With ``remember=True`` (``POST /scans``, the one
    request a stand device sends all day) ``request.auth`` is a ``DeviceClaim``: a stand device
    this process checked within ``REMEMBER_SECONDS`` comes from memory unchecked, and the
    scan's own statement checks it (still this token, not revoked, exhibitor approved), so a
    scan is one round trip instead of two and a revoked device is still refused from its very
    next request (``bench/scan_load.py`` measured it). Since the check comes with the scan, a
    malformed body from a remembered device revoked since is answered 422 before 401.
    """

    openapi_description = "The device token from `POST /api/scan/pair` (or `create_scanner`)."

    def __init__(self, *, remember: bool = False):
        super().__init__()
        self.remember = remember

    def authenticate(self, request: HttpRequest, token: str) -> ScannerDevice | DeviceClaim:
        token = token.strip()
        if not self.remember:
            device = device_checked(token=token)
            device_seen(device=device)
            return device
        token_hash = secret_hash(token)
        remembered = _remembered.get(token_hash)
        if remembered is not None and remembered[0] > time.monotonic():
            return DeviceClaim(remembered[1], token, token_hash, checked=False)
        device = device_checked(token=token)
        device_seen(device=device)
        return DeviceClaim(device, token, token_hash, checked=True)
