"""The organizers' hall plan under /organizer/plan/ (staff only): each area's plan with a table
of its stands, assigning a stand by clicking it while reviewing an exhibitor
(``?exhibitor=<id>``), editing a stand, importing a whole plan from CSV, and overriding an
exhibitor's staff quota. The views parse input and render; exhibitors.services write."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from exhibitors.exceptions import ExhibitorError
from exhibitors.models import Exhibitor
from exhibitors.plan_forms import StaffQuotaForm, StandForm, StandPlanImportForm
from exhibitors.quota import staff_quota_for_size
from exhibitors.selectors import areas_for_plan, exhibitors_for_stand_pick, stands_for_plan
from exhibitors.services.stand_plan import (
    exhibitor_stand_pick,
    stand_plan_import,
    stand_plan_import_check,
    stand_save,
)
from exhibitors.services.workflow import exhibitor_staff_quota_set
from exhibitors.stand_import import stand_plan_parse
from fair.access import organizer_required
from fair.csvfile import CsvFileError
from fair.hallplan import StandShape, hall_plan_svg
from fair.models import Area, Stand

# States of the legend, in the order it lists them (state key → label).
LEGEND = (
    ("free", gettext_lazy("free")),
    ("reserved", gettext_lazy("reserved")),
    ("assigned", gettext_lazy("assigned to an approved exhibitor")),
    ("current", gettext_lazy("stand of the exhibitor you are reviewing")),
)


def _organizer(request: HttpRequest) -> User:
    # organizer_required lets only logged-in staff through.
    return cast(User, request.user)


def exhibitor_url(exhibitor: Exhibitor) -> str:
    """Where an exhibitor's registration is looked at: the control room's registration page."""
    return reverse("registrations:detail", args=[exhibitor.pk])


def _plan_url(area: Area, exhibitor: Exhibitor | None = None) -> str:
    url = reverse("hallplan:area", args=[area.pk])
    return f"{url}?exhibitor={exhibitor.pk}" if exhibitor is not None else url


def _reviewed(request: HttpRequest, area: Area) -> Exhibitor | None:
    """The exhibitor of ``?exhibitor=<id>``: one of this area's registrations that can get a
    stand; other values are a 404 (no guessing other areas' registrations)."""
    wanted = request.GET.get("exhibitor", "")
    if not wanted:
        return None
    if not wanted.isdigit() or len(wanted) > 12:
        raise Http404("no such exhibitor")
    return get_object_or_404(exhibitors_for_stand_pick(area=area), pk=int(wanted))


def _holder(stand: Stand) -> Exhibitor | None:
    return getattr(stand, "exhibitor", None)


def _state_key(stand: Stand, reviewed: Exhibitor | None) -> str:
    if reviewed is not None and reviewed.stand_id == stand.pk:
        return "current"
    return stand.state


def _shape(stand: Stand, *, area: Area, reviewed: Exhibitor | None) -> StandShape:
    holder = _holder(stand)
    href: str | None
    if holder is not None:
        href = exhibitor_url(holder)
    elif reviewed is not None and stand.state == Stand.State.FREE:
        href = reverse("hallplan:assign", args=[area.pk, stand.pk, reviewed.pk])
    else:
        href = reverse("hallplan:stand_edit", args=[area.pk, stand.pk])
    parts = [
        _("Stand %(number)s") % {"number": stand.number},
        f"{stand.size_sqm:g} m²",
        stand.get_type_display(),
        holder.company_name if holder is not None else stand.get_state_display(),
    ]
    return StandShape(
        number=stand.number,
        x_m=stand.x_m,
        y_m=stand.y_m,
        width_m=stand.width_m,
        depth_m=stand.depth_m,
        state_key=_state_key(stand, reviewed),
        label=holder.company_name if holder is not None else "",
        href=href,
        title=" · ".join(parts),
        open_sides=stand.open_sides,
    )


@organizer_required
def plan_index(request: HttpRequest) -> HttpResponse:
    return render(request, "exhibitors/organizer/plan_index.html", {"areas": areas_for_plan()})


@organizer_required
def plan_area(request: HttpRequest, area_id: int) -> HttpResponse:
    area = get_object_or_404(Area.objects.select_related("fair", "hall"), pk=area_id)
    reviewed = _reviewed(request, area)
    stands = list(stands_for_plan(area=area))
    shapes = [_shape(stand, area=area, reviewed=reviewed) for stand in stands]
    title = _("Hall plan of %(area)s, %(hall)s") % {"area": area.name, "hall": area.hall.name}
    svg = hall_plan_svg(
        stands=shapes,
        highlight=reviewed.stand.number if reviewed and reviewed.stand else None,
        title=title,
    )
    rows = []
    for stand, shape in zip(stands, shapes, strict=True):
        holder = _holder(stand)
        can_pick = reviewed is not None and holder is None and stand.state == Stand.State.FREE
        rows.append(
            {
                "stand": stand,
                "holder": holder,
                "holder_url": shape.href if holder is not None else "",
                "assign_url": shape.href if can_pick else "",
                "state_key": shape.state_key,
            }
        )
    return render(
        request,
        "exhibitors/organizer/plan.html",
        {
            "area": area,
            # fair.hallplan escapes every text it draws.
            "svg": mark_safe(svg),
            "rows": rows,
            "legend": LEGEND,
            "reviewed": reviewed,
            "reviewed_url": exhibitor_url(reviewed) if reviewed else "",
            "rule_quota": staff_quota_for_size(reviewed.stand.size_sqm)
            if reviewed and reviewed.stand
            else None,
            "candidates": exhibitors_for_stand_pick(area=area),
            "free_count": sum(1 for stand in stands if stand.state == Stand.State.FREE),
        },
    )


@organizer_required
@require_http_methods(["GET", "POST"])
def stand_assign(
    request: HttpRequest, area_id: int, stand_id: int, exhibitor_id: int
) -> HttpResponse:
    area = get_object_or_404(Area.objects.select_related("fair"), pk=area_id)
    stand = get_object_or_404(Stand, pk=stand_id, area=area)
    exhibitor = get_object_or_404(exhibitors_for_stand_pick(area=area), pk=exhibitor_id)
    if request.method == "POST":
        try:
            exhibitor = exhibitor_stand_pick(
                exhibitor=exhibitor, stand=stand, actor=_organizer(request)
            )
        except ExhibitorError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Stand %(number)s is assigned to %(company)s; staff quota %(quota)d.")
                % {
                    "number": stand.number,
                    "company": exhibitor.company_name,
                    "quota": exhibitor.staff_quota,
                },
            )
        return redirect(_plan_url(area, exhibitor))
    return render(
        request,
        "exhibitors/organizer/stand_assign.html",
        {
            "area": area,
            "stand": stand,
            "exhibitor": exhibitor,
            "rule_quota": staff_quota_for_size(stand.size_sqm),
            "approves": exhibitor.state != Exhibitor.State.APPROVED,
            "back_url": _plan_url(area, exhibitor),
        },
    )


@organizer_required
@require_http_methods(["GET", "POST"])
def stand_edit(request: HttpRequest, area_id: int, stand_id: int | None = None) -> HttpResponse:
    area = get_object_or_404(Area.objects.select_related("fair", "hall"), pk=area_id)
    stand = (
        get_object_or_404(Stand.objects.select_related("exhibitor"), pk=stand_id, area=area)
        if stand_id is not None
        else None
    )
    form = StandForm(request.POST or None, initial=StandForm.initial_for(stand) if stand else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = stand_save(
                area=area, stand=stand, actor=_organizer(request), **form.cleaned_data
            )
        except ExhibitorError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Stand %(number)s saved.") % {"number": saved.number})
            return redirect(_plan_url(area))
    holder = _holder(stand) if stand else None
    return render(
        request,
        "exhibitors/organizer/stand_form.html",
        {
            "area": area,
            "stand": stand,
            "form": form,
            "holder": holder,
            "holder_url": exhibitor_url(holder) if holder else "",
            "back_url": _plan_url(area),
        },
        status=422 if form.errors else 200,
    )


@organizer_required
@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest, area_id: int) -> HttpResponse:
    area = get_object_or_404(Area.objects.select_related("fair", "hall"), pk=area_id)
    form = StandPlanImportForm(request.POST or None, request.FILES or None)
    report, error, parsed, imported = None, "", None, False
    if request.method == "POST" and form.is_valid():
        default_price = form.cleaned_data["default_price"]
        try:
            parsed = stand_plan_parse(form.cleaned_data["file"].read())
        except CsvFileError as exc:
            error = str(exc)
        else:
            if form.cleaned_data["dry_run"]:
                report = stand_plan_import_check(
                    area=area, rows=parsed.rows, default_price=default_price
                )
            else:
                try:
                    report = stand_plan_import(
                        area=area,
                        rows=parsed.rows,
                        actor=_organizer(request),
                        default_price=default_price,
                    )
                    imported = True
                except ExhibitorError:
                    # Show every row with its errors; nothing was saved.
                    report = stand_plan_import_check(
                        area=area, rows=parsed.rows, default_price=default_price
                    )
        if imported and report is not None:
            messages.success(
                request,
                _("Plan imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.")
                % {
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                },
            )
            return redirect(_plan_url(area))
    failed = bool(error or form.errors or (report is not None and not report.ok))
    return render(
        request,
        "exhibitors/organizer/plan_import.html",
        {
            "area": area,
            "form": form,
            "report": report,
            "parsed": parsed,
            "error": error,
            "dry_run": bool(form.is_bound and form.is_valid() and form.cleaned_data["dry_run"]),
            "back_url": _plan_url(area),
        },
        status=422 if failed else 200,
    )


@organizer_required
@require_http_methods(["GET", "POST"])
def staff_quota(request: HttpRequest, exhibitor_id: int) -> HttpResponse:
    exhibitor = get_object_or_404(
        Exhibitor.objects.select_related("area", "fair", "stand"), pk=exhibitor_id
    )
    rule = staff_quota_for_size(exhibitor.stand.size_sqm) if exhibitor.stand else None
    form = StaffQuotaForm(request.POST or None, initial={"staff_quota": exhibitor.staff_quota})
    if request.method == "POST" and form.is_valid():
        try:
            exhibitor = exhibitor_staff_quota_set(
                exhibitor=exhibitor,
                staff_quota=form.cleaned_data["staff_quota"],
                actor=_organizer(request),
                note=form.cleaned_data["reason"],
            )
        except ExhibitorError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Staff quota of %(company)s is now %(quota)d.")
                % {"company": exhibitor.company_name, "quota": exhibitor.staff_quota},
            )
            return redirect(_plan_url(exhibitor.area, exhibitor))
    return render(
        request,
        "exhibitors/organizer/staff_quota.html",
        {
            "exhibitor": exhibitor,
            "exhibitor_url": exhibitor_url(exhibitor),
            "rule": rule,
            "form": form,
            "back_url": _plan_url(exhibitor.area, exhibitor)
            if exhibitor.state in ("submitted", "waitlisted", "approved")
            else _plan_url(exhibitor.area),
        },
        status=422 if form.errors else 200,
    )
