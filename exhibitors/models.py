"""Exhibitors: registration data, workflow state, portal accounts and stand staff."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from fair.models import Area, Fair, Stand, Topic

CATALOG_TEXT_MAX_LENGTH = 600

# ISO 3166 codes of the EU member states (VAT ID rules differ inside and outside the EU).
EU_COUNTRIES = frozenset(
    {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"}
    | {"IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}
)


class Exhibitor(models.Model):
    class State(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("unconfirmed")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        WAITLISTED = "waitlisted", _("waitlisted")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    # The fair is stored beside the area so that the database itself can refuse a second
    # registration for the same fair (unique VAT ID and contact email per fair).
    fair = models.ForeignKey(
        Fair, verbose_name=_("fair"), on_delete=models.PROTECT, related_name="exhibitors"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="exhibitors"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.UNCONFIRMED
    )

    company_name = models.CharField(_("company name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=60, blank=True)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=20)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    vat_id = models.CharField(_("VAT ID"), max_length=20, blank=True)
    tax_number = models.CharField(_("tax number"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_position = models.CharField(_("contact position"), max_length=120, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="de"
    )

    invoice_company = models.CharField(_("invoice company"), max_length=200, blank=True)
    invoice_street = models.CharField(_("invoice street"), max_length=200, blank=True)
    invoice_postal_code = models.CharField(_("invoice postal code"), max_length=20, blank=True)
    invoice_city = models.CharField(_("invoice city"), max_length=100, blank=True)
    invoice_country = CountryField(_("invoice country"), blank=True)
    invoice_email = models.EmailField(_("invoice email"), blank=True)

    requested_sqm = models.PositiveIntegerField(_("requested stand size (m²)"))
    preferred_stand_type = models.CharField(
        _("preferred stand type"), max_length=10, choices=Stand.Type.choices, default=Stand.Type.ROW
    )
    wants_corner = models.BooleanField(_("wish for a corner"), default=False)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True)
    catalog_text = models.TextField(
        _("catalog entry"),
        blank=True,
        validators=[MaxLengthValidator(CATALOG_TEXT_MAX_LENGTH)],
    )
    catalog_text_en = models.TextField(
        _("catalog entry (English)"),
        blank=True,
        validators=[MaxLengthValidator(CATALOG_TEXT_MAX_LENGTH)],
        help_text=_("Shown to visitors reading in English; the entry above otherwise."),
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)

    # The public exhibitor directory (exhibitors/directory_selectors.py). Company name, stand,
    # topics and co-exhibitors of a listed, approved exhibitor are always public; the rest is
    # the exhibitor's choice in the portal. Defaults: listed, logo, catalog entry and website
    # shown; no public email until the exhibitor enters one (never the contact person's).
    directory_listed = models.BooleanField(
        _("list us in the public exhibitor directory"), default=True
    )
    public_logo = models.BooleanField(_("show our logo"), default=True)
    public_catalog_text = models.BooleanField(_("show our catalog entry"), default=True)
    public_website = models.BooleanField(_("show our website"), default=True)
    public_email = models.EmailField(
        _("public email address"),
        blank=True,
        help_text=_("For visitors, e.g. info@…; leave empty to show none."),
    )
    # The organizers' veto (exhibitors/services/directory.py, audited).
    directory_hidden = models.BooleanField(
        _("hidden from the directory by the organizers"), default=False
    )

    terms_accepted_at = models.DateTimeField(_("terms accepted at"))
    terms_version = models.CharField(_("terms version"), max_length=40)
    privacy_accepted_at = models.DateTimeField(_("privacy notice accepted at"))
    privacy_version = models.CharField(_("privacy notice version"), max_length=40)

    stand = models.OneToOneField(
        Stand,
        verbose_name=_("stand"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exhibitor",
    )
    staff_quota = models.PositiveSmallIntegerField(_("staff badge quota"), default=0)

    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("exhibitor")
        verbose_name_plural = _("exhibitors")
        ordering = ["company_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["fair", "vat_id"],
                condition=~Q(vat_id=""),
                name="exhibitor_unique_vat_id_per_fair",
            ),
            models.UniqueConstraint(
                "fair",
                Lower("contact_email"),
                name="exhibitor_unique_contact_email_per_fair",
            ),
            models.CheckConstraint(
                condition=Q(
                    state__in=[
                        "unconfirmed",
                        "submitted",
                        "approved",
                        "waitlisted",
                        "rejected",
                        "withdrawn",
                    ]
                ),
                name="exhibitor_state_valid",
            ),
            # Only an approved exhibitor holds a stand.
            models.CheckConstraint(
                condition=Q(stand__isnull=True) | Q(state="approved"),
                name="exhibitor_stand_only_when_approved",
            ),
            # German companies give a VAT ID or a tax number; other EU companies a VAT ID.
            models.CheckConstraint(
                condition=~Q(country="DE") | ~Q(vat_id="") | ~Q(tax_number=""),
                name="exhibitor_german_tax_identity",
            ),
            models.CheckConstraint(
                condition=~Q(country__in=sorted(EU_COUNTRIES - {"DE"})) | ~Q(vat_id=""),
                name="exhibitor_eu_vat_id",
            ),
        ]
        indexes = [models.Index(fields=["fair", "state"])]

    def __str__(self) -> str:
        return self.company_name


class CoExhibitor(models.Model):
    exhibitor = models.ForeignKey(
        Exhibitor,
        verbose_name=_("exhibitor"),
        on_delete=models.CASCADE,
        related_name="co_exhibitors",
    )
    name = models.CharField(_("name"), max_length=200)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("co-exhibitor")
        verbose_name_plural = _("co-exhibitors")
        ordering = ["exhibitor", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["exhibitor", "name"], name="coexhibitor_unique_name_per_exhibitor"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ExhibitorAuditEntry(models.Model):
    """One state change or other noteworthy act on an exhibitor: who, when, from, to, note.

    ``action`` and the states are stored as codes and shown with their labels; a code that is
    not (yet) among the choices is shown as it is.
    """

    class Action(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        CONFIRMED = "confirmed", _("Email address confirmed")
        CONFIRMATION_RESENT = "confirmation_resent", _("Confirmation mail sent again")
        APPROVE = "approve", _("Approved")
        WAITLIST = "waitlist", _("Waitlisted")
        REJECT = "reject", _("Rejected")
        WITHDRAW = "withdraw", _("Withdrawn")
        STAND_ASSIGN = "stand_assign", _("Stand assigned")
        STAND_RELEASE = "stand_release", _("Stand released")
        STAFF_QUOTA = "staff_quota", _("Staff quota changed")
        INVITE = "invite", _("Portal access sent")
        PROFILE_UPDATE = "profile_update", _("Profile updated")
        STAFF_ADD = "staff_add", _("Stand staff added")
        STAFF_UPDATE = "staff_update", _("Stand staff changed")
        STAFF_REMOVE = "staff_remove", _("Stand staff removed")
        PORTAL_PASSWORD_SET = "portal_password_set", _("Portal password set")

    exhibitor = models.ForeignKey(
        Exhibitor,
        verbose_name=_("exhibitor"),
        on_delete=models.CASCADE,
        related_name="audit_entries",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(
        _("by (label)"), max_length=200, help_text=_("e.g. the contact's email for public actions")
    )
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    from_state = models.CharField(
        _("previous state"), max_length=12, blank=True, choices=Exhibitor.State.choices
    )
    to_state = models.CharField(
        _("new state"), max_length=12, blank=True, choices=Exhibitor.State.choices
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        # No codes here: the admin shows this as the entry's title (exhibitors/audit_text.py
        # says what happened in words).
        if self.at is None:
            return str(self.exhibitor)
        when = formats.date_format(timezone.localtime(self.at), "SHORT_DATETIME_FORMAT")
        return f"{self.exhibitor}, {when}"

    @property
    def transition(self) -> str:
        """ "Submitted → Approved" in the active language; "" when the state did not change."""
        if not self.to_state:
            return ""
        after = capfirst(self.get_to_state_display())
        if not self.from_state:
            return f"→ {after}"
        return f"{capfirst(self.get_from_state_display())} → {after}"


class ExhibitorAccount(models.Model):
    """A portal login that belongs to exactly one exhibitor."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="exhibitor_account",
    )
    exhibitor = models.ForeignKey(
        Exhibitor, verbose_name=_("exhibitor"), on_delete=models.CASCADE, related_name="accounts"
    )

    class Meta:
        verbose_name = _("exhibitor account")
        verbose_name_plural = _("exhibitor accounts")

    def __str__(self) -> str:
        return f"{self.user} → {self.exhibitor}"


class StaffMember(models.Model):
    class Role(models.TextChoices):
        STAND_MANAGER = "manager", _("Stand manager")
        SALES = "sales", _("Sales")
        TECHNICAL = "technical", _("Technical expert")
        HOST = "host", _("Host / hostess")
        OTHER = "other", _("Other")

    exhibitor = models.ForeignKey(
        Exhibitor, verbose_name=_("exhibitor"), on_delete=models.CASCADE, related_name="staff"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.SALES)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["exhibitor", "last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["exhibitor", "email"], name="staffmember_unique_email_per_exhibitor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class ExhibitorMessage(models.Model):
    """A message the organizers sent to a group of exhibitors from the control room: who sent
    what, to which selection, and to how many. Each exhibitor got it in their language."""

    SUBJECT_MAX_LENGTH = 150
    BODY_MAX_LENGTH = 5000

    fair = models.ForeignKey(
        Fair, verbose_name=_("fair"), on_delete=models.PROTECT, related_name="exhibitor_messages"
    )
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("sent by"), max_length=200)
    # The selection in words that stay: {"area": "Smart City", "state": "approved", ...}.
    filters = models.JSONField(_("recipients"), default=dict, blank=True)
    subject_de = models.CharField(_("subject (German)"), max_length=SUBJECT_MAX_LENGTH)
    body_de = models.TextField(_("text (German)"), validators=[MaxLengthValidator(BODY_MAX_LENGTH)])
    subject_en = models.CharField(_("subject (English)"), max_length=SUBJECT_MAX_LENGTH, blank=True)
    body_en = models.TextField(
        _("text (English)"), blank=True, validators=[MaxLengthValidator(BODY_MAX_LENGTH)]
    )
    recipient_count = models.PositiveIntegerField(_("recipients"))

    class Meta:
        verbose_name = _("message to exhibitors")
        verbose_name_plural = _("messages to exhibitors")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(subject_de="") & ~Q(body_de=""),
                name="exhibitormessage_german_text",
            ),
            models.CheckConstraint(
                condition=Q(subject_en="", body_en="") | (~Q(subject_en="") & ~Q(body_en="")),
                name="exhibitormessage_english_complete_or_empty",
            ),
            models.CheckConstraint(condition=~Q(actor_label=""), name="exhibitormessage_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.sent_at:%Y-%m-%d %H:%M} {self.subject_de}"

    @property
    def state_label(self) -> str:
        """The exhibitor state the message was sent to, in the current language ("" for all)."""
        state = self.filters.get("state", "")
        return str(Exhibitor.State(state).label) if state in Exhibitor.State.values else ""
