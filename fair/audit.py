"""What the three audit logs share (the exhibitor log, the privacy log, the lead export log):
who acted, in words that stay after the account, token or device is gone.

Each log keeps its own table, because each answers its own question (what happened to this
exhibitor, to this person's data, to these leads) and is kept as long as its own rule says;
every entry is written by its app's one writer (``exhibitor_audit``, ``privacy_audit_record``,
``export_audit_record``) inside the transaction of the change it records.
"""

from django.contrib.auth.base_user import AbstractBaseUser

ACTOR_LABEL_MAX_LENGTH = 150
SYSTEM_ACTOR = "system"


def audit_actor_label(*, actor: AbstractBaseUser | None, label: str = "") -> str:
    """The "by" of an audit entry: the label given (an email address, "badge link", a
    command), else the acting user's name, else "system"."""
    text = label or (actor.get_username() if actor is not None else "") or SYSTEM_ACTOR
    return text[:ACTOR_LABEL_MAX_LENGTH]
