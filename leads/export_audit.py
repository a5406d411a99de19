"""The lead export log: every lead file, PDF report or statistics file handed out is recorded
with who took it (user, API token, device or the command line), what (channel, scope, format,
filters), when, and how many rows left the server.

Streamed files (CSV, XLSX) learn their row count only at the end: ``audited_chunks`` wraps the
byte stream and writes the entry in its ``finally``, with the rows actually produced, also when
the client breaks the download off (then ``completed`` is False). A stream that is never
started sends nothing and records nothing.

To count rows, the downloads are put together here from the same parts as
``leads.reports.exhibitor_download`` / ``organizer_leads_download`` (same layout, same
``lead_rows``, same writer; a test holds the bytes equal), with a counter between the rows
and the writer.
"""

from __future__ import annotations

import datetime
import getpass
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from exhibitors.models import Exhibitor
from fair.models import Area, Fair
from leads import exports, reports
from leads.models import ExportAuditEntry, Lead, Question, ScannerDevice

logger = logging.getLogger("fairlead.exports")


@dataclass(frozen=True)
class ExportActor:
    """Who takes the file, as stored in the log."""

    label: str
    user: AbstractBaseUser | None = None

    @classmethod
    def for_user(cls, user: AbstractBaseUser) -> ExportActor:
        return cls(label=user.get_username()[:200], user=user)

    @classmethod
    def for_api_token(cls, token) -> ExportActor:
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
        user=actor.user,
        actor_label=actor.label or "unknown",
        fair=fair,
        exhibitor=exhibitor,
        area=area,
        row_count=row_count,
        completed=completed,
    )


class RowCounter:
    """Passes rows through and counts them."""

    def __init__(self, rows: Iterable):
        self._rows = iter(rows)
        self.count = 0

    def __iter__(self) -> RowCounter:
        return self

    def __next__(self):
        row = next(self._rows)
        self.count += 1
        return row


def audited_chunks(
    chunks: Iterable[bytes], *, counter: RowCounter | KnownCount, **entry
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
    counter: RowCounter | KnownCount


def exhibitor_lead_download(
    *, exhibitor: Exhibitor, fmt: str, leads: QuerySet[Lead] | None = None
) -> CountedDownload:
    """``reports.exhibitor_download`` with a row counter."""
    formats = exports.export_formats()
    if fmt not in formats:
        raise ValueError(f"unknown export format {fmt!r}")
    fair = exhibitor.fair
    zone = reports.fair_zone(fair)
    leads = reports.exhibitor_leads(exhibitor=exhibitor) if leads is None else leads
    leads = leads.filter(exhibitor=exhibitor)
    questions = list(
        Question.objects.filter(exhibitor=exhibitor)
        .order_by("position", "id")
        .only("id", "exhibitor_id", "text", "position")
    )
    if fmt == "salesforce":
        layout = exports.salesforce_layout(source=fair.name, zone_name=zone.key)
    elif fmt == "hubspot":
        layout = exports.hubspot_layout(zone_name=zone.key)
    else:
        layout = exports.standard_layout(questions=questions, zone_name=zone.key)
    counter = RowCounter(reports.lead_rows(leads=leads, zone=zone, questions=questions))
    spec = formats[fmt]
    suffix = {"salesforce": "-salesforce", "hubspot": "-hubspot"}.get(fmt, "")
    download = reports.Download(
        filename=f"leads-{reports._slug(exhibitor.company_name)}{suffix}.{spec.extension}",
        content_type=spec.content_type,
        chunks=exports.lead_export_stream(fmt=fmt, layout=layout, rows=counter),
    )
    return CountedDownload(download, counter)


def fair_lead_download(*, fair: Fair, fmt: str) -> CountedDownload:
    """``reports.organizer_leads_download`` with a row counter."""
    if fmt not in {"csv", "csv-excel", "xlsx"}:
        raise ValueError(f"unknown export format {fmt!r}")
    zone = reports.fair_zone(fair)
    leads = Lead.objects.filter(exhibitor__fair=fair).order_by(
        "exhibitor__company_name", "exhibitor_id", "-last_scanned_at", "-id"
    )
    layout = exports.standard_layout(questions=None, with_exhibitor=True, zone_name=zone.key)
    spec = exports.export_formats()[fmt]
    counter = RowCounter(reports.lead_rows(leads=leads, zone=zone))
    download = reports.Download(
        filename=f"leads-{reports._slug(fair.name)}.{spec.extension}",
        content_type=spec.content_type,
        chunks=exports.lead_export_stream(fmt=fmt, layout=layout, rows=counter),
    )
    return CountedDownload(download, counter)


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
