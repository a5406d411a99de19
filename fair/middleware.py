"""Django's cookie middleware, skipped for the cookie-less device API.

The scan API (``/api/scan/``) authenticates every request with a device token; it reads no
session, no logged-in user and no flash messages. Running those three middlewares for it costs
CPU on the hottest path of the fair (``bench/README.md``: about a tenth of a scan's Python time) and
changes nothing in its answers. So each of them is used through a subclass here that passes
requests under ``settings.FAIRLEAD_COOKIELESS_PATHS`` straight on; every other request, and
every security middleware (headers, host check, NUL guard, locale for the error texts), runs
as before. The subclasses keep Django's checks working (``admin.E408``–``E410`` look for
subclasses of the originals). CSRF stays Django's own middleware, which ``check --deploy``
looks for by name; the scan API's views are CSRF-exempt, so it passes them at once.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as _Authentication
from django.contrib.messages.middleware import MessageMiddleware as _Message
from django.contrib.sessions.middleware import SessionMiddleware as _Session
from django.http import HttpRequest


def cookieless(request: HttpRequest) -> bool:
    """Whether the request goes to a path that works without cookies (the device API)."""
    return request.path_info.startswith(tuple(settings.FAIRLEAD_COOKIELESS_PATHS))


class _SkippedWhenCookieless:
    """Mixin for a ``MiddlewareMixin`` middleware: cookie-less requests go past it."""

    def __call__(self, request: HttpRequest) -> Any:
        if not self.async_mode and cookieless(request):  # type: ignore[attr-defined]
            return self.get_response(request)  # type: ignore[attr-defined]
        return super().__call__(request)  # type: ignore[misc]


class SessionMiddleware(_SkippedWhenCookieless, _Session):
    pass


class AuthenticationMiddleware(_SkippedWhenCookieless, _Authentication):
    pass


class MessageMiddleware(_SkippedWhenCookieless, _Message):
    pass
