"""A badge holder rates an item's relevance 1–5; the vote can be changed until the item closes.

Decisions:
* One vote per attendee and item (a unique constraint); a second vote changes the first, in
  the same statement (``vote_upsert``): two tabs of one person voting at once make one vote.
* Only attendees of the session's own fair, not erased, vote; the caller resolves the voter
  from a badge this fair issued (``badges.forum.selectors``).
* The item row is locked for the vote (``FOR SHARE``, ``badges.forum.vote_sql``): votes do
  not wait for each other, closing (``fair.forum.moderation``) waits for the votes in flight,
  and a vote either lands before the close or is refused after it, never afterwards.
* The vote page calls ``vote_request_charge``, then ``vote_submit``: first the two rate limits
  (per attendee, per address) in the statement that looks up the session and the voter, its
  own transaction committed without waiting for the disk (so a refused vote counts too, and
  the counter rows are not held through the vote), then the vote: two round trips.
  ``bench/voting.py`` measured the alternatives.
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from badges.forum.models import Vote
from badges.forum.selectors import session_with_voter
from badges.forum.vote_sql import session_with_voter_charge, vote_record, vote_upsert
from badges.models import Attendee
from fair.forum.exceptions import ForumError, VotingClosed
from fair.models import ForumSession, VoteItem
from fair.ratelimit import (
    rate_limit_charge_statement,
    rate_limit_hit,
    votes_per_attendee,
    votes_per_ip,
)


@dataclass(frozen=True)
class VoteOutcome:
    item: VoteItem | None  # the item voted on; None when the vote was not counted
    created: bool = False
    changed: bool = False
    refused: str = ""  # why the vote was not counted, for people


def _value_checked(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in Vote.VALUES:
        raise ForumError(_("A vote is a whole number from 1 to 5."))
    return value


def vote_cast(
    *, attendee: Attendee, item_id: int, value: int, session_id: int | None = None
) -> VoteOutcome:
    """Record or change ``attendee``'s vote on item ``item_id`` (of session ``session_id``,
    when given); raises VotingClosed or ForumError."""
    value = _value_checked(value)
    if attendee.erased_at is not None:
        raise ForumError(_("Only badges of this fair can vote here."))
    now = timezone.now()
    if connection.vendor == "postgresql":  # one statement: lock, checks and upsert
        recorded = vote_record(
            item_id=item_id,
            session_id=session_id,
            attendee_id=attendee.pk,
            fair_id=attendee.fair_id,
            value=value,
            at=now,
        )
        if recorded is None:
            raise ForumError(_("Please choose an item and a value from 1 to 5."))
        item, fair_id, done = recorded
        _vote_allowed(attendee=attendee, item=item, fair_id=fair_id)
    else:
        with transaction.atomic():
            candidates = VoteItem.objects.select_for_update().select_related("session")
            if session_id is not None:
                candidates = candidates.filter(session_id=session_id)
            found = candidates.filter(pk=item_id).first()
            if found is None:
                raise ForumError(_("Please choose an item and a value from 1 to 5."))
            item = found
            _vote_allowed(attendee=attendee, item=item, fair_id=item.session.fair_id)
            done = vote_upsert(item_id=item.pk, attendee_id=attendee.pk, value=value, at=now)
    return VoteOutcome(item=item, created=done == "created", changed=done == "changed")


def _vote_allowed(*, attendee: Attendee, item: VoteItem, fair_id: int) -> None:
    if attendee.fair_id != fair_id:
        raise ForumError(_("Only badges of this fair can vote here."))
    if item.state == VoteItem.State.PENDING:
        raise VotingClosed(_("Voting on “%(item)s” has not started yet.") % {"item": item})
    if item.state == VoteItem.State.CLOSED:
        raise VotingClosed(
            _("Voting on “%(item)s” is closed; your vote was not counted.") % {"item": item}
        )


@dataclass(frozen=True)
class VoteRequest:
    """A vote POST's session and voter, the vote already counted against the rate limits."""

    session: ForumSession
    voter: Attendee | None  # None: the attendee may not vote at the session's fair
    retry_after: int | None  # seconds, when over a rate limit


def vote_request_charge(
    *, fair_slug: str, session_id: int, attendee_id: int, address: str
) -> VoteRequest | None:
    """Count a vote POST of the phone linked to ``attendee_id`` against both rate limits (per
    attendee, per address; every POST of a phone with a voter cookie counts: a refused vote,
    an unknown session, a cookie of another fair or of a revoked badge) and look up its session
    and voter (as ``session_with_voter``); None when there is no such session. On PostgreSQL
    one statement of its own, committed without waiting for the disk (see above)."""
    limits = [(votes_per_attendee(), str(attendee_id)), (votes_per_ip(), address)]
    statements = [rate_limit_charge_statement(limit=limit, key=key) for limit, key in limits]
    ready = [statement for statement in statements if statement is not None]
    if len(ready) == len(limits):  # PostgreSQL: one round trip
        charged = session_with_voter_charge(
            fair_slug=fair_slug, session_id=session_id, attendee_id=attendee_id, statements=ready
        )
        if charged is None:
            return None
        session, voter, counts = charged
        charges = [statement.charge(count) for statement, count in zip(ready, counts, strict=True)]
        waits = [charge.retry_after for charge in charges if charge.over]
    else:
        with transaction.atomic():
            hits = [rate_limit_hit(limit=limit, key=key) for limit, key in limits]
        waits = [wait for wait in hits if wait]
        found = session_with_voter(
            fair_slug=fair_slug, session_id=session_id, attendee_id=attendee_id
        )
        if found is None:
            return None
        session, voter = found
    return VoteRequest(session=session, voter=voter, retry_after=max(waits, default=None))


def vote_submit(*, attendee: Attendee, item_id: int, value: int, session_id: int) -> VoteOutcome:
    """A vote from the vote page, once ``vote_request_charge`` let it through: cast, or why
    it was not counted."""
    try:
        return vote_cast(attendee=attendee, item_id=item_id, value=value, session_id=session_id)
    except ForumError as exc:
        return VoteOutcome(item=None, refused=str(exc))
