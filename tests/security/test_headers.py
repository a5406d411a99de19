"""Security headers on every response, and a deployment that `check --deploy` finds clean."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from fair.security import csp_header, permissions_policy_header

ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


@pytest.mark.parametrize("path", ["/", "/scan/", "/api/scan/docs", "/api/v1/docs/", "/healthz"])
def test_every_page_has_a_content_security_policy(client, db, path):
    csp = directives(client.get(path))
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'", "'wasm-unsafe-eval'"]  # no inline script, no eval
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]


def test_scanner_page_may_use_the_camera_and_nothing_else_may(client, db):
    response = client.get("/scan/")
    policy = dict(item.split("=", 1) for item in response["Permissions-Policy"].split(", "))
    assert policy["camera"] == "(self)"
    assert policy["microphone"] == "()" and policy["geolocation"] == "()"
    csp = directives(response)
    assert csp["media-src"] == ["'self'", "blob:"]
    assert csp["worker-src"] == ["'self'"] and csp["manifest-src"] == ["'self'"]


def test_other_security_headers(client, db):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_header_a_view_sets_itself_is_kept(rf, settings):
    from django.http import HttpResponse

    from fair.security import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse()
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = SecurityHeadersMiddleware(view)(rf.get("/"))
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert "camera=(self)" in response["Permissions-Policy"]


def test_report_only_mode_sends_the_policy_under_the_report_only_header(client, db):
    with override_settings(FAIRLEAD_CSP_REPORT_ONLY=True):
        response = client.get("/")
    assert "Content-Security-Policy" not in response
    assert "frame-ancestors 'none'" in response["Content-Security-Policy-Report-Only"]


def test_header_values_are_built_from_the_settings():
    assert csp_header({"default-src": ["'self'"], "upgrade-insecure-requests": []}) == (
        "default-src 'self'; upgrade-insecure-requests"
    )
    assert permissions_policy_header({"camera": ["self"], "usb": []}) == "camera=(self), usb=()"


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    # Not inherited from the browser tests' process (Django warns about it, rightly).
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "fair.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64)[:50],
        "DJANGO_ALLOWED_HOSTS": "fair.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "EMAIL_URL": "smtp://mail.fair.example:587?tls=1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_settings_refuse_a_secret_key_shorter_than_check_deploy_wants(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fair.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64)[:49],
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_rate_limits_can_be_set_from_the_environment():
    code = (
        "import django; django.setup(); from fair import ratelimit; "
        "print(ratelimit.scans_per_device().limit, ratelimit.pairing_per_ip().window_seconds)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fair.settings",
        "FAIRLEAD_RATE_LIMITS": "scans_device=100000/600, pairing_ip=5/60",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["100000", "60"], result.stderr


def test_a_malformed_rate_limit_setting_stops_the_start():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fair.settings",
        "FAIRLEAD_RATE_LIMITS": "scans_device=lots",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "FAIRLEAD_RATE_LIMITS" in result.stderr
