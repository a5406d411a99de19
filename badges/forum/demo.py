"""Votes and agendas of the demo forum: the demo visitors of the 2019 fair who sat in each
session rated its items (each item with its own leaning, so the results differ), and some of
them saved sessions to their agenda. Idempotent; the program comes from
``fair.forum.demo.forum_demo_seed``."""

import datetime
import random

from django.db import transaction

from badges.forum.models import AgendaEntry, Vote
from badges.models import Attendee
from fair.models import Fair, ForumSession, VoteItem


@transaction.atomic
def forum_votes_demo_seed(*, fair: Fair) -> int:
    """Votes from ``fair``'s demo visitors on every closed item; returns how many were made."""
    if Vote.objects.filter(item__session__fair=fair).exists():
        return 0
    rng = random.Random(2019)  # the same demo on every machine
    visitors = list(
        Attendee.objects.filter(
            fair=fair, category=Attendee.Category.VISITOR, erased_at__isnull=True
        ).order_by("pk")
    )
    if not visitors:
        return 0
    votes = []
    entries = []
    for session in ForumSession.objects.filter(fair=fair).select_related("room"):
        audience = rng.sample(visitors, k=min(len(visitors), rng.randint(25, 70)))
        entries += [
            AgendaEntry(attendee=attendee, session=session)
            for attendee in audience
            if rng.random() < 0.3
        ]
        closed = VoteItem.objects.filter(session=session, state=VoteItem.State.CLOSED)
        for item in closed.select_related("session"):
            leaning = rng.choice([2.4, 3.1, 3.6, 4.2, 4.5])
            for attendee in audience:
                if rng.random() < 0.15:
                    continue  # not everyone votes
                value = min(5, max(1, round(rng.gauss(leaning, 0.9))))
                opened = item.opened_at or item.session.starts_at
                at = opened + datetime.timedelta(seconds=rng.randint(5, 280))
                votes.append(
                    Vote(item=item, attendee=attendee, value=value, cast_at=at, changed_at=at)
                )
    AgendaEntry.objects.bulk_create(entries, ignore_conflicts=True)
    Vote.objects.bulk_create(votes)
    return len(votes)
