"""The project's own pages: home, login (ours and the admin's, both rate-limited), the 429
page and the health check."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from fair import ratelimit
from fair.auth import LoginForm, login_key
from fair.selectors import areas_open_for_registration, fairs_with_areas


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 after a database round trip, 503 when the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico for pages without our <head> (the admin, the API's pages): browsers ask
    for it, and a 404 is an error in the console."""
    return redirect(static("fair/favicon.ico"), permanent=True)


def home_for(user: Any) -> str:
    """Where a logged-in person works: the exhibitor portal, the organizers' home, or the
    public home page."""
    if getattr(user, "exhibitor_account", None) is not None:
        return resolve_url("portal:overview")
    if user.is_staff:
        return resolve_url("organizer:home")
    return resolve_url("home")


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "fair/home.html",
        {"areas": areas_open_for_registration(), "fairs": fairs_with_areas()[:5]},
    )


def too_many_requests(request: HttpRequest, *, retry_after: int) -> HttpResponse:
    response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _login_failed(response: HttpResponseBase) -> bool:
    """A login page that comes back with its bound form's errors: a failed attempt."""
    if not isinstance(response, TemplateResponse):
        return False
    form = (response.context_data or {}).get("form")
    return isinstance(form, forms.Form) and form.is_bound and bool(form.errors)


def login_rate_limited(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Limit wrong passwords per address and per account (``fair.auth.login_key``) on a
    login view. Before an attempt it asks ``rate_limit_wait``; only a failed attempt counts
    (``rate_limit_hit``), so logging in correctly never locks anyone out. Every login page
    (ours, the admin's, the browsable API's) is wrapped and shares the same budgets."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        limits = [(ratelimit.login_per_ip(), ratelimit.client_ip(request))]
        account = login_key(request.POST.get("username", ""))
        if account:
            limits.append((ratelimit.login_per_account(), account))
        waits = [ratelimit.rate_limit_wait(limit=limit, key=key) for limit, key in limits]
        if any(waits):
            return too_many_requests(request, retry_after=max(wait for wait in waits if wait))
        response = view(request, *args, **kwargs)
        if _login_failed(response):
            for limit, key in limits:
                ratelimit.rate_limit_hit(limit=limit, key=key)
        return response

    return wrapper


class LoginView(auth_views.LoginView):
    """Django's login with the email field; each role lands where it works."""

    authentication_form = LoginForm

    def get_default_redirect_url(self) -> str:
        return home_for(self.request.user)


login = login_rate_limited(LoginView.as_view())
# The browsable API's login link, through the same view and limits.
api_login = login_rate_limited(LoginView.as_view(template_name="rest_framework/login.html"))
# The admin's own login page, with the same limits as ours.
admin_login = login_rate_limited(admin.site.login)
