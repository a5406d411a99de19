"""What the attendee and badge admins do beyond editing: reissue, print runs, print checks."""

import tempfile

from django.contrib import messages
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from badges.layouts import layout_get
from badges.models import Attendee
from badges.print_check import badge_print_check, print_issue_text
from badges.printing import badges_write_pdf
from badges.render import PrintIssue
from badges.services.issue import badge_reissue, badges_mark_printed

IMPORT_SALT = "badges.admin-import"


def reissue(modeladmin, request, attendees) -> None:
    count = 0
    # An erased person gets no new badge.
    for attendee in attendees.filter(erased_at__isnull=True):
        badge_reissue(attendee=attendee)
        count += 1
    modeladmin.message_user(
        request,
        _("%(count)d badge(s) revoked and reissued. The old codes now scan as “revoked”.")
        % {"count": count},
        messages.SUCCESS,
    )


def print_issues(attendee: Attendee) -> list[PrintIssue]:
    return badge_print_check(
        first_name=attendee.first_name,
        last_name=attendee.last_name,
        company=attendee.company,
        job_title=attendee.job_title,
    )


def pdf_response(
    request: HttpRequest, *, badges, layout_key: str, filename: str
) -> HttpResponseBase | None:
    """Render the print run into a temporary file; mark the badges printed once it is
    complete; then stream the file. None when there is no badge to print. Badges that print
    otherwise than stored are named in a warning shown on the next admin page."""
    layout = layout_get(layout_key)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        result = badges_write_pdf(badges=badges, layout=layout, out=spool)
    except ValueError:
        spool.close()
        return None
    spool.flush()
    badges_mark_printed(badge_ids=result.badge_ids)
    for badge_id, name, issues in result.issues:
        messages.warning(
            request,
            _("Badge %(id)d (%(name)s) prints otherwise than stored: %(issues)s")
            % {"id": badge_id, "name": name, "issues": " ".join(map(print_issue_text, issues))},
        )
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=filename, content_type="application/pdf"
    )
