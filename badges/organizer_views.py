"""The control room's attendee desk under /organizer/attendees/ (organizers only): search and
filter attendees, revoke or reissue a badge, print runs and the reprint of one badge.

Views only parse the request and call the badge services (``badges.services.badge_desk``,
``badges.print_response``); the import wizard is ``badges.organizer_import_views``.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from badges.codes import short_code_display
from badges.forms import LayoutChoiceForm, PrintRunForm, PrintRunPresetForm
from badges.models import Attendee, Badge
from badges.organizer_forms import AttendeeSearchForm
from badges.organizer_selectors import attendee_badges, attendees_search
from badges.print_response import pdf_response
from badges.privacy.exceptions import PrivacyRefused
from badges.selectors import badges_for_print
from badges.services.badge_desk import badge_desk_reissue, badge_desk_revoke
from fair.access import organizer_required
from fair.forum.organizer_views import organizer_fair
from fair.models import Fair

PAGE_SIZE = 50


def _fairs() -> list[Fair]:
    return list(Fair.objects.order_by("-starts_on", "-pk"))


@organizer_required
def attendee_list(request: HttpRequest) -> HttpResponse:
    fair = organizer_fair(request)
    form = AttendeeSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    attendees = attendees_search(
        fair=fair,
        query=filters.get("q", ""),
        category=filters.get("category", ""),
        printed=filters.get("printed", ""),
        badge=filters.get("badge", ""),
    )
    page = Paginator(attendees, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "badges/organizer/attendees.html",
        {
            "fair": fair,
            "fairs": _fairs(),
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "layout_form": LayoutChoiceForm(),
        },
    )


def _attendee(attendee_id: int) -> Attendee:
    return get_object_or_404(Attendee.objects.select_related("fair", "exhibitor"), pk=attendee_id)


@organizer_required
def attendee_detail(request: HttpRequest, attendee_id: int) -> HttpResponse:
    attendee = _attendee(attendee_id)
    return render(
        request,
        "badges/organizer/attendee.html",
        {
            "attendee": attendee,
            "fair": attendee.fair,
            "badges": attendee_badges(attendee=attendee),
            "layout_form": LayoutChoiceForm(),
        },
    )


def _detail_url(attendee: Attendee) -> str:
    return reverse("organizer_attendees:detail", kwargs={"attendee_id": attendee.pk})


@organizer_required
@require_POST
def badge_revoke(request: HttpRequest, badge_id: int) -> HttpResponse:
    badge = get_object_or_404(Badge.objects.select_related("attendee"), pk=badge_id)
    was_active = badge.state == Badge.State.ACTIVE
    badge_desk_revoke(badge=badge, actor=request.user)  # type: ignore[arg-type]
    if was_active:
        messages.success(
            request,
            _("Badge %(code)s is revoked: its codes now scan as “revoked”.")
            % {"code": short_code_display(badge.short_code)},
        )
    else:
        messages.info(request, _("This badge was already revoked."))
    return redirect(_detail_url(badge.attendee))


@organizer_required
@require_POST
def attendee_reissue(request: HttpRequest, attendee_id: int) -> HttpResponse:
    attendee = _attendee(attendee_id)
    try:
        badge = badge_desk_reissue(attendee=attendee, actor=request.user)  # type: ignore[arg-type]
    except PrivacyRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("New badge %(code)s issued; the old badge's codes now scan as “revoked”.")
            % {"code": short_code_display(badge.short_code)},
        )
    return redirect(_detail_url(attendee))


@organizer_required
@require_POST
def badge_reprint(request: HttpRequest, badge_id: int) -> HttpResponseBase:
    """The PDF of one active badge (a reprint at the desk), in the layout chosen."""
    badge = get_object_or_404(
        Badge.objects.select_related("attendee", "attendee__fair"), pk=badge_id
    )
    form = LayoutChoiceForm(request.POST)
    if form.is_valid() and badge.state == Badge.State.ACTIVE:
        layout = form.cleaned_data["layout"]
        response = pdf_response(
            request,
            badges=badges_for_print(fair=badge.attendee.fair, ids=[badge.pk]),
            layout_key=layout,
            filename=f"badge-{badge.short_code}-{layout}.pdf",
        )
        if response is not None:
            return response
    messages.error(request, _("Only an active badge can be printed; choose a layout."))
    return redirect(_detail_url(badge.attendee))


@organizer_required
def print_run(request: HttpRequest) -> HttpResponseBase:
    """Choose layout, category, exhibitor, only-not-printed → one PDF; the badges in it are
    marked printed once the file is complete."""
    if request.method == "POST":
        form = PrintRunForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            response = pdf_response(
                request,
                badges=badges_for_print(
                    fair=data["fair"],
                    categories=data["categories"] or None,
                    exhibitor=data["exhibitor"],
                    not_printed=data["not_printed"],
                ),
                layout_key=data["layout"],
                filename=f"badges-{data['fair'].slug}-{data['layout']}.pdf",
            )
            if response is not None:
                return response
            form.add_error(None, _("No active badge matches this selection."))
    else:
        preset = PrintRunPresetForm(request.GET)
        form = PrintRunForm(initial=preset.print_run_initial(fair=organizer_fair(request)))
    return render(request, "badges/organizer/print_run.html", {"form": form})
