"""Attendees and their badges."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from badges.codes import qr_content, short_code_display
from exhibitors.models import Exhibitor, StaffMember
from fair.models import Fair, Topic


class Attendee(models.Model):
    class Category(models.TextChoices):
        VISITOR = "visitor", _("Visitor")
        EXHIBITOR_STAFF = "exhibitor_staff", _("Exhibitor staff")
        PRESS = "press", _("Press")
        SPEAKER = "speaker", _("Speaker")
        ORGANIZER = "organizer", _("Organizer")
        SERVICE = "service", _("Service")

    fair = models.ForeignKey(Fair, on_delete=models.PROTECT, related_name="attendees")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    company = models.CharField(_("company"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
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
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    # When we last mailed this person (confirmation or badge link): repeated registrations
    # with the same address do not turn the form into a mail cannon.
    mail_sent_at = models.DateTimeField(_("last mail sent at"), null=True, blank=True)

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

    attendee = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="badges")
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
