"""Portal pages for scanner devices (register, pair, revoke) and qualifying questions.

Every page works on the exhibitor of the logged-in user; device and question ids are looked
up only among that exhibitor's own records, so other ids give 404.

Pairing link format: ``<site>/scan/#pair=<CODE>``. The code travels in the URL *fragment*,
which browsers never send to a server, so it appears neither in access logs nor in Referer
headers; the scanner page reads it from there (it also accepts ``?pair=``). The plain code is
kept in the exhibitor's session only while it is valid (15 minutes), so the pairing page can
be reloaded; the database holds only its SHA-256.
"""

import base64
import datetime
import io
import math
from collections.abc import Callable
from functools import partial

import qrcode
import qrcode.constants
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from exhibitors.models import Exhibitor
from exhibitors.portal import portal_nav, portal_page
from leads.device_forms import DeviceForm, QuestionForm
from leads.exceptions import DeviceLabelTaken, LeadDataInvalid, LeadsError
from leads.models import Question, ScannerDevice
from leads.selectors import (
    device_for_exhibitor,
    devices_for_exhibitor,
    pairing_code_state,
    question_for_exhibitor,
    questions_for_exhibitor,
)
from leads.services.devices import (
    PairingCodeIssued,
    device_create,
    device_pairing_code_create,
    device_revoke,
)
from leads.services.questions import (
    question_create,
    question_move,
    question_remove,
    question_update,
)
from leads.tokens import pairing_code_display

_SESSION_KEY = "leads:pairing:{pk}"


def _context(exhibitor: Exhibitor, current: str = "devices") -> dict:
    return {"exhibitor": exhibitor, "fair": exhibitor.fair, "portal_nav": portal_nav(current)}


def _device_or_404(exhibitor: Exhibitor, pk: int) -> ScannerDevice:
    device = device_for_exhibitor(exhibitor=exhibitor, pk=pk)
    if device is None:
        raise Http404
    return device


def _question_or_404(exhibitor: Exhibitor, pk: int) -> Question:
    question = question_for_exhibitor(exhibitor=exhibitor, pk=pk)
    if question is None:
        raise Http404
    return question


def pairing_link(base_url: str, code: str) -> str:
    """The link a phone opens to pair: the scanner page with the code in the fragment."""
    return f"{base_url.rstrip('/')}{reverse('scanner:page')}#pair={code}"


def qr_data_uri(data: str) -> str:
    """A PNG QR code as a data: URI (error correction M, quiet zone of 4 modules)."""
    image = qrcode.make(
        data, error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, box_size=8
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def pairing_remember(request: HttpRequest, issued: PairingCodeIssued) -> None:
    request.session[_SESSION_KEY.format(pk=issued.device.pk)] = {
        "code": issued.code,
        "expires_at": issued.expires_at.isoformat(),
    }


def pairing_forget(request: HttpRequest, device: ScannerDevice) -> None:
    request.session.pop(_SESSION_KEY.format(pk=device.pk), None)


def pairing_code_issue(request: HttpRequest, device: ScannerDevice) -> None:
    """A new pairing code for ``device`` (stand or room), kept for the page that shows it; a
    message says what went wrong or that the phone paired so far will be signed out."""
    try:
        issued = device_pairing_code_create(device=device)
    except LeadsError as error:
        messages.error(request, str(error.detail))
        return
    pairing_remember(request, issued)
    if device.paired_at is not None:
        messages.warning(
            request, _("Once the new code is used, the phone paired so far is signed out.")
        )


def pairing_remembered(
    request: HttpRequest, device: ScannerDevice
) -> tuple[str, datetime.datetime | None]:
    stored = request.session.get(_SESSION_KEY.format(pk=device.pk)) or {}
    expires_at = parse_datetime(stored.get("expires_at", "")) if stored else None
    return stored.get("code", ""), expires_at


def pairing_context(request: HttpRequest, device: ScannerDevice) -> dict:
    """``device``, the state of the code this browser remembers for it and, while the code is
    valid, what ``leads/devices/_pairing_code.html`` shows (code, link, QR, time left)."""
    code, expires_at = pairing_remembered(request, device)
    state = pairing_code_state(device=device, code=code) if code else "none"
    if state != "valid":
        pairing_forget(request, device)
    context: dict = {"device": device, "state": state}
    if state == "valid" and expires_at is not None:
        link = pairing_link(request.build_absolute_uri("/"), code)
        context.update(
            code=pairing_code_display(code),
            expires_at=expires_at,
            minutes_left=max(1, math.ceil((expires_at - timezone.now()).total_seconds() / 60)),
            link=link,
            scanner_url=request.build_absolute_uri(reverse("scanner:page")),
            qr=qr_data_uri(link),
        )
    return context


@require_http_methods(["GET", "POST"])
@portal_page
def device_list(request: HttpRequest, exhibitor: Exhibitor) -> HttpResponse:
    approved = exhibitor.state == Exhibitor.State.APPROVED
    form = DeviceForm(request.POST or None)
    if request.method == "POST":
        if not approved:
            messages.error(request, _("Only approved exhibitors can use scanner devices."))
            return redirect("devices:list")
        if form.is_valid():
            try:
                device = device_create(exhibitor=exhibitor, label=form.cleaned_data["label"])
                issued = device_pairing_code_create(device=device)
            except DeviceLabelTaken as error:
                form.add_error("label", str(error.detail))
            except LeadsError as error:
                messages.error(request, str(error.detail))
                return redirect("devices:list")
            else:
                pairing_remember(request, issued)
                messages.success(
                    request,
                    _("%(label)s is registered. Pair the phone with the code below.")
                    % {"label": device.label},
                )
                return redirect("devices:pairing", pk=device.pk)
    context = _context(exhibitor)
    context.update(
        approved=approved,
        form=form,
        devices=list(devices_for_exhibitor(exhibitor=exhibitor)),
    )
    return render(request, "leads/devices/list.html", context)


@require_http_methods(["GET", "POST"])
@portal_page
def device_pairing(request: HttpRequest, exhibitor: Exhibitor, pk: int) -> HttpResponse:
    device = _device_or_404(exhibitor, pk)
    if request.method == "POST":
        pairing_code_issue(request, device)
        return redirect("devices:pairing", pk=device.pk)

    context = _context(exhibitor)
    context.update(pairing_context(request, device))
    return render(request, "leads/devices/pairing.html", context)


@require_http_methods(["GET", "POST"])
@portal_page
def device_revoke_confirm(request: HttpRequest, exhibitor: Exhibitor, pk: int) -> HttpResponse:
    device = _device_or_404(exhibitor, pk)
    if request.method == "POST":
        device_revoke(device=device)
        pairing_forget(request, device)
        messages.success(
            request, _("%(label)s is revoked and can no longer send scans.") % {"label": device}
        )
        return redirect("devices:list")
    context = _context(exhibitor)
    context.update(device=device)
    return render(request, "leads/devices/revoke.html", context)


def _question_form_save(
    request: HttpRequest, form: QuestionForm, save: Callable[..., object], done: str
) -> HttpResponse | None:
    """A posted, valid question form handed to ``save`` (a question service with its question
    or exhibitor bound): the redirect to the list, or None to show the form (again, with the
    service's refusals as form errors)."""
    if request.method == "POST" and form.is_valid():
        try:
            save(**form.cleaned_data)
        except LeadDataInvalid as error:
            form.add_errors_of(error)
        else:
            messages.success(request, done)
            return redirect("devices:questions")
    return None


@require_http_methods(["GET", "POST"])
@portal_page
def questions(request: HttpRequest, exhibitor: Exhibitor) -> HttpResponse:
    form = QuestionForm(request.POST or None)
    saved = _question_form_save(
        request, form, partial(question_create, exhibitor=exhibitor), _("The question was added.")
    )
    if saved is not None:
        return saved
    context = _context(exhibitor)
    context.update(form=form, questions=list(questions_for_exhibitor(exhibitor=exhibitor)))
    return render(request, "leads/devices/questions.html", context)


@require_http_methods(["GET", "POST"])
@portal_page
def question_edit(request: HttpRequest, exhibitor: Exhibitor, pk: int) -> HttpResponse:
    question = _question_or_404(exhibitor, pk)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    saved = _question_form_save(
        request, form, partial(question_update, question=question), _("The question was saved.")
    )
    if saved is not None:
        return saved
    context = _context(exhibitor)
    context.update(form=form, question=question)
    return render(request, "leads/devices/question_edit.html", context)


@require_http_methods(["GET", "POST"])
@portal_page
def question_remove_confirm(request: HttpRequest, exhibitor: Exhibitor, pk: int) -> HttpResponse:
    question = _question_or_404(exhibitor, pk)
    if request.method == "POST":
        question_remove(question=question)
        messages.success(request, _("The question was removed."))
        return redirect("devices:questions")
    context = _context(exhibitor)
    context.update(question=question)
    return render(request, "leads/devices/question_remove.html", context)


@require_POST
@portal_page
def question_move_view(request: HttpRequest, exhibitor: Exhibitor, pk: int) -> HttpResponse:
    question = _question_or_404(exhibitor, pk)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is not None:
        question_move(question=question, offset=offset)
    return redirect(f"{reverse('devices:questions')}#question-{question.pk}")
