"""The privacy log: one entry per thing done with a person's data (never the data itself)."""

from typing import Any

from django.contrib.auth.models import User

from badges.models import Attendee, PrivacyAuditEntry
from fair.audit import audit_actor_label


def privacy_audit_record(
    *,
    action: str,
    attendee: Attendee | None = None,
    fair_id: int | None = None,
    actor: User | None = None,
    actor_label: str = "",
    details: dict[str, Any] | None = None,
) -> PrivacyAuditEntry:
    return PrivacyAuditEntry.objects.create(
        action=action,
        attendee=attendee,
        fair_id=fair_id if fair_id is not None else (attendee.fair_id if attendee else None),
        actor=actor,
        actor_label=audit_actor_label(actor=actor, label=actor_label),
        details=details or {},
    )
