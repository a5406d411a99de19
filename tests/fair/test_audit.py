import pytest
from django.contrib.auth.models import User

from exhibitors.services.audit import exhibitor_audit
from fair.audit import ACTOR_LABEL_MAX_LENGTH, audit_actor_label


def test_the_label_given_wins_then_the_user_then_system():
    user = User(username="orga")
    assert audit_actor_label(actor=user, label="badge link") == "badge link"
    assert audit_actor_label(actor=user) == "orga"
    assert audit_actor_label(actor=None) == "system"


@pytest.mark.django_db
def test_a_longest_email_as_actor_fits_every_audit_table(exhibitor):
    email = "a" * 64 + "@" + "b" * 185 + ".example"  # 258 characters: longer than any column
    entry = exhibitor_audit(exhibitor=exhibitor, action="confirmed", actor_label=email)
    entry.refresh_from_db()
    assert entry.actor_label == email[:ACTOR_LABEL_MAX_LENGTH]
