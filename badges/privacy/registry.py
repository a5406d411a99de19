"""What the apps above ``badges`` hold about attendees, and how visitor privacy reaches it.

Apps import only downwards (fair ← exhibitors ← badges ← leads ← api), yet consent,
erasure, the data copy and retention must reach what ``leads`` keeps about an attendee. So
the dependency is inverted: an app that holds attendee data implements ``AttendeeDataHolder``
and registers one instance from its ``AppConfig.ready()``::

    from badges.privacy.registry import attendee_data_holder_register
    attendee_data_holder_register(LeadsPrivacy())

Privacy code then asks every registered holder, never importing the app:

* ``captures`` — who captured the attendee (the badge page and the data copy list them);
* ``checkins`` — the forum sessions the attendee was checked in to (the data copy lists them);
* ``touch`` — the attendee's consent changed: mark what the holder derives from it as
  changed (e.g. leads, so "changed since" syncs fetch the reduced record);
* ``anonymize`` — erase what the holder keeps about these attendees (inside the caller's
  transaction); returns counts for the privacy log;
* ``purge_stale`` — retention housekeeping of the holder's own short-lived secrets; returns
  counts.

Counts are keyed by a stable name (stored in the privacy log's details); ``count_labels``
gives each name's English phrase for the ``purge_expired`` report.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from badges.models import Attendee


@dataclass(frozen=True)
class Capture:
    """One exhibitor that scanned the attendee's badge (what the visitor may see of a lead)."""

    exhibitor: str
    stand: str
    first_scanned_at: datetime.datetime  # in the fair's time zone
    last_scanned_at: datetime.datetime
    scan_count: int


@dataclass(frozen=True)
class Checkin:
    """One forum session the attendee was checked in to at the door."""

    session: str  # the program's code
    title: str
    room: str
    checked_in_at: datetime.datetime  # in the fair's time zone


class AttendeeDataHolder(Protocol):
    @property
    def count_labels(self) -> Mapping[str, str]: ...

    def captures(self, *, attendee: "Attendee") -> list[Capture]: ...

    def checkins(self, *, attendee: "Attendee") -> list[Checkin]: ...

    def touch(self, *, attendee_ids: Sequence[int], now: datetime.datetime) -> None: ...

    def anonymize(
        self, *, attendee_ids: Sequence[int], now: datetime.datetime
    ) -> dict[str, int]: ...

    def purge_stale(self, *, now: datetime.datetime) -> dict[str, int]: ...


_holders: list[AttendeeDataHolder] = []


def attendee_data_holder_register(holder: AttendeeDataHolder) -> None:
    """Register a holder (once per class: a second ``ready()`` replaces the first)."""
    _holders[:] = [known for known in _holders if type(known) is not type(holder)]
    _holders.append(holder)


def attendee_data_holders() -> tuple[AttendeeDataHolder, ...]:
    return tuple(_holders)


def count_label(key: str) -> str:
    """The English phrase of a holder's count, e.g. "lead note(s) deleted"."""
    for holder in _holders:
        if key in holder.count_labels:
            return holder.count_labels[key]
    return key.replace("_", " ")
