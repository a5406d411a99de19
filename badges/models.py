"""Attendees and their badges."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from badges.codes import qr_content, short_code_display
from exhibitors.models import Exhibitor, StaffMember
from fair.models import Fair, Topic

# A person's contact details: what a visitor may share with the exhibitors who scan them
# (``leads.selectors.SHARED_CONTACT_FIELDS``), what their data copy and the API list.
ATTENDEE_CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "job_title",
    "email",
    "phone",
    "country",
    "postal_code",
)


class Attendee(models.Model):
    class Category(models.TextChoices):
        VISITOR = "visitor", _("Visitor")
        EXHIBITOR_STAFF = "exhibitor_staff", _("Exhibitor staff")
        PRESS = "press", _("Press")
        SPEAKER = "speaker", _("Speaker")
        ORGANIZER = "organizer", _("Organizer")
        SERVICE = "service", _("Service")

    fair = models.ForeignKey(
        Fair, verbose_name=_("fair"), on_delete=models.PROTECT, related_name="attendees"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    company = models.CharField(_("company"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    country = CountryField(_("country"), blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="de"
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("interest topics"), blank=True)

    # Consent to hand contact details to exhibitors who scan the badge: never pre-ticked,
    # recorded with the moment and the exact text version shown.
    lead_sharing = models.BooleanField(_("shares contact details with exhibitors"), default=False)
    lead_sharing_at = models.DateTimeField(_("lead sharing decided at"), null=True, blank=True)
    lead_sharing_text_version = models.CharField(
        _("lead sharing text version"), max_length=40, blank=True
    )

    exhibitor = models.ForeignKey(
        Exhibitor,
        verbose_name=_("exhibitor"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_attendees",
    )
    staff_member = models.OneToOneField(
        StaffMember,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendee",
    )
    external_id = models.CharField(_("ticket number"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # SHA-256 hex digest of the secret in the visitor's badge link. The link is a credential:
    # the token itself is mailed once and never stored.
    access_token_hash = models.CharField(
        _("access token hash"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    # SHA-256 hex digest of the random part of the newest confirmation link (the link is
    # random and signed, it holds no personal data). Kept after the confirmation, so that a
    # second click finds the visitor and says "already confirmed" instead of "invalid".
    confirmation_token_hash = models.CharField(
        _("confirmation token hash"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    # When we last mailed this person (confirmation or badge link): repeated registrations
    # with the same address do not turn the form into a mail cannon.
    mail_sent_at = models.DateTimeField(_("last mail sent at"), null=True, blank=True)
    # Set when the person's data was erased (on request or after the retention period): the
    # record stays only so that exhibitors' lead counts and scan times stay right.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["fair", "external_id"],
                condition=~Q(external_id=""),
                name="attendee_unique_external_id_per_fair",
            ),
            models.UniqueConstraint(
                fields=["fair", "email"],
                condition=Q(category="visitor"),
                name="attendee_unique_visitor_email_per_fair",
            ),
            models.CheckConstraint(
                condition=Q(staff_member__isnull=True) | Q(category="exhibitor_staff"),
                name="attendee_staff_member_only_for_staff",
            ),
            models.CheckConstraint(
                condition=Q(
                    category__in=[
                        "visitor",
                        "exhibitor_staff",
                        "press",
                        "speaker",
                        "organizer",
                        "service",
                    ]
                ),
                name="attendee_category_valid",
            ),
            # Consent counts only with the moment it was given and the text version shown.
            models.CheckConstraint(
                condition=Q(lead_sharing=False)
                | (Q(lead_sharing_at__isnull=False) & ~Q(lead_sharing_text_version="")),
                name="attendee_lead_sharing_recorded",
            ),
        ]
        indexes = [models.Index(fields=["fair", "category", "last_name", "first_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Badge(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", _("active")
        REVOKED = "revoked", _("revoked")

    attendee = models.ForeignKey(
        Attendee, verbose_name=_("attendee"), on_delete=models.CASCADE, related_name="badges"
    )
    secret = models.CharField(_("QR secret"), max_length=26, unique=True)
    short_code = models.CharField(_("short code"), max_length=11, unique=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.ACTIVE)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    printed_at = models.DateTimeField(_("printed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["attendee"],
                condition=Q(state="active"),
                name="badge_one_active_per_attendee",
            ),
            models.CheckConstraint(
                condition=Q(state="active", revoked_at__isnull=True)
                | Q(state="revoked", revoked_at__isnull=False),
                name="badge_revoked_at_matches_state",
            ),
            # Short codes are stored canonical: 11 characters of Crockford base32.
            models.CheckConstraint(
                condition=Q(short_code__regex=r"^[0-9A-HJKMNP-TV-Z]{11}$"),
                name="badge_short_code_format",
            ),
            models.CheckConstraint(
                condition=Q(secret__regex=r"^[0-9A-HJKMNP-TV-Z]{26}$"),
                name="badge_secret_format",
            ),
        ]

    def __str__(self) -> str:
        return short_code_display(self.short_code)

    @property
    def qr_content(self) -> str:
        return qr_content(self.secret)


# --------------------------------------------------------------------------- privacy


class ConsentEvent(models.Model):
    """One decision about lead sharing, kept for good: given or withdrawn, when, which text.

    ``Attendee.lead_sharing`` is the current state; these rows are its history (proof of what
    the person agreed to, and when they took it back).
    """

    class Source(models.TextChoices):
        REGISTRATION = "registration", _("registration form")
        IMPORT = "import", _("ticketing import")
        SELF_SERVICE = "self_service", _("visitor's badge page")
        ERASURE = "erasure", _("erasure")
        RETENTION = "retention", _("retention period ended")
        RECORDED = "recorded", _("recorded before the history was kept")

    attendee = models.ForeignKey(
        Attendee,
        verbose_name=_("attendee"),
        on_delete=models.CASCADE,
        related_name="consent_events",
    )
    given = models.BooleanField(_("consent given"))
    text_version = models.CharField(_("text version"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        ordering = ["attendee", "at", "id"]
        constraints = [
            # Consent counts only with the text version that was shown.
            models.CheckConstraint(
                condition=Q(given=False) | ~Q(text_version=""),
                name="consentevent_given_has_text_version",
            ),
            models.CheckConstraint(
                condition=Q(
                    source__in=[
                        "registration",
                        "import",
                        "self_service",
                        "erasure",
                        "retention",
                        "recorded",
                    ]
                ),
                name="consentevent_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{'+' if self.given else '-'} {self.text_version} {self.at:%Y-%m-%d %H:%M}"


class ErasureRequest(models.Model):
    """A visitor's request to erase their data; the organizers confirm or reject it."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for the organizers")
        COMPLETED = "completed", _("erased")
        REJECTED = "rejected", _("rejected")

    attendee = models.ForeignKey(
        Attendee,
        verbose_name=_("attendee"),
        on_delete=models.CASCADE,
        related_name="erasure_requests",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["attendee"],
                condition=Q(state="pending"),
                name="erasurerequest_one_pending_per_attendee",
            ),
            models.CheckConstraint(
                condition=Q(state="pending", decided_at__isnull=True)
                | Q(state__in=["completed", "rejected"], decided_at__isnull=False),
                name="erasurerequest_decided_at_matches_state",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_state_display()}"


class PrivacyAuditEntry(models.Model):
    """What was done with a person's data on their behalf or by rule: a copy handed out, an
    erasure requested, confirmed or rejected, a fair's data purged after the retention period.
    Never holds the personal data itself (it outlives the erasure)."""

    class Action(models.TextChoices):
        DATA_DOWNLOADED = "data_downloaded", _("data copy downloaded by the person")
        ERASURE_REQUESTED = "erasure_requested", _("erasure requested")
        ERASURE_COMPLETED = "erasure_completed", _("erasure carried out")
        ERASURE_REJECTED = "erasure_rejected", _("erasure rejected")
        RETENTION_PURGED = "retention_purged", _("data purged after the retention period")

    at = models.DateTimeField(_("at"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    fair = models.ForeignKey(
        Fair,
        verbose_name=_("fair"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attendee = models.ForeignKey(
        Attendee,
        verbose_name=_("attendee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="privacy_audit_entries",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("by"), max_length=150)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("privacy log entry")
        verbose_name_plural = _("privacy log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class AttendeeImportChunk(models.Model):
    """The result of one chunk of rows of an import wizard's dry run or import
    (``badges.services.attendee_import.attendees_import_chunk``), saved in the transaction
    that did its work: a retried or repeated request for a chunk finds it here and changes
    nothing, and the wizard's pages show the results after a reload. Holds names and ticket
    numbers or emails of the file's rows, so it is deleted with the uploaded file (after the
    wizard, on cancel, or after ``badges.import_store.MAX_AGE``)."""

    upload = models.CharField(_("upload"), max_length=64)  # the file and mapping, hashed
    fair = models.ForeignKey(
        Fair, verbose_name=_("fair"), on_delete=models.CASCADE, related_name="+"
    )
    dry_run = models.BooleanField(_("dry run"))
    number = models.PositiveIntegerField(_("chunk"))
    rows = models.JSONField(_("rows"), default=list)  # ImportRowResult fields per row
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendee import chunk")
        verbose_name_plural = _("attendee import chunks")
        constraints = [
            models.UniqueConstraint(
                fields=["upload", "dry_run", "number"], name="badges_import_chunk_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.upload[:8]} {'dry run' if self.dry_run else 'import'} #{self.number}"


# The forum side of a badge holder (agenda and votes) lives in its own module; importing it
# here registers its models with the badges app.
from badges.forum.models import AgendaEntry, Vote  # noqa: E402, F401
