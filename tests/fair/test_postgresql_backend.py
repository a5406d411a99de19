"""fair.postgresql: the health check of a reused connection costs no round trip while the
connection is fine, and still finds a connection the server has ended."""

import time
from unittest import mock

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql import base as django_base

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_an_idle_healthy_connection_is_usable_without_a_statement():
    connection.ensure_connection()
    with mock.patch.object(django_base.DatabaseWrapper, "is_usable") as select_one:
        assert connection.is_usable() is True
    select_one.assert_not_called()


def test_a_connection_the_server_ended_is_not_usable():
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    dsn = connection.connection.info.dsn
    with psycopg.connect(dsn, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert connection.is_usable() is False
    connection.close()
