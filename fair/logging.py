"""No secret link in any log line.

Some of our URLs are credentials: a visitor's badge link, confirmation and invitation links,
password-reset links, a scanner's pairing code. Whoever reads a log must not be able to open
them. Two pieces do this:

* ``SecretRedactingFilter`` sits on every handler of ``settings.LOGGING`` (so it covers
  ``django.request``, ``django.server``, ``django.security.csrf`` and anything else that
  propagates to them) and rewrites each record's message with ``secrets_redact``.
* ``RedactingGunicornLogger`` is gunicorn's logger class (``logger_class =
  "fair.logging.RedactingGunicornLogger"`` in gunicorn.conf.py): every atom of the access
  log (request line, path, query, ``Referer`` — secret-link pages send their URL as a
  same-origin referrer — and every header) is redacted before formatting, and the error
  log's handlers get the filter.

``secrets_redact`` replaces only the secret path segment (``/badge/[redacted]/badge.pdf``),
so the log still says which kind of page was asked for.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from gunicorn.glogging import Logger as GunicornLogger

REDACTED = "[redacted]"

# Each pattern keeps group 1 (the route) and replaces the secret that follows it.
_SECRET_SEGMENT = r"[^/?#\s\"']+"
_SECRET_PATHS = re.compile(
    r"("
    r"/badge/(?!again/)"  # the visitor's badge link (not "find my badge link again")
    r"|/register/confirm/"  # visitor confirmation
    r"|/exhibitors/confirm/"  # exhibitor registration confirmation
    r"|/exhibitor/invitation/"  # exhibitor portal invitation
    r"|/reset/"  # Django's password reset: /reset/<uidb64>/<token>/
    r")" + _SECRET_SEGMENT
)
_RESET_TOKEN = re.compile(r"(/reset/\[redacted\]/)(?!set-password/)" + _SECRET_SEGMENT)
_SECRET_QUERY = re.compile(r"((?:^|[?&])(?:pair|token|code)=)[^&#\s\"']+")
# Request headers that are credentials in themselves.
_SECRET_HEADERS = {"{authorization}i", "{cookie}i", "{x-csrftoken}i"}


def secrets_redact(text: str) -> str:
    """``text`` with every secret path segment and secret query value replaced."""
    if "/" not in text and "=" not in text:
        return text
    text = _SECRET_PATHS.sub(rf"\1{REDACTED}", text)
    text = _RESET_TOKEN.sub(rf"\1{REDACTED}", text)
    return _SECRET_QUERY.sub(rf"\1{REDACTED}", text)


class SecretRedactingFilter(logging.Filter):
    """Rewrites a record's message (formatted with its arguments) without secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = secrets_redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def _atoms_redact(atoms: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: REDACTED
        if key.lower() in _SECRET_HEADERS
        else secrets_redact(value)
        if isinstance(value, str)
        else value
        for key, value in atoms.items()
    }


# A view sets this WSGI environ key for answers not worth an access-log line when they succeed:
# the forum's live results, polled each second by every projector and vote page, hundreds of
# lines a second during a vote that say nothing (bench/voting.py: a tenth of a worker's time
# went to writing them). Django's request.META is the WSGI environ, so the flag reaches here.
QUIET_ACCESS_LOG = "fairlead.quiet_access_log"


class RedactingGunicornLogger(GunicornLogger):
    """gunicorn's logger with secret links redacted from the access and error logs, and
    without the lines of successful requests a view marked ``QUIET_ACCESS_LOG``."""

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        if environ.get(QUIET_ACCESS_LOG) and str(resp.status)[:3] in ("200", "304"):
            return
        super().access(resp, req, environ, request_time)

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.addFilter(SecretRedactingFilter())

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        return _atoms_redact(super().atoms(resp, req, environ, request_time))
