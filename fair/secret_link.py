"""Pages whose URL is a credential (a visitor's badge link, a confirmation or invitation link).

``secret_link_page`` wraps such a view so that its URL goes nowhere else:

* ``Referrer-Policy: same-origin``: the browser sends the URL as ``Referer`` only to our own
  site, never to another one. ``no-referrer`` would hide it from us too, and then Chromium sends
  ``Origin: null`` with the page's own form posts, which Django's CSRF check rightly refuses
  (issue 10). With ``same-origin`` a same-origin POST carries the real ``Origin``, so CSRF
  protection stays exactly as strict as everywhere else.
* never cached (``Cache-Control: no-store`` and friends), not indexed (``X-Robots-Tag``).
* the page loads nothing from other sites: the site-wide Content-Security-Policy allows only
  ``'self'`` for scripts, styles, images, fonts and connections (``fair/security.py``), so no
  third party can learn the URL from a request for a resource.

Our own access log would still see the URL as a path or a ``Referer``: ``fair.logging``
redacts secret path segments from every log line.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers

SECRET_LINK_REFERRER_POLICY = "same-origin"


def secret_link_headers(response: HttpResponseBase) -> HttpResponseBase:
    """Give a response the headers of a secret-link page (see the module docstring)."""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = SECRET_LINK_REFERRER_POLICY
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def secret_link_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Decorate a view whose URL holds a secret (see the module docstring)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return secret_link_headers(view(request, *args, **kwargs))

    return wrapper
