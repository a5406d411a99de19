"""fair.middleware: the device API goes past session, CSRF, authentication and messages, and
keeps everything else (security headers, host check, language)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_device_api_runs_without_session_user_and_messages(api):
    response = api.get("/api/scan/me")
    assert response.status_code == 200
    request = response.wsgi_request
    assert not hasattr(request, "session")
    assert not hasattr(request, "user")
    assert not hasattr(request, "_messages")
    assert "Set-Cookie" not in response.headers and "Cookie" not in response.get("Vary", "")


def test_the_device_api_keeps_security_headers_and_language(scanner):
    client = Client(HTTP_AUTHORIZATION="Bearer wrong", HTTP_ACCEPT_LANGUAGE="de")
    response = client.post("/api/scan/scans", {}, content_type="application/json")
    assert response.status_code == 401
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert header in response.headers
    assert response["Content-Language"] == "de"


def test_the_device_api_still_checks_the_host(api):
    response = api.get("/api/scan/me", HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_pages_keep_session_user_and_csrf(client):
    response = client.get("/accounts/login/")
    request = response.wsgi_request
    assert hasattr(request, "session") and hasattr(request, "user")
    assert "csrftoken" in response.cookies
