from django.contrib.auth import views as auth_views
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from fair import ratelimit
from fair.selectors import areas_open_for_registration


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


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "fair/home.html", {"areas": areas_open_for_registration()})


def too_many_requests(request: HttpRequest, *, retry_after: int) -> HttpResponse:
    response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class LoginView(auth_views.LoginView):
    """Django's login, limited per account and per address against password guessing."""

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "").strip().lower()
        waits = [
            ratelimit.rate_limit_hit(
                limit=ratelimit.login_per_ip(), key=ratelimit.client_ip(request)
            ),
            ratelimit.rate_limit_hit(limit=ratelimit.login_per_account(), key=username)
            if username
            else None,
        ]
        if any(waits):
            return too_many_requests(request, retry_after=max(w for w in waits if w))
        return super().post(request, *args, **kwargs)
