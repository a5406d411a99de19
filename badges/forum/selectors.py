"""Reads for the forum's badge side: who votes, a visitor's agenda and votes, and the results.

``forum_results_for_fair`` is the one source of results: the projector, the CSV export and
the area PDF report all read it.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import get_language

from badges.codes import CodeFormatError, code_parse
from badges.forum.models import AgendaEntry, Vote
from badges.models import Attendee, Badge
from fair.forum.selectors import SESSION_PARTS, session_by_fair_slug_sql
from fair.lean_sql import LeanSelect
from fair.models import Fair, ForumSession, VoteItem


@dataclass(frozen=True)
class ItemResults:
    item_id: int
    position: int
    title_de: str
    title_en: str
    state: str
    counts: tuple[int, int, int, int, int]  # votes for 1, 2, 3, 4, 5

    @property
    def title(self) -> str:
        english = (get_language() or "de").startswith("en")
        return self.title_en if english and self.title_en else self.title_de

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def mean(self) -> float | None:
        if not self.total:
            return None
        return sum(value * count for value, count in enumerate(self.counts, start=1)) / self.total


@dataclass(frozen=True)
class SessionResults:
    session: ForumSession
    items: list[ItemResults]


# Fixed SQL (fair/lean_sql.py): every vote looks its voter up. Who may vote: an attendee of
# the fair, not erased, holding an active badge (parameters: the badge state, then the ids).
_VOTER_MAY = (
    "a.erased_at IS NULL "
    "AND EXISTS (SELECT 1 FROM {badge} b WHERE b.attendee_id = a.id AND b.state = %s)"
)
_VOTER = LeanSelect(
    [("a", Attendee, [f.name for f in Attendee._meta.concrete_fields])],
    f"{{attendee}} a WHERE {_VOTER_MAY} AND a.id = %s AND a.fair_id = %s",
    tables={"badge": Badge},
)


# The vote page's session and its voter in one round trip.
def session_with_voter_select(*, head: str = "", extra: Sequence[str] = ()) -> LeanSelect:
    """The look-up of ``session_with_voter``; ``head`` and ``extra`` as ``LeanSelect``'s (the
    vote's rate-limit charges put into it: ``badges.forum.vote_sql``)."""
    return LeanSelect(
        [*SESSION_PARTS, ("a", Attendee, [f.name for f in Attendee._meta.concrete_fields])],
        session_by_fair_slug_sql(
            f"LEFT OUTER JOIN {{attendee}} a ON {_VOTER_MAY} AND a.id = %s AND a.fair_id = f.id "
        ),
        tables={"badge": Badge},
        extra=extra,
        head=head,
    )


_SESSION_WITH_VOTER = session_with_voter_select()


def session_with_voter_params(
    *, fair_slug: str, session_id: int, attendee_id: int | None
) -> list[object]:
    """The parameters of ``session_with_voter_select``'s own SQL."""
    return [Badge.State.ACTIVE, attendee_id, session_id, fair_slug]


def session_with_voter_row(row: Sequence[Any]) -> tuple[ForumSession, Attendee | None]:
    """The session (fair and room attached) and voter of a ``session_with_voter_select`` row."""
    session: ForumSession
    session, fair, room, voter = row[:4]
    session.fair, session.room = fair, room
    return session, voter


def voter_for_attendee_id(*, attendee_id: int, fair: Fair) -> Attendee | None:
    """The attendee behind a remembered voter cookie, if they may still vote at ``fair``:
    not erased and holding an active badge of this fair."""
    rows = _VOTER.rows([Badge.State.ACTIVE, attendee_id, fair.pk], model=Attendee)
    return rows[0][0] if rows else None


def session_with_voter(
    *, fair_slug: str, session_id: int, attendee_id: int | None
) -> tuple[ForumSession, Attendee | None] | None:
    """The session (with fair and room, as ``fair.forum.selectors.session_by_fair_slug``) and
    the attendee ``attendee_id`` if they may vote at its fair (as ``voter_for_attendee_id``),
    in one query; None when there is no such session."""
    params = session_with_voter_params(
        fair_slug=fair_slug, session_id=session_id, attendee_id=attendee_id
    )
    rows = _SESSION_WITH_VOTER.rows(params, model=ForumSession)
    return session_with_voter_row(rows[0]) if rows else None


def voter_for_code(*, code: str, fair: Fair) -> Attendee | None:
    """The attendee whose active badge of ``fair`` has this typed short code (or QR text)."""
    if not code or len(code) > 64:
        return None
    try:
        kind, value = code_parse(code)
    except CodeFormatError:
        return None
    lookup = {"secret": value} if kind == "secret" else {"short_code": value}
    badge = (
        Badge.objects.select_related("attendee")
        .filter(
            state=Badge.State.ACTIVE,
            attendee__fair=fair,
            attendee__erased_at__isnull=True,
            **lookup,
        )
        .first()
    )
    return badge.attendee if badge else None


def agenda_sessions(*, attendee: Attendee) -> QuerySet[ForumSession]:
    return (
        ForumSession.objects.filter(agenda_entries__attendee=attendee)
        .select_related("room", "topic")
        .prefetch_related("speakers")
        .order_by("starts_at", "room__position", "room__name")
    )


def agenda_session_ids(*, attendee: Attendee) -> set[int]:
    return set(AgendaEntry.objects.filter(attendee=attendee).values_list("session_id", flat=True))


def votes_for_session(*, attendee: Attendee, session: ForumSession) -> dict[int, int]:
    """The attendee's votes on the session's items: item id → value."""
    return dict(
        Vote.objects.filter(attendee=attendee, item__session=session).values_list(
            "item_id", "value"
        )
    )


def _results(items: Iterable[VoteItem], counts: dict[int, list[int]]) -> list[ItemResults]:
    return [
        ItemResults(
            item_id=item.pk,
            position=item.position,
            title_de=item.title_de,
            title_en=item.title_en,
            state=item.state,
            counts=tuple(counts.get(item.pk, [0] * 5)),  # type: ignore[arg-type]
        )
        for item in items
    ]


def _counts(votes: QuerySet[Vote]) -> dict[int, list[int]]:
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * 5)
    for item_id, value, number in (
        votes.order_by()
        .values("item_id", "value")
        .annotate(n=Count("id"))
        .values_list("item_id", "value", "n")
    ):
        counts[item_id][value - 1] = number
    return counts


def session_item_results(*, session: ForumSession) -> list[ItemResults]:
    """Distribution, number and mean of the votes per item of one session (two queries)."""
    items = VoteItem.objects.filter(session=session).order_by("position")
    return _results(items, _counts(Vote.objects.filter(item__session=session)))


def forum_results_for_fair(*, fair: Fair) -> list[SessionResults]:
    """Every session of ``fair`` that has vote items, in program order, with its items'
    results (three queries, whatever the size of the program)."""
    sessions = list(
        ForumSession.objects.filter(fair=fair, vote_items__isnull=False)
        .distinct()
        .select_related("fair", "room", "topic")
        .order_by("starts_at", "room__position", "room__name")
    )
    items_by_session: dict[int, list[VoteItem]] = defaultdict(list)
    for item in VoteItem.objects.filter(session__fair=fair).order_by("session_id", "position"):
        items_by_session[item.session_id].append(item)
    counts = _counts(Vote.objects.filter(item__session__fair=fair))
    return [
        SessionResults(session=session, items=_results(items_by_session[session.pk], counts))
        for session in sessions
    ]
