"""The audit log in words, the mail preview of each decision, the VAT ID check for review."""

import pytest
from django.core import mail
from django.utils import translation

from exhibitors.audit_text import ACTION_TEXTS, audit_entry_text
from exhibitors.models import Exhibitor, ExhibitorAuditEntry
from exhibitors.services.workflow import (
    exhibitor_approve,
    exhibitor_reject,
    exhibitor_waitlist,
    exhibitor_withdraw,
    transition_mail_preview,
)
from exhibitors.vat import tax_identity_check
from tests import factories

State = Exhibitor.State


def entry(**values) -> ExhibitorAuditEntry:
    return ExhibitorAuditEntry(**{"actor_label": "orga", "action": "approve", **values})


def test_every_action_the_services_write_has_words():
    # the action codes written by exhibitors/services and exhibitors/demo.py
    written = {
        "registered", "confirmed", "confirmation_resent", "approve", "waitlist", "reject",
        "withdraw", "stand_assign", "stand_release", "staff_quota", "invite",
        "portal_password_set", "profile_update", "staff_add", "staff_update", "staff_remove",
    }  # fmt: skip
    assert written <= ACTION_TEXTS.keys()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("de", "Zugelassen von orga"), ("en", "Approved by orga")],
)
def test_an_entry_reads_in_the_readers_language(language, expected):
    with translation.override(language):
        assert audit_entry_text(entry=entry()) == expected


def test_an_unknown_action_still_reads_as_words():
    with translation.override("en"):
        changed = entry(action="future_thing", from_state="submitted", to_state="approved")
        assert audit_entry_text(entry=changed) == (
            "State changed from submitted to approved by orga"
        )
        assert audit_entry_text(entry=entry(action="future_thing")) == "Recorded by orga"
    with translation.override("de"):
        assert audit_entry_text(entry=changed) == (
            "Status von eingereicht auf zugelassen geändert von orga"
        )


def test_the_system_is_named_as_such():
    with translation.override("de"):
        text = audit_entry_text(entry=entry(action="withdraw", actor_label="system"))
    assert text == "Zurückgezogen von Fairlead (automatisch)"


def test_an_entry_title_holds_no_codes(area):
    exhibitor = factories.make_exhibitor(area=area)
    exhibitor_waitlist(exhibitor=exhibitor, actor=None)
    title = str(exhibitor.audit_entries.get())
    assert exhibitor.company_name in title
    assert "waitlist" not in title and "→" not in title


SERVICES = {
    State.APPROVED: exhibitor_approve,
    State.WAITLISTED: exhibitor_waitlist,
    State.REJECTED: exhibitor_reject,
    State.WITHDRAWN: exhibitor_withdraw,
}


@pytest.mark.parametrize("to_state", list(SERVICES))
@pytest.mark.parametrize("language", ["de", "en"])
def test_the_preview_names_the_mail_the_decision_sends(
    area, to_state, language, django_capture_on_commit_callbacks
):
    exhibitor = factories.make_exhibitor(area=area, language=language)
    stand = factories.make_stand(area=area)
    with translation.override("de" if language == "en" else "en"):  # the reader's language
        preview = transition_mail_preview(exhibitor=exhibitor, to_state=to_state, stand=stand)
    with django_capture_on_commit_callbacks(execute=True):
        SERVICES[to_state](exhibitor=exhibitor, actor=None)
    sent = mail.outbox[-1]
    assert (preview.to, preview.subject, preview.language) == (
        sent.to[0],
        sent.subject,
        language,
    )


@pytest.mark.parametrize(
    ("country", "vat_id", "tax_number", "valid", "words"),
    [
        ("DE", "DE136695976", "", True, "check digit are valid"),
        ("DE", "DE136695977", "", False, "check digit is wrong"),
        ("DE", "", "181/815/08155", True, "tax number has a valid format"),
        ("FR", "", "", False, "must give their VAT ID"),
        ("CH", "CHE-123.456.789", "", None, "not checked"),
    ],
)
def test_the_tax_identity_check_for_the_review(country, vat_id, tax_number, valid, words):
    with translation.override("en"):
        check = tax_identity_check(country=country, vat_id=vat_id, tax_number=tax_number)
    assert check.valid is valid
    assert words in check.text
