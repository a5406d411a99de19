"""The exhibitor's lead pages in the portal: table, detail with edit, downloads, PDF report.
(The exhibitor's API tokens are a portal page of the ``api`` app: api/portal_views.py.)

Every page works on the logged-in user's exhibitor (``portal_page``) and finds leads only
among ``leads_for_exhibitor``: another exhibitor's lead id answers 404. Contact data comes from
``lead_contact`` (pages) or ``leads.reports.lead_rows`` (files), both of which hand out only
what the visitor agreed to share.
"""

from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exhibitors.models import Exhibitor
from exhibitors.portal import PortalRequest, portal_context, portal_page
from leads import export_audit, reports
from leads.exceptions import LeadDataInvalid
from leads.exports import export_formats
from leads.lead_forms import LeadEditForm, LeadFilterForm, NoteEditForm
from leads.models import ExportAuditEntry, Lead, LeadNote, LeadNoteRevision, Scan, ScannerDevice
from leads.report_rows import AnswerOrder
from leads.selectors import lead_contact, leads_for_exhibitor, questions_for_exhibitor
from leads.services.lead_edit import (
    NoteNotYours,
    lead_note_delete,
    lead_note_edit,
    lead_note_editable,
    lead_rating_clear,
    lead_tag_remove,
)
from leads.services.lead_update import lead_update

PAGE_SIZE = 50
Response = TypeVar("Response", bound=HttpResponseBase)


def _context(exhibitor: Exhibitor, **extra: Any) -> dict[str, Any]:
    return portal_context(exhibitor, "leads", **extra)


def _filter_form(request: PortalRequest, exhibitor: Exhibitor) -> LeadFilterForm:
    devices = list(
        ScannerDevice.objects.filter(exhibitor=exhibitor)
        .order_by("label", "id")
        .values_list("id", "label")
    )
    return LeadFilterForm(
        request.GET or None,
        days=reports.fair_days(fair=exhibitor.fair),
        tags=reports.tags_in_use(leads=Lead.objects.filter(exhibitor=exhibitor)),
        devices=devices,
    )


def _filtered_leads(
    request: PortalRequest, exhibitor: Exhibitor, form: LeadFilterForm
) -> QuerySet[Lead]:
    return reports.leads_filter(
        leads=leads_for_exhibitor(exhibitor=exhibitor),
        zone=reports.fair_zone(exhibitor.fair),
        **form.filters(),
    )


def _no_store(response: Response) -> Response:
    # Personal data: never kept by shared caches or the browser's back/forward cache.
    response["Cache-Control"] = "no-store, private"
    return response


@require_GET
@portal_page
def lead_list(request: PortalRequest, exhibitor: Exhibitor) -> HttpResponse:
    exhibitor = Exhibitor.objects.select_related("fair", "stand").get(pk=exhibitor.pk)
    form = _filter_form(request, exhibitor)
    leads = _filtered_leads(request, exhibitor, form)
    page = Paginator(leads, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"lead": lead, "contact": lead_contact(lead=lead), "notes": list(lead.notes.all())}
        for lead in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = _context(
        exhibitor,
        form=form,
        page=page,
        rows=rows,
        query=query.urlencode(),
        formats=export_formats().values(),
        zone=reports.fair_zone(exhibitor.fair),
    )
    return _no_store(render(request, "leads/list.html", context))


def _lead_or_404(exhibitor: Exhibitor, pk: int) -> Lead:
    lead = leads_for_exhibitor(exhibitor=exhibitor).filter(pk=pk).first()
    if lead is None:
        raise Http404("no such lead")
    return lead


def _answers(exhibitor: Exhibitor, lead: Lead) -> list[dict]:
    questions = questions_for_exhibitor(exhibitor=exhibitor, include_removed=True)
    answers = []
    for key, question, answer in AnswerOrder(questions).sorted(lead.answers):
        text = reports.answer_text(answer)
        if text:
            label = question.text if question else _("Question %(id)s (deleted)") % {"id": key}
            answers.append({"question": label, "answer": text})
    return answers


@require_http_methods(["GET", "POST"])
@portal_page
def lead_detail(request: PortalRequest, exhibitor: Exhibitor, pk: int) -> HttpResponse:
    exhibitor = Exhibitor.objects.select_related("fair", "stand").get(pk=exhibitor.pk)
    lead = _lead_or_404(exhibitor, pk)
    form = LeadEditForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lead_update(
                lead=lead,
                rating=data["rating"] or None,
                tags=data["tags"] or None,
                note=data["note"] or None,
                author=request.user,
            )
        except LeadDataInvalid as error:
            form.add_errors_of(error)
        else:
            messages.success(request, _("The lead was saved."))
            return redirect("leads:detail", pk=lead.pk)
    status = 422 if request.method == "POST" else 200
    return _detail_page(request, exhibitor, lead, form=form, status=status)


@dataclass(frozen=True)
class NoteRow:
    note: LeadNote
    editable: bool  # this user may change or delete it
    history: list[LeadNoteRevision]  # its earlier texts


def _note_rows(request: PortalRequest, exhibitor: Exhibitor, lead: Lead) -> dict[str, Any]:
    """The lead's notes (each with whether this user may change it and its earlier texts)
    and the history of deleted notes."""
    revisions = list(
        LeadNoteRevision.objects.filter(lead=lead).select_related("device", "author", "revised_by")
    )
    notes = [
        NoteRow(
            note=note,
            editable=lead_note_editable(note=note, user=request.user, exhibitor=exhibitor),
            history=[revision for revision in revisions if revision.note_id == note.pk],
        )
        for note in lead.notes.select_related("device", "author")
    ]
    deleted = [revision for revision in revisions if revision.note_id is None]
    return {"notes": notes, "deleted_notes": deleted}


def _detail_page(
    request: PortalRequest,
    exhibitor: Exhibitor,
    lead: Lead,
    *,
    form: LeadEditForm,
    note_form: NoteEditForm | None = None,
    editing: LeadNote | None = None,
    status: int = 200,
) -> HttpResponse:
    scans = list(
        Scan.objects.filter(lead=lead).select_related("device").order_by("scanned_at", "id")
    )
    context = _context(
        exhibitor,
        lead=lead,
        contact=lead_contact(lead=lead),
        scans=scans,
        answers=_answers(exhibitor, lead),
        form=form,
        note_form=note_form,
        editing=editing,
        zone=reports.fair_zone(exhibitor.fair),
        **_note_rows(request, exhibitor, lead),
    )
    return _no_store(render(request, "leads/detail.html", context, status=status))


@require_POST
@portal_page
def lead_rating_clear_view(request: PortalRequest, exhibitor: Exhibitor, pk: int) -> HttpResponse:
    lead_rating_clear(lead=_lead_or_404(exhibitor, pk))
    messages.success(request, _("The rating was cleared."))
    return redirect("leads:detail", pk=pk)


@require_POST
@portal_page
def lead_tag_remove_view(request: PortalRequest, exhibitor: Exhibitor, pk: int) -> HttpResponse:
    tag = request.POST.get("tag", "")
    lead_tag_remove(lead=_lead_or_404(exhibitor, pk), tag=tag)
    messages.success(request, _("The tag “%(tag)s” was removed.") % {"tag": tag})
    return redirect("leads:detail", pk=pk)


def _note_or_404(lead: Lead, note_pk: int) -> LeadNote:
    note = LeadNote.objects.filter(lead=lead, pk=note_pk).select_related("device").first()
    if note is None:
        raise Http404("no such note")
    return note


@require_http_methods(["GET", "POST"])
@portal_page
def lead_note_edit_view(
    request: PortalRequest, exhibitor: Exhibitor, pk: int, note_pk: int
) -> HttpResponse:
    lead = _lead_or_404(exhibitor, pk)
    note = _note_or_404(lead, note_pk)
    if not lead_note_editable(note=note, user=request.user, exhibitor=exhibitor):
        raise PermissionDenied(str(NoteNotYours()))
    note_form = NoteEditForm(request.POST or None, initial={"text": note.text})
    if request.method == "POST" and note_form.is_valid():
        try:
            lead_note_edit(
                note=note,
                text=note_form.cleaned_data["text"],
                user=request.user,
                exhibitor=exhibitor,
            )
        except LeadDataInvalid as error:
            note_form.add_errors_of(error)
        else:
            messages.success(request, _("The note was changed; its earlier text is kept."))
            return redirect(f"{reverse('leads:detail', kwargs={'pk': pk})}#note-{note.pk}")
    return _detail_page(
        request,
        exhibitor,
        lead,
        form=LeadEditForm(),
        note_form=note_form,
        editing=note,
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@portal_page
def lead_note_delete_view(
    request: PortalRequest, exhibitor: Exhibitor, pk: int, note_pk: int
) -> HttpResponse:
    lead = _lead_or_404(exhibitor, pk)
    note = _note_or_404(lead, note_pk)
    try:
        lead_note_delete(note=note, user=request.user, exhibitor=exhibitor)
    except NoteNotYours as error:
        raise PermissionDenied(str(error)) from error
    messages.success(request, _("The note was deleted; its text is kept in the note history."))
    return redirect("leads:detail", pk=pk)


@require_GET
@portal_page
def lead_export(request: PortalRequest, exhibitor: Exhibitor, fmt: str) -> StreamingHttpResponse:
    """The exhibitor's leads (with the table's current filters) as a streamed file; the lead
    export log gets an entry with the rows sent when the stream ends."""
    if fmt not in export_formats():
        raise Http404("unknown format")
    exhibitor = Exhibitor.objects.select_related("fair").get(pk=exhibitor.pk)
    form = _filter_form(request, exhibitor)
    filters = form.filters()
    leads = reports.leads_filter(
        leads=reports.exhibitor_leads(exhibitor=exhibitor),
        zone=reports.fair_zone(exhibitor.fair),
        **filters,
    ).order_by("-last_scanned_at", "-id")
    counted = export_audit.exhibitor_lead_download(exhibitor=exhibitor, fmt=fmt, leads=leads)
    download = export_audit.audited_download(
        counted,
        actor=export_audit.ExportActor.for_user(request.user),
        channel=ExportAuditEntry.Channel.PORTAL,
        scope=ExportAuditEntry.Scope.EXHIBITOR_LEADS,
        fmt=fmt,
        filters=filters,
        exhibitor=exhibitor,
    )
    return download_response(download)


def download_response(download: reports.Download) -> StreamingHttpResponse:
    response = StreamingHttpResponse(download.chunks, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return _no_store(response)


@require_GET
@portal_page
def lead_report_pdf(request: PortalRequest, exhibitor: Exhibitor) -> HttpResponse:
    exhibitor = Exhibitor.objects.select_related("fair", "area", "stand").get(pk=exhibitor.pk)
    pdf = reports.exhibitor_report_document(exhibitor=exhibitor)
    export_audit.export_audit_record(
        actor=export_audit.ExportActor.for_user(request.user),
        channel=ExportAuditEntry.Channel.PORTAL,
        scope=ExportAuditEntry.Scope.EXHIBITOR_REPORT,
        fmt="pdf",
        row_count=reports.exhibitor_leads(exhibitor=exhibitor).count(),
        exhibitor=exhibitor,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"lead-report-{reports._slug(exhibitor.company_name)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _no_store(response)
