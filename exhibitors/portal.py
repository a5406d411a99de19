"""What every page of the exhibitor portal shares, whichever app it lives in: the one
``portal_page`` decorator, the portal navigation and the base template context.

Portal pages live in the app that owns their data (profile here, staff in ``badges``, devices
and leads in ``leads``, API tokens in ``api``); each is decorated with ``portal_page`` and
renders with ``portal_context``. The navigation names its pages by URL name only, so this
module imports none of the apps above it; a page whose URL is not installed is left out.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from exhibitors.models import Exhibitor
from exhibitors.selectors import exhibitor_account_for_user

# (key, URL name) of the portal navigation, in the order shown.
_NAV = (
    ("overview", "portal:overview"),
    ("profile", "portal:profile"),
    ("staff", "portal:staff"),
    ("devices", "devices:list"),
    ("leads", "leads:list"),
)


def _nav_labels() -> dict[str, str]:
    # Spelled out so that makemessages finds each label.
    return {
        "overview": _("Overview"),
        "profile": _("Company profile"),
        "staff": _("Stand staff"),
        "devices": _("Scanner devices"),
        "leads": _("Leads"),
    }


def portal_nav(current: str) -> list[dict[str, Any]]:
    """The portal's navigation items; ``current`` marks the page's own section."""
    labels = _nav_labels()
    items = []
    for key, url_name in _NAV:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"key": key, "label": labels[key], "url": url, "current": key == current})
    return items


def portal_context(exhibitor: Exhibitor, current: str, **extra: Any) -> dict[str, Any]:
    """The context every portal template extends (``exhibitors/portal/base.html``)."""
    return {
        "exhibitor": exhibitor,
        "fair": exhibitor.fair,
        "portal_nav": portal_nav(current),
        **extra,
    }


class PortalRequest(HttpRequest):
    """The request a portal view gets: ``portal_page`` lets only a logged-in user through."""

    user: User


PortalView = Callable[..., HttpResponseBase]


def portal_page(view: PortalView) -> Callable[..., HttpResponseBase]:
    """Log-in required, never cached; the view is called with the user's exhibitor (with its
    fair, area, hall and stand) after the request. A user without one gets the 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        account = exhibitor_account_for_user(user=request.user)
        if account is None:
            return render(request, "exhibitors/portal/no_access.html", status=403)
        # Cache the account on the user: the page header asks for it again.
        request.user.exhibitor_account = account  # type: ignore[union-attr]
        return view(request, account.exhibitor, *args, **kwargs)

    return login_required(never_cache(wrapper))
