"""A print run as a download, shared by the back office and the control room: render the
badges into a temporary file, mark them printed once the file is complete, then stream it.

Badges that print otherwise than stored (a name shortened to fit) are named in a warning
message shown on the next page.
"""

import tempfile

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _

from badges.layouts import layout_get
from badges.models import Badge
from badges.print_check import print_issue_text
from badges.printing import badges_write_pdf
from badges.services.issue import badges_mark_printed


def pdf_response(
    request: HttpRequest, *, badges: QuerySet[Badge], layout_key: str, filename: str
) -> FileResponse | None:
    """The PDF of the badges as an attachment; None when there is no badge to print."""
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
