"""Public exhibitor registration with double opt-in.

``exhibitor_register`` stores a registration as *unconfirmed* and mails a signed, expiring link to
the contact; ``exhibitor_confirm`` (the contact opened that link and pressed the button) moves it
to *submitted*, where the organizers see it.
"""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import PurePath

from django.conf import settings
from django.core import signing
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from exhibitors.legal import organizer_email
from exhibitors.models import CoExhibitor, Exhibitor
from exhibitors.services.audit import exhibitor_audit
from fair.mail import absolute_url, mail_send_on_commit
from fair.models import Area, Topic

CONFIRMATION_SALT = "exhibitors.registration.confirm"
# A new confirmation link is sent at most this often for one registration.
CONFIRMATION_RESEND_INTERVAL = datetime.timedelta(minutes=10)


# ---------------------------------------------------------------------------------------------
# Errors


class RegistrationClosed(Exception):
    """The area does not take registrations now (before opening or after the deadline)."""

    def __init__(self, area: Area) -> None:
        super().__init__(f"registration for area {area.pk} is closed")
        self.area = area


class ExhibitorDuplicate(Exception):
    """The fair already has a registration with this VAT ID or contact email."""

    def __init__(self, *, field: str, existing: Exhibitor | None = None) -> None:
        super().__init__(f"duplicate {field}")
        self.field = field
        self.existing = existing

    @property
    def message(self) -> str:
        if self.field == "vat_id":
            first = _("A company with this VAT ID is already registered for this fair.")
        else:
            first = _("A registration with this contact email already exists for this fair.")
        email = organizer_email()
        then: str
        if email:
            then = _(
                "Please use the link in the confirmation mail we sent to the contact person, or "
                "write to the organizer at %(email)s if you want to change the registration."
            ) % {"email": email}
        else:
            then = str(
                _(
                    "Please use the link in the confirmation mail we sent to the contact person, "
                    "or contact the organizer if you want to change the registration."
                )
            )
        return f"{first} {then}"


class ConfirmationLinkInvalid(Exception):
    """The link was changed or does not belong to any registration."""


class ConfirmationLinkExpired(Exception):
    """The link is genuine but older than FAIRLEAD_CONFIRMATION_MAX_AGE."""

    def __init__(self, exhibitor: Exhibitor) -> None:
        super().__init__("confirmation link expired")
        self.exhibitor = exhibitor


class ExhibitorAlreadyConfirmed(Exception):
    def __init__(self, exhibitor: Exhibitor) -> None:
        super().__init__("already confirmed")
        self.exhibitor = exhibitor


class ConfirmationResendTooSoon(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Input


@dataclass(frozen=True)
class RegistrationData:
    """The company's answers, already validated by the registration form."""

    company_name: str
    street: str
    postal_code: str
    city: str
    country: str
    contact_name: str
    contact_email: str
    requested_sqm: int
    terms_version: str
    privacy_version: str
    language: str = "de"
    legal_form: str = ""
    vat_id: str = ""
    tax_number: str = ""
    website: str = ""
    phone: str = ""
    contact_phone: str = ""
    contact_position: str = ""
    invoice_company: str = ""
    invoice_street: str = ""
    invoice_postal_code: str = ""
    invoice_city: str = ""
    invoice_country: str = ""
    invoice_email: str = ""
    preferred_stand_type: str = "row"
    wants_corner: bool = False
    catalog_text: str = ""


@dataclass(frozen=True)
class CoExhibitorData:
    name: str
    website: str = ""


# ---------------------------------------------------------------------------------------------
# Signed links


def _email_digest(email: str) -> str:
    """A check value of the contact address, keyed with the secret key: it invalidates the
    link when the address changes, but nobody without the key can test guesses against it
    (a plain hash of an address is personal data in disguise)."""
    return salted_hmac(CONFIRMATION_SALT, email.lower(), algorithm="sha256").hexdigest()[:12]


def confirmation_token_create(*, exhibitor: Exhibitor) -> str:
    """A signed, timestamped token: the registration's number and a keyed check value of its
    contact address; no personal data."""
    value = f"{exhibitor.pk}.{_email_digest(exhibitor.contact_email)}"
    return signing.TimestampSigner(salt=CONFIRMATION_SALT).sign(value)


def confirmation_url(*, exhibitor: Exhibitor) -> str:
    token = confirmation_token_create(exhibitor=exhibitor)
    return absolute_url(reverse("exhibitors:confirm", kwargs={"token": token}))


def confirmation_token_resolve(*, token: str) -> Exhibitor:
    """The registration a confirmation link stands for.

    Raises ConfirmationLinkInvalid for a changed or unknown token, ConfirmationLinkExpired for a
    genuine one older than ``settings.FAIRLEAD_CONFIRMATION_MAX_AGE``.
    """
    signer = signing.TimestampSigner(salt=CONFIRMATION_SALT)
    expired = False
    try:
        value = signer.unsign(token, max_age=settings.FAIRLEAD_CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired:
        expired = True
        try:
            value = signer.unsign(token)
        except signing.BadSignature:
            raise ConfirmationLinkInvalid from None
    except signing.BadSignature:
        raise ConfirmationLinkInvalid from None

    pk, _sep, digest = value.partition(".")
    if not pk.isdigit():
        raise ConfirmationLinkInvalid
    exhibitor = Exhibitor.objects.select_related("area", "fair").filter(pk=int(pk)).first()
    if exhibitor is None or _email_digest(exhibitor.contact_email) != digest:
        raise ConfirmationLinkInvalid
    if expired:
        raise ConfirmationLinkExpired(exhibitor)
    return exhibitor


def _confirmation_mail(*, exhibitor: Exhibitor) -> None:
    max_age = datetime.timedelta(seconds=settings.FAIRLEAD_CONFIRMATION_MAX_AGE)
    mail_send_on_commit(
        to=exhibitor.contact_email,
        template="exhibitors/mail/registration_confirm",
        context={
            "exhibitor": exhibitor,
            "area": exhibitor.area,
            "fair": exhibitor.fair,
            "confirm_url": confirmation_url(exhibitor=exhibitor),
            "valid_until": timezone.now() + max_age,
            "organizer_email": organizer_email(),
        },
        language=exhibitor.language,
    )


# ---------------------------------------------------------------------------------------------
# Writes


def _duplicate_of(*, fair_id: int, vat_id: str, contact_email: str) -> ExhibitorDuplicate | None:
    match = Q(contact_email__iexact=contact_email)
    if vat_id:
        match |= Q(vat_id=vat_id)
    existing = Exhibitor.objects.filter(match, fair_id=fair_id).first()
    if existing is None:
        return None
    field = "vat_id" if vat_id and existing.vat_id == vat_id else "contact_email"
    return ExhibitorDuplicate(field=field, existing=existing)


def exhibitor_register(
    *,
    area: Area,
    data: RegistrationData,
    topics: Iterable[Topic] = (),
    co_exhibitors: Iterable[CoExhibitorData] = (),
    logo: "File[bytes] | None" = None,
    now: datetime.datetime | None = None,
) -> Exhibitor:
    """Store a new registration as *unconfirmed* and mail the contact a confirmation link.

    Raises RegistrationClosed outside the area's registration window and ExhibitorDuplicate
    when the fair already has this VAT ID or contact email; in both cases nothing is stored.
    ``logo`` is stored as given (see exhibitors.images.logo_prepare) and removed again if the
    registration is not stored.
    """
    now = now or timezone.now()
    topics = list(topics)
    co_exhibitors = list(co_exhibitors)
    if any(topic.area_id != area.pk for topic in topics):
        raise ValueError("every topic must belong to the area")
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    values["contact_email"] = values["contact_email"].strip().lower()
    values["invoice_email"] = values["invoice_email"].strip().lower()

    stored_logo = ""
    try:
        with transaction.atomic():
            if not area.registration_is_open(now=now):
                raise RegistrationClosed(area)
            duplicate = _duplicate_of(
                fair_id=area.fair_id,
                vat_id=values["vat_id"],
                contact_email=values["contact_email"],
            )
            if duplicate is not None:
                raise duplicate

            terms_version = values.pop("terms_version")
            privacy_version = values.pop("privacy_version")
            exhibitor = Exhibitor(
                fair=area.fair,
                area=area,
                state=Exhibitor.State.UNCONFIRMED,
                terms_accepted_at=now,
                terms_version=terms_version,
                privacy_accepted_at=now,
                privacy_version=privacy_version,
                **values,
            )
            if logo is not None:
                suffix = PurePath(logo.name or "").suffix.lower()
                exhibitor.logo.save(f"{uuid.uuid4().hex}{suffix}", logo, save=False)
                stored_logo = exhibitor.logo.name or ""
            exhibitor.save()
            exhibitor.topics.set(topics)
            CoExhibitor.objects.bulk_create(
                CoExhibitor(exhibitor=exhibitor, name=co.name, website=co.website)
                for co in co_exhibitors
            )
            exhibitor_audit(
                exhibitor=exhibitor,
                action="registered",
                actor_label=exhibitor.contact_email,
                to_state=Exhibitor.State.UNCONFIRMED,
            )
            _confirmation_mail(exhibitor=exhibitor)
    except IntegrityError:
        _logo_delete(stored_logo)
        # Another request stored the same VAT ID or email between our check and our insert:
        # the database refused the row; report it like the check above would have.
        duplicate = _duplicate_of(
            fair_id=area.fair_id, vat_id=values["vat_id"], contact_email=values["contact_email"]
        )
        if duplicate is not None:
            raise duplicate from None
        raise
    except BaseException:
        _logo_delete(stored_logo)
        raise
    return exhibitor


def _logo_delete(name: str) -> None:
    if name:
        Exhibitor._meta.get_field("logo").storage.delete(name)


def _locked(exhibitor: Exhibitor) -> Exhibitor:
    """The registration, re-read and locked (only its own row) for the rest of the transaction."""
    return (
        Exhibitor.objects.select_for_update(of=("self",))
        .select_related("area", "fair")
        .get(pk=exhibitor.pk)
    )


def exhibitor_confirm(*, exhibitor: Exhibitor, now: datetime.datetime | None = None) -> Exhibitor:
    """The contact confirmed the registration: unconfirmed → submitted, audit, mail.

    Raises ExhibitorAlreadyConfirmed (and changes nothing) when it is no longer unconfirmed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(exhibitor)
        if locked.state != Exhibitor.State.UNCONFIRMED:
            raise ExhibitorAlreadyConfirmed(locked)
        locked.state = Exhibitor.State.SUBMITTED
        locked.confirmed_at = now
        locked.save(update_fields=["state", "confirmed_at", "updated_at"])
        exhibitor_audit(
            exhibitor=locked,
            action="confirmed",
            actor_label=locked.contact_email,
            from_state=Exhibitor.State.UNCONFIRMED,
            to_state=Exhibitor.State.SUBMITTED,
        )
        mail_send_on_commit(
            to=locked.contact_email,
            template="exhibitors/mail/registration_received",
            context={
                "exhibitor": locked,
                "area": locked.area,
                "fair": locked.fair,
                "organizer_email": organizer_email(),
            },
            language=locked.language,
        )
    return locked


def exhibitor_confirmation_resend(
    *, exhibitor: Exhibitor, now: datetime.datetime | None = None
) -> Exhibitor:
    """Mail a fresh confirmation link to the registration's own contact email.

    Used from an expired link. Raises ExhibitorAlreadyConfirmed when there is nothing left to
    confirm and ConfirmationResendTooSoon when a link was sent a moment ago.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(exhibitor)
        if locked.state != Exhibitor.State.UNCONFIRMED:
            raise ExhibitorAlreadyConfirmed(locked)
        recent = locked.audit_entries.filter(
            action__in=["registered", "confirmation_resent"],
            at__gt=now - CONFIRMATION_RESEND_INTERVAL,
        )
        if recent.exists():
            raise ConfirmationResendTooSoon
        exhibitor_audit(
            exhibitor=locked, action="confirmation_resent", actor_label=locked.contact_email
        )
        _confirmation_mail(exhibitor=locked)
    return locked
