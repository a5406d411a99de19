"""Scanner devices: create, pair by a one-time code, provision ready-paired, revoke, mark seen.

A device authenticates with a long-lived bearer token that is stored only as a hash; pairing
again replaces the token, so the previous holder is refused at once.

A room device (``room_device_create``) belongs to a forum room instead of an exhibitor and
checks people in to the room's sessions (``leads.services.checkin``); it pairs the same way.

An exhibitor has at most ``settings.FAIRLEAD_DEVICES_PER_EXHIBITOR`` devices, revoked ones
included: every device has its own scan budget (``fair.ratelimit.scans_per_device``), and
neither more devices nor revoking one and creating the next may multiply it (SECURITY.md).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from exhibitors.models import Exhibitor
from fair.hashing import secret_hash
from fair.models import Room
from leads.exceptions import (
    DeviceLabelTaken,
    DeviceLimitReached,
    DeviceRevoked,
    ExhibitorNotApproved,
    PairingCodeExpired,
    PairingCodeInvalid,
    PairingCodeUsed,
)
from leads.models import PairingCode, ScannerDevice
from leads.tokens import device_token_generate, pairing_code_generate, pairing_code_normalize

PAIRING_CODE_VALIDITY = datetime.timedelta(minutes=15)
# Devices per forum room: one or two per door, and a spare (each has its own scan budget).
ROOM_DEVICES_MAX = 6
# last_seen_at is written at most this often per device, so scans do not each cost a write.
LAST_SEEN_RESOLUTION = datetime.timedelta(seconds=60)


@dataclass(frozen=True)
class PairingCodeIssued:
    device: ScannerDevice
    code: str
    expires_at: datetime.datetime


@dataclass(frozen=True)
class DeviceCredentials:
    device: ScannerDevice
    token: str


def _require_approved(exhibitor: Exhibitor) -> None:
    if exhibitor.state != Exhibitor.State.APPROVED:
        raise ExhibitorNotApproved()


def _require_usable(device: ScannerDevice) -> None:
    """A stand device pairs only while its exhibitor is approved; a room device (the
    organizers') always."""
    if device.exhibitor is not None:
        _require_approved(device.exhibitor)


def _device_add(*, owner: dict[str, Exhibitor | Room], label: str, limit: int) -> ScannerDevice:
    """A new device of ``owner`` (``{"exhibitor": …}`` or ``{"room": …}``, whose row the
    caller has locked, so concurrent creations count one after the other): refused when the
    label is taken or ``limit`` devices (revoked ones included) exist."""
    label = label.strip()
    devices = ScannerDevice.objects.filter(**owner)
    if devices.filter(label=label).exists():
        raise DeviceLabelTaken()
    if devices.count() >= limit:
        raise DeviceLimitReached()
    try:
        with transaction.atomic():
            return ScannerDevice.objects.create(label=label, **owner)
    except IntegrityError as exc:
        raise DeviceLabelTaken() from exc


@transaction.atomic
def device_create(*, exhibitor: Exhibitor, label: str) -> ScannerDevice:
    """Register a scanner device for an approved exhibitor (not paired yet)."""
    _require_approved(exhibitor)
    Exhibitor.objects.select_for_update().filter(pk=exhibitor.pk).first()
    return _device_add(
        owner={"exhibitor": exhibitor},
        label=label,
        limit=settings.FAIRLEAD_DEVICES_PER_EXHIBITOR,
    )


@transaction.atomic
def room_device_create(*, room: Room, label: str) -> ScannerDevice:
    """Register a device for the door of a forum room (not paired yet): it checks people in
    to the room's sessions. At most ``ROOM_DEVICES_MAX`` per room, revoked ones included."""
    Room.objects.select_for_update().filter(pk=room.pk).first()
    return _device_add(owner={"room": room}, label=label, limit=ROOM_DEVICES_MAX)


@transaction.atomic
def device_pairing_code_create(
    *, device: ScannerDevice, now: datetime.datetime | None = None
) -> PairingCodeIssued:
    """A new one-time pairing code for the device; earlier unused codes stop working."""
    now = now or timezone.now()
    _require_usable(device)
    if device.revoked_at is not None:
        raise DeviceRevoked()
    PairingCode.objects.filter(device=device, used_at__isnull=True).delete()
    code = pairing_code_generate()
    pairing = PairingCode.objects.create(
        device=device, code_hash=secret_hash(code), expires_at=now + PAIRING_CODE_VALIDITY
    )
    return PairingCodeIssued(device=device, code=code, expires_at=pairing.expires_at)


@transaction.atomic
def device_pair(
    *, pairing_code: str, device_name: str = "", now: datetime.datetime | None = None
) -> DeviceCredentials:
    """Exchange a pairing code for the device's long-lived token.

    Pairing again (with a new code) replaces the token: the previous holder is refused at once.
    """
    now = now or timezone.now()
    code_hash = secret_hash(pairing_code_normalize(pairing_code))
    pairing = (
        PairingCode.objects.select_for_update(of=("self",))
        .select_related("device", "device__exhibitor", "device__room")
        .filter(code_hash=code_hash)
        .first()
    )
    if pairing is None:
        raise PairingCodeInvalid()
    if pairing.used_at is not None:
        raise PairingCodeUsed()
    if pairing.expires_at <= now:
        raise PairingCodeExpired()
    device = pairing.device
    if device.revoked_at is not None:
        raise DeviceRevoked()
    _require_usable(device)
    token = device_token_generate()
    pairing.used_at = now
    pairing.save(update_fields=["used_at"])
    device.token_hash = secret_hash(token)
    device.paired_at = now
    device.last_seen_at = now
    device.paired_name = device_name.strip()[:80]
    device.save(update_fields=["token_hash", "paired_at", "last_seen_at", "paired_name"])
    return DeviceCredentials(device=device, token=token)


@transaction.atomic
def device_provision(*, exhibitor: Exhibitor, label: str) -> DeviceCredentials:
    """Create a device that is paired at once (for organizers handing out prepared phones)."""
    device = device_create(exhibitor=exhibitor, label=label)
    token = device_token_generate()
    device.token_hash = secret_hash(token)
    device.paired_at = timezone.now()
    device.save(update_fields=["token_hash", "paired_at"])
    return DeviceCredentials(device=device, token=token)


@transaction.atomic
def device_revoke(*, device: ScannerDevice, now: datetime.datetime | None = None) -> ScannerDevice:
    """Revoke a device: its token and open pairing codes are refused from now on. Final."""
    if device.revoked_at is None:
        device.revoked_at = now or timezone.now()
        device.save(update_fields=["revoked_at"])
    PairingCode.objects.filter(device=device, used_at__isnull=True).delete()
    return device


def device_seen(*, device: ScannerDevice, now: datetime.datetime | None = None) -> None:
    """Note that the device was active; written at most once per ``LAST_SEEN_RESOLUTION``."""
    now = now or timezone.now()
    if device.last_seen_at is not None and now - device.last_seen_at < LAST_SEEN_RESOLUTION:
        return
    ScannerDevice.objects.filter(pk=device.pk).update(last_seen_at=now)
    device.last_seen_at = now
