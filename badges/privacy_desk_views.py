"""The control room's privacy desk, /organizer/privacy/ (organizers only): the erasure requests
waiting for a decision (confirmed or rejected through ``badges.privacy.erasure``), the latest
decisions, and per fair when its personal data is erased (``badges.privacy.retention``).

The lead export log is the leads app's page (``leads.organizer_views.export_log``): badges may
not import leads, so each app shows its own log and the two pages link to each other.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from badges.models import ErasureRequest
from badges.organizer_forms import ErasureRejectForm
from badges.organizer_selectors import (
    erasure_requests_decided,
    erasure_requests_pending,
    fairs_retention,
)
from badges.privacy import PrivacyRefused, erasure_confirm, erasure_reject
from badges.privacy.retention import retention_days
from fair.access import organizer_required


@organizer_required
def privacy_desk(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "badges/organizer/privacy.html",
        {
            "pending": erasure_requests_pending(),
            "decided": erasure_requests_decided(),
            "retention": fairs_retention(),
            "retention_days": retention_days(),
            "reject_form": ErasureRejectForm(),
        },
    )


def _request(request_id: int) -> ErasureRequest:
    return get_object_or_404(ErasureRequest, pk=request_id)


@organizer_required
def erasure_request_confirm(request: HttpRequest, request_id: int) -> HttpResponse:
    """GET: the person and what erasing means, one button (erasure cannot be undone).
    POST: erase through ``badges.privacy.erasure_confirm``."""
    erasure = get_object_or_404(
        ErasureRequest.objects.select_related("attendee", "attendee__fair"), pk=request_id
    )
    if request.method != "POST":
        if erasure.state != ErasureRequest.State.PENDING:
            messages.info(request, _("This erasure request was already decided."))
            return redirect("organizer_privacy:desk")
        return render(request, "badges/organizer/erasure_confirm.html", {"erasure": erasure})
    try:
        erasure_confirm(request=erasure, actor=request.user)  # type: ignore[arg-type]
    except PrivacyRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("The person's data is erased; they are told so at their old address.")
        )
    return redirect("organizer_privacy:desk")


@organizer_required
@require_POST
def erasure_request_reject(request: HttpRequest, request_id: int) -> HttpResponse:
    erasure = _request(request_id)
    form = ErasureRejectForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Say why the request is rejected: the person is told the reason.")
        )
        return redirect("organizer_privacy:desk")
    try:
        erasure_reject(request=erasure, actor=request.user, note=form.cleaned_data["note"])  # type: ignore[arg-type]
    except PrivacyRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The request is rejected; the person is told the reason."))
    return redirect("organizer_privacy:desk")
