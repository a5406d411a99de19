"""Rate limits shared by every app process: counters live in the database (fixed windows).

Each limit answers "how long must this caller wait?" — ``None`` while under the limit. The
views and both APIs turn a wait into ``429 Too Many Requests`` with ``Retry-After``.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from fair.models import RateLimitCounter


@dataclass(frozen=True)
class RateLimit:
    scope: str
    limit: int
    window_seconds: int


def _configured(scope: str, limit: int, window_seconds: int) -> RateLimit:
    override = getattr(settings, "FAIRLEAD_RATE_LIMITS", {}).get(scope)
    if override is not None:
        limit, window_seconds = override
    return RateLimit(scope=scope, limit=limit, window_seconds=window_seconds)


def login_per_account() -> RateLimit:
    return _configured("login_account", 5, 15 * 60)


def login_per_ip() -> RateLimit:
    # Generous: a whole exhibition hall may share one address behind the venue's NAT.
    return _configured("login_ip", 60, 15 * 60)


def public_form_per_ip() -> RateLimit:
    return _configured("public_form_ip", 20, 60 * 60)


def pairing_per_ip() -> RateLimit:
    return _configured("pairing_ip", 10, 10 * 60)


def scans_per_device() -> RateLimit:
    # A person scans at most about one badge a second; offline batches count per scan.
    return _configured("scans_device", 3000, 10 * 60)


def client_ip(request: HttpRequest) -> str:
    """The caller's address; behind N trusted proxies, the N-th address from the right of
    X-Forwarded-For (never a value the client itself can choose)."""
    proxies = getattr(settings, "FAIRLEAD_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def rate_limit_hit(*, limit: RateLimit, key: str, cost: int = 1) -> int | None:
    """Count ``cost`` attempts for ``key``; return the seconds to wait if that exceeds the limit.

    Runs in its own transaction (a savepoint inside an outer one) so the count survives a
    failed request; over the limit, the attempt is still counted, so hammering never helps.
    """
    now = timezone.now()
    epoch = int(now.timestamp())
    window_start_epoch = epoch - epoch % limit.window_seconds
    window_start = datetime.datetime.fromtimestamp(window_start_epoch, tz=datetime.UTC)
    digest = hashlib.sha256(f"{limit.scope}\0{key}".encode()).hexdigest()
    with transaction.atomic():
        counters = RateLimitCounter.objects.filter(key=digest, window_start=window_start)
        if not counters.update(count=F("count") + cost):
            try:
                with transaction.atomic():
                    RateLimitCounter.objects.create(
                        key=digest, window_start=window_start, count=cost
                    )
            except IntegrityError:
                counters.update(count=F("count") + cost)
        count = counters.values_list("count", flat=True).get()
    if count <= limit.limit:
        return None
    return max(1, window_start_epoch + limit.window_seconds - epoch)


def rate_limit_counters_purge(*, older_than: datetime.timedelta) -> int:
    """Delete counters of windows that ended long ago."""
    deleted, _ = RateLimitCounter.objects.filter(
        window_start__lt=timezone.now() - older_than
    ).delete()
    return deleted
