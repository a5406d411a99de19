"""Public exhibitor registration pages: the form, "check your mail", and the confirmation link."""

import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from exhibitors import legal
from exhibitors.forms import RegistrationForm, co_exhibitor_formset
from exhibitors.models import Exhibitor
from exhibitors.services.registration import (
    ConfirmationLinkExpired,
    ConfirmationLinkInvalid,
    ConfirmationResendTooSoon,
    ExhibitorAlreadyConfirmed,
    ExhibitorDuplicate,
    RegistrationClosed,
    confirmation_token_resolve,
    exhibitor_confirm,
    exhibitor_confirmation_resend,
    exhibitor_register,
)
from fair.models import Area
from fair.ratelimit import client_ip, public_form_per_ip, rate_limit_hit
from fair.views import too_many_requests

SESSION_KEY_REGISTERED = "exhibitors_registered"


def _closed(request: HttpRequest, area: Area) -> HttpResponse:
    not_yet_open = timezone.now() < area.registration_opens_at
    return render(
        request,
        "exhibitors/register_closed.html",
        {"area": area, "fair": area.fair, "not_yet_open": not_yet_open},
        status=200 if request.method == "GET" else 403,
    )


def _legal_context(area: Area) -> dict:
    return {
        "terms_version": area.fair.terms_version,
        "terms_title": legal.TERMS_TITLE,
        "terms_paragraphs": legal.TERMS_PARAGRAPHS,
        "privacy_version": legal.PRIVACY_VERSION,
        "privacy_title": legal.PRIVACY_TITLE,
        "privacy_paragraphs": legal.PRIVACY_PARAGRAPHS,
        "organizer_email": legal.organizer_email(),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, area_id: int) -> HttpResponse:
    area = get_object_or_404(Area.objects.select_related("fair", "hall"), pk=area_id)
    if not area.registration_is_open():
        return _closed(request, area)

    logo_lost = False
    if request.method == "POST":
        add_row = "add_co_exhibitor" in request.POST
        form = RegistrationForm(request.POST, request.FILES, area=area, defer_validation=add_row)
        formset = co_exhibitor_formset(request.POST, defer_validation=add_row, add_row=add_row)
        if not add_row:
            wait = rate_limit_hit(limit=public_form_per_ip(), key=client_ip(request))
            if wait:
                return too_many_requests(request, retry_after=wait)
            form_ok = form.is_valid()
            formset_ok = formset.is_valid()
            if form_ok and formset_ok:
                try:
                    exhibitor = exhibitor_register(
                        area=area,
                        data=form.registration_data(),
                        topics=form.cleaned_data["topics"],
                        co_exhibitors=formset.co_exhibitors(),
                        logo=form.cleaned_data["logo"],
                    )
                except RegistrationClosed:
                    return _closed(request, area)
                except ExhibitorDuplicate as duplicate:
                    form.add_error(duplicate.field, duplicate.message)
                else:
                    request.session[SESSION_KEY_REGISTERED] = {
                        "email": exhibitor.contact_email,
                        "area": area.pk,
                    }
                    return redirect("exhibitors:register_done")
        # A file input cannot be filled in again: say so when a chosen logo is not kept.
        logo_lost = bool(request.FILES.get("logo"))
    else:
        form = RegistrationForm(area=area, initial={"language": (get_language() or "de")[:2]})
        formset = co_exhibitor_formset()

    status = 200
    if request.method == "POST" and (form.errors or formset.total_error_count()):
        status = 400
    return render(
        request,
        "exhibitors/register.html",
        {
            "area": area,
            "fair": area.fair,
            "form": form,
            "formset": formset,
            "logo_lost": logo_lost,
            "deadline": area.registration_deadline,
            **_legal_context(area),
        },
        status=status,
    )


@never_cache
@require_GET
def register_done(request: HttpRequest) -> HttpResponse:
    registered = request.session.get(SESSION_KEY_REGISTERED) or {}
    area = None
    if registered.get("area"):
        area = Area.objects.select_related("fair").filter(pk=registered["area"]).first()
    return render(
        request,
        "exhibitors/register_done.html",
        {
            "email": registered.get("email", ""),
            "area": area,
            "organizer_email": legal.organizer_email(),
            "valid_until": timezone.now()
            + datetime.timedelta(seconds=settings.FAIRLEAD_CONFIRMATION_MAX_AGE),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: mail scanners that open links must not confirm."""
    context: dict[str, Any] = {"token": token, "organizer_email": legal.organizer_email()}
    try:
        exhibitor = confirmation_token_resolve(token=token)
    except ConfirmationLinkInvalid:
        return render(request, "exhibitors/confirm_invalid.html", context, status=400)
    except ConfirmationLinkExpired as expired:
        return _confirm_expired(request, expired.exhibitor, context)

    context.update(exhibitor=exhibitor, area=exhibitor.area, fair=exhibitor.fair)
    if exhibitor.state != exhibitor.State.UNCONFIRMED:
        return render(request, "exhibitors/confirm_already.html", context)
    if request.method == "GET":
        return render(request, "exhibitors/confirm.html", context)
    try:
        exhibitor = exhibitor_confirm(exhibitor=exhibitor)
    except ExhibitorAlreadyConfirmed:
        return render(request, "exhibitors/confirm_already.html", context)
    context["exhibitor"] = exhibitor
    return render(request, "exhibitors/confirm_done.html", context)


def _confirm_expired(
    request: HttpRequest, exhibitor: Exhibitor, context: dict[str, Any]
) -> HttpResponse:
    context.update(exhibitor=exhibitor, area=exhibitor.area, fair=exhibitor.fair)
    if exhibitor.state != exhibitor.State.UNCONFIRMED:
        return render(request, "exhibitors/confirm_already.html", context)
    if request.method == "POST" and "resend" in request.POST:
        try:
            exhibitor_confirmation_resend(exhibitor=exhibitor)
        except ExhibitorAlreadyConfirmed:
            return render(request, "exhibitors/confirm_already.html", context)
        except ConfirmationResendTooSoon:
            context["too_soon"] = True
        else:
            context["resent"] = True
    context["masked_email"] = _mask_email(exhibitor.contact_email)
    status = 200 if context.get("resent") else 410
    return render(request, "exhibitors/confirm_expired.html", context, status=status)


def _mask_email(email: str) -> str:
    """k…@example.com: enough to recognize one's own address, not to learn someone else's."""
    local, _sep, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"
