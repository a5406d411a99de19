"""The organizers' workflow: approve, waitlist, reject, withdraw, and stand assignment.

States: unconfirmed → submitted (double opt-in, see services/registration.py), then
submitted → approved | waitlisted | rejected, waitlisted → approved | rejected, and withdrawn
from unconfirmed, submitted, approved or waitlisted at any time before the fair starts.
Each change is one transaction with an audit entry and a mail to the contact (in the contact's
language, sent after commit). Withdrawal and rejection free the stand and close the staff list
(``exhibitor_staff_closed``: the badges app revokes the staff badges).

One piece past 400 lines: the transitions share the locking, the stand bookkeeping and the
contact mail, and ``transition_mail_preview`` must build its mail with the very code the
transitions send with.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from exhibitors.exceptions import (
    FairAlreadyStarted,
    InvalidStaffQuota,
    NoFreeStand,
    StandNotAvailable,
    TransitionNotAllowed,
)
from exhibitors.invitations import invitation_url
from exhibitors.models import Exhibitor, ExhibitorAccount
from exhibitors.quota import staff_quota_for_size
from exhibitors.selectors import stand_best_fit
from exhibitors.services.audit import exhibitor_audit
from exhibitors.signals import exhibitor_staff_closed
from fair.mail import absolute_url, mail_send_on_commit, mail_subject
from fair.models import Stand
from fair.units import sqm_number_format

State = Exhibitor.State

# target state → states it may be reached from
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    State.APPROVED: frozenset({State.SUBMITTED, State.WAITLISTED}),
    State.WAITLISTED: frozenset({State.SUBMITTED}),
    State.REJECTED: frozenset({State.SUBMITTED, State.WAITLISTED}),
    State.WITHDRAWN: frozenset(
        {State.UNCONFIRMED, State.SUBMITTED, State.APPROVED, State.WAITLISTED}
    ),
}
STAFF_QUOTA_MAX = 32767  # PositiveSmallIntegerField


def transition_allowed(*, exhibitor: Exhibitor, to_state: str) -> bool:
    return exhibitor.state in ALLOWED_TRANSITIONS.get(to_state, frozenset())


def transition_check(*, exhibitor: Exhibitor, to_state: str) -> None:
    """Raise the domain error that the change to ``to_state`` would meet, if any."""
    if not transition_allowed(exhibitor=exhibitor, to_state=to_state):
        raise TransitionNotAllowed(exhibitor=exhibitor, to_state=to_state)
    if to_state == State.WITHDRAWN and exhibitor.fair.has_started():
        raise FairAlreadyStarted(
            _("%(company)s cannot withdraw any more: the fair has started.")
            % {"company": exhibitor.company_name}
        )


def _lock(exhibitor: Exhibitor) -> Exhibitor:
    """Re-read the exhibitor row and lock it until the transaction ends."""
    return Exhibitor.objects.select_for_update().get(pk=exhibitor.pk)


def _staff_quota_check(staff_quota: int | None) -> None:
    if staff_quota is not None and not (0 <= staff_quota <= STAFF_QUOTA_MAX):
        raise InvalidStaffQuota(
            _("A staff quota must be between 0 and %(max)d.") % {"max": STAFF_QUOTA_MAX}
        )


def _stand_take(*, exhibitor: Exhibitor, stand: Stand) -> Stand:
    """Lock the stand row and check that this exhibitor may take it."""
    locked = Stand.objects.select_for_update().get(pk=stand.pk)
    if locked.area_id != exhibitor.area_id:
        raise StandNotAvailable(
            _("Stand %(number)s belongs to another area than %(company)s's registration.")
            % {"number": locked.number, "company": exhibitor.company_name}
        )
    holder = Exhibitor.objects.filter(stand=locked).exclude(pk=exhibitor.pk).first()
    if holder is not None:
        raise StandNotAvailable(
            _("Stand %(number)s is already assigned to %(holder)s.")
            % {"number": locked.number, "holder": holder.company_name}
        )
    if locked.state != Stand.State.FREE and exhibitor.stand_id != locked.pk:
        raise StandNotAvailable(
            _("Stand %(number)s is not free (state: %(state)s).")
            % {"number": locked.number, "state": locked.get_state_display()}
        )
    return locked


def _exhibitor_save(exhibitor: Exhibitor, *, fields: list[str], stand: Stand | None) -> None:
    """Save inside a savepoint: the database's one-exhibitor-per-stand rule (and any other
    constraint) becomes a clear StandNotAvailable instead of a broken transaction."""
    try:
        with transaction.atomic():
            exhibitor.save(update_fields=[*fields, "updated_at"])
    except IntegrityError as exc:
        number = stand.number if stand is not None else "?"
        raise StandNotAvailable(
            _("Stand %(number)s was just taken by someone else; pick another stand.")
            % {"number": number}
        ) from exc


def _stand_release(exhibitor: Exhibitor) -> Stand | None:
    """Give the exhibitor's stand back (state free); the caller saves the exhibitor."""
    if exhibitor.stand_id is None:
        return None
    stand = Stand.objects.select_for_update().get(pk=exhibitor.stand_id)
    stand.state = Stand.State.FREE
    stand.save(update_fields=["state"])
    exhibitor.stand = None
    return stand


def _staff_close(exhibitor: Exhibitor) -> None:
    # The badges app revokes the staff badges (exhibitors/signals.py says why a signal).
    exhibitor_staff_closed.send(sender=Exhibitor, exhibitor=exhibitor)


def _contact_mail_args(
    *, exhibitor: Exhibitor, template: str, context: dict[str, Any]
) -> dict[str, Any]:
    """Recipient, template, context and language of a mail to the exhibitor's contact."""
    return {
        "to": exhibitor.contact_email,
        "template": f"exhibitors/mail/{template}",
        "context": {
            "exhibitor": exhibitor,
            "fair": exhibitor.fair,
            "area": exhibitor.area,
            "portal_url": absolute_url(reverse("portal:overview")),
            **context,
        },
        "language": exhibitor.language,
    }


def _contact_mail(*, exhibitor: Exhibitor, template: str, context: dict[str, Any]) -> None:
    mail_send_on_commit(
        **_contact_mail_args(exhibitor=exhibitor, template=template, context=context)
    )


@dataclass(frozen=True)
class MailPreview:
    to: str
    subject: str
    language: str


def transition_mail_preview(
    *, exhibitor: Exhibitor, to_state: str, stand: Stand | None = None
) -> MailPreview:
    """Recipient and subject of the mail the change to ``to_state`` sends, built by the code
    the change itself uses (a read: nothing is saved or sent). ``stand``: the stand an
    approval would assign."""
    args = _contact_mail_args(
        exhibitor=exhibitor,
        template=f"state_{to_state}",
        context={"note": "", "stand": stand or exhibitor.stand, "from_state": exhibitor.state},
    )
    return MailPreview(
        to=args["to"],
        subject=mail_subject(
            template=args["template"], context=args["context"], language=args["language"]
        ),
        language=args["language"],
    )


def portal_account_ensure(*, exhibitor: Exhibitor) -> ExhibitorAccount:
    """The contact's portal account; made on first use with an unusable password.

    The user name is the contact email. If a user of that name already belongs to another
    exhibitor (the same person exhibits at another fair), the new user is named
    ``<exhibitor id>.<email>`` so that neither portal ever shows the other exhibitor.
    """
    account = (
        ExhibitorAccount.objects.select_related("user")
        .filter(exhibitor=exhibitor)
        .order_by("pk")
        .first()
    )
    if account is not None:
        return account
    user_model = get_user_model()
    email = exhibitor.contact_email.strip()
    user = user_model.objects.filter(username__iexact=email).first()
    if user is not None and ExhibitorAccount.objects.filter(user=user).exists():
        username = f"{exhibitor.pk}.{email}"[:150]
        user = user_model.objects.filter(username__iexact=username).first()
        if user is None:
            user = user_model(username=username, email=email)
            user.set_unusable_password()
            user.save()
    elif user is None:
        user = user_model(username=email, email=email)
        user.set_unusable_password()
        user.save()
    return ExhibitorAccount.objects.create(user=user, exhibitor=exhibitor)


@transaction.atomic
def exhibitor_approve(
    *,
    exhibitor: Exhibitor,
    actor: User | None,
    stand: Stand | None = None,
    staff_quota: int | None = None,
    note: str = "",
) -> Exhibitor:
    """Approve a submitted or waitlisted registration and assign a free stand of its area
    (the best fit when ``stand`` is None). The staff quota follows from the stand size unless
    ``staff_quota`` is given. The contact gets a mail with a link to set a portal password."""
    locked = _lock(exhibitor)
    transition_check(exhibitor=locked, to_state=State.APPROVED)
    _staff_quota_check(staff_quota)
    if stand is None:
        stand = stand_best_fit(exhibitor=locked)
        if stand is None:
            raise NoFreeStand(
                _("No free stand is left in %(area)s; free a stand or waitlist %(company)s.")
                % {"area": locked.area.name, "company": locked.company_name}
            )
    stand = _stand_take(exhibitor=locked, stand=stand)
    from_state = locked.state
    locked.state = State.APPROVED
    locked.stand = stand
    locked.staff_quota = (
        staff_quota if staff_quota is not None else staff_quota_for_size(stand.size_sqm)
    )
    _exhibitor_save(locked, fields=["state", "stand", "staff_quota"], stand=stand)
    stand.state = Stand.State.ASSIGNED
    stand.save(update_fields=["state"])
    exhibitor_audit(
        exhibitor=locked,
        action="approve",
        actor=actor,
        from_state=from_state,
        to_state=State.APPROVED,
        note=note,
    )
    exhibitor_audit(
        exhibitor=locked,
        action="stand_assign",
        actor=actor,
        note=_("Stand %(number)s (%(size)s m²), staff quota %(quota)d")
        % {
            "number": stand.number,
            "size": sqm_number_format(stand.size_sqm),
            "quota": locked.staff_quota,
        },
    )
    account = portal_account_ensure(exhibitor=locked)
    user = account.user
    _contact_mail(
        exhibitor=locked,
        template="state_approved",
        context={
            "stand": stand,
            "note": note,
            "username": user.get_username(),
            "invitation_url": None if user.has_usable_password() else invitation_url(user=user),
            "login_url": absolute_url(reverse("login")),
        },
    )
    return locked


@transaction.atomic
def exhibitor_waitlist(*, exhibitor: Exhibitor, actor: User | None, note: str = "") -> Exhibitor:
    """Put a submitted registration on the waiting list."""
    locked = _lock(exhibitor)
    transition_check(exhibitor=locked, to_state=State.WAITLISTED)
    from_state = locked.state
    locked.state = State.WAITLISTED
    locked.save(update_fields=["state", "updated_at"])
    exhibitor_audit(
        exhibitor=locked,
        action="waitlist",
        actor=actor,
        from_state=from_state,
        to_state=State.WAITLISTED,
        note=note,
    )
    _contact_mail(exhibitor=locked, template="state_waitlisted", context={"note": note})
    return locked


def _end(*, exhibitor: Exhibitor, actor: User | None, to_state: str, note: str) -> Exhibitor:
    locked = _lock(exhibitor)
    transition_check(exhibitor=locked, to_state=to_state)
    from_state = locked.state
    stand = _stand_release(locked)
    locked.state = to_state
    locked.save(update_fields=["state", "stand", "updated_at"])
    _staff_close(locked)
    exhibitor_audit(
        exhibitor=locked,
        action="withdraw" if to_state == State.WITHDRAWN else "reject",
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )
    if stand is not None:
        exhibitor_audit(
            exhibitor=locked,
            action="stand_release",
            actor=actor,
            note=_("Stand %(number)s is free again.") % {"number": stand.number},
        )
    _contact_mail(
        exhibitor=locked,
        template=f"state_{to_state}",
        context={"note": note, "stand": stand, "from_state": from_state},
    )
    return locked


@transaction.atomic
def exhibitor_reject(*, exhibitor: Exhibitor, actor: User | None, note: str = "") -> Exhibitor:
    """Reject a submitted or waitlisted registration."""
    return _end(exhibitor=exhibitor, actor=actor, to_state=State.REJECTED, note=note)


@transaction.atomic
def exhibitor_withdraw(*, exhibitor: Exhibitor, actor: User | None, note: str = "") -> Exhibitor:
    """Withdraw a registration before the fair starts: the stand becomes free again and the
    staff badges stop working."""
    return _end(exhibitor=exhibitor, actor=actor, to_state=State.WITHDRAWN, note=note)


@transaction.atomic
def exhibitor_assign_stand(*, exhibitor: Exhibitor, stand: Stand, actor: User | None) -> Exhibitor:
    """Move an approved exhibitor to another free stand of its area. The old stand becomes
    free, the staff quota follows the new stand's size (override it afterwards with
    ``exhibitor_staff_quota_set``), and the contact is told."""
    locked = _lock(exhibitor)
    if locked.state != State.APPROVED:
        raise TransitionNotAllowed(
            exhibitor=locked,
            to_state=State.APPROVED,
            reason=_("Only an approved exhibitor holds a stand."),
        )
    if locked.stand_id == stand.pk:
        return locked
    new_stand = _stand_take(exhibitor=locked, stand=stand)
    old_stand = _stand_release(locked)
    locked.stand = new_stand
    locked.staff_quota = staff_quota_for_size(new_stand.size_sqm)
    _exhibitor_save(locked, fields=["stand", "staff_quota"], stand=new_stand)
    new_stand.state = Stand.State.ASSIGNED
    new_stand.save(update_fields=["state"])
    exhibitor_audit(
        exhibitor=locked,
        action="stand_assign",
        actor=actor,
        note=_("Stand %(old)s → %(new)s (%(size)s m²), staff quota %(quota)d")
        % {
            "old": old_stand.number if old_stand else "–",
            "new": new_stand.number,
            "size": sqm_number_format(new_stand.size_sqm),
            "quota": locked.staff_quota,
        },
    )
    _contact_mail(
        exhibitor=locked,
        template="state_stand_assigned",
        context={"stand": new_stand, "old_stand": old_stand},
    )
    return locked


@transaction.atomic
def exhibitor_staff_quota_set(
    *, exhibitor: Exhibitor, staff_quota: int, actor: User | None, note: str = ""
) -> Exhibitor:
    """Override the staff-badge quota. Staff already on the list stay; adding more waits
    until the list is below the new quota."""
    _staff_quota_check(staff_quota)
    locked = _lock(exhibitor)
    if locked.staff_quota == staff_quota:
        return locked
    old = locked.staff_quota
    locked.staff_quota = staff_quota
    locked.save(update_fields=["staff_quota", "updated_at"])
    exhibitor_audit(
        exhibitor=locked,
        action="staff_quota",
        actor=actor,
        note=" ".join(
            part
            for part in (
                _("Staff quota %(old)d → %(new)d.") % {"old": old, "new": staff_quota},
                note,
            )
            if part
        ),
    )
    return locked


@transaction.atomic
def exhibitor_invitation_send(*, exhibitor: Exhibitor, actor: User | None) -> ExhibitorAccount:
    """Mail the contact a (new) link to set the portal password, e.g. when the first one
    expired. Only approved exhibitors get portal access this way."""
    locked = _lock(exhibitor)
    if locked.state != State.APPROVED:
        raise TransitionNotAllowed(
            exhibitor=locked,
            to_state=State.APPROVED,
            reason=_("Only approved exhibitors are invited to the portal."),
        )
    account = portal_account_ensure(exhibitor=locked)
    exhibitor_audit(exhibitor=locked, action="invite", actor=actor, note=account.user.username)
    portal_invitation_mail(account=account)
    return account


def portal_invitation_mail(*, account: ExhibitorAccount) -> None:
    """Send the set-password link of this account to its exhibitor's contact address."""
    exhibitor = account.exhibitor
    mail_send_on_commit(
        to=account.user.email or exhibitor.contact_email,
        template="exhibitors/mail/invitation",
        context={
            "exhibitor": exhibitor,
            "fair": exhibitor.fair,
            "username": account.user.get_username(),
            "invitation_url": invitation_url(user=account.user),
        },
        language=exhibitor.language,
    )


@transaction.atomic
def exhibitor_delete(*, exhibitor: Exhibitor, actor: User | None) -> None:
    """Delete a registration for good (e.g. on a data-protection request): its stand becomes
    free, its staff badges and portal accounts' access go with it."""
    locked = _lock(exhibitor)
    if _stand_release(locked) is not None:
        locked.save(update_fields=["stand", "updated_at"])
    _staff_close(locked)
    locked.delete()
