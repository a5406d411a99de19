"""Visitor registration, the visitor's own badge (secret link), exhibitors' staff badges."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from badges.exceptions import ConfirmationInvalid
from badges.forms import BadgeLinkRequestForm, VisitorRegistrationForm
from badges.layouts import LAYOUTS, layout_get
from badges.models import Attendee, Badge
from badges.printing import badge_data, badges_write_pdf
from badges.privacy import (
    ErasureAlreadyRequested,
    PrivacyRefused,
    attendee_data_download,
    checkin_notice,
    consent_set,
    erasure_request,
)
from badges.privacy.forms import ConsentForm, ErasureForm
from badges.privacy.selectors import captures_for_attendee, consent_history, erasure_pending
from badges.render import badge_pdf_bytes, qr_png_bytes
from badges.selectors import (
    attendee_for_access_token,
    badge_active,
    fairs_open_for_visitors,
    staff_badges_for_exhibitor,
    topics_for_fair,
    visitor_for_confirmation,
)
from badges.services.visitor_registration import (
    visitor_badge_link_resend,
    visitor_confirm,
    visitor_register,
)
from exhibitors.selectors import exhibitor_for_user
from fair.models import Fair, ForumSession
from fair.ratelimit import (
    badge_link_request_per_email,
    badge_link_request_per_ip,
    client_ip,
    rate_limit_hit,
)
from fair.secret_link import secret_link_page
from fair.views import too_many_requests


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """Which fair: straight to the form when one fair is open, else a choice."""
    fairs = list(fairs_open_for_visitors())
    if len(fairs) == 1:
        return redirect("badges:register_fair", fair_slug=fairs[0].slug)
    return render(request, "badges/register_choose.html", {"fairs": fairs})


@require_http_methods(["GET", "POST"])
def register_fair(request: HttpRequest, fair_slug: str) -> HttpResponse:
    fair = get_object_or_404(fairs_open_for_visitors(), slug=fair_slug)
    topics = topics_for_fair(fair=fair)
    form = VisitorRegistrationForm(request.POST or None, topics=topics)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        visitor_register(
            fair=fair,
            data=data,
            topics=data.get("topics") or [],
            language=(get_language() or "de")[:2],
        )
        # The same page whatever happened, so the form does not tell who registered.
        return redirect("badges:register_sent", fair_slug=fair.slug)
    return render(request, "badges/register_form.html", {"fair": fair, "form": form})


@require_GET
def register_sent(request: HttpRequest, fair_slug: str) -> HttpResponse:
    fair = get_object_or_404(fairs_open_for_visitors(), slug=fair_slug)
    return render(request, "badges/register_sent.html", {"fair": fair})


@require_GET
def privacy_notice(request: HttpRequest, fair_slug: str) -> HttpResponse:
    """The organizer's privacy notice for visitors, when the fair has it as text."""
    fair = get_object_or_404(Fair.objects.exclude(privacy_notice=""), slug=fair_slug)
    context: dict = {"fair": fair}
    if fair.rooms.exists():  # a forum with rooms: its doors check people in
        context["checkin"] = {
            "title": checkin_notice.NOTICE_TITLE,
            "text": checkin_notice.NOTICE_TEXT,
            "intro": checkin_notice.NOTICE_PURPOSES_INTRO,
            "purposes": list(checkin_notice.EXPORT_PURPOSES.values()),
        }
    return render(request, "badges/privacy_notice.html", context)


@secret_link_page
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners that open links confirm nothing); POST confirms.
    The link works once: afterwards it says so and points to "find my badge link again"."""
    try:
        attendee = visitor_for_confirmation(token=token)
    except ConfirmationInvalid as exc:
        return render(
            request,
            "badges/confirm_invalid.html",
            {"expired": exc.expired, "fairs": fairs_open_for_visitors()},
            status=410 if exc.expired else 404,
        )
    access = None
    if request.method == "POST" and attendee.confirmed_at is None:
        access = visitor_confirm(attendee=attendee)
    if access is not None:
        messages.success(request, _("Thank you: your address is confirmed. This is your badge."))
        return redirect("badges:badge", token=access)
    if attendee.confirmed_at is not None or request.method == "POST":
        return render(request, "badges/confirm_used.html", {"fair": attendee.fair})
    return render(request, "badges/confirm.html", {"attendee": attendee, "fair": attendee.fair})


def _link_invalid(request: HttpRequest, *, revoked: bool = False) -> HttpResponse:
    """A badge link that is wrong, replaced or erased: a friendly page, status 404 (rendered,
    not raised, so that DEBUG shows the same page)."""
    return render(request, "badges/link_invalid.html", {"revoked": revoked}, status=404)


def _attendee(token: str) -> Attendee | None:
    return attendee_for_access_token(token=token)


def _badge_page(
    request: HttpRequest,
    token: str,
    attendee: Attendee,
    *,
    consent_form: ConsentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    active = badge_active(attendee=attendee)
    return render(
        request,
        "badges/badge.html",
        {
            "attendee": attendee,
            "fair": attendee.fair,
            "badge": active,
            "token": token,
            "data": badge_data(active) if active else None,
            "captures": captures_for_attendee(attendee=attendee),
            "consent_history": list(consent_history(attendee=attendee)),
            "consent_form": consent_form or ConsentForm(),
            "erasure": erasure_pending(attendee=attendee),
            "zone": attendee.fair.time_zone or "Europe/Berlin",
            "has_forum": ForumSession.objects.filter(fair=attendee.fair).exists(),
        },
        status=status,
    )


@secret_link_page
@require_GET
def badge(request: HttpRequest, token: str) -> HttpResponse:
    """The visitor's own page: their badge, who captured them, consent, copy, erasure."""
    attendee = _attendee(token)
    if attendee is None:
        return _link_invalid(request)
    return _badge_page(request, token, attendee)


@secret_link_page
@require_POST
def consent(request: HttpRequest, token: str) -> HttpResponse:
    """Give or withdraw lead-sharing consent; takes effect at once."""
    attendee = _attendee(token)
    if attendee is None:
        return _link_invalid(request)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _badge_page(request, token, attendee, consent_form=form, status=422)
    consent_set(attendee=attendee, given=form.given)
    if form.given:
        messages.success(
            request, _("Thank you: exhibitors who scan your badge now receive your details.")
        )
    else:
        messages.success(
            request,
            _(
                "Done: from now on exhibitors see only your name and company, also for scans "
                "made earlier."
            ),
        )
    return redirect("badges:badge", token=token)


@secret_link_page
@require_POST
def data_download(request: HttpRequest, token: str) -> HttpResponse:
    """Everything held about the visitor, as a JSON file (a POST: nothing fetches it by
    accident, and each copy handed out is logged)."""
    attendee = _attendee(token)
    if attendee is None:
        return _link_invalid(request)
    data = attendee_data_download(attendee=attendee)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@secret_link_page
@require_http_methods(["GET", "POST"])
def erasure(request: HttpRequest, token: str) -> HttpResponse:
    """Ask for erasure: what it means, a box to tick, then the request goes to the organizers."""
    attendee = _attendee(token)
    if attendee is None:
        return _link_invalid(request)
    pending = erasure_pending(attendee=attendee)
    form = ErasureForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and pending is None and form.is_valid():
        try:
            erasure_request(attendee=attendee)
        except PrivacyRefused as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                _(
                    "Your request was sent to the organizers. We erase your data once they "
                    "confirm it and tell you by mail."
                ),
            )
            return redirect("badges:badge", token=token)
    if request.method == "POST" and pending is not None:
        error = str(ErasureAlreadyRequested())
    status = 422 if request.method == "POST" else 200
    if error:
        status = 409
    return render(
        request,
        "badges/erasure.html",
        {
            "attendee": attendee,
            "fair": attendee.fair,
            "token": token,
            "form": form,
            "pending": pending,
            "error": error,
            "leads": len(captures_for_attendee(attendee=attendee)),
        },
        status=status,
    )


def _active_badge(request: HttpRequest, token: str) -> Badge | HttpResponse:
    """The attendee's active badge, or the friendly "link not valid" page."""
    attendee = _attendee(token)
    if attendee is None:
        return _link_invalid(request)
    active = badge_active(attendee=attendee)
    if active is None:
        return _link_invalid(request, revoked=True)
    active.attendee = attendee
    return active


@secret_link_page
@require_GET
def badge_pdf(request: HttpRequest, token: str) -> HttpResponse:
    active = _active_badge(request, token)
    if isinstance(active, HttpResponse):
        return active
    pdf = badge_pdf_bytes(badge_data(active), layout=LAYOUTS["a6"])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="badge-{active.short_code}.pdf"'
    return response


@secret_link_page
@require_GET
def badge_png(request: HttpRequest, token: str) -> HttpResponse:
    active = _active_badge(request, token)
    if isinstance(active, HttpResponse):
        return active
    response = HttpResponse(qr_png_bytes(active.qr_content), content_type="image/png")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="badge-{active.short_code}.png"'
    return response


@require_http_methods(["GET", "POST"])
def badge_link_request(request: HttpRequest) -> HttpResponse:
    """ "Find my badge link again": a confirmed visitor gets their badge link mailed anew.

    The answer is the same whether or not the address is known (no enumeration); each
    address is limited per caller and per mailbox (fair/ratelimit.py), on top of the
    service's one mail per attendee and minute.
    """
    fairs = list(fairs_open_for_visitors())
    form = BadgeLinkRequestForm(request.POST or None, fairs=fairs)
    if request.method == "POST" and form.is_valid():
        wait = rate_limit_hit(limit=badge_link_request_per_ip(), key=client_ip(request))
        if wait:
            return too_many_requests(request, retry_after=wait)
        email = form.cleaned_data["email"]
        if rate_limit_hit(limit=badge_link_request_per_email(), key=email) is None:
            visitor_badge_link_resend(fair=form.cleaned_data["fair"], email=email)
        return render(
            request,
            "badges/badge_link_sent.html",
            {"fair": form.cleaned_data["fair"], "email": email},
        )
    return render(
        request,
        "badges/badge_link_request.html",
        {"form": form, "fairs": fairs},
        status=422 if form.errors else 200,
    )


@login_required
@require_GET
def staff_badges_pdf(request: HttpRequest) -> HttpResponse:
    """An exhibitor's own staff badges as one PDF (A6 four-up unless ?layout= says else)."""
    exhibitor = exhibitor_for_user(user=request.user)
    if exhibitor is None:
        return render(request, "badges/staff_badges_forbidden.html", status=403)
    key = request.GET.get("layout", "a6-4up")
    try:
        layout = layout_get(key)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    badges = staff_badges_for_exhibitor(exhibitor=exhibitor)
    buffer = io.BytesIO()
    try:
        badges_write_pdf(badges=badges, layout=layout, out=buffer, title=exhibitor.company_name)
    except ValueError:
        return render(
            request, "badges/staff_badges_empty.html", {"exhibitor": exhibitor}, status=404
        )
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="staff-badges-{layout.key}.pdf"'
    add_never_cache_headers(response)
    return response
