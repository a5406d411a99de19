"""The organizers' page of the public exhibitor directory, mounted at /organizer/directory/:
each approved exhibitor's entry as visitors see it (public, hidden, not listed) and a button
to hide it or show it again. The view parses; ``services/directory.py`` writes."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exhibitors.admin.actions import admin_user
from exhibitors.directory_selectors import directory_for_organizer
from exhibitors.models import Exhibitor
from exhibitors.services.directory import NOTE_MAX_LENGTH, exhibitor_directory_hide
from fair.access import organizer_required
from fair.forum.organizer_views import organizer_fair
from fair.models import Fair


@organizer_required
def index(request: HttpRequest) -> HttpResponse:
    fair = organizer_fair(request)
    return render(
        request,
        "exhibitors/organizer/directory.html",
        {
            "fair": fair,
            "fairs": Fair.objects.order_by("-starts_on"),
            "exhibitors": directory_for_organizer(fair=fair),
            "note_max": NOTE_MAX_LENGTH,
        },
    )


@organizer_required
@require_POST
def hide(request: HttpRequest, exhibitor_id: int) -> HttpResponse:
    exhibitor = get_object_or_404(
        Exhibitor.objects.select_related("fair"), pk=exhibitor_id, state=Exhibitor.State.APPROVED
    )
    hidden = request.POST.get("hidden") == "1"
    note = request.POST.get("note", "")
    if len(note) > NOTE_MAX_LENGTH:
        messages.error(
            request,
            _("Please give a reason of at most %(max)d characters.") % {"max": NOTE_MAX_LENGTH},
        )
    else:
        exhibitor_directory_hide(
            exhibitor=exhibitor,
            actor=admin_user(request),
            hidden=hidden,
            note=note,
        )
        message = (
            _("%(company)s is hidden from the public directory and hall plan.")
            if hidden
            else _("%(company)s is shown in the public directory again.")
        )
        messages.success(request, message % {"company": exhibitor.company_name})
    return redirect(f"{reverse('directory_organizer:index')}?fair={exhibitor.fair_id}")
