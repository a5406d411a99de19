"""A visitor's agenda (sessions saved from the badge link) and relevance votes.

Both belong to the attendee, not to one badge: a reissued badge keeps its holder's agenda and
votes. One vote per attendee and item, 1–5, enforced by the database; that the attendee and the
session belong to the same fair is checked by the services (``badges.forum.voting``,
``badges.forum.agenda``).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from badges.models import Attendee
from fair.models import ForumSession, VoteItem


class AgendaEntry(models.Model):
    attendee = models.ForeignKey(
        Attendee,
        verbose_name=_("attendee"),
        on_delete=models.CASCADE,
        related_name="agenda_entries",
    )
    session = models.ForeignKey(
        ForumSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="agenda_entries",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agenda entry")
        verbose_name_plural = _("agenda entries")
        ordering = ["attendee", "session__starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["attendee", "session"], name="agendaentry_unique_per_attendee"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attendee_id} → {self.session_id}"


class Vote(models.Model):
    """One attendee's relevance rating of one item. PROTECT: an item that has votes cannot be
    deleted (with its session or alone); its results outlive any edit of the program."""

    VALUES = range(1, 6)

    item = models.ForeignKey(
        VoteItem, verbose_name=_("vote item"), on_delete=models.PROTECT, related_name="votes"
    )
    attendee = models.ForeignKey(
        Attendee, verbose_name=_("attendee"), on_delete=models.CASCADE, related_name="votes"
    )
    value = models.PositiveSmallIntegerField(_("relevance (1–5)"))
    cast_at = models.DateTimeField(_("cast at"))
    changed_at = models.DateTimeField(_("last changed at"))

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["item", "cast_at"]
        constraints = [
            models.UniqueConstraint(fields=["item", "attendee"], name="vote_one_per_attendee"),
            models.CheckConstraint(
                condition=Q(value__gte=1) & Q(value__lte=5), name="vote_value_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.value}"
