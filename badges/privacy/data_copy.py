"""The copy of a visitor's data (GDPR Art. 15/20), handed out on their badge page and logged.

Exhibitors' notes, ratings, tags and answers are not part of it: the exhibitor records them
for its own purposes and is the controller for them. The visitor sees which exhibitors
captured them (company, stand, first and last scan), so they know whom to ask.
"""

from typing import Any

from django.db import transaction

from badges.models import Attendee, PrivacyAuditEntry
from badges.privacy.audit import privacy_audit_record
from badges.privacy.selectors import attendee_data


@transaction.atomic
def attendee_data_download(*, attendee: Attendee) -> dict[str, Any]:
    """Everything held about the attendee (see ``attendee_data``), logged as handed out."""
    data = attendee_data(attendee=attendee)
    privacy_audit_record(
        action=PrivacyAuditEntry.Action.DATA_DOWNLOADED,
        attendee=attendee,
        actor_label="badge link",
        details={"leads": len(data["leads"]), "badges": len(data["badges"])},
    )
    return data
