"""The exhibitor portal: overview, company profile, stand staff, withdrawal, invitations.

Every page works on the exhibitor of the logged-in user (``exhibitor_for_user``); ids in
URLs are looked up only among that exhibitor's own records, so other ids give 404.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from exhibitors.exceptions import ExhibitorError
from exhibitors.invitations import invitation_user_resolve, invitation_valid_days
from exhibitors.models import Exhibitor
from exhibitors.portal_forms import AccessRequestForm, ProfileForm, StaffMemberForm, WithdrawForm
from exhibitors.selectors import (
    exhibitor_account_for_user,
    staff_for_exhibitor,
    staff_member_for_exhibitor,
)
from exhibitors.services.portal import (
    exhibitor_profile_update,
    fair_is_over,
    portal_access_request,
    portal_password_set,
    profile_edit_check,
    staff_add_check,
    staff_change_check,
    staff_member_add,
    staff_member_remove,
    staff_member_update,
)
from exhibitors.services.workflow import exhibitor_withdraw, transition_check
from fair.ratelimit import client_ip, public_form_per_ip, rate_limit_hit
from fair.views import too_many_requests

# (key, label, URL name) of the portal navigation; pages of other apps appear once their
# URLs exist.
_NAV = (
    ("overview", "Overview", "portal:overview"),
    ("profile", "Company profile", "portal:profile"),
    ("staff", "Stand staff", "portal:staff"),
    ("devices", "Scanner devices", "devices:list"),
    ("leads", "Leads", "leads:list"),
)


def _nav_labels() -> dict[str, str]:
    # Spelled out so that makemessages finds each label.
    return {
        "overview": _("Overview"),
        "profile": _("Company profile"),
        "staff": _("Stand staff"),
        "devices": _("Scanner devices"),
        "leads": _("Leads"),
    }


def portal_nav(current: str) -> list[dict]:
    labels = _nav_labels()
    items = []
    for key, _label, url_name in _NAV:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"key": key, "label": labels[key], "url": url, "current": key == current})
    return items


def _error_text(error: Exception) -> str:
    return str(error)


def portal_page(view: Callable) -> Callable:
    """Log-in required; the view gets the user's exhibitor, a user without one gets 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        account = exhibitor_account_for_user(user=request.user)
        if account is None:
            return render(request, "exhibitors/portal/no_access.html", status=403)
        # Cache the account on the user: the page header asks for it again.
        request.user.exhibitor_account = account
        return view(request, account.exhibitor, *args, **kwargs)

    return login_required(never_cache(wrapper))


def _context(exhibitor: Exhibitor, current: str, **extra) -> dict:
    return {
        "exhibitor": exhibitor,
        "fair": exhibitor.fair,
        "portal_nav": portal_nav(current),
        **extra,
    }


def _withdraw_refusal(exhibitor: Exhibitor) -> str:
    try:
        transition_check(exhibitor=exhibitor, to_state=Exhibitor.State.WITHDRAWN)
    except ExhibitorError as error:
        return _error_text(error)
    return ""


@require_http_methods(["GET"])
@portal_page
def overview(request: HttpRequest, exhibitor: Exhibitor) -> HttpResponse:
    try:
        profile_edit_check(exhibitor=exhibitor)
        profile_locked = ""
    except ExhibitorError as error:
        profile_locked = _error_text(error)
    context = _context(
        exhibitor,
        "overview",
        stand=exhibitor.stand,
        hall=exhibitor.area.hall,
        staff_used=exhibitor.staff.count(),
        profile_locked=profile_locked,
        withdraw_refusal=_withdraw_refusal(exhibitor),
        fair_over=fair_is_over(fair=exhibitor.fair),
    )
    return render(request, "exhibitors/portal/overview.html", context)


@require_http_methods(["GET", "POST"])
@portal_page
def profile(request: HttpRequest, exhibitor: Exhibitor) -> HttpResponse:
    try:
        profile_edit_check(exhibitor=exhibitor)
        locked = ""
    except ExhibitorError as error:
        locked = _error_text(error)
    if request.method == "POST":
        if locked:
            messages.error(request, locked)
            return redirect("portal:profile")
        form = ProfileForm(request.POST, request.FILES, instance=exhibitor)
        if form.is_valid():
            try:
                exhibitor_profile_update(
                    exhibitor=exhibitor,
                    actor=request.user,
                    data=form.profile_data(),
                    topics=form.cleaned_data["topics"],
                    logo=form.cleaned_data["new_logo"],
                    remove_logo=form.cleaned_data["remove_logo"],
                )
            except ExhibitorError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, _("Your company profile was saved."))
            return redirect("portal:profile")
    else:
        form = ProfileForm(instance=exhibitor)
    if locked:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "exhibitors/portal/profile.html",
        _context(exhibitor, "profile", form=form, locked=locked),
    )


def _staff_add_refusal(exhibitor: Exhibitor, used: int) -> str:
    try:
        staff_add_check(exhibitor=exhibitor, used=used)
    except ExhibitorError as error:
        return _error_text(error)
    return ""


@require_http_methods(["GET", "POST"])
@portal_page
def staff(request: HttpRequest, exhibitor: Exhibitor) -> HttpResponse:
    members = list(staff_for_exhibitor(exhibitor=exhibitor))
    refusal = _staff_add_refusal(exhibitor, len(members))
    form = StaffMemberForm(exhibitor=exhibitor)
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
            return redirect("portal:staff")
        form = StaffMemberForm(request.POST, exhibitor=exhibitor)
        if form.is_valid():
            try:
                member = staff_member_add(
                    exhibitor=exhibitor, actor=request.user, **form.staff_values()
                )
            except ExhibitorError as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(
                    request,
                    _("%(name)s is on your stand staff now; the staff badge is issued.")
                    % {"name": member.full_name},
                )
                return redirect("portal:staff")
    try:
        staff_change_check(exhibitor=exhibitor)
        change_refusal = ""
    except ExhibitorError as error:
        change_refusal = _error_text(error)
    return render(
        request,
        "exhibitors/portal/staff.html",
        _context(
            exhibitor,
            "staff",
            members=members,
            staff_used=len(members),
            form=form,
            add_refusal=refusal,
            change_refusal=change_refusal,
        ),
    )


def _own_member(exhibitor: Exhibitor, pk: int):
    member = staff_member_for_exhibitor(exhibitor=exhibitor, pk=pk)
    if member is None:
        raise Http404("no such staff member")
    return member


@require_http_methods(["GET", "POST"])
@portal_page
def staff_edit(request: HttpRequest, exhibitor: Exhibitor, pk: int) -> HttpResponse:
    member = _own_member(exhibitor, pk)
    try:
        staff_change_check(exhibitor=exhibitor)
        refusal = ""
    except ExhibitorError as error:
        refusal = _error_text(error)
    if request.method == "POST" and not refusal:
        form = StaffMemberForm(request.POST, instance=member, exhibitor=exhibitor)
        if form.is_valid():
            try:
                staff_member_update(staff_member=member, actor=request.user, **form.staff_values())
            except ExhibitorError as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(request, _("The staff member was saved."))
                return redirect("portal:staff")
    elif request.method == "POST":
        messages.error(request, refusal)
        return redirect("portal:staff")
    else:
        form = StaffMemberForm(instance=member, exhibitor=exhibitor)
    if refusal:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "exhibitors/portal/staff_edit.html",
        _context(exhibitor, "staff", form=form, member=member, refusal=refusal),
    )


@require_http_methods(["GET", "POST"])
@portal_page
def staff_remove(request: HttpRequest, exhibitor: Exhibitor, pk: int) -> HttpResponse:
    member = _own_member(exhibitor, pk)
    try:
        staff_change_check(exhibitor=exhibitor)
        refusal = ""
    except ExhibitorError as error:
        refusal = _error_text(error)
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
        _context(exhibitor, "staff", member=member, refusal=refusal),
    )


@require_http_methods(["GET", "POST"])
@portal_page
def withdraw(request: HttpRequest, exhibitor: Exhibitor) -> HttpResponse:
    refusal = _withdraw_refusal(exhibitor)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
            return redirect("portal:overview")
        if form.is_valid():
            try:
                exhibitor_withdraw(
                    exhibitor=exhibitor, actor=request.user, note=form.cleaned_data["reason"]
                )
            except ExhibitorError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(
                    request, _("Your registration is withdrawn. We have sent you a confirmation.")
                )
            return redirect("portal:overview")
    return render(
        request,
        "exhibitors/portal/withdraw.html",
        _context(exhibitor, "overview", form=form, refusal=refusal),
    )


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Set the portal password from the invitation link, log in, go to the overview."""
    user = invitation_user_resolve(token=token)
    if user is None:
        return render(request, "exhibitors/portal/invitation_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        portal_password_set(user=user, password=form.cleaned_data["new_password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your password is set. Welcome to the exhibitor portal."))
        return redirect("portal:overview")
    return render(
        request,
        "exhibitors/portal/invitation.html",
        {"form": form, "username": user.get_username()},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def access(request: HttpRequest) -> HttpResponse:
    """Ask for a new set-password link (expired invitation or forgotten password)."""
    if request.method == "POST":
        # Per address on top of the one-mail-per-mailbox rule of portal_access_request: a
        # script trying many mailboxes from one address is stopped too.
        wait = rate_limit_hit(limit=public_form_per_ip(), key=client_ip(request))
        if wait:
            return too_many_requests(request, retry_after=wait)
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        portal_access_request(email=form.cleaned_data["email"])
        return render(
            request,
            "exhibitors/portal/access_sent.html",
            {"email": form.cleaned_data["email"], "valid_days": invitation_valid_days()},
        )
    return render(request, "exhibitors/portal/access.html", {"form": form})
