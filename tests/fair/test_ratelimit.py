import datetime
import threading
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from fair import ratelimit
from fair.models import RateLimitCounter

LIMIT = ratelimit.RateLimit(scope="test", limit=3, window_seconds=60)

# A window that ends mid-test would reset the counts the test relies on.
pytestmark = pytest.mark.usefixtures("rate_limit_window")


def test_attempts_within_the_limit_pass(db):
    assert [ratelimit.rate_limit_hit(limit=LIMIT, key="a") for _ in range(3)] == [None] * 3


def test_attempt_over_the_limit_gets_the_seconds_to_wait(db):
    for _ in range(3):
        ratelimit.rate_limit_hit(limit=LIMIT, key="a")
    wait = ratelimit.rate_limit_hit(limit=LIMIT, key="a")
    assert wait is not None and 1 <= wait <= 60


def test_keys_and_scopes_are_counted_apart(db):
    for _ in range(3):
        ratelimit.rate_limit_hit(limit=LIMIT, key="a")
    assert ratelimit.rate_limit_hit(limit=LIMIT, key="b") is None
    other_scope = ratelimit.RateLimit(scope="other", limit=3, window_seconds=60)
    assert ratelimit.rate_limit_hit(limit=other_scope, key="a") is None


def test_a_new_window_starts_counting_afresh(db):
    start = timezone.now()
    for _ in range(4):
        ratelimit.rate_limit_hit(limit=LIMIT, key="a")
    later = start + datetime.timedelta(seconds=61)
    with mock.patch("fair.ratelimit.timezone.now", return_value=later):
        assert ratelimit.rate_limit_hit(limit=LIMIT, key="a") is None


def test_counters_store_no_raw_key(db):
    ratelimit.rate_limit_hit(limit=LIMIT, key="someone@example.org")
    assert "someone" not in RateLimitCounter.objects.get().key


def test_old_counters_are_purged(db):
    ratelimit.rate_limit_hit(limit=LIMIT, key="a")
    RateLimitCounter.objects.update(window_start=timezone.now() - datetime.timedelta(days=2))
    assert ratelimit.rate_limit_counters_purge(older_than=datetime.timedelta(days=1)) == 1


def test_settings_override_a_limit(settings):
    settings.FAIRLEAD_RATE_LIMITS = {"login_account": (2, 30)}
    assert ratelimit.login_per_account() == ratelimit.RateLimit("login_account", 2, 30)


def test_client_ip_ignores_forwarded_header_without_trusted_proxy(rf, settings):
    settings.FAIRLEAD_TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.0.0.1")
    assert ratelimit.client_ip(request) == "10.0.0.1"


def test_client_ip_takes_the_address_the_trusted_proxy_saw(rf, settings):
    settings.FAIRLEAD_TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.1")
    assert ratelimit.client_ip(request) == "203.0.113.9"


def test_login_answers_429_with_retry_after_after_five_failures_for_one_account(client, db):
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "kim", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"username": "KIM", "password": "wrong"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 15 * 60


def test_login_limit_per_address_covers_many_accounts(client, db, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"login_ip": (3, 900)}
    for n in range(3):
        assert (
            client.post("/accounts/login/", {"username": f"u{n}", "password": "x"}).status_code
            == 200
        )
    assert client.post("/accounts/login/", {"username": "u9", "password": "x"}).status_code == 429


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_attempts_are_all_counted():
    barrier = threading.Barrier(8)
    limit = ratelimit.RateLimit(scope="parallel", limit=1000, window_seconds=3600)

    def attempt():
        barrier.wait()
        try:
            for _ in range(5):
                ratelimit.rate_limit_hit(limit=limit, key="shared")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert RateLimitCounter.objects.get().count == 40


def test_a_refund_takes_back_an_attempt_that_should_not_count(db):
    for _ in range(3):
        ratelimit.rate_limit_hit(limit=LIMIT, key="a")
    ratelimit.rate_limit_refund(limit=LIMIT, key="a")
    assert ratelimit.rate_limit_hit(limit=LIMIT, key="a") is None
    assert ratelimit.rate_limit_hit(limit=LIMIT, key="a") is not None


def test_a_refund_after_the_window_ended_changes_nothing(db):
    start = timezone.now()
    ratelimit.rate_limit_hit(limit=LIMIT, key="a")
    with mock.patch(
        "fair.ratelimit.timezone.now", return_value=start + datetime.timedelta(seconds=61)
    ):
        ratelimit.rate_limit_refund(limit=LIMIT, key="a")
    assert list(RateLimitCounter.objects.values_list("count", flat=True)) == [1]


def test_migrate_alone_gives_a_working_app_without_a_cache_table(client, db, settings):
    # `createcachetable` used to be a second set-up step; without it pages failed with
    # "no such table: fairlead_cache". Nothing uses a database (or shared) cache any more.
    from django.core.cache import caches

    assert caches["default"].__class__.__name__ == "LocMemCache"
    assert client.get("/api/v1/schema/").status_code == 200
