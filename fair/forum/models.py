"""The forum program: rooms with their capacity, sessions, speakers and vote items.

Integrity lives in the database: a session ends after it starts, a room holds at least one
person, orderings are unique per session, a vote item's state and its timestamps agree. That
a session's room and topic belong to the session's own fair is checked by
``fair.forum.program`` (a check constraint cannot look into another table).
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fair.models import Fair, Topic


def _english() -> bool:
    return (get_language() or "de").startswith("en")


class Room(models.Model):
    fair = models.ForeignKey(
        Fair, verbose_name=_("fair"), on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity (seats)"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["fair", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["fair", "name"], name="room_unique_name_per_fair"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="room_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class ForumSession(models.Model):
    """One talk (or panel) in one room: what is presented, when, by whom."""

    fair = models.ForeignKey(
        Fair, verbose_name=_("fair"), on_delete=models.CASCADE, related_name="forum_sessions"
    )
    # The organizer's own number for the session ("D1-03"): the key a re-import matches on.
    code = models.CharField(_("number"), max_length=20)
    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="sessions"
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_sessions",
    )
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    abstract_de = models.TextField(_("abstract (German)"), max_length=4000, blank=True)
    abstract_en = models.TextField(_("abstract (English)"), max_length=4000, blank=True)
    pilot_project = models.CharField(_("pilot project"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("forum session")
        verbose_name_plural = _("forum sessions")
        ordering = ["fair", "starts_at", "room__position", "room__name"]
        constraints = [
            models.UniqueConstraint(fields=["fair", "code"], name="forumsession_unique_code"),
            models.UniqueConstraint(
                fields=["room", "starts_at"], name="forumsession_unique_room_start"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="forumsession_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["fair", "starts_at"], name="forumsession_fair_start")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return self.title_en if _english() and self.title_en else self.title_de

    @property
    def abstract(self) -> str:
        return self.abstract_en if _english() and self.abstract_en else self.abstract_de


class Speaker(models.Model):
    session = models.ForeignKey(
        ForumSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="speakers",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=150)
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="speaker_unique_position"),
        ]

    def __str__(self) -> str:
        return self.name


class VoteItem(models.Model):
    """One approach presented in a session, which the audience rates 1–5 for relevance while
    the moderator keeps voting open."""

    class State(models.TextChoices):
        PENDING = "pending", _("not opened yet")
        OPEN = "open", _("voting open")
        CLOSED = "closed", _("voting closed")

    session = models.ForeignKey(
        ForumSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="vote_items",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("vote item")
        verbose_name_plural = _("vote items")
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "position"], name="voteitem_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "open", "closed"]), name="voteitem_state_valid"
            ),
            # The timestamps tell the state's story: never opened, open since, open from–to.
            models.CheckConstraint(
                condition=Q(state="pending", opened_at__isnull=True, closed_at__isnull=True)
                | Q(state="open", opened_at__isnull=False, closed_at__isnull=True)
                | Q(
                    state="closed",
                    opened_at__isnull=False,
                    closed_at__isnull=False,  # NULL >= x is NULL, which a CHECK lets pass
                    closed_at__gte=F("opened_at"),
                ),
                name="voteitem_times_match_state",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if _english() and self.title_en else self.title_de

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN
