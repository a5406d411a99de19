"""The statements of the vote path that the ORM cannot say, in one module (STYLE.md, 13).

``bench/voting.py`` showed votes on one item queueing behind each other: with the item row
locked ``FOR NO KEY UPDATE`` (all the ORM offers), every vote held the lock through its
commit's flush to disk, and rate-limit counters committed in the same transaction made the
per-address counter row a second queue. So, on PostgreSQL:

* ``vote_record`` locks the item ``FOR SHARE``, checks it and records the vote in one
  statement, its own transaction when no other is open (one round trip instead of BEGIN,
  lock, upsert and COMMIT): votes share the lock and do not wait for each other, while
  closing (``SELECT … FOR UPDATE`` in ``fair.forum.moderation``) waits for the votes in
  flight, and votes arriving during the close wait for it and then see it closed.
* ``session_with_voter_charge`` counts the vote against both rate limits in the statement
  that looks up the session and the voter (``badges.forum.selectors.session_with_voter``),
  which commits on its own without waiting for the flush (``set_config`` of the statement's
  own transaction): one round trip instead of six, and a crash may lose the last counts of a
  few milliseconds, which a limit can spare.

* ``vote_upsert`` is the same upsert alone, for SQLite, where the ORM locks the item (its
  transactions take the write lock when they begin): ``INSERT … ON CONFLICT … DO UPDATE``
  that says which of the three it did.
``tests/badges/forum/test_vote_sql.py`` fails when the table or column names this SQL relies
on change.
"""

import datetime
import functools
from collections.abc import Sequence
from typing import Literal

from django.db import connection

from badges.forum.models import Vote
from badges.forum.selectors import (
    session_with_voter_params,
    session_with_voter_row,
    session_with_voter_select,
)
from badges.models import Attendee
from fair.lean_sql import LeanSelect
from fair.models import ForumSession, VoteItem
from fair.ratelimit import ChargeStatement


def vote_record(
    *,
    item_id: int,
    session_id: int | None,
    attendee_id: int,
    fair_id: int,
    value: int,
    at: datetime.datetime,
) -> tuple[VoteItem, int, Literal["created", "changed", "kept"] | None] | None:
    """PostgreSQL: the item (of ``session_id``, when given) locked ``FOR SHARE`` until the
    vote is committed, and the vote written only if the item is open and of the fair
    ``fair_id``, in one statement (its own transaction when no other is open).
    The item, its session's fair id and what the upsert did (None: nothing, the item was not
    open or of another fair); None when there is no such item."""
    quote = connection.ops.quote_name
    items, sessions = quote(VoteItem._meta.db_table), quote(ForumSession._meta.db_table)
    votes = quote(Vote._meta.db_table)
    # Only quoted names from the models are formatted in; values are parameters.
    of_session = "AND i.session_id = %s " if session_id is not None else ""
    sql = (
        f"WITH item AS (SELECT i.*, s.fair_id AS fair_of_session FROM {items} i "  # noqa: S608
        f"JOIN {sessions} s ON s.id = i.session_id WHERE i.id = %s {of_session}"
        "FOR SHARE OF i), "
        f"written AS (INSERT INTO {votes} AS v (item_id, attendee_id, value, cast_at, changed_at) "
        "SELECT item.id, %s, %s, %s, %s FROM item WHERE item.state = %s "
        "AND item.fair_of_session = %s ON CONFLICT (item_id, attendee_id) DO UPDATE SET "
        "value = EXCLUDED.value, changed_at = EXCLUDED.changed_at "
        "WHERE v.value <> EXCLUDED.value RETURNING v.cast_at = v.changed_at AS created) "
        "SELECT item.*, (SELECT created FROM written) AS vote_created, "
        "EXISTS (SELECT 1 FROM written) AS vote_written FROM item"
    )
    params: list[object] = [item_id, *([session_id] if session_id is not None else [])]
    params += [attendee_id, value, at, at, VoteItem.State.OPEN, fair_id]
    found = list(VoteItem.objects.raw(sql, params))
    if not found:
        return None
    item = found[0]
    fair_of_session: int = item.fair_of_session  # type: ignore[attr-defined]
    done: Literal["created", "changed", "kept"] | None = None
    if item.state == VoteItem.State.OPEN and fair_of_session == fair_id:
        written, created = item.vote_written, item.vote_created  # type: ignore[attr-defined]
        done = ("created" if created else "changed") if written else "kept"
    return item, fair_of_session, done


@functools.cache
def _session_with_voter_charged(charge_sql: str, charges: int) -> LeanSelect:
    # Only the upsert's own SQL and indices are formatted in; values are parameters.
    head = ", ".join(f"c{index} AS ({charge_sql})" for index in range(charges))
    return session_with_voter_select(
        head=f"WITH {head} ",
        extra=[
            "set_config('synchronous_commit', 'off', true)",
            *(f'(SELECT "count" FROM c{index})' for index in range(charges)),  # noqa: S608
        ],
    )


def session_with_voter_charge(
    *,
    fair_slug: str,
    session_id: int,
    attendee_id: int,
    statements: Sequence[ChargeStatement],
) -> tuple[ForumSession, Attendee | None, list[int]] | None:
    """``session_with_voter`` and the rate-limit upserts (``fair.ratelimit.
    rate_limit_charge_statement``, all of one SQL) as one statement, outside any transaction,
    committed asynchronously: the session, the voter and the counts, in order. None when
    there is no such session (the counts are kept then too)."""
    [charge_sql] = {statement.sql for statement in statements}
    select = _session_with_voter_charged(charge_sql, len(statements))
    params = [param for statement in statements for param in statement.params]
    params += session_with_voter_params(
        fair_slug=fair_slug, session_id=session_id, attendee_id=attendee_id
    )
    rows = select.rows(params, model=ForumSession)
    if not rows:
        return None
    session, voter = session_with_voter_row(rows[0])
    return session, voter, [int(count) for count in rows[0][-len(statements) :]]


def vote_upsert(
    *, item_id: int, attendee_id: int, value: int, at: datetime.datetime
) -> Literal["created", "changed", "kept"]:
    """Record ``attendee_id``'s vote ``value`` on ``item_id`` at ``at``, or change the earlier
    vote to it; "kept" when it already was ``value`` (the row is left as it was)."""
    quote = connection.ops.quote_name
    table = quote(Vote._meta.db_table)
    item, attendee, value_column, cast_at, changed_at = (
        quote(name) for name in ("item_id", "attendee_id", "value", "cast_at", "changed_at")
    )
    # A vote is new when it was cast when it last changed: an update moves only changed_at.
    # Only quoted names from the model are formatted in; values are parameters.
    sql = (
        f"INSERT INTO {table} ({item}, {attendee}, {value_column}, {cast_at}, {changed_at}) "  # noqa: S608
        f"VALUES (%s, %s, %s, %s, %s) ON CONFLICT ({item}, {attendee}) DO UPDATE SET "
        f"{value_column} = EXCLUDED.{value_column}, {changed_at} = EXCLUDED.{changed_at} "
        f"WHERE {table}.{value_column} <> EXCLUDED.{value_column} "
        f"RETURNING {cast_at} = {changed_at}"
    )
    stamp = connection.ops.adapt_datetimefield_value(at)
    with connection.cursor() as cursor:
        cursor.execute(sql, [item_id, attendee_id, value, stamp, stamp])
        row = cursor.fetchone()
    if row is None:
        return "kept"
    return "created" if row[0] else "changed"
