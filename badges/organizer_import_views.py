"""The attendee import as a wizard in the control room, /organizer/attendees/import/:
upload → column mapping with the first rows → dry run with a result per row → import.

The reading and the import are ``badges.importer`` and ``badges.services.attendee_import``
(German Excel files included: semicolons, Windows-1252 or UTF-8 with BOM). The uploaded file
stays on the server between the steps (``badges.import_store``); the organizer's session holds
its random name, the fair and the mapping, and nothing of it goes into a URL. The file is
deleted after the import, on cancel, or when a new file is uploaded.

The dry run and the import go chunk by chunk (``FAIRLEAD_IMPORT_CHUNK_ROWS`` rows): their
page shows a progress bar and posts chunk after chunk to ``import_run`` (by script, or by a
button without it), so that no request runs long and no job queue is needed. A chunk's
results are stored with its work, keyed by the file and its mapping (``_upload``): a reload
goes on where the import is, a repeated post changes nothing, and the results stay on the
page until the wizard is left (a new upload or cancel deletes them, or they expire with the
file).
"""

import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from badges.forms import AttendeeImportForm
from badges.import_store import (
    import_file_delete,
    import_file_read,
    import_file_store,
    import_leftovers_expire,
)
from badges.importer import ImportFileError, csv_head, csv_parse, fields_recognized
from badges.organizer_forms import FIELD_LABELS, ImportMappingForm
from badges.organizer_selectors import import_chunks_done, import_results
from badges.services.attendee_import import (
    ImportProgress,
    ImportReport,
    ImportRowResult,
    attendee_import_chunks_delete,
    attendees_import_chunk,
)
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


def _state(
    request: HttpRequest, *, file_needed: bool = True
) -> tuple[dict[str, Any], bytes | None, Fair] | None:
    """The wizard's state with the stored file and the fair, or None (start again). After the
    import the file is gone, and only its results are left to show."""
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict):
        return None
    content = import_file_read(token=str(state.get("token", "")))
    fair_id = state.get("fair")
    fair = Fair.objects.filter(pk=fair_id).first() if isinstance(fair_id, int) else None
    if fair is None or (content is None and (file_needed or not state.get("imported"))):
        request.session.pop(SESSION_KEY, None)
        return None
    return state, content, fair


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _upload(state: dict[str, Any]) -> str:
    """The name the results of this file with this mapping are stored under: the first half
    is the file's alone (deleting a file's results by it), and neither half gives the file's
    name away."""
    return _digest(str(state["token"])) + _digest(json.dumps(state["mapping"], sort_keys=True))


def _restart(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("The uploaded file is no longer here; upload it again."))
    return redirect("organizer_attendees:import_upload")


def _forget(request: HttpRequest) -> None:
    state = request.session.pop(SESSION_KEY, None)
    if isinstance(state, dict):
        token = str(state.get("token", ""))
        import_file_delete(token=token)
        attendee_import_chunks_delete(upload_prefix=_digest(token))


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
                import_leftovers_expire()
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
    if state.get("importing"):
        return redirect("organizer_attendees:import_done")
    assert content is not None
    header, rows = csv_head(content)
    initial = state["mapping"] or fields_recognized(header)
    form = ImportMappingForm(request.POST or None, header=header, initial_fields=initial)
    if request.method == "POST" and form.is_valid():
        state["mapping"] = form.mapping()
        state.pop("file", None)  # what the file holds under the former mapping
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


def _chunk_rows() -> int:
    return max(1, settings.FAIRLEAD_IMPORT_CHUNK_ROWS)


def _file_facts(state: dict[str, Any], content: bytes) -> dict[str, Any]:
    """What the pages say about the file under its mapping (read once, kept in the session,
    so that a page of the wizard does not read the whole file again)."""
    if "file" not in state:
        parsed = csv_parse(content, mapping=state["mapping"])
        state["file"] = {
            "rows": len(parsed.rows),
            "encoding": parsed.encoding,
            "delimiter": parsed.delimiter_label,
            "unknown_columns": parsed.unknown_columns,
        }
    return state["file"]


def _progress(state: dict[str, Any], *, dry_run: bool) -> ImportProgress:
    rows = state["file"]["rows"]
    return ImportProgress(
        rows=rows,
        chunks=max(1, -(-rows // _chunk_rows())),
        done=import_chunks_done(upload=_upload(state), dry_run=dry_run),
    )


def _progress_label(progress: ImportProgress) -> str:
    return ngettext("%(done)d of %(total)d row", "%(done)d of %(total)d rows", progress.rows) % {
        "done": progress.rows_done(_chunk_rows()),
        "total": progress.rows,
    }


def _phase_state(
    request: HttpRequest, *, dry_run: bool
) -> tuple[dict[str, Any], bytes | None, Fair] | HttpResponse:
    """The wizard's state for its dry run or import, or where to go instead."""
    found = _state(request, file_needed=dry_run)
    if found is None:
        return _restart(request)
    if found[0].get("mapping") is None:
        return redirect("organizer_attendees:import_mapping")
    return found


def _phase_page(request: HttpRequest, *, dry_run: bool) -> HttpResponse:
    """The dry run's or the import's page: its progress until every chunk is done, then what
    happened to each row."""
    found = _phase_state(request, dry_run=dry_run)
    if isinstance(found, HttpResponse):
        return found
    state, content, fair = found
    if content is not None:
        try:
            _file_facts(state, content)
        except ImportFileError as exc:
            messages.error(request, str(exc))
            return redirect("organizer_attendees:import_mapping")
        request.session[SESSION_KEY] = state
    if not dry_run and not state.get("importing"):
        return redirect("organizer_attendees:import_check")
    progress = _progress(state, dry_run=dry_run)
    context: dict[str, Any] = {"fair": fair, "state": state, "step": 3 if dry_run else 4}
    if not progress.finished:
        return render(
            request,
            "badges/organizer/import_progress.html",
            {
                **context,
                "dry_run": dry_run,
                "progress": progress,
                "rows_done": progress.rows_done(_chunk_rows()),
                "label": _progress_label(progress),
            },
        )
    facts = state["file"]
    report = ImportReport(
        dry_run=dry_run,
        unknown_columns=facts["unknown_columns"],
        rows=[
            ImportRowResult(**row) for row in import_results(upload=_upload(state), dry_run=dry_run)
        ],
        encoding=facts["encoding"],
        delimiter=facts["delimiter"],
    )
    context.update(_report_context(report))
    if dry_run:
        return render(request, "badges/organizer/import_check.html", context)
    return render(request, "badges/organizer/import_done.html", context)


@organizer_required
def import_check(request: HttpRequest) -> HttpResponse:
    """The dry run (everything is done and rolled back), chunk by chunk, then its results."""
    return _phase_page(request, dry_run=True)


@organizer_required
def import_done(request: HttpRequest) -> HttpResponse:
    """The import, chunk by chunk, then its results."""
    return _phase_page(request, dry_run=False)


@organizer_required
@require_POST
def import_run(request: HttpRequest) -> HttpResponse:
    """Do chunk ``chunk`` of the dry run (``phase=check``) or the import (``phase=import``).
    A chunk already done, or not the next one, is left alone; either way the answer says how
    far the phase is: JSON for the progress page's script, else a redirect to its page."""
    dry_run = request.POST.get("phase") != "import"
    page = "organizer_attendees:import_check" if dry_run else "organizer_attendees:import_done"
    found = _phase_state(request, dry_run=dry_run)
    if isinstance(found, HttpResponse):
        return found
    state, content, fair = found
    if content is None:  # imported: the file is gone, the results are there
        return _progress_answer(request, _progress(state, dry_run=False), page)
    dry_run_missing = "file" not in state or not _progress(state, dry_run=True).finished
    if not dry_run and not state.get("importing") and dry_run_missing:
        return redirect("organizer_attendees:import_check")
    chunk = request.POST.get("chunk", "")
    try:
        _file_facts(state, content)
        progress = attendees_import_chunk(
            fair=fair,
            upload=_upload(state),
            content=content,
            mapping=state["mapping"],
            dry_run=dry_run,
            number=int(chunk) if chunk.isdigit() else 0,
            size=_chunk_rows(),
        )
    except ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("organizer_attendees:import_mapping")
    if not dry_run:
        state["importing"] = True
        if progress.finished:
            import_file_delete(token=str(state["token"]))
            state["imported"] = True
    request.session[SESSION_KEY] = state
    return _progress_answer(request, progress, page)


def _progress_answer(request: HttpRequest, progress: ImportProgress, page: str) -> HttpResponse:
    if request.headers.get("Accept") == "application/json":
        return JsonResponse(
            {
                "next": progress.done,
                "finished": progress.finished,
                "rows": progress.rows,
                "done": progress.rows_done(_chunk_rows()),
                "label": _progress_label(progress),
            }
        )
    return redirect(page)


@organizer_required
@require_POST
def import_cancel(request: HttpRequest) -> HttpResponse:
    _forget(request)
    messages.info(request, _("The import was canceled and the uploaded file deleted."))
    return redirect("organizer_attendees:import_upload")
