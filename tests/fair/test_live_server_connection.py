"""The browser tests' server answers on a database connection of its own, on SQLite too.

Sharing the test's connection (SQLite in memory) let a query from each thread at once hang
both: the suite stopped for good in CI. Each thread with its own connection also sees only
what the other committed, as in production.
"""

import urllib.error
import urllib.request

import pytest
from django.db import transaction

from leads.services.devices import device_provision


def me_status(live_server, token: str) -> int:
    request = urllib.request.Request(
        f"{live_server.url}/api/scan/me", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_the_live_server_sees_only_what_the_test_committed(live_server, exhibitor):
    with transaction.atomic():
        pending = device_provision(exhibitor=exhibitor, label="Not committed yet")
        assert me_status(live_server, pending.token) == 401
    assert me_status(live_server, pending.token) == 200
