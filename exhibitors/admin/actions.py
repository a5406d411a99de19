"""The exhibitor list's workflow actions: one class per action, ``check`` then ``execute``."""

from collections.abc import Callable
from typing import Any, cast

from django.contrib import admin
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from exhibitors.admin.forms import (
    ActionForm,
    ApproveForm,
    AssignStandForm,
    NoteForm,
    StaffQuotaForm,
)
from exhibitors.exceptions import ExhibitorError
from exhibitors.models import Exhibitor
from exhibitors.services.workflow import (
    exhibitor_approve,
    exhibitor_assign_stand,
    exhibitor_invitation_send,
    exhibitor_reject,
    exhibitor_staff_quota_set,
    exhibitor_waitlist,
    exhibitor_withdraw,
    transition_check,
)

State = Exhibitor.State


def admin_user(request: HttpRequest) -> User:
    """The staff user of a request the admin let through."""
    assert request.user.is_authenticated
    return cast(User, request.user)


class ExhibitorAction:
    """One admin action: ``check`` raises the error the service would raise, ``execute``
    calls the service. ``form_class`` None means no intermediate page."""

    name = ""
    label: str | Promise = ""
    form_class: type[ActionForm] | None = NoteForm
    single_only = False

    def check(self, exhibitor: Exhibitor) -> None:
        raise NotImplementedError

    def execute(
        self, *, exhibitor: Exhibitor, actor: User | None, data: dict[str, Any]
    ) -> Exhibitor:
        raise NotImplementedError

    def success(self, exhibitor: Exhibitor) -> str:
        raise NotImplementedError


class ApproveAction(ExhibitorAction):
    name = "approve"
    label = _("Approve and assign a stand")
    form_class = ApproveForm

    def check(self, exhibitor: Exhibitor) -> None:
        transition_check(exhibitor=exhibitor, to_state=State.APPROVED)

    def execute(
        self, *, exhibitor: Exhibitor, actor: User | None, data: dict[str, Any]
    ) -> Exhibitor:
        return exhibitor_approve(
            exhibitor=exhibitor,
            actor=actor,
            stand=data.get("stand"),
            staff_quota=data.get("staff_quota"),
            note=data.get("note", ""),
        )

    def success(self, exhibitor: Exhibitor) -> str:
        return ngettext(
            "%(company)s approved: stand %(number)s, %(quota)d staff badge.",
            "%(company)s approved: stand %(number)s, %(quota)d staff badges.",
            exhibitor.staff_quota,
        ) % {
            "company": exhibitor.company_name,
            "number": exhibitor.stand.number if exhibitor.stand else "–",
            "quota": exhibitor.staff_quota,
        }


class WaitlistAction(ExhibitorAction):
    name = "waitlist"
    label = _("Put on the waiting list")

    def check(self, exhibitor: Exhibitor) -> None:
        transition_check(exhibitor=exhibitor, to_state=State.WAITLISTED)

    def execute(
        self, *, exhibitor: Exhibitor, actor: User | None, data: dict[str, Any]
    ) -> Exhibitor:
        return exhibitor_waitlist(exhibitor=exhibitor, actor=actor, note=data.get("note", ""))

    def success(self, exhibitor: Exhibitor) -> str:
        return gettext("%(company)s is on the waiting list.") % {"company": exhibitor.company_name}


class RejectAction(ExhibitorAction):
    name = "reject"
    label = _("Reject")

    def check(self, exhibitor: Exhibitor) -> None:
        transition_check(exhibitor=exhibitor, to_state=State.REJECTED)

    def execute(
        self, *, exhibitor: Exhibitor, actor: User | None, data: dict[str, Any]
    ) -> Exhibitor:
        return exhibitor_reject(exhibitor=exhibitor, actor=actor, note=data.get("note", ""))

    def success(self, exhibitor: Exhibitor) -> str:
        return gettext("%(company)s rejected.") % {"company": exhibitor.company_name}


class WithdrawAction(ExhibitorAction):
    name = "withdraw"
    label = _("Withdraw (on the exhibitor's request)")

    def check(self, exhibitor: Exhibitor) -> None:
        transition_check(exhibitor=exhibitor, to_state=State.WITHDRAWN)

    def execute(
        self, *, exhibitor: Exhibitor, actor: User | None, data: dict[str, Any]
    ) -> Exhibitor:
        return exhibitor_withdraw(exhibitor=exhibitor, actor=actor, note=data.get("note", ""))

    def success(self, exhibitor: Exhibitor) -> str:
        return gettext("%(company)s withdrawn.") % {"company": exhibitor.company_name}


class AssignStandAction(ExhibitorAction):
    name = "assign_stand"
    label = _("Assign another stand")
    form_class = AssignStandForm
    single_only = True

    def check(self, exhibitor: Exhibitor) -> None:
        if exhibitor.state != State.APPROVED:
            raise ExhibitorError(
                gettext("%(company)s is not approved; approve it to assign a stand.")
                % {"company": exhibitor.company_name}
            )

    def execute(
        self, *, exhibitor: Exhibitor, actor: User | None, data: dict[str, Any]
    ) -> Exhibitor:
        return exhibitor_assign_stand(exhibitor=exhibitor, stand=data["stand"], actor=actor)

    def success(self, exhibitor: Exhibitor) -> str:
        return ngettext(
            "%(company)s now has stand %(number)s (%(quota)d staff badge).",
            "%(company)s now has stand %(number)s (%(quota)d staff badges).",
            exhibitor.staff_quota,
        ) % {
            "company": exhibitor.company_name,
            "number": exhibitor.stand.number if exhibitor.stand else "–",
            "quota": exhibitor.staff_quota,
        }


class StaffQuotaAction(ExhibitorAction):
    name = "set_staff_quota"
    label = _("Override the staff quota")
    form_class = StaffQuotaForm

    def check(self, exhibitor: Exhibitor) -> None:
        return None  # any exhibitor's quota may be overridden

    def execute(
        self, *, exhibitor: Exhibitor, actor: User | None, data: dict[str, Any]
    ) -> Exhibitor:
        return exhibitor_staff_quota_set(
            exhibitor=exhibitor,
            staff_quota=data["staff_quota"],
            actor=actor,
            note=data.get("note", ""),
        )

    def success(self, exhibitor: Exhibitor) -> str:
        return gettext("%(company)s: staff quota %(quota)d.") % {
            "company": exhibitor.company_name,
            "quota": exhibitor.staff_quota,
        }


class InvitationAction(ExhibitorAction):
    name = "send_invitation"
    label = _("Send a new portal password link")
    form_class = None

    def check(self, exhibitor: Exhibitor) -> None:
        if exhibitor.state != State.APPROVED:
            raise ExhibitorError(
                gettext("%(company)s is not approved; only approved exhibitors get portal access.")
                % {"company": exhibitor.company_name}
            )

    def execute(
        self, *, exhibitor: Exhibitor, actor: User | None, data: dict[str, Any]
    ) -> Exhibitor:
        exhibitor_invitation_send(exhibitor=exhibitor, actor=actor)
        return exhibitor

    def success(self, exhibitor: Exhibitor) -> str:
        return gettext("Password link sent to %(email)s.") % {"email": exhibitor.contact_email}


ACTIONS = {
    action.name: action
    for action in (
        ApproveAction(),
        WaitlistAction(),
        RejectAction(),
        WithdrawAction(),
        AssignStandAction(),
        StaffQuotaAction(),
        InvitationAction(),
    )
}


def _about(exhibitor: Exhibitor, error: Exception) -> str:
    """The error's message, led by the company name unless it names the company already."""
    text = str(error)
    return text if exhibitor.company_name in text else f"{exhibitor.company_name}: {text}"


AdminAction = Callable[[Any, HttpRequest, QuerySet[Exhibitor]], HttpResponse | None]


def _make_admin_action(action: ExhibitorAction) -> AdminAction:
    def admin_action(
        model_admin: Any, request: HttpRequest, queryset: QuerySet[Exhibitor]
    ) -> HttpResponse | None:
        return model_admin.run_exhibitor_action(request, queryset, action)

    admin_action.__name__ = action.name
    return admin.action(description=str(action.label))(admin_action)
