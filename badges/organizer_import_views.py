"""The attendee import as a wizard in the control room, /organizer/attendees/import/:
upload → column mapping with the first rows → dry run with a result per row → import.

The reading and the import are ``badges.importer`` and ``badges.services.attendee_import``
(German Excel files included: semicolons, Windows-1252 or UTF-8 with BOM). The uploaded file
stays on the server between the steps (``badges.import_store``); the organizer's session holds
its random name, the fair and the mapping, and nothing of it goes into a URL. The file is
deleted after the import, on cancel, or when a new file is uploaded.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from badges.forms import AttendeeImportForm
from badges.import_store import import_file_delete, import_file_read, import_file_store
from badges.importer import ImportFileError, csv_head, fields_recognized
from badges.organizer_forms import FIELD_LABELS, ImportMappingForm
from badges.services.attendee_import import ImportReport, attendees_import
from fair.access import organizer_required
from fair.forum.organizer_views import organizer_fair
from fair.models import Fair

SESSION_KEY = "fairlead_attendee_import"
DELIMITERS = {
    "comma": gettext_lazy("comma"),
    "semicolon": gettext_lazy("semicolon"),
    "tab": gettext_lazy("tab"),
}
ROWS_SHOWN = 500


def _state(request: HttpRequest) -> tuple[dict[str, Any], bytes, Fair] | None:
    """The wizard's state with the stored file and the fair, or None (start again)."""
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict):
        return None
    content = import_file_read(token=str(state.get("token", "")))
    fair_id = state.get("fair")
    fair = Fair.objects.filter(pk=fair_id).first() if isinstance(fair_id, int) else None
    if content is None or fair is None:
        request.session.pop(SESSION_KEY, None)
        return None
    return state, content, fair


def _restart(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("The uploaded file is no longer here; upload it again."))
    return redirect("organizer_attendees:import_upload")


def _forget(request: HttpRequest) -> None:
    state = request.session.pop(SESSION_KEY, None)
    if isinstance(state, dict):
        import_file_delete(token=str(state.get("token", "")))


@organizer_required
def import_upload(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = AttendeeImportForm(request.POST, request.FILES)
        if form.is_valid():
            content = form.cleaned_data["file"].read()
            try:
                csv_head(content)
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                _forget(request)
                request.session[SESSION_KEY] = {
                    "token": import_file_store(content=content),
                    "fair": form.cleaned_data["fair"].pk,
                    "filename": form.cleaned_data["file"].name[-120:],
                    "mapping": None,
                }
                return redirect("organizer_attendees:import_mapping")
    else:
        form = AttendeeImportForm(initial={"fair": organizer_fair(request)})
    return render(request, "badges/organizer/import_upload.html", {"form": form, "step": 1})


@organizer_required
def import_mapping(request: HttpRequest) -> HttpResponse:
    found = _state(request)
    if found is None:
        return _restart(request)
    state, content, fair = found
    header, rows = csv_head(content)
    initial = state["mapping"] or fields_recognized(header)
    form = ImportMappingForm(request.POST or None, header=header, initial_fields=initial)
    if request.method == "POST" and form.is_valid():
        state["mapping"] = form.mapping()
        request.session[SESSION_KEY] = state
        return redirect("organizer_attendees:import_check")
    return render(
        request,
        "badges/organizer/import_mapping.html",
        {
            "form": form,
            "fair": fair,
            "state": state,
            "columns": [
                (form[f"col_{index}"], [row[index] for row in rows]) for index in range(len(header))
            ],
            "step": 2,
        },
    )


def _rows_shown(report: ImportReport) -> list:
    """Problems first (rejected rows, then warnings), then the others, at most ROWS_SHOWN."""
    order = {"rejected": 0}
    rows = sorted(
        report.rows, key=lambda row: (order.get(row.action, 2 if not row.warnings else 1), row.line)
    )
    return rows[:ROWS_SHOWN]


def _key_label(key: str) -> str:
    """ "external_id T-1" → "Ticket number T-1": what the row was matched on, in words."""
    field, _space, value = key.partition(" ")
    label = FIELD_LABELS.get(field)
    return f"{label} {value}" if label is not None else key


def _report_context(report: ImportReport) -> dict[str, Any]:
    return {
        "report": report,
        "counts": report.counts,
        "rows": [(row, _key_label(row.key)) for row in _rows_shown(report)],
        "rows_total": len(report.rows),
        "rows_limit": ROWS_SHOWN,
        "field_labels": FIELD_LABELS,
        "delimiter": DELIMITERS.get(report.delimiter, report.delimiter),
    }


@organizer_required
def import_check(request: HttpRequest) -> HttpResponse:
    """GET: the dry run (everything is done and rolled back). POST: the import itself."""
    found = _state(request)
    if found is None:
        return _restart(request)
    state, content, fair = found
    if state.get("mapping") is None:
        return redirect("organizer_attendees:import_mapping")
    dry_run = request.method != "POST"
    try:
        report = attendees_import(
            fair=fair, content=content, dry_run=dry_run, mapping=state["mapping"]
        )
    except ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("organizer_attendees:import_mapping")
    context = {"fair": fair, "state": state, **_report_context(report)}
    if dry_run:
        return render(request, "badges/organizer/import_check.html", {**context, "step": 3})
    _forget(request)
    messages.success(
        request,
        _(
            "Import done: %(created)d created, %(updated)d updated, "
            "%(unchanged)d unchanged, %(rejected)d rejected."
        )
        % report.counts,
    )
    return render(request, "badges/organizer/import_done.html", {**context, "step": 4})


@organizer_required
@require_POST
def import_cancel(request: HttpRequest) -> HttpResponse:
    _forget(request)
    messages.info(request, _("The import was cancelled and the uploaded file deleted."))
    return redirect("organizer_attendees:import_upload")
