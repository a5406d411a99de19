"""The organizers' registration pages in the control room: the review queue and one
registration with everything the exhibitor sent, its history in words, and a button for each
decision its state allows.

Decisions go through the exhibitor list's actions (``exhibitors.admin.actions.ACTIONS``: the
same ``check`` then ``execute`` on the workflow services), so the control room and the back
office decide alike. Each button says which mail goes out, built by the code that sends it
(``transition_mail_preview``).
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exhibitors.admin.actions import ACTIONS, ExhibitorAction, admin_user
from exhibitors.audit_text import audit_entry_text
from exhibitors.exceptions import ExhibitorError
from exhibitors.models import Exhibitor
from exhibitors.organizer_forms import SEARCH_SESSION_KEY, QueueFilterForm, queue_filter_form
from exhibitors.review_selectors import exhibitor_for_review, exhibitors_for_queue, queue_place
from exhibitors.selectors import stand_best_fit
from exhibitors.services.workflow import (
    MailPreview,
    transition_allowed,
    transition_mail_preview,
)
from exhibitors.vat import tax_identity_check
from fair.access import organizer_required
from fair.countries import country_name

State = Exhibitor.State
QUEUE_PAGE_SIZE = 50
# The decisions of the review page: action name → the state it leads to.
DECISIONS = {
    "approve": State.APPROVED,
    "waitlist": State.WAITLISTED,
    "reject": State.REJECTED,
    "withdraw": State.WITHDRAWN,
}


@dataclass(frozen=True)
class Decision:
    name: str
    label: str
    mail: MailPreview | None
    refusal: str  # why it cannot be taken now (e.g. the fair has started); "" when it can


def _query_string(query: dict[str, str]) -> str:
    return f"?{urlencode(query)}" if query else ""


@require_http_methods(["GET", "POST"])
@organizer_required
def registration_queue(request: HttpRequest) -> HttpResponse:
    """GET: the list as the URL filters it. POST: a new filter and search; the search term is
    kept in the session and the browser is sent to the list's URL without it."""
    status = 200
    if request.method == "POST":
        form = QueueFilterForm(request.POST)
        filters = form.filters()
        if not form.has_error("q"):
            if filters["search"]:
                request.session[SEARCH_SESSION_KEY] = filters["search"]
            else:
                request.session.pop(SEARCH_SESSION_KEY, None)
            return redirect(reverse("registrations:queue") + _query_string(form.query()))
        status = 400
    else:
        form = queue_filter_form(request)
    queue = exhibitors_for_queue(**form.filters())
    page = _paginate(queue, request.GET.get("page", ""))
    return render(
        request,
        "exhibitors/organizer/queue.html",
        {
            "form": form,
            "page": page,
            "query_string": _query_string(form.query()),
        },
        status=status,
    )


def _paginate(queue: Any, number: str) -> Page:
    return Paginator(queue, QUEUE_PAGE_SIZE).get_page(number[:9])


def _decisions(exhibitor: Exhibitor) -> list[Decision]:
    """The decisions the exhibitor's state allows, each with the mail it sends."""
    decisions = []
    for name, to_state in DECISIONS.items():
        if not transition_allowed(exhibitor=exhibitor, to_state=to_state):
            continue
        action = ACTIONS[name]
        try:
            action.check(exhibitor)
        except ExhibitorError as error:
            decisions.append(Decision(name, str(action.label), None, str(error)))
            continue
        stand = stand_best_fit(exhibitor=exhibitor) if name == "approve" else None
        if name == "approve" and stand is None:
            refusal = _("No free stand is left in this area; free a stand or waitlist.")
            decisions.append(Decision(name, str(action.label), None, refusal))
            continue
        mail = transition_mail_preview(exhibitor=exhibitor, to_state=to_state, stand=stand)
        decisions.append(Decision(name, str(action.label), mail, ""))
    return decisions


def _decision_form(exhibitor: Exhibitor, decisions: list[Decision], data: Any = None) -> Any:
    """One form for every button: with the stand and quota fields when approval is possible."""
    name = "approve" if any(d.name == "approve" and not d.refusal for d in decisions) else "reject"
    form_class = ACTIONS[name].form_class
    assert form_class is not None
    return form_class(data, exhibitor=exhibitor)


def _review_page(
    request: HttpRequest,
    exhibitor: Exhibitor,
    *,
    data: Any = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The review page; ``data``: a posted decision to show again with its errors."""
    filter_form = queue_filter_form(request)
    query = filter_form.query()
    place = queue_place(queue=exhibitors_for_queue(**filter_form.filters()), exhibitor=exhibitor)
    decisions = _decisions(exhibitor)
    form = _decision_form(exhibitor, decisions, data)
    if data is not None:
        form.is_valid()  # show the errors
    history = [
        {"entry": entry, "text": audit_entry_text(entry=entry)}
        for entry in exhibitor.audit_entries.all()
    ]
    query_string = _query_string(query)
    return render(
        request,
        "exhibitors/organizer/detail.html",
        {
            "exhibitor": exhibitor,
            "country": country_name(exhibitor.country),
            "invoice_country": country_name(exhibitor.invoice_country)
            if exhibitor.invoice_country
            else "",
            "tax_check": tax_identity_check(
                country=exhibitor.country, vat_id=exhibitor.vat_id, tax_number=exhibitor.tax_number
            ),
            "staff_count": exhibitor.staff.count(),
            "decisions": decisions,
            "form": form,
            "can_decide": any(not decision.refusal for decision in decisions),
            "error": error,
            "history": history,
            "place": place,
            "query_string": query_string,
            "queue_url": reverse("registrations:queue") + query_string,
            "previous_url": _detail_url(place.previous_id, query),
            "next_url": _detail_url(place.next_id, query),
            "plan_url": f"/organizer/plan/{exhibitor.area_id}/?exhibitor={exhibitor.pk}",
        },
        status=status,
    )


def _detail_url(pk: int | None, query: dict[str, str]) -> str:
    if pk is None:
        return ""
    return reverse("registrations:detail", kwargs={"exhibitor_id": pk}) + _query_string(query)


def _exhibitor(exhibitor_id: int) -> Exhibitor:
    exhibitor = exhibitor_for_review(pk=exhibitor_id)
    if exhibitor is None:
        raise Http404("no such registration")
    return exhibitor


@require_GET
@organizer_required
def registration_detail(request: HttpRequest, exhibitor_id: int) -> HttpResponse:
    return _review_page(request, _exhibitor(exhibitor_id))


@require_POST
@organizer_required
def registration_decide(request: HttpRequest, exhibitor_id: int) -> HttpResponse:
    """Take one decision (the button's ``action``) with the note, stand and quota given."""
    exhibitor = _exhibitor(exhibitor_id)
    name = request.POST.get("action", "")
    if name not in DECISIONS:
        return _review_page(
            request,
            exhibitor,
            data=request.POST,
            error=_("Choose one of the decisions."),
            status=400,
        )
    action: ExhibitorAction = ACTIONS[name]
    form_class = action.form_class
    assert form_class is not None
    form = form_class(request.POST, exhibitor=exhibitor)
    if not form.is_valid():
        return _review_page(
            request,
            exhibitor,
            data=request.POST,
            error=_("Please correct the marked fields."),
            status=400,
        )
    try:
        action.check(exhibitor)
        result = action.execute(
            exhibitor=exhibitor, actor=admin_user(request), data=form.cleaned_data
        )
    except ExhibitorError as error:
        # e.g. decided by someone else a moment ago, or the stand was just taken: the page
        # shows the state as it is now, the note stays in the form.
        return _review_page(
            request, _exhibitor(exhibitor_id), data=request.POST, error=str(error), status=409
        )
    messages.success(request, action.success(result))
    return redirect(
        reverse("registrations:detail", kwargs={"exhibitor_id": exhibitor.pk})
        + _query_string(queue_filter_form(request).query())
    )
