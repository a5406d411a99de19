"""Plain-text mails to exhibitors and their staff carry names as typed: no HTML escaping."""

import pytest
from django.core import mail

from badges.services.staff import staff_badge_link_send
from exhibitors.services.portal import staff_member_add
from exhibitors.services.registration import exhibitor_confirm, exhibitor_register
from exhibitors.services.workflow import (
    exhibitor_approve,
    exhibitor_assign_stand,
    exhibitor_invitation_send,
    exhibitor_reject,
    exhibitor_waitlist,
    exhibitor_withdraw,
)
from tests import factories
from tests.exhibitors.test_registration_service import data

COMPANY = "O'Brien & Söhne <Smart> GmbH"
CONTACT = "Siobhán O'Brien"
ESCAPED = ("&#x27;", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;")


def assert_unescaped(message) -> None:
    for text in (message.subject, message.body):
        assert not any(entity in text for entity in ESCAPED), text


@pytest.fixture
def names(area):
    area.fair.name = 'Elektrotechnik "Next" & Co'
    area.fair.save(update_fields=["name"])
    return area


def test_registration_mails_keep_names_as_typed(names, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        exhibitor = exhibitor_register(
            area=names, data=data(company_name=COMPANY, contact_name=CONTACT)
        )
        exhibitor_confirm(exhibitor=exhibitor)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert_unescaped(message)
    assert COMPANY in mail.outbox[0].body or CONTACT in mail.outbox[0].body


@pytest.mark.parametrize("decision", ["approve", "waitlist", "reject"])
def test_decision_mails_keep_names_as_typed(names, decision, django_capture_on_commit_callbacks):
    exhibitor = factories.make_exhibitor(area=names, company_name=COMPANY, contact_name=CONTACT)
    factories.make_stand(area=names)
    with django_capture_on_commit_callbacks(execute=True):
        {"approve": exhibitor_approve, "waitlist": exhibitor_waitlist, "reject": exhibitor_reject}[
            decision
        ](exhibitor=exhibitor, actor=None, note="Bitte Standplan „A & B“ beachten <3")
    assert mail.outbox
    for message in mail.outbox:
        assert_unescaped(message)
    assert CONTACT in mail.outbox[0].body


def test_portal_mails_keep_names_as_typed(names, django_capture_on_commit_callbacks):
    exhibitor = factories.make_approved_exhibitor(
        area=names, company_name=COMPANY, contact_name=CONTACT
    )
    other_stand = factories.make_stand(area=names)
    with django_capture_on_commit_callbacks(execute=True):
        exhibitor_invitation_send(exhibitor=exhibitor, actor=None)
        exhibitor_assign_stand(exhibitor=exhibitor, stand=other_stand, actor=None)
        member = staff_member_add(
            exhibitor=exhibitor,
            actor=None,
            first_name="Seán",
            last_name="O'Neill & Partner",
            email="sean@obrien.example",
        )
        staff_badge_link_send(staff_member=member)
        exhibitor_withdraw(exhibitor=exhibitor, actor=None)
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        assert_unescaped(message)
    staff_mail = next(m for m in mail.outbox if m.to == ["sean@obrien.example"])
    assert "Seán" in staff_mail.body and COMPANY in staff_mail.subject
