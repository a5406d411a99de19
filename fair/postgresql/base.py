"""Django's PostgreSQL backend, with a health check that costs no round trip while it can.

``CONN_HEALTH_CHECKS`` makes Django check a reused connection at the start of every request
with ``SELECT 1``: one of the two round trips of ``/healthz`` and one of about eleven of a scan
(``bench/README.md``). An idle connection is never sent anything by the server unasked, except
when the server ends it (restart, shutdown, ``pg_terminate_backend``, an idle timeout): then a
FATAL message and the end of the stream wait on its socket. So a connection whose socket has
nothing to read is usable, and only one with something to read (or not idle) is checked the
way Django checks it, with ``SELECT 1``. A connection lost without a word (a cable pulled
between two hosts) shows up at the request's first statement, as with ``SELECT 1``.
"""

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status == TransactionStatus.IDLE:
            try:
                poller = select.poll()  # no limit on descriptor numbers, unlike select()
                poller.register(connection.fileno(), select.POLLIN)
                waiting = poller.poll(0)
            except (OSError, ValueError, AttributeError):
                waiting = [(-1, 0)]  # cannot tell: ask the server
            if not waiting:
                return True
        return bool(super().is_usable())
