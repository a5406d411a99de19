"""Fairlead settings: read only from the environment, with safe development defaults."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

_DEV_SECRET_KEY = "dev-insecure-fairlead-key-only-for-local-development"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEV_SECRET_KEY)
# 50 characters: what `manage.py check --deploy` (security.W009) asks for.
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters "
        "when DJANGO_DEBUG is off."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

FAIRLEAD_BASE_URL = os.environ.get("FAIRLEAD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Named on public pages and in mails as the address to write to (e.g. about a duplicate).
FAIRLEAD_ORGANIZER_EMAIL = os.environ.get("FAIRLEAD_ORGANIZER_EMAIL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_countries",
    "ninja",
    "fair",
    "exhibitors",
    "badges",
    "leads",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fair.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Session, authentication and messages as Django's, but skipped for the cookie-less
    # device API (FAIRLEAD_COOKIELESS_PATHS): fair/middleware.py.
    "fair.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "fair.middleware.AuthenticationMiddleware",
    "fair.middleware.MessageMiddleware",
    "fair.security.NulQueryGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# Paths that authenticate by token and never use cookies: no session, user or messages.
FAIRLEAD_COOKIELESS_PATHS = ("/api/scan/",)

ROOT_URLCONF = "fair.urls"
WSGI_APPLICATION = "fair.wsgi.application"
ASGI_APPLICATION = "fair.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the embedded database take concurrent requests.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Server-side binding lets PostgreSQL prepare the scan path's statements once per
# connection: about 0.6 ms instead of 1.3 ms of database CPU per scan (bench/scan_load.py).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_SERVER_SIDE_BINDING", True
):
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
    DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 2)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that skips the SELECT 1 round trip while the
    # connection's socket shows nothing amiss (fair/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "fair.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Exhibitors log in with their email address, organizers with a user name (fair/auth.py).
AUTHENTICATION_BACKENDS = ["fair.auth.EmailOrUsernameBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
# One date style per language everywhere (fair/formats: 13.02.2019 / 13 Feb 2019).
FORMAT_MODULE_PATH = ["fair.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploads above this are streamed to disk; the logo limit itself is checked in the form.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Mail: EMAIL_URL such as smtp://user:pass@host:587?tls=1, console:// (the development
# default), locmem:// or dummy:// (drops every mail). Mails carry secret links (badge,
# confirmation, invitation, password reset), so with DJANGO_DEBUG off a real backend is
# required: no EMAIL_URL, or locmem://, refuses to start; an explicit console:// starts with a
# warning on every start (the links then land in the server's output, i.e. its log);
# dummy:// (for benchmarks) sends nothing at all.
EMAIL_URL = os.environ.get("EMAIL_URL", "console://" if DEBUG else "")
if not DEBUG and not EMAIL_URL:
    raise ImproperlyConfigured(
        "EMAIL_URL must name a real mail server (smtp://user:password@host:587?tls=1) when "
        "DJANGO_DEBUG is off: mails hold secret links that must not end up in the log."
    )
if not DEBUG and EMAIL_URL.startswith("locmem:"):
    raise ImproperlyConfigured(
        "EMAIL_URL=locmem:// keeps mail in memory and loses it; with DJANGO_DEBUG off use "
        "smtp://… (or dummy:// to send nothing on purpose)."
    )
if not DEBUG and EMAIL_URL.startswith("console:"):
    import sys

    sys.stderr.write(
        "WARNING: EMAIL_URL=console:// with DJANGO_DEBUG off: every mail, with its secret "
        "badge, confirmation, invitation and password links, is written to this server's "
        "output and so to its log. Use smtp://… in production.\n"
    )
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Fairlead <noreply@fairlead.invalid>")


def _email_settings(url: str) -> dict:
    from urllib.parse import parse_qs, unquote, urlsplit

    parts = urlsplit(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ImproperlyConfigured(f"EMAIL_URL scheme {parts.scheme!r} is not supported.")
    query = parse_qs(parts.query)
    return {
        "EMAIL_BACKEND": backends[parts.scheme],
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": query.get("tls", ["0"])[0] in {"1", "true"},
        "EMAIL_USE_SSL": parts.scheme == "smtps",
    }


globals().update(_email_settings(EMAIL_URL))

# No CACHES setting: Django's per-process local-memory default. Nothing may rely on a cache
# shared between app processes; what must be shared (rate limits) lives in the database
# (fair/ratelimit.py), so `manage.py migrate` alone sets everything up.

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "api.v1.schema.ApiAutoSchema",
    "PAGE_SIZE": 50,
}

# The OpenAPI document of /api/v1/ (drf-spectacular; what we add is in api/v1/schema.py).
SPECTACULAR_SETTINGS = {
    "TITLE": "Fairlead back-office API",
    "VERSION": "1.0.0",
    "DESCRIPTION": (
        "Fairs, areas, stands, exhibitors, attendees, leads and statistics for organizers and "
        "exhibitors. Authenticate with `Authorization: Bearer <token>`; errors are "
        '`{"error": "<code>", "detail": "<text>"}`.'
    ),
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.v1.schema.error_responses",
    ],
    # Stand types appear as Stand.type and Exhibitor.preferred_stand_type: one enum.
    "ENUM_NAME_OVERRIDES": {"StandTypeEnum": "fair.models.Stand.Type"},
    # `check --deploy` would generate the whole URLconf's schema (views outside /api/v1/
    # included); tests/security/test_openapi_documents.py validates the real document instead.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

# Signed links (registration confirmation, invitations) stay valid this long.
FAIRLEAD_CONFIRMATION_MAX_AGE = int(os.environ.get("FAIRLEAD_CONFIRMATION_MAX_AGE", 3 * 24 * 3600))
# Days after a fair's last day until purge_expired anonymizes its attendees and leads.
FAIRLEAD_RETENTION_DAYS = int(os.environ.get("FAIRLEAD_RETENTION_DAYS", "180"))


# Rate limits (fair/ratelimit.py) can be changed per scope from the environment, e.g.
# FAIRLEAD_RATE_LIMITS="scans_device=6000/600,pairing_ip=5/600" (attempts/window seconds).
def _rate_limits(text: str) -> dict[str, tuple[int, int]]:
    limits = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        scope, _sep, value = item.partition("=")
        attempts, _sep, seconds = value.partition("/")
        if not (scope.strip() and attempts.strip().isdigit() and seconds.strip().isdigit()):
            raise ImproperlyConfigured(
                f"FAIRLEAD_RATE_LIMITS: {item!r} is not <scope>=<attempts>/<seconds>."
            )
        limits[scope.strip()] = (int(attempts), int(seconds))
    return limits


FAIRLEAD_RATE_LIMITS = _rate_limits(os.environ.get("FAIRLEAD_RATE_LIMITS", ""))
# Scanner devices an exhibitor may have at one fair, revoked ones included: each device has its
# own scan budget, so this caps what one exhibitor can scan, or guess, per window.
FAIRLEAD_DEVICES_PER_EXHIBITOR = int(os.environ.get("FAIRLEAD_DEVICES_PER_EXHIBITOR", "25"))
# Rows the attendee import wizard checks or imports per request (badges.organizer_import_views):
# each request of its progress page stays within a few seconds on a small server.
FAIRLEAD_IMPORT_CHUNK_ROWS = int(os.environ.get("FAIRLEAD_IMPORT_CHUNK_ROWS", "5000"))
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none; the
# client's address is then REMOTE_ADDR). Never more than really are there.
FAIRLEAD_TRUSTED_PROXY_COUNT = int(os.environ.get("FAIRLEAD_TRUSTED_PROXY_COUNT", "0"))

# A refused form gets our own page with a way back (fair/errors.py), not Django's.
CSRF_FAILURE_VIEW = "fair.errors.csrf_failure"

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy and Permissions-Policy (fair/security.py explains each source).
FAIRLEAD_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "media-src": ["'self'", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "frame-src": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
FAIRLEAD_CSP_REPORT_ONLY = env_bool("FAIRLEAD_CSP_REPORT_ONLY", False)
FAIRLEAD_PERMISSIONS_POLICY = {
    "camera": ["self"],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "browsing-topics": [],
}
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 31_536_000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Every handler redacts secret links (badge, confirmation, invitation, password-reset links,
# pairing codes) from what it writes: fair/logging.py. The "django" logger hands its records
# to the root handler instead of Django's own console handler, which would not redact.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "fair.logging.SecretRedactingFilter"}},
    "formatters": {
        "server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
        "server": {
            "class": "logging.StreamHandler",
            "formatter": "server",
            "filters": ["redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
}
