"""The exhibitors' audit log in plain words, in the reader's language.

Entries store codes (``approve``, ``submitted`` → ``approved``) so that they stay the same
whatever language the actor used; people read "Approved by orga" / "Genehmigt von orga".
The organizers' registration page and the admin's audit columns both use ``audit_entry_text``,
so an entry reads the same wherever it is shown. A code without a text of its own (a newer
action) still reads as words: the state change, or "Recorded by …".
"""

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from exhibitors.models import Exhibitor, ExhibitorAuditEntry

# action code → what happened, with the actor as %(actor)s
ACTION_TEXTS: dict[str, Promise] = {
    "registered": _("Registered by %(actor)s"),
    "confirmed": _("Email address confirmed by %(actor)s"),
    "confirmation_resent": _("Confirmation link sent again at the request of %(actor)s"),
    "approve": _("Approved by %(actor)s"),
    "waitlist": _("Put on the waiting list by %(actor)s"),
    "reject": _("Rejected by %(actor)s"),
    "withdraw": _("Withdrawn by %(actor)s"),
    "stand_assign": _("Stand assigned by %(actor)s"),
    "stand_release": _("Stand freed by %(actor)s"),
    "staff_quota": _("Staff quota changed by %(actor)s"),
    "invite": _("Portal password link sent by %(actor)s"),
    "portal_password_set": _("Portal password set by %(actor)s"),
    "profile_update": _("Company profile changed by %(actor)s"),
    "staff_add": _("Stand staff added by %(actor)s"),
    "staff_update": _("Stand staff changed by %(actor)s"),
    "staff_remove": _("Stand staff removed by %(actor)s"),
}
# exhibitor_audit's label when no person acted
SYSTEM_ACTOR = "system"


def state_label(value: str) -> str:
    """The state's name in the active language ("genehmigt"), or "–" for none."""
    if not value:
        return "–"
    try:
        return str(Exhibitor.State(value).label)
    except ValueError:
        return value


def audit_entry_text(*, entry: ExhibitorAuditEntry) -> str:
    """What happened and who did it, e.g. "Approved by orga" ("Genehmigt von orga")."""
    actor = entry.actor_label
    if not actor or actor == SYSTEM_ACTOR:
        actor = gettext("Fairlead (automatic)")
    text = ACTION_TEXTS.get(entry.action)
    if text is not None:
        return str(text) % {"actor": actor}
    if entry.to_state:
        return gettext("State changed from %(from)s to %(to)s by %(actor)s") % {
            "from": state_label(entry.from_state),
            "to": state_label(entry.to_state),
            "actor": actor,
        }
    return gettext("Recorded by %(actor)s") % {"actor": actor}
