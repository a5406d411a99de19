"""What the privacy notice says about session check-in at the forum, and the purposes for
which organizers may export a session's attendance list: one list, shown to visitors on the
privacy notice page and offered (and checked) by the export in ``leads``.

Check-in records who entered which forum session (name and company from the badge, time,
door device) to keep the room within its capacity and to count attendance per session.
Exhibitors never see it. The attendance list leaves the system only for one of
``EXPORT_PURPOSES``; each export is recorded in the export log. Erasing a visitor deletes
their check-ins.
"""

from django.utils.translation import gettext_lazy as _

# key → the purpose as the notice and the export form state it.
EXPORT_PURPOSES = {
    "certificate": _(
        "Certificates of attendance (e.g. for continuing professional development) for "
        "participants who ask for one"
    ),
    "safety": _(
        "A list of the people in the room for the safety officer during an evacuation or incident"
    ),
}

NOTICE_TITLE = _("Session check-in at the forum")
NOTICE_TEXT = _(
    "At the door of a forum room your badge is scanned. We record your name and company as "
    "printed on the badge, the session and the time of entry, so that a room never holds more "
    "people than it may and so that we know how many people attended each session. Exhibitors "
    "never see this. The organizers see counts per session; a session's list of names is "
    "exported only for the purposes below, and each export is logged. When you have your data "
    "erased, your check-ins are deleted too."
)
NOTICE_PURPOSES_INTRO = _("A session's attendance list is exported only for:")
