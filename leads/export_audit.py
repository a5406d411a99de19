"""The lead export log: every lead file, PDF report or statistics file handed out is recorded
with who took it (user, API token, device or the command line), what (channel, scope, format,
filters), when, and how many rows left the server.

Streamed files (CSV, XLSX) learn their row count only at the end: ``audited_chunks`` wraps the
byte stream and writes the entry in its ``finally``, with the rows actually produced, also when
the client breaks the download off (then ``completed`` is False). A stream that is never
started sends nothing and records nothing.

The row count comes from the ``RowCounter`` that ``leads.reports`` puts between the lead
rows and the file writer of every lead download.
"""

from __future__ import annotations

import datetime
import getpass
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from exhibitors.models import Exhibitor
from fair.audit import audit_actor_label
from fair.models import Area, Fair
from leads import reports
from leads.models import ExportAuditEntry, Lead, ScannerDevice

logger = logging.getLogger("fairlead.exports")


@dataclass(frozen=True)
class ExportActor:
    """Who takes the file, as stored in the log."""

    label: str
    user: AbstractBaseUser | None = None

    @classmethod
    def for_user(cls, user: AbstractBaseUser | AnonymousUser) -> ExportActor:
        """A logged-in person (views that call this require a login)."""
        assert isinstance(user, AbstractBaseUser)
        return cls(label=user.get_username()[:200], user=user)

    @classmethod
    def for_api_token(cls, token: Any) -> ExportActor:
        """An ``api.models.ApiToken`` (its name and visible prefix; never the secret)."""
        return cls(label=f"API token {token.name} ({token.prefix}…)"[:200], user=token.user)

    @classmethod
    def for_device(cls, device: ScannerDevice) -> ExportActor:
        return cls(label=f"device {device.label} (#{device.pk})"[:200])

    @classmethod
    def for_command(cls, command: str) -> ExportActor:
        try:
            who = getpass.getuser()
        except (KeyError, OSError):  # no login name in a container
            who = "unknown"
        return cls(label=f"manage.py {command} ({who})"[:200])


def _jsonable(filters: dict | None) -> dict:
    result = {}
    for key, value in (filters or {}).items():
        if value in (None, "", [], {}):
            continue
        if isinstance(value, datetime.date | datetime.datetime):
            value = value.isoformat()
        elif not isinstance(value, str | int | float | bool | list):
            value = str(value)
        result[key] = value
    return result


@transaction.atomic
def export_audit_record(
    *,
    actor: ExportActor,
    channel: str,
    scope: str,
    fmt: str,
    row_count: int,
    completed: bool = True,
    filters: dict | None = None,
    fair: Fair | None = None,
    exhibitor: Exhibitor | None = None,
    area: Area | None = None,
    at: datetime.datetime | None = None,
) -> ExportAuditEntry:
    """Write one entry of the lead export log."""
    if fair is None and exhibitor is not None:
        fair = exhibitor.fair
    if fair is None and area is not None:
        fair = area.fair
    return ExportAuditEntry.objects.create(
        at=at or timezone.now(),
        channel=channel,
        scope=scope,
        format=fmt,
        filters=_jsonable(filters),
        user=actor.user,  # type: ignore[misc]  # any user model; the stubs want User
        actor_label=audit_actor_label(actor=actor.user, label=actor.label),
        fair=fair,
        exhibitor=exhibitor,
        area=area,
        row_count=row_count,
        completed=completed,
    )


def audited_chunks(
    chunks: Iterable[bytes], *, counter: reports.RowCounter | KnownCount, **entry: Any
) -> Iterator[bytes]:
    """``chunks`` unchanged; when the stream ends (read to the end, failed, or broken off by
    the client), one log entry with ``counter.count`` rows. ``entry``: the other keyword
    arguments of ``export_audit_record``."""
    completed = False
    try:
        yield from chunks
        completed = True
    finally:
        try:
            export_audit_record(row_count=counter.count, completed=completed, **entry)
        except DatabaseError:
            # Never hide the stream's own error; but a missing entry must be noticed.
            logger.exception("could not write the lead export log entry %s", entry)


@dataclass
class CountedDownload:
    download: reports.Download
    counter: reports.RowCounter | KnownCount


def exhibitor_lead_download(
    *, exhibitor: Exhibitor, fmt: str, leads: QuerySet[Lead] | None = None
) -> CountedDownload:
    """``reports.exhibitor_download`` with its row counter."""
    download = reports.exhibitor_download(exhibitor=exhibitor, fmt=fmt, leads=leads)
    assert download.rows is not None  # lead downloads count their rows
    return CountedDownload(download, download.rows)


def fair_lead_download(*, fair: Fair, fmt: str) -> CountedDownload:
    """``reports.organizer_leads_download`` with its row counter."""
    download = reports.organizer_leads_download(fair=fair, fmt=fmt)
    assert download.rows is not None
    return CountedDownload(download, download.rows)


def audited_download(
    counted: CountedDownload,
    *,
    actor: ExportActor,
    channel: str,
    scope: str,
    fmt: str,
    filters: dict | None = None,
    fair: Fair | None = None,
    exhibitor: Exhibitor | None = None,
    area: Area | None = None,
) -> reports.Download:
    """The download whose stream writes its log entry when it ends."""
    download = counted.download
    return reports.Download(
        filename=download.filename,
        content_type=download.content_type,
        chunks=audited_chunks(
            download.chunks,
            counter=counted.counter,
            actor=actor,
            channel=channel,
            scope=scope,
            fmt=fmt,
            filters=filters,
            fair=fair,
            exhibitor=exhibitor,
            area=area,
        ),
    )


class KnownCount:
    """For ``audited_chunks``: a file whose row count is known before it is made."""

    def __init__(self, count: int):
        self.count = count
