from django.contrib.auth.models import User

from exhibitors.models import Exhibitor, ExhibitorAuditEntry
from fair.audit import audit_actor_label


def exhibitor_audit(
    *,
    exhibitor: Exhibitor,
    action: str,
    actor: User | None = None,
    actor_label: str = "",
    from_state: str = "",
    to_state: str = "",
    note: str = "",
) -> ExhibitorAuditEntry:
    """Write one audit entry; call it inside the transaction of the change it records."""
    return ExhibitorAuditEntry.objects.create(
        exhibitor=exhibitor,
        action=action,
        actor=actor,
        actor_label=audit_actor_label(actor=actor, label=actor_label),
        from_state=from_state,
        to_state=to_state,
        note=note,
    )
