"""The one rate limiter of Fairlead, shared by every app process: counters live in the database
(fixed windows), so no cache, shared or not, is involved.

Each limit answers "how long must this caller wait?" — ``None`` while under the limit. The
views, the scan API and the back-office API's throttles (``api.v1.throttling``) all count here
and turn a wait into ``429 Too Many Requests`` with ``Retry-After``.

A count is one upsert statement. Outside a transaction it commits at once; inside one (the scan
API charges a scan in the scan's own transaction, so a scan costs one commit) it commits or
rolls back with the rest.
"""

import datetime
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from fair.hashing import secret_hash
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


def votes_per_attendee() -> RateLimit:
    # Forum relevance votes (badges.forum): a session has a handful of items and a visitor may
    # change their mind, but nobody taps 60 times in 10 minutes.
    return _configured("vote_attendee", 60, 10 * 60)


def votes_per_ip() -> RateLimit:
    # A room of up to 200 people voting on several items, all behind the venue's NAT.
    return _configured("vote_ip", 2000, 10 * 60)


def forum_code_per_ip() -> RateLimit:
    # Counts FAILED badge codes typed on the vote page only (like pairing): a guesser is held
    # up after 10 misses, a room full of visitors typing their own codes is not.
    return _configured("forum_code_ip", 10, 10 * 60)


def public_form_per_ip() -> RateLimit:
    return _configured("public_form_ip", 20, 60 * 60)


def visitor_form_per_ip() -> RateLimit:
    # Visitors register on their phones at the entrance, many of them behind the venue's or a
    # mobile carrier's NAT: far more generous than the exhibitor form. Flooding one mailbox is
    # stopped per address by badges.services (one mail per address and interval).
    return _configured("visitor_form_ip", 60, 10 * 60)


def badge_link_request_per_ip() -> RateLimit:
    # "Find my badge link again" (badges.views): as generous as the visitor form (NAT at the
    # entrance); each request may send a mail, so per mailbox it is much stricter.
    return _configured("badge_link_ip", 30, 10 * 60)


def badge_link_request_per_email() -> RateLimit:
    return _configured("badge_link_email", 3, 60 * 60)


def pairing_per_ip() -> RateLimit:
    # Counts FAILED pairing attempts only (see api/scan/routes.py): a hall full of exhibitors
    # pairing their phones behind one NAT is never held up, a guesser is. SECURITY.md has the
    # arithmetic: with 10 failures per 10 minutes, a million addresses guessing for a year
    # expect 0.0005 hits.
    return _configured("pairing_ip", 10, 10 * 60)


def portal_access_per_email() -> RateLimit:
    # One set-password mail per address and 5 minutes: the form cannot flood a mailbox.
    return _configured("portal_access_email", 1, 5 * 60)


def api_per_token() -> RateLimit:
    # The back-office API per token (each integration its own budget) or session user.
    return _configured("api_token", 600, 60)


def api_anon_per_ip() -> RateLimit:
    # The back-office API without a token or login (schema, documentation), per address.
    return _configured("api_anon_ip", 60, 60)


def scans_per_device() -> RateLimit:
    # A person scans at most about one badge a second (0.6 per second on average for a whole
    # day is already a very busy stand); offline batches count per scan, so a day's backlog of
    # 3000 scans uploads in one window. A looked-up code that matches no badge costs
    # SCAN_MISS_COST more: at most 30 guesses per device and window (SECURITY.md, badge codes).
    return _configured("scans_device", 3000, 10 * 60)


# What a scan of a well-formed code that matches no badge costs on top of the scan itself.
SCAN_MISS_COST = 100


def client_ip(request: HttpRequest) -> str:
    """The caller's address as the rate limits count it; behind N trusted proxies, the N-th
    address from the right of X-Forwarded-For (never a value the client itself can choose).

    An IPv6 address counts as its /64 network: one subscriber gets a whole /64 and could
    otherwise take a fresh address (and a fresh budget) for every attempt.
    """
    address = str(request.META.get("REMOTE_ADDR", ""))
    proxies = getattr(settings, "FAIRLEAD_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed)


def _window(limit: RateLimit) -> tuple[int, int, datetime.datetime]:
    epoch = int(timezone.now().timestamp())
    window_start_epoch = epoch - epoch % limit.window_seconds
    window_start = datetime.datetime.fromtimestamp(window_start_epoch, tz=datetime.UTC)
    return epoch, window_start_epoch, window_start


def _digest(limit: RateLimit, key: str) -> str:
    return secret_hash(f"{limit.scope}\0{key}")


def _upsert_sql(rows_of: str = "") -> str:
    """The counter upsert; with ``rows_of`` (a table expression's name) it counts only if that
    has a row."""
    quote = connection.ops.quote_name
    table, key, start, count = (
        quote(name) for name in (RateLimitCounter._meta.db_table, "key", "window_start", "count")
    )
    # Only quoted identifiers from the model are formatted in; values are parameters.
    rows = f"SELECT %s, %s, %s FROM {rows_of}" if rows_of else "VALUES (%s, %s, %s)"  # noqa: S608
    return (
        f"INSERT INTO {table} ({key}, {start}, {count}) {rows} "
        f"ON CONFLICT ({key}, {start}) "
        f"DO UPDATE SET {count} = {table}.{count} + EXCLUDED.{count} RETURNING {count}"
    )


def _count_add(digest: str, window_start: datetime.datetime, cost: int) -> int:
    """Add ``cost`` to the window's counter and return the new count."""
    if connection.vendor in {"postgresql", "sqlite"}:
        # One statement (an upsert that returns the count): the scan hot path pays one
        # round trip, and concurrent processes never lose an increment.
        with connection.cursor() as cursor:
            cursor.execute(
                _upsert_sql(),
                [digest, connection.ops.adapt_datetimefield_value(window_start), cost],
            )
            row = cursor.fetchone()
            return int(row[0])
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
        return counters.values_list("count", flat=True).get()


@dataclass(frozen=True)
class Charge:
    """The state of a key's window after counting an attempt."""

    limit: RateLimit
    count: int  # attempts in the window, this one included
    retry_after: int  # seconds until the window ends

    @property
    def over(self) -> bool:
        return self.count > self.limit.limit

    @property
    def remaining(self) -> int:
        return self.limit.limit - self.count


def rate_limit_charge(*, limit: RateLimit, key: str, cost: int = 1) -> Charge:
    """Count ``cost`` attempts for ``key`` (one upsert) and say where the window stands; for
    callers that spend the rest of a budget step by step (the scan API's batches)."""
    epoch, window_start_epoch, window_start = _window(limit)
    count = _count_add(_digest(limit, key), window_start, cost)
    return Charge(
        limit=limit,
        count=count,
        retry_after=max(1, window_start_epoch + limit.window_seconds - epoch),
    )


@dataclass(frozen=True)
class ChargeStatement:
    """``rate_limit_charge`` as one SQL statement to run inside a caller's own statement."""

    sql: str  # an upsert ending in ``RETURNING count``, e.g. for ``WITH charge AS (…)``
    params: list[Any]
    limit: RateLimit
    retry_after: int

    def sql_if_row_in(self, source: str) -> str:
        """``sql`` counting only when ``source`` (a CTE of the caller's statement, at most one
        row) has a row: the same parameters, no charge when it is empty."""
        return _upsert_sql(rows_of=source)

    def charge(self, count: int) -> Charge:
        """The charge, from the count the statement returned."""
        return Charge(limit=self.limit, count=count, retry_after=self.retry_after)


def rate_limit_charge_statement(
    *, limit: RateLimit, key: str, cost: int = 1
) -> ChargeStatement | None:
    """The upsert of ``rate_limit_charge`` as SQL and parameters, for a hot path that runs it
    as a common table expression of a read it makes anyway, saving a round trip (the scan
    capture: ``leads.services.capture``). None where the database cannot run an upsert inside
    a CTE (SQLite): call ``rate_limit_charge`` there."""
    if connection.vendor != "postgresql":
        return None
    epoch, window_start_epoch, window_start = _window(limit)
    return ChargeStatement(
        sql=_upsert_sql(),
        params=[
            _digest(limit, key),
            connection.ops.adapt_datetimefield_value(window_start),
            cost,
        ],
        limit=limit,
        retry_after=max(1, window_start_epoch + limit.window_seconds - epoch),
    )


def rate_limit_hit(*, limit: RateLimit, key: str, cost: int = 1) -> int | None:
    """Count ``cost`` attempts for ``key``; return the seconds to wait if that exceeds the limit.

    One upsert statement: called outside a transaction it commits at once, so the count
    survives a failed request. Over the limit, the attempt is still counted, so hammering never
    helps. To count before an attempt whose outcome decides whether it should count, call this
    first (so concurrent attempts can never overshoot) and ``rate_limit_refund`` afterwards.
    """
    charge = rate_limit_charge(limit=limit, key=key, cost=cost)
    return charge.retry_after if charge.over else None


def rate_limit_refund(*, limit: RateLimit, key: str, cost: int = 1) -> None:
    """Take back ``cost`` counted by ``rate_limit_hit`` for an attempt that turned out not to
    count (e.g. a successful pairing, where only failures count). Once the window has ended
    there is nothing to take back."""
    _epoch, _start_epoch, window_start = _window(limit)
    RateLimitCounter.objects.filter(
        key=_digest(limit, key), window_start=window_start, count__gte=cost
    ).update(count=F("count") - cost)


def rate_limit_wait(*, limit: RateLimit, key: str) -> int | None:
    """The seconds to wait if ``key`` has used up its limit already, without counting anything.

    For limits that count only failures: ask before the attempt, ``rate_limit_hit`` after a
    failed one. Attempts running at the same moment may overshoot the limit by their number.
    """
    epoch, window_start_epoch, window_start = _window(limit)
    count = (
        RateLimitCounter.objects.filter(key=_digest(limit, key), window_start=window_start)
        .values_list("count", flat=True)
        .first()
    )
    if count is None or count < limit.limit:
        return None
    return max(1, window_start_epoch + limit.window_seconds - epoch)


def rate_limited_post(
    limit: Callable[[], RateLimit], *, key: Callable[[HttpRequest], str] = client_ip
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a form view: each POST counts once against ``limit()`` for ``key(request)``;
    over the limit the view is not called and the caller gets the 429 page with Retry-After.

    For views owned elsewhere it can be applied in the URLconf:
    ``path("…", rate_limited_post(visitor_form_per_ip)(views.register_fair), …)``.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                wait = rate_limit_hit(limit=limit(), key=key(request))
                if wait:
                    from fair.views import too_many_requests

                    return too_many_requests(request, retry_after=wait)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def rate_limit_counters_purge(*, older_than: datetime.timedelta) -> int:
    """Delete counters of windows that ended long ago."""
    deleted, _ = RateLimitCounter.objects.filter(
        window_start__lt=timezone.now() - older_than
    ).delete()
    return deleted
