"""The organizers' session check-in pages under /organizer/forum/checkin/ (staff only): room
devices (register, pair with a code or QR as stand devices pair, revoke), check-in counts per
session, and the export of a session's attendance list for a stated purpose.

The views only parse and render; ``leads.services`` write. The pairing code is kept in the
organizer's session while it is valid, exactly as the exhibitor portal keeps it
(``leads.device_views``).
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fair.access import organizer_required
from fair.forum.organizer_views import organizer_fair
from fair.forum.program import fair_zone
from fair.models import Fair, ForumSession
from leads.attendance_selectors import attendance_counts, room_devices
from leads.checkin_forms import AttendanceExportForm, RoomDeviceForm
from leads.device_views import (
    pairing_code_issue,
    pairing_context,
    pairing_forget,
    pairing_remember,
)
from leads.exceptions import AttendanceExportRefused, DeviceLabelTaken, LeadsError
from leads.export_audit import ExportActor
from leads.models import ScannerDevice
from leads.services.attendance_export import attendance_export
from leads.services.devices import device_pairing_code_create, device_revoke, room_device_create


def _index_url(fair: Fair) -> str:
    return f"{reverse('checkin_organizer:index')}?fair={fair.pk}"


def _room_device_or_404(pk: int) -> ScannerDevice:
    device = (
        ScannerDevice.objects.select_related("room", "room__fair")
        .filter(pk=pk, room__isnull=False)
        .first()
    )
    if device is None:
        raise Http404("no such room device")
    return device


@organizer_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    fair = organizer_fair(request)
    form = RoomDeviceForm(request.POST or None, fair=fair)
    if request.method == "POST" and form.is_valid():
        try:
            device = room_device_create(
                room=form.cleaned_data["room"], label=form.cleaned_data["label"]
            )
            issued = device_pairing_code_create(device=device)
        except DeviceLabelTaken as error:
            form.add_error("label", str(error.detail))
        except LeadsError as error:
            form.add_error(None, str(error.detail))
        else:
            pairing_remember(request, issued)
            messages.success(
                request,
                _("%(label)s is registered. Pair the phone at the door with the code below.")
                % {"label": device.label},
            )
            return redirect("checkin_organizer:pairing", device_id=device.pk)
    return render(
        request,
        "leads/checkin/index.html",
        {
            "fair": fair,
            "fairs": Fair.objects.order_by("-starts_on"),
            "form": form,
            "devices": list(room_devices(fair=fair)),
            "sessions": list(attendance_counts(fair=fair)),
            "zone": fair_zone(fair).key,
        },
    )


@organizer_required
@require_http_methods(["GET", "POST"])
def pairing(request: HttpRequest, device_id: int) -> HttpResponse:
    device = _room_device_or_404(device_id)
    if request.method == "POST":
        pairing_code_issue(request, device)
        return redirect("checkin_organizer:pairing", device_id=device.pk)
    context = pairing_context(request, device)
    context["fair"] = device.room.fair  # type: ignore[union-attr]
    return render(request, "leads/checkin/pairing.html", context)


@organizer_required
@require_POST
def revoke(request: HttpRequest, device_id: int) -> HttpResponse:
    device = _room_device_or_404(device_id)
    device_revoke(device=device)
    pairing_forget(request, device)
    messages.success(
        request, _("%(label)s is revoked and can no longer check anyone in.") % {"label": device}
    )
    return redirect(_index_url(device.room.fair))  # type: ignore[union-attr]


@organizer_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(ForumSession.objects.select_related("fair", "room"), pk=session_id)
    form = AttendanceExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exported = attendance_export(
                session=session,
                purpose=form.cleaned_data["purpose"],
                actor=ExportActor.for_user(request.user),
            )
        except AttendanceExportRefused:
            form.add_error(
                None,
                _(
                    "This fair has no privacy notice yet. Add one (with the check-in section) "
                    "before exporting attendance lists."
                ),
            )
        else:
            response = HttpResponse(exported.content, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
            return response
    return render(
        request,
        "leads/checkin/export.html",
        {
            "fair": session.fair,
            "session": session,
            "form": form,
            "checked_in": session.attendances.count(),
            "zone": fair_zone(session.fair).key,
        },
    )
