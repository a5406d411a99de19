"""Writes of the exhibitor portal: company profile, stand staff, portal password."""

import datetime
import uuid
import zoneinfo
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from django.contrib.auth.models import User
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exhibitors.exceptions import (
    ProfileLocked,
    StaffChangeNotAllowed,
    StaffEmailTaken,
    StaffQuotaReached,
)
from exhibitors.models import Exhibitor, ExhibitorAccount, StaffMember
from exhibitors.services.audit import exhibitor_audit
from exhibitors.services.workflow import portal_invitation_mail
from exhibitors.signals import exhibitor_renamed, staff_member_leaving, staff_member_saved
from fair.models import Fair, Topic
from fair.ratelimit import portal_access_per_email, rate_limit_hit

# What an exhibitor may change in the portal. Country, VAT ID, tax number and the contact
# email identify the registration (and are unique per fair): the organizers change those.
PROFILE_FIELDS = (
    "company_name",
    "legal_form",
    "street",
    "postal_code",
    "city",
    "website",
    "phone",
    "contact_name",
    "contact_phone",
    "contact_position",
    "language",
    "catalog_text",
    "catalog_text_en",
    # What the public exhibitor directory shows (exhibitors/directory_selectors.py).
    "directory_listed",
    "public_logo",
    "public_catalog_text",
    "public_website",
    "public_email",
)
STAFF_FIELDS = ("first_name", "last_name", "email", "role")


def fair_is_over(*, fair: Fair, now: datetime.datetime | None = None) -> bool:
    """True after the fair's last day, in the fair's own time zone."""
    now = now or timezone.now()
    return now.astimezone(zoneinfo.ZoneInfo(fair.time_zone)).date() > fair.ends_on


def profile_edit_check(*, exhibitor: Exhibitor) -> None:
    """Raise ProfileLocked when the portal shows the profile read-only."""
    if exhibitor.fair.has_started():
        raise ProfileLocked(
            _("The fair has started: the company profile and catalog entry are final now.")
        )
    if exhibitor.state in (Exhibitor.State.REJECTED, Exhibitor.State.WITHDRAWN):
        raise ProfileLocked(
            _("This registration was %(state)s; the profile can no longer be changed.")
            % {"state": exhibitor.get_state_display()}
        )


def staff_change_check(*, exhibitor: Exhibitor) -> None:
    """Raise StaffChangeNotAllowed unless stand staff may be changed now."""
    if exhibitor.state != Exhibitor.State.APPROVED:
        raise StaffChangeNotAllowed(
            _("Stand staff can be registered once your registration is approved.")
        )
    if fair_is_over(fair=exhibitor.fair):
        raise StaffChangeNotAllowed(_("The fair is over; the staff list is closed."))


def staff_add_check(*, exhibitor: Exhibitor, used: int | None = None) -> None:
    """Raise the error adding one more staff member would meet (state, fair over, quota)."""
    staff_change_check(exhibitor=exhibitor)
    used = exhibitor.staff.count() if used is None else used
    if exhibitor.staff_quota == 0:
        raise StaffQuotaReached(
            _("Your stand has no staff badges. Please ask the organizers for a staff quota.")
        )
    if used >= exhibitor.staff_quota:
        raise StaffQuotaReached(
            ngettext(
                "The %(quota)d staff badge of your stand is in use. Remove the staff member "
                "first, or ask the organizers for a larger quota.",
                "All %(quota)d staff badges of your stand are in use. Remove a staff member "
                "first, or ask the organizers for a larger quota.",
                exhibitor.staff_quota,
            )
            % {"quota": exhibitor.staff_quota}
        )


def _lock(exhibitor: Exhibitor) -> Exhibitor:
    return Exhibitor.objects.select_for_update().select_related("fair").get(pk=exhibitor.pk)


def exhibitor_profile_update(
    *,
    exhibitor: Exhibitor,
    actor: User | None,
    data: dict[str, Any],
    topics: Iterable[Topic] | None = None,
    logo: "File[bytes] | None" = None,
    remove_logo: bool = False,
) -> Exhibitor:
    """Change the company profile and catalog entry (fields in PROFILE_FIELDS; other keys
    are refused) and, if given, the topics, which must belong to the exhibitor's area.

    ``logo`` is stored as given (check and re-encode it with exhibitors.images.logo_prepare
    first) and replaces the old one; ``remove_logo`` drops the current logo. The old file is
    deleted once the change has committed, the new one again if the change fails."""
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not editable in the portal: {sorted(unknown)}")
    storage = Exhibitor._meta.get_field("logo").storage
    stored_logo = ""
    try:
        with transaction.atomic():
            locked = _lock(exhibitor)
            profile_edit_check(exhibitor=locked)
            changed = [name for name, value in data.items() if getattr(locked, name) != value]
            for name in changed:
                setattr(locked, name, data[name])
            locked.full_clean(
                exclude=[f.name for f in Exhibitor._meta.fields if f.name not in changed]
            )
            old_logo = locked.logo.name
            if logo is not None:
                suffix = PurePath(logo.name or "").suffix.lower()
                locked.logo.save(f"{uuid.uuid4().hex}{suffix}", logo, save=False)
                stored_logo = locked.logo.name or ""
                changed.append("logo")
            elif remove_logo and old_logo:
                locked.logo = ""
                changed.append("logo")
            if changed:
                locked.save(update_fields=[*changed, "updated_at"])
            if "logo" in changed and old_logo:
                transaction.on_commit(lambda: storage.delete(old_logo))
            _profile_topics_and_audit(exhibitor=locked, actor=actor, changed=changed, topics=topics)
    except BaseException:
        if stored_logo:
            storage.delete(stored_logo)
        raise
    return locked


def _profile_topics_and_audit(
    *,
    exhibitor: Exhibitor,
    actor: User | None,
    changed: list[str],
    topics: Iterable[Topic] | None,
) -> None:
    locked = exhibitor
    if topics is not None:
        topics = list(topics)
        if any(topic.area_id != locked.area_id for topic in topics):
            raise ValueError("topics must belong to the exhibitor's area")
        if {t.pk for t in topics} != set(locked.topics.values_list("pk", flat=True)):
            locked.topics.set(topics)
            if not changed:
                # Nothing else saved: the directory's version follows updated_at.
                locked.save(update_fields=["updated_at"])
            changed.append("topics")
    if not changed:
        return
    if "company_name" in changed:
        # Staff badges print the company name (badges refreshes them).
        exhibitor_renamed.send(sender=Exhibitor, exhibitor=locked)
    labels = [
        str(getattr(Exhibitor._meta.get_field(name), "verbose_name", name))
        if name != "topics"
        else _("topics")
        for name in changed
    ]
    exhibitor_audit(
        exhibitor=locked,
        action="profile_update",
        actor=actor,
        note=_("Changed: %(fields)s") % {"fields": ", ".join(labels)},
    )


def _staff_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(STAFF_FIELDS)
    if unknown:
        raise ValueError(f"unknown staff fields: {sorted(unknown)}")
    cleaned = {key: str(value).strip() for key, value in values.items()}
    if "email" in cleaned:
        cleaned["email"] = cleaned["email"].lower()
    return cleaned


def _staff_email_check(*, exhibitor: Exhibitor, email: str, exclude_pk: int | None) -> None:
    others = StaffMember.objects.filter(exhibitor=exhibitor, email__iexact=email)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise StaffEmailTaken(_("%(email)s is already on your staff list.") % {"email": email})


def _staff_save(member: StaffMember, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            member.save(**kwargs)
    except IntegrityError as exc:
        raise StaffEmailTaken(
            _("%(email)s is already on your staff list.") % {"email": member.email}
        ) from exc


@transaction.atomic
def staff_member_add(
    *,
    exhibitor: Exhibitor,
    actor: User | None,
    first_name: str,
    last_name: str,
    email: str,
    role: str = StaffMember.Role.SALES,
) -> StaffMember:
    """Put a person on the stand staff within the quota; ``staff_member_saved`` lets the
    badges app issue the staff badge in the same transaction."""
    locked = _lock(exhibitor)  # the lock serialises concurrent adds against the quota
    staff_add_check(exhibitor=locked)
    values = _staff_values(
        {"first_name": first_name, "last_name": last_name, "email": email, "role": role}
    )
    _staff_email_check(exhibitor=locked, email=values["email"], exclude_pk=None)
    member = StaffMember(exhibitor=locked, **values)
    member.full_clean(exclude=["exhibitor"], validate_unique=False)
    _staff_save(member)
    staff_member_saved.send(sender=StaffMember, staff_member=member)
    exhibitor_audit(
        exhibitor=locked,
        action="staff_add",
        actor=actor,
        note=f"{member.full_name} <{member.email}>",
    )
    return member


@transaction.atomic
def staff_member_update(
    *, staff_member: StaffMember, actor: User | None, **values: str
) -> StaffMember:
    """Change a staff member's name, email or role; the badge's attendee record follows
    (``staff_member_saved``)."""
    locked = _lock(staff_member.exhibitor)
    staff_change_check(exhibitor=locked)
    member = StaffMember.objects.select_for_update().get(pk=staff_member.pk, exhibitor=locked)
    values = _staff_values(values)
    changed = [name for name, value in values.items() if getattr(member, name) != value]
    if not changed:
        return member
    if "email" in changed:
        _staff_email_check(exhibitor=locked, email=values["email"], exclude_pk=member.pk)
    for name in changed:
        setattr(member, name, values[name])
    member.full_clean(exclude=["exhibitor"], validate_unique=False)
    _staff_save(member, update_fields=changed)
    staff_member_saved.send(sender=StaffMember, staff_member=member)
    exhibitor_audit(
        exhibitor=locked,
        action="staff_update",
        actor=actor,
        note=f"{member.full_name} <{member.email}>",
    )
    return member


@transaction.atomic
def staff_member_remove(*, staff_member: StaffMember, actor: User | None) -> None:
    """Take a person off the stand staff: ``staff_member_leaving`` lets the badges app revoke
    the badge at once (keeping the attendee record for leads others captured)."""
    locked = _lock(staff_member.exhibitor)
    staff_change_check(exhibitor=locked)
    member = StaffMember.objects.select_for_update().get(pk=staff_member.pk, exhibitor=locked)
    staff_member_leaving.send(sender=StaffMember, staff_member=member)
    note = f"{member.full_name} <{member.email}>"
    member.delete()
    exhibitor_audit(exhibitor=locked, action="staff_remove", actor=actor, note=note)


@transaction.atomic
def portal_password_set(*, user: User, password: str) -> User:
    """Set the portal password (from an invitation link); the link stops working."""
    user.set_password(password)
    user.save(update_fields=["password"])
    account = ExhibitorAccount.objects.select_related("exhibitor").filter(user=user).first()
    if account is not None:
        exhibitor_audit(
            exhibitor=account.exhibitor,
            action="portal_password_set",
            actor=user,
        )
    return user


@transaction.atomic
def portal_access_request(*, email: str) -> int:
    """Mail a new set-password link to every approved exhibitor's portal account with this
    email address; returns how many were sent (the page never tells the visitor). One request
    per address and interval (``fair.ratelimit.portal_access_per_email``) is served, so the
    form cannot flood a mailbox."""
    email = email.strip().lower()
    if rate_limit_hit(limit=portal_access_per_email(), key=email):
        return 0
    accounts = ExhibitorAccount.objects.select_related(
        "user", "exhibitor", "exhibitor__fair"
    ).filter(
        user__email__iexact=email,
        user__is_active=True,
        exhibitor__state=Exhibitor.State.APPROVED,
    )
    count = 0
    for account in accounts:
        portal_invitation_mail(account=account)
        count += 1
    return count
