"""The moderator's page of a session (open and close voting per item, live counts) and the
results as CSV, under /organizer/forum/ (staff only)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from badges.forum.results_csv import results_csv
from badges.forum.selectors import SessionResults, forum_results_for_fair, session_item_results
from badges.forum.views import POLL_MILLISECONDS
from fair.access import organizer_required
from fair.forum.exceptions import ForumError
from fair.forum.moderation import vote_item_close, vote_item_open
from fair.forum.organizer_views import organizer_fair
from fair.models import ForumSession, VoteItem


def _session(session_id: int) -> ForumSession:
    return get_object_or_404(
        ForumSession.objects.select_related("fair", "room", "topic"), pk=session_id
    )


@organizer_required
@require_GET
def moderate(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(session_id)
    kwargs = {"fair_slug": session.fair.slug, "session_id": session.pk}
    return render(
        request,
        "forum/organizer/moderate.html",
        {
            "fair": session.fair,
            "session": session,
            "items": session_item_results(session=session),
            "live_url": reverse("voting:live", kwargs=kwargs),
            "projector_url": reverse("voting:projector", kwargs=kwargs),
            "poll": POLL_MILLISECONDS,
        },
    )


@organizer_required
@require_POST
def item_state(request: HttpRequest, item_id: int, action: str) -> HttpResponse:
    item = get_object_or_404(VoteItem.objects.select_related("session"), pk=item_id)
    try:
        if action == "open":
            vote_item_open(item=item)
            messages.success(request, _("Voting on “%(item)s” is open.") % {"item": item})
        elif action == "close":
            vote_item_close(item=item)
            messages.success(request, _("Voting on “%(item)s” is closed.") % {"item": item})
        else:
            return HttpResponse(status=404)
    except ForumError as exc:
        messages.error(request, str(exc))
    return redirect("forum_moderation:moderate", session_id=item.session_id)


def _csv_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@organizer_required
@require_GET
def session_results_csv(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(session_id)
    content = results_csv(
        [SessionResults(session=session, items=session_item_results(session=session))]
    )
    return _csv_response(content, f"votes-{slugify(session.code) or session.pk}.csv")


@organizer_required
@require_GET
def fair_results_csv(request: HttpRequest) -> HttpResponse:
    fair = organizer_fair(request)
    return _csv_response(
        results_csv(forum_results_for_fair(fair=fair)), f"votes-{slugify(fair.slug)}.csv"
    )
