"""Rate limits of ``/api/v1/`` (DRF throttling on the default cache, a DatabaseCache that all
app processes share). Rates: ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api"]`` and
``["api_anon"]`` when set, else the defaults below."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken
from fair.ratelimit import client_ip

DEFAULT_RATES = {"api": "600/min", "api_anon": "60/min"}


class _ConfiguredRateThrottle(SimpleRateThrottle):
    def get_rate(self) -> str:
        rates = api_settings.DEFAULT_THROTTLE_RATES or {}
        return rates.get(self.scope) or DEFAULT_RATES[self.scope]


class ApiRateThrottle(_ConfiguredRateThrottle):
    """Per API token (each integration its own budget), else per session user."""

    scope = "api"

    def get_cache_key(self, request, view) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated and request.user.pk is not None:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ApiAnonRateThrottle(_ConfiguredRateThrottle):
    """Per client address, for requests without a login or token (schema, documentation)."""

    scope = "api_anon"

    def get_ident(self, request) -> str:
        # DRF's own get_ident trusts any X-Forwarded-For unless NUM_PROXIES is set, so a
        # client could pick a fresh address per request; count as fair.ratelimit does.
        return client_ip(request)

    def get_cache_key(self, request, view) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
