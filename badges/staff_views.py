"""The portal's stand-staff pages: the staff list with badges, add, edit, remove, a staff
member's badge as PDF, and mailing a staff member the link to their own badge page.

They live in ``badges`` because they show badges; the staff list itself is written by the
exhibitor services (``exhibitors.services.portal``), which the badges app follows
(``badges/services/staff.py``). Ids in URLs are looked up only among the logged-in
exhibitor's own staff, so other ids give 404. URL names stay in the ``portal`` namespace
(``fair/urls.py`` mounts these patterns beside the exhibitors' portal pages).
"""

import io
from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from badges.layouts import layout_get
from badges.printing import badges_write_pdf
from badges.services.staff import StaffBadgeLinkTooSoon, staff_badge_link_send
from badges.staff_selectors import staff_badge_for_member, staff_for_exhibitor
from exhibitors.exceptions import ExhibitorError
from exhibitors.models import Exhibitor, StaffMember
from exhibitors.portal import PortalRequest, portal_context, portal_page
from exhibitors.portal_forms import StaffMemberForm
from exhibitors.selectors import staff_member_for_exhibitor
from exhibitors.services.portal import (
    staff_add_check,
    staff_change_check,
    staff_member_add,
    staff_member_remove,
    staff_member_update,
)


def _refusal(check: Callable[..., None], exhibitor: Exhibitor, **kwargs: object) -> str:
    """The sentence the service would refuse with, or "" when the change is allowed."""
    try:
        check(exhibitor=exhibitor, **kwargs)
    except ExhibitorError as error:
        return str(error)
    return ""


def _own_member(exhibitor: Exhibitor, pk: int) -> StaffMember:
    member = staff_member_for_exhibitor(exhibitor=exhibitor, pk=pk)
    if member is None:
        raise Http404("no such staff member")
    return member


@require_http_methods(["GET", "POST"])
@portal_page
def staff(request: PortalRequest, exhibitor: Exhibitor) -> HttpResponse:
    members = list(staff_for_exhibitor(exhibitor=exhibitor))
    add_refusal = _refusal(staff_add_check, exhibitor, used=len(members))
    form = StaffMemberForm(exhibitor=exhibitor)
    if request.method == "POST":
        if add_refusal:
            messages.error(request, add_refusal)
            return redirect("portal:staff")
        form = StaffMemberForm(request.POST, exhibitor=exhibitor)
        if form.is_valid():
            try:
                member = staff_member_add(
                    exhibitor=exhibitor, actor=request.user, **form.staff_values()
                )
            except ExhibitorError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("%(name)s is on your stand staff now; the staff badge is issued.")
                    % {"name": member.full_name},
                )
                return redirect("portal:staff")
    context = portal_context(
        exhibitor,
        "staff",
        members=members,
        staff_used=len(members),
        form=form,
        add_refusal=add_refusal,
        change_refusal=_refusal(staff_change_check, exhibitor),
        has_badges=any(
            getattr(getattr(member, "attendee", None), "active_badges", None) for member in members
        ),
    )
    return render(request, "exhibitors/portal/staff.html", context)


@require_http_methods(["GET", "POST"])
@portal_page
def staff_edit(request: PortalRequest, exhibitor: Exhibitor, pk: int) -> HttpResponse:
    member = _own_member(exhibitor, pk)
    refusal = _refusal(staff_change_check, exhibitor)
    if request.method == "POST" and refusal:
        messages.error(request, refusal)
        return redirect("portal:staff")
    if request.method == "POST":
        form = StaffMemberForm(request.POST, instance=member, exhibitor=exhibitor)
        if form.is_valid():
            try:
                staff_member_update(staff_member=member, actor=request.user, **form.staff_values())
            except ExhibitorError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The staff member was saved."))
                return redirect("portal:staff")
    else:
        form = StaffMemberForm(instance=member, exhibitor=exhibitor)
    if refusal:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "exhibitors/portal/staff_edit.html",
        portal_context(exhibitor, "staff", form=form, member=member, refusal=refusal),
    )


@require_http_methods(["GET", "POST"])
@portal_page
def staff_remove(request: PortalRequest, exhibitor: Exhibitor, pk: int) -> HttpResponse:
    member = _own_member(exhibitor, pk)
    refusal = _refusal(staff_change_check, exhibitor)
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
        else:
            staff_member_remove(staff_member=member, actor=request.user)
            messages.success(
                request,
                _("%(name)s was removed from your stand staff; the badge no longer works.")
                % {"name": member.full_name},
            )
        return redirect("portal:staff")
    return render(
        request,
        "exhibitors/portal/staff_remove.html",
        portal_context(exhibitor, "staff", member=member, refusal=refusal),
    )


@require_GET
@portal_page
def staff_badge_pdf(request: PortalRequest, exhibitor: Exhibitor, pk: int) -> HttpResponse:
    """One staff member's badge as a PDF (A6, the size of a badge holder)."""
    member = _own_member(exhibitor, pk)
    badges = staff_badge_for_member(exhibitor=exhibitor, staff_member=member)
    buffer = io.BytesIO()
    try:
        badges_write_pdf(badges=badges, layout=layout_get("a6"), out=buffer, title=member.full_name)
    except ValueError as exc:  # no active badge
        raise Http404("no active badge") from exc
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="staff-badge-{member.pk}.pdf"'
    add_never_cache_headers(response)
    return response


@require_POST
@portal_page
def staff_badge_link(request: PortalRequest, exhibitor: Exhibitor, pk: int) -> HttpResponse:
    """Mail the staff member the secret link to their own badge page."""
    member = _own_member(exhibitor, pk)
    refusal = _refusal(staff_change_check, exhibitor)
    if refusal:
        messages.error(request, refusal)
        return redirect("portal:staff")
    try:
        staff_badge_link_send(staff_member=member)
    except StaffBadgeLinkTooSoon:
        messages.warning(
            request,
            _("A badge link went to %(email)s a moment ago; please wait a minute.")
            % {"email": member.email},
        )
    else:
        messages.success(
            request,
            _("The link to the badge is on its way to %(email)s.") % {"email": member.email},
        )
    return redirect("portal:staff")
