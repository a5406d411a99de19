"""The organizers' program pages under /organizer/forum/ (staff only): rooms, sessions with
speakers and vote items, and the CSV import with a dry run. The views only parse and render;
``fair.forum.program`` and ``fair.forum.importer`` write."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fair.access import organizer_required
from fair.forum.exceptions import ForumError
from fair.forum.forms import ProgramImportForm, RoomForm, SessionForm
from fair.forum.importer import ProgramFileError, program_import
from fair.forum.program import fair_zone, room_save, session_delete, session_save
from fair.forum.selectors import program_days, program_rooms, program_sessions
from fair.models import Fair, ForumSession, Room


def organizer_fair(request: HttpRequest) -> Fair:
    """The fair asked for (?fair=<id>), else the one running today, else the latest."""
    fairs = Fair.objects.order_by("-starts_on", "-id")
    wanted = request.GET.get("fair", "")
    if wanted:
        if not wanted.isdigit() or len(wanted) > 12:
            raise Http404("no such fair")
        return get_object_or_404(fairs, pk=int(wanted))
    today = timezone.localdate()
    fair = fairs.filter(starts_on__lte=today, ends_on__gte=today).first() or fairs.first()
    if fair is None:
        raise Http404("no fair yet")
    return fair


def _index_url(fair: Fair) -> str:
    return f"{reverse('forum_organizer:index')}?fair={fair.pk}"


@organizer_required
def index(request: HttpRequest) -> HttpResponse:
    fair = organizer_fair(request)
    sessions = list(program_sessions(fair=fair).prefetch_related("vote_items"))
    return render(
        request,
        "forum/organizer/index.html",
        {
            "fair": fair,
            "fairs": Fair.objects.order_by("-starts_on"),
            "rooms": program_rooms(fair=fair),
            "days": program_days(fair=fair, sessions=sessions),
            "zone": fair_zone(fair).key,
        },
    )


@organizer_required
@require_http_methods(["GET", "POST"])
def room_edit(request: HttpRequest, room_id: int | None = None) -> HttpResponse:
    room = get_object_or_404(Room, pk=room_id) if room_id else None
    fair = room.fair if room else organizer_fair(request)
    initial = (
        {"name": room.name, "capacity": room.capacity, "position": room.position} if room else None
    )
    form = RoomForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = room_save(
                fair=fair,
                room=room,
                name=form.cleaned_data["name"],
                capacity=form.cleaned_data["capacity"],
                position=form.cleaned_data["position"] or 0,
            )
        except ForumError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Room “%(room)s” saved.") % {"room": saved})
            return redirect(_index_url(fair))
    return render(
        request,
        "forum/organizer/room_form.html",
        {"fair": fair, "room": room, "form": form},
        status=422 if form.errors else 200,
    )


@organizer_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, session_id: int | None = None) -> HttpResponse:
    session = (
        get_object_or_404(ForumSession.objects.select_related("fair"), pk=session_id)
        if session_id
        else None
    )
    fair = session.fair if session else organizer_fair(request)
    form = SessionForm(request.POST or None, fair=fair, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            saved = session_save(fair=fair, session=session, data=form.session_data())
        except ForumError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Session %(code)s saved.") % {"code": saved.code})
            return redirect(_index_url(fair))
    return render(
        request,
        "forum/organizer/session_form.html",
        {"fair": fair, "session": session, "form": form},
        status=422 if form.errors else 200,
    )


@organizer_required
@require_http_methods(["GET", "POST"])
def session_remove(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(ForumSession.objects.select_related("fair"), pk=session_id)
    error = ""
    if request.method == "POST":
        try:
            session_delete(session=session)
        except ForumError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Session %(code)s deleted.") % {"code": session.code})
            return redirect(_index_url(session.fair))
    return render(
        request,
        "forum/organizer/session_remove.html",
        {"fair": session.fair, "session": session, "error": error},
        status=409 if error else 200,
    )


@organizer_required
@require_http_methods(["GET", "POST"])
def program_upload(request: HttpRequest) -> HttpResponse:
    fair = organizer_fair(request)
    form = ProgramImportForm(request.POST or None, request.FILES or None)
    report, error = None, ""
    if request.method == "POST" and form.is_valid():
        try:
            report = program_import(
                fair=fair,
                content=form.cleaned_data["file"].read(),
                dry_run=form.cleaned_data["dry_run"],
            )
        except ProgramFileError as exc:
            error = str(exc)
    return render(
        request,
        "forum/organizer/import.html",
        {"fair": fair, "form": form, "report": report, "error": error},
        status=422 if (error or form.errors) else 200,
    )
