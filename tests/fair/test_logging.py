"""No secret link reaches a log line: Django's loggers (settings.LOGGING) and gunicorn's
access log (fair.logging.RedactingGunicornLogger)."""

import copy
import datetime
import io
import logging
import logging.config
import types

import pytest
from django.conf import settings
from django.test import Client
from django.utils.log import configure_logging

from fair.logging import QUIET_ACCESS_LOG, RedactingGunicornLogger, secrets_redact

BADGE = "Zx9_-secretBadgeToken0123456789abcdefghijkl"
CONFIRM = "qvW3e9r-secretConfirm:1xYe2a:DnkLIKYKTRGUNuHxpVumkDV8Vk"


@pytest.fixture
def log_output():
    """settings.LOGGING as configured, with its handlers writing into a buffer."""
    stream = io.StringIO()
    config = copy.deepcopy(settings.LOGGING)
    for handler in config["handlers"].values():
        handler["stream"] = stream
    logging.config.dictConfig(config)
    yield stream
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"Not Found: /badge/{BADGE}/", "Not Found: /badge/[redacted]/"),
        (f'"GET /badge/{BADGE}/badge.pdf HTTP/1.1" 200', '"GET /badge/[redacted]/badge.pdf'),
        (f"Forbidden (x): /register/confirm/{CONFIRM}/", "/register/confirm/[redacted]/"),
        ("GET /exhibitors/confirm/abc.def:ghi/ 200", "/exhibitors/confirm/[redacted]/"),
        ("GET /exhibitor/invitation/abc:def/ 200", "/exhibitor/invitation/[redacted]/"),
        ("GET /accounts/reset/MTI/c0ffee-123abc/ 302", "/reset/[redacted]/[redacted]/"),
        ("GET /scan/?pair=K7Q2-9XPM HTTP/1.1", "/scan/?pair=[redacted]"),
        ("GET /badge/again/ 200", "GET /badge/again/ 200"),
        ("GET /badges/staff.pdf 200", "GET /badges/staff.pdf 200"),
    ],
)
def test_secret_segments_are_redacted(line, expected):
    redacted = secrets_redact(line)
    assert expected in redacted
    for secret in (BADGE, CONFIRM, "abc.def", "c0ffee", "K7Q2"):
        assert secret not in redacted


@pytest.mark.django_db
def test_request_and_csrf_logs_never_hold_a_badge_or_confirmation_link(log_output):
    Client().get(f"/badge/{BADGE}/")  # a 404, logged by django.request
    Client(enforce_csrf_checks=True).post(f"/register/confirm/{CONFIRM}/")  # CSRF, logged

    output = log_output.getvalue()
    assert "/badge/[redacted]/" in output
    assert "/register/confirm/[redacted]/" in output
    assert BADGE not in output and "secretConfirm" not in output


def test_runserver_log_is_redacted(log_output):
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /badge/{BADGE}/qr.png HTTP/1.1", "200", "512"
    )
    assert "/badge/[redacted]/qr.png" in log_output.getvalue()
    assert BADGE not in log_output.getvalue()


def test_gunicorn_access_log_redacts_path_query_referer_and_credentials(tmp_path):
    from gunicorn.config import Config

    config = Config()
    log_file = tmp_path / "access.log"
    config.set("accesslog", str(log_file))
    config.set("access_log_format", '%(h)s "%(r)s" %(s)s "%(f)s" %(U)s %(q)s %({authorization}i)s')
    logger = RedactingGunicornLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/badge/{BADGE}/badge.pdf?pair=K7Q2-9XPM",
        "PATH_INFO": f"/badge/{BADGE}/badge.pdf",
        "QUERY_STRING": "pair=K7Q2-9XPM",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://fair.example/register/confirm/{CONFIRM}/",
    }
    request = types.SimpleNamespace(
        headers=[("AUTHORIZATION", "Bearer device-token-123"), ("REFERER", environ["HTTP_REFERER"])]
    )
    response = types.SimpleNamespace(status="200 OK", sent=1024, headers=[])

    logger.access(response, request, environ, datetime.timedelta(milliseconds=5))
    for handler in logger.access_log.handlers:
        handler.flush()

    line = log_file.read_text()
    assert "/badge/[redacted]/badge.pdf" in line
    assert "/register/confirm/[redacted]/" in line
    assert "pair=[redacted]" in line
    assert "[redacted]" in line.split()[-1]  # the Authorization header
    for secret in (BADGE, "secretConfirm", "K7Q2", "device-token-123"):
        assert secret not in line


def test_gunicorn_access_log_leaves_out_successful_requests_marked_quiet_only(tmp_path):
    from gunicorn.config import Config

    config = Config()
    log_file = tmp_path / "access.log"
    config.set("accesslog", str(log_file))
    config.set("access_log_format", '"%(r)s" %(s)s')
    logger = RedactingGunicornLogger(config)

    def request(path: str, status: str, *, quiet: bool) -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": path,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            **({QUIET_ACCESS_LOG: True} if quiet else {}),
        }
        response = types.SimpleNamespace(status=status, sent=10, headers=[])
        logger.access(response, types.SimpleNamespace(headers=[]), environ, datetime.timedelta(0))

    live = "/forum/fair-2019/sessions/7/live.json"
    request(live, "200 OK", quiet=True)
    request(live, "304 Not Modified", quiet=True)
    request(live, "404 Not Found", quiet=True)
    request(live, "200 OK", quiet=False)
    for handler in logger.access_log.handlers:
        handler.flush()

    assert log_file.read_text().splitlines() == [
        f'"GET {live} HTTP/1.1" 404',
        f'"GET {live} HTTP/1.1" 200',
    ]


def test_the_live_results_mark_themselves_quiet(client, fair):
    from tests.forum_factories import make_session, open_item

    session = make_session(fair=fair)
    open_item(session)
    response = client.get(f"/forum/{fair.slug}/sessions/{session.pk}/live.json")
    assert response.status_code == 200
    assert response.wsgi_request.META[QUIET_ACCESS_LOG] is True
    assert QUIET_ACCESS_LOG not in client.get(f"/forum/{fair.slug}/").wsgi_request.META
