import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _settings_with(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.DATABASES['default']['ENGINE'], s.EMAIL_BACKEND]))"
    )
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fair.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True
    )


def test_debug_off_refuses_the_development_secret_key():
    result = _settings_with({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_off_turns_on_secure_cookies_and_hsts():
    result = _settings_with(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "x" * 50,
            "DATABASE_URL": "postgres://u@db.example:5432/fair",
            "EMAIL_URL": "smtp://mailer:pw@mail.example:587?tls=1",
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '[false, true, true, 31536000, "fair.postgresql", '
        '"django.core.mail.backends.smtp.EmailBackend"]'
    )


def test_unknown_email_url_scheme_is_refused():
    result = _settings_with({"EMAIL_URL": "carrier-pigeon://loft"})
    assert result.returncode != 0
    assert "EMAIL_URL" in result.stderr


PRODUCTION = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 50}


def test_production_without_a_mail_server_refuses_to_start():
    env = {key: value for key, value in os.environ.items() if key != "EMAIL_URL"}
    code = "import django; django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "fair.settings", **PRODUCTION},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "EMAIL_URL must name a real mail server" in result.stderr


def test_production_refuses_mail_kept_in_memory():
    result = _settings_with({**PRODUCTION, "EMAIL_URL": "locmem://"})
    assert result.returncode != 0
    assert "locmem" in result.stderr


def test_production_with_console_mail_starts_but_says_so_loudly():
    result = _settings_with({**PRODUCTION, "EMAIL_URL": "console://"})
    assert result.returncode == 0, result.stderr
    assert "WARNING: EMAIL_URL=console:// with DJANGO_DEBUG off" in result.stderr
    assert "console.EmailBackend" in result.stdout


def test_development_default_is_the_console_without_a_warning():
    env = {"DJANGO_DEBUG": "1"}
    result = _settings_with(env)
    assert result.returncode == 0
    assert "WARNING" not in result.stderr
