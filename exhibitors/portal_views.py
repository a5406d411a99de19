"""The exhibitor portal: overview, company profile, withdrawal, invitations.

Every page works on the exhibitor of the logged-in user (``exhibitors.portal.portal_page``);
the stand-staff pages live in ``badges/staff_views.py`` because they show badges.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from exhibitors.directory_selectors import exhibitor_is_public
from exhibitors.exceptions import ExhibitorError
from exhibitors.invitations import invitation_user_resolve, invitation_valid_days
from exhibitors.models import Exhibitor
from exhibitors.portal import PortalRequest, portal_context, portal_page
from exhibitors.portal_forms import AccessRequestForm, ProfileForm, WithdrawForm
from exhibitors.services.portal import (
    exhibitor_profile_update,
    fair_is_over,
    portal_access_request,
    portal_password_set,
    profile_edit_check,
)
from exhibitors.services.workflow import exhibitor_withdraw, transition_check
from fair.auth import BACKEND
from fair.ratelimit import client_ip, public_form_per_ip, rate_limit_hit
from fair.views import too_many_requests


def _withdraw_refusal(exhibitor: Exhibitor) -> str:
    try:
        transition_check(exhibitor=exhibitor, to_state=Exhibitor.State.WITHDRAWN)
    except ExhibitorError as error:
        return str(error)
    return ""


def _profile_refusal(exhibitor: Exhibitor) -> str:
    try:
        profile_edit_check(exhibitor=exhibitor)
    except ExhibitorError as error:
        return str(error)
    return ""


@require_http_methods(["GET"])
@portal_page
def overview(request: PortalRequest, exhibitor: Exhibitor) -> HttpResponse:
    profile_locked = _profile_refusal(exhibitor)
    context = portal_context(
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
def profile(request: PortalRequest, exhibitor: Exhibitor) -> HttpResponse:
    locked = _profile_refusal(exhibitor)
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
                messages.error(request, str(error))
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
        portal_context(
            exhibitor,
            "profile",
            form=form,
            locked=locked,
            directory_url=_directory_url(exhibitor),
        ),
    )


def _directory_url(exhibitor: Exhibitor) -> str:
    """The exhibitor's public directory page, when it is public."""
    if not exhibitor_is_public(exhibitor=exhibitor):
        return ""
    return reverse(
        "directory:exhibitor",
        kwargs={
            "fair_slug": exhibitor.fair.slug,
            "area_slug": exhibitor.area.slug,
            "exhibitor_id": exhibitor.pk,
        },
    )


@require_http_methods(["GET", "POST"])
@portal_page
def withdraw(request: PortalRequest, exhibitor: Exhibitor) -> HttpResponse:
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
                messages.error(request, str(error))
            else:
                messages.success(
                    request, _("Your registration is withdrawn. We have sent you a confirmation.")
                )
            return redirect("portal:overview")
    return render(
        request,
        "exhibitors/portal/withdraw.html",
        portal_context(exhibitor, "overview", form=form, refusal=refusal),
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
        login(request, user, backend=BACKEND)
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
