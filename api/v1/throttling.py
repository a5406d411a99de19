"""Rate limits of ``/api/v1/``: DRF's throttle hooks, counted by ``fair.ratelimit`` like every
other limit (scopes ``api_token`` and ``api_anon_ip``; change them with
``FAIRLEAD_RATE_LIMITS``)."""

from collections.abc import Callable

from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from api.models import ApiToken
from fair.ratelimit import RateLimit, api_anon_per_ip, api_per_token, client_ip, rate_limit_hit


def _rate_text(limit: RateLimit) -> str:
    if limit.window_seconds == 60:
        return f"{limit.limit}/min"
    return f"{limit.limit}/{limit.window_seconds} s"


# The rates as the documentation page states them (api/v1/docs.py).
DEFAULT_RATES = {"api": _rate_text(api_per_token()), "api_anon": _rate_text(api_anon_per_ip())}


class _LimitThrottle(BaseThrottle):
    limit: Callable[[], RateLimit]

    def key(self, request: Request) -> str | None:
        """Whom the request counts for; None: not this throttle's business."""
        raise NotImplementedError

    def allow_request(self, request: Request, view: APIView) -> bool:
        key = self.key(request)
        self._wait = None if key is None else rate_limit_hit(limit=type(self).limit(), key=key)
        return self._wait is None

    def wait(self) -> float | None:
        return self._wait


class ApiRateThrottle(_LimitThrottle):
    """Per API token (each integration its own budget), else per session user."""

    limit = staticmethod(api_per_token)

    def key(self, request: Request) -> str | None:
        if isinstance(request.auth, ApiToken):
            return f"token-{request.auth.pk}"
        if request.user and request.user.is_authenticated and request.user.pk is not None:
            return f"user-{request.user.pk}"
        return None


class ApiAnonRateThrottle(_LimitThrottle):
    """Per client address, for requests without a login or token (schema, documentation).
    The address is counted as ``fair.ratelimit.client_ip`` does (a forged X-Forwarded-For
    counts for nothing)."""

    limit = staticmethod(api_anon_per_ip)

    def key(self, request: Request) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return client_ip(request)
