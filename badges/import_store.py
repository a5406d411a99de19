"""The uploaded file of an import wizard, kept between its steps.

The wizard's steps (mapping, dry run, import) all need the very file that was uploaded, and a
ticketing file holds personal data: it is kept on the server, not sent back and forth through
the browser. Each upload is stored under ``MEDIA_ROOT/attendee-imports/`` with a random name
of 32 bytes (never in a URL: the organizer's session holds it), readable only by the server's
user, deleted when the import is done or canceled, and files older than ``MAX_AGE`` are
deleted with the saved results of their chunks (``AttendeeImportChunk``) whenever the wizard
takes a new upload and by the nightly housekeeping (``purge_expired``), so an abandoned wizard
leaves nothing for long.
"""

import datetime
import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from badges.importer import MAX_BYTES
from badges.models import AttendeeImportChunk

MAX_AGE = datetime.timedelta(hours=6)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "attendee-imports"


def _path(token: str) -> Path | None:
    return _folder() / f"{token}.csv" if _TOKEN.fullmatch(token or "") else None


def import_file_store(*, content: bytes) -> str:
    """Store the upload; returns its token. Raises ValueError for a file over the limit."""
    if len(content) > MAX_BYTES:
        raise ValueError("file too large")
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    path = folder / f"{token}.csv"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(content)
    return token


def import_file_read(*, token: str) -> bytes | None:
    """The stored upload, or None when the token is malformed or the file is gone."""
    path = _path(token)
    if path is None or not path.is_file():
        return None
    return path.read_bytes()


def import_file_delete(*, token: str) -> None:
    path = _path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def _files_expired(max_age: datetime.timedelta) -> list[Path]:
    folder = _folder()
    if not folder.is_dir():
        return []
    limit = time.time() - max_age.total_seconds()
    return [path for path in folder.glob("*.csv") if path.stat().st_mtime < limit]


def import_files_expire(*, max_age: datetime.timedelta = MAX_AGE) -> int:
    """Delete stored uploads older than ``max_age``; returns how many."""
    expired = _files_expired(max_age)
    for path in expired:
        path.unlink(missing_ok=True)
    return len(expired)


def import_leftovers_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete what abandoned wizards left, older than ``MAX_AGE``: stored uploads and the saved
    results of their chunks (names, emails and ticket numbers of the rows); how many. The
    files go when the caller's transaction commits (a dry run of the housekeeping keeps them).
    """
    now = now or timezone.now()
    chunks, _by_model = AttendeeImportChunk.objects.filter(created_at__lt=now - MAX_AGE).delete()
    expired = _files_expired(MAX_AGE)

    def files_delete() -> None:
        for path in expired:
            path.unlink(missing_ok=True)

    transaction.on_commit(files_delete)
    return len(expired) + chunks
