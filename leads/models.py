"""Scanner devices, qualifying questions, leads and every single scan."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from badges.models import Attendee, Badge
from exhibitors.models import Exhibitor
from fair.models import ForumSession, Room

# Times a client sends are kept only within these bounds (leads.services.lead_data replaces
# others by the server time); the database refuses anything outside them, so no stored time can
# make a read fail (year 1 with an offset is 1 BC to PostgreSQL, year 9999 overflows in Python
# once shown in a time zone east of UTC).
TIME_MIN = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
TIME_MAX = datetime.datetime(2200, 1, 1, tzinfo=datetime.UTC)


def _time_in_range(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": TIME_MIN, f"{field}__lt": TIME_MAX}), name=name
    )


class ScannerDevice(models.Model):
    """A phone or handheld registered either to one exhibitor (a stand device: captures leads)
    or to one forum room (a room device, the organizers': checks people in to the room's
    sessions); authenticates with a hashed token."""

    exhibitor = models.ForeignKey(
        Exhibitor,
        verbose_name=_("exhibitor"),
        on_delete=models.CASCADE,
        related_name="devices",
        null=True,
        blank=True,
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        on_delete=models.CASCADE,
        related_name="devices",
        null=True,
        blank=True,
    )
    label = models.CharField(_("label"), max_length=80)
    # SHA-256 hex digest of the bearer token; the token itself is shown once and never stored.
    # A revoked device keeps its hash so that it is told "revoked" rather than "unknown".
    token_hash = models.CharField(
        _("token hash"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    # The name the phone gave itself when it paired (e.g. "Anna's iPhone").
    paired_name = models.CharField(_("name on the device"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    paired_at = models.DateTimeField(_("paired at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scanner device")
        verbose_name_plural = _("scanner devices")
        ordering = ["exhibitor", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["exhibitor", "label"], name="scannerdevice_unique_label_per_exhibitor"
            ),
            models.UniqueConstraint(
                fields=["room", "label"], name="scannerdevice_unique_label_per_room"
            ),
            models.CheckConstraint(
                condition=Q(exhibitor__isnull=False, room__isnull=True)
                | Q(exhibitor__isnull=True, room__isnull=False),
                name="scannerdevice_stand_or_room",
            ),
            models.CheckConstraint(
                condition=Q(token_hash__isnull=True) | Q(paired_at__isnull=False),
                name="scannerdevice_token_only_when_paired",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.token_hash is not None

    @property
    def is_room_device(self) -> bool:
        return self.room_id is not None


class PairingCode(models.Model):
    """A one-time code that a phone exchanges for the device token; valid 15 minutes."""

    device = models.ForeignKey(
        ScannerDevice,
        verbose_name=_("device"),
        on_delete=models.CASCADE,
        related_name="pairing_codes",
    )
    code_hash = models.CharField(_("code hash"), max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pairing code")
        verbose_name_plural = _("pairing codes")
        constraints = [
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(used_at__lte=F("expires_at")),
                name="pairingcode_used_before_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device} (expires {self.expires_at:%Y-%m-%d %H:%M})"


class Question(models.Model):
    """A qualifying question an exhibitor asks about each lead."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Free text")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")

    exhibitor = models.ForeignKey(
        Exhibitor, verbose_name=_("exhibitor"), on_delete=models.CASCADE, related_name="questions"
    )
    text = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # A removed question is no longer asked, but its label stays for the answers already given.
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("qualifying question")
        verbose_name_plural = _("qualifying questions")
        ordering = ["exhibitor", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["text", "single", "multiple"]), name="question_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Lead(models.Model):
    """One attendee captured by one exhibitor."""

    class Rating(models.TextChoices):
        HOT = "hot", _("hot")
        WARM = "warm", _("warm")
        COLD = "cold", _("cold")

    # No index of its own: the unique (exhibitor, attendee) and the (exhibitor, last scan)
    # indexes serve every look-up by exhibitor, and every scan rewrites each lead index.
    exhibitor = models.ForeignKey(
        Exhibitor,
        verbose_name=_("exhibitor"),
        on_delete=models.CASCADE,
        related_name="leads",
        db_index=False,
    )
    attendee = models.ForeignKey(
        Attendee, verbose_name=_("attendee"), on_delete=models.CASCADE, related_name="leads"
    )
    first_scanned_at = models.DateTimeField(_("first scanned at"))
    last_scanned_at = models.DateTimeField(_("last scanned at"))
    scan_count = models.PositiveIntegerField(_("scans"), default=1)
    rating = models.CharField(
        _("rating"), max_length=4, choices=Rating.choices, blank=True, default=""
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    # {question_id (str): answer (str or list of str)}
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-last_scanned_at", "-id"]
        # No index holds a column a scan changes (last_scanned_at, scan_count, rating,
        # updated_at): a repeat scan then updates the row in place (HOT) instead of adding an
        # entry to every lead index. The unique (exhibitor, attendee) index serves the look-ups
        # by exhibitor; a page of 50 by last scan sorts the exhibitor's leads (7-10 ms at
        # 50,000 leads, 0.2-0.5 ms with the index it had; bench/README.md).
        constraints = [
            models.UniqueConstraint(
                fields=["exhibitor", "attendee"], name="lead_one_per_exhibitor_and_attendee"
            ),
            models.CheckConstraint(condition=Q(scan_count__gte=1), name="lead_scan_count_positive"),
            models.CheckConstraint(
                condition=Q(last_scanned_at__gte=F("first_scanned_at")),
                name="lead_last_scan_not_before_first",
            ),
            models.CheckConstraint(
                condition=Q(rating__in=["", "hot", "warm", "cold"]),
                name="lead_rating_valid",
            ),
            _time_in_range("first_scanned_at", "lead_first_scanned_at_in_range"),
            _time_in_range("last_scanned_at", "lead_last_scanned_at_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.attendee} @ {self.exhibitor}"


class LeadNote(models.Model):
    """A note on a lead, kept with its author, so notes written offline on two devices both stay."""

    lead = models.ForeignKey(
        Lead, verbose_name=_("lead"), on_delete=models.CASCADE, related_name="notes"
    )
    text = models.TextField(_("note"))
    device = models.ForeignKey(
        ScannerDevice,
        verbose_name=_("device"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    written_at = models.DateTimeField(_("written at"))
    # Set by a device that sends the note again after a lost answer: the note is kept once.
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lead note")
        verbose_name_plural = _("lead notes")
        ordering = ["lead", "written_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="leadnote_text_not_empty"),
            _time_in_range("written_at", "leadnote_written_at_in_range"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Scan(models.Model):
    """One badge scan by one device; ``client_id`` makes a resent scan recognizable."""

    lead = models.ForeignKey(
        Lead, verbose_name=_("lead"), on_delete=models.CASCADE, related_name="scans"
    )
    device = models.ForeignKey(
        ScannerDevice, verbose_name=_("device"), on_delete=models.PROTECT, related_name="scans"
    )
    badge = models.ForeignKey(
        Badge, verbose_name=_("badge"), on_delete=models.PROTECT, related_name="scans"
    )
    client_id = models.UUIDField(_("client id"), unique=True)
    scanned_at = models.DateTimeField(_("device time"))
    received_at = models.DateTimeField(_("server time"), auto_now_add=True)
    # Whether this scan created the lead, so that a retry gets the original answer (201/200).
    created_lead = models.BooleanField(_("created the lead"), default=False)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-scanned_at", "-id"]
        constraints = [_time_in_range("scanned_at", "scan_scanned_at_in_range")]

    def __str__(self) -> str:
        return f"{self.client_id}"


class ExportAuditEntry(models.Model):
    """One access to a lead export: who, what (channel, scope, format, filters), when, and how
    many rows left the server. Streamed files write their entry when the stream ends, with the
    rows actually sent (``completed`` False: the download was broken off)."""

    class Channel(models.TextChoices):
        PORTAL = "portal", _("exhibitor portal")
        ORGANIZER = "organizer", _("organizers' dashboard")
        COMMAND = "command", _("export_leads command")
        API = "api", _("API")

    class Scope(models.TextChoices):
        EXHIBITOR_LEADS = "exhibitor_leads", _("an exhibitor's leads")
        EXHIBITOR_REPORT = "exhibitor_report", _("an exhibitor's PDF lead report")
        FAIR_LEADS = "fair_leads", _("every lead of a fair")
        FAIR_STATISTICS = "fair_statistics", _("exhibitor statistics of a fair")
        AREA_REPORT = "area_report", _("an area's PDF report")
        SESSION_ATTENDANCE = "session_attendance", _("the attendance list of a forum session")

    at = models.DateTimeField(_("at"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    format = models.CharField(_("format"), max_length=12)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who, in words that stay after the user, token or device is gone: "anna@firma.example",
    # "API token CRM sync (fl_api_ab12…)", "device Stand phone 1", "manage.py export_leads (root)".
    actor_label = models.CharField(_("by"), max_length=200)
    fair = models.ForeignKey(
        "fair.Fair",
        verbose_name=_("fair"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    exhibitor = models.ForeignKey(
        Exhibitor,
        verbose_name=_("exhibitor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    area = models.ForeignKey(
        "fair.Area",
        verbose_name=_("area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    row_count = models.PositiveIntegerField(_("rows"))
    completed = models.BooleanField(_("completed"), default=True)

    class Meta:
        verbose_name = _("lead export log entry")
        verbose_name_plural = _("lead export log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["-at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=["portal", "organizer", "command", "api"]),
                name="exportauditentry_channel_valid",
            ),
            models.CheckConstraint(condition=~Q(actor_label=""), name="exportauditentry_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.scope} {self.format}"


class LeadNoteRevision(models.Model):
    """The history of a lead note: its earlier text each time its writer changed or deleted it
    (``leads/services/lead_edit.py``). Kept with the lead, so a deleted note's history stays;
    erasing the visitor deletes it together with the lead's notes."""

    class Action(models.TextChoices):
        EDITED = "edited", _("edited")
        DELETED = "deleted", _("deleted")

    lead = models.ForeignKey(
        Lead, verbose_name=_("lead"), on_delete=models.CASCADE, related_name="note_revisions"
    )
    # The note as it is now; empty once the note was deleted.
    note = models.ForeignKey(
        LeadNote,
        verbose_name=_("note"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revisions",
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    text = models.TextField(_("earlier text"))
    # Who wrote the earlier text, and when (copied from the note).
    written_at = models.DateTimeField(_("written at"))
    device = models.ForeignKey(
        ScannerDevice,
        verbose_name=_("device"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revised_at = models.DateTimeField(_("changed at"))
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lead note revision")
        verbose_name_plural = _("lead note revisions")
        ordering = ["lead", "revised_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["edited", "deleted"]), name="leadnoterevision_action"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="leadnoterevision_text"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.revised_at:%Y-%m-%d %H:%M}: {self.text[:40]}"


class Attendance(models.Model):
    """One person checked in to one forum session by a room device at the door.

    Once per (session, attendee): a second scan of the same person — also with a reissued
    badge, also at another door — is "already checked in", never a second row, so the count
    is exact. ``client_id`` makes a resent check-in recognizable. Exhibitors never see these
    rows (``leads.services.checkin`` says why and what else it decides).
    """

    session = models.ForeignKey(
        ForumSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    attendee = models.ForeignKey(
        Attendee, verbose_name=_("attendee"), on_delete=models.CASCADE, related_name="+"
    )
    badge = models.ForeignKey(
        Badge, verbose_name=_("badge"), on_delete=models.CASCADE, related_name="+"
    )
    device = models.ForeignKey(
        ScannerDevice,
        verbose_name=_("device"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendances",
    )
    client_id = models.UUIDField(_("client id"), unique=True)
    scanned_at = models.DateTimeField(_("checked in at"))
    received_at = models.DateTimeField(_("server time"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["session", "scanned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "attendee"], name="attendance_once_per_session_and_attendee"
            ),
            _time_in_range("scanned_at", "attendance_scanned_at_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.attendee_id} @ {self.session_id}"
