import base64
import contextlib
import datetime

import pytest
from django.core import mail
from django.utils import timezone

from badges.consent import LEAD_SHARING_TEXT_VERSION
from badges.exceptions import BadgeRevoked, BadgeUnknown, ConfirmationInvalid
from badges.models import Attendee, Badge
from badges.selectors import (
    attendee_for_access_token,
    badge_resolve,
    badges_for_print,
    visitor_for_confirmation,
)
from badges.services.issue import (
    badge_reissue,
    badges_mark_printed,
    staff_badge_issue,
    staff_badge_revoke,
)
from badges.services.visitor_registration import (
    confirmation_token_issue,
    visitor_confirm,
    visitor_register,
)
from tests import factories


def registration_data(**overrides) -> dict:
    data = {
        "first_name": "Jürgen",
        "last_name": "Müller",
        "email": "Juergen@Example.org",
        "company": "Stadtwerke",
        "job_title": "Leiter",
        "phone": "",
        "country": "DE",
        "postal_code": "44135",
        "lead_sharing": False,
    }
    data.update(overrides)
    return data


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Call a service and run what it left for after the commit (its mails)."""

    def run(func, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(**kwargs)

    return run


@pytest.fixture
def register(commit):
    def run(fair, **overrides):
        return commit(
            visitor_register,
            fair=fair,
            data=registration_data(**overrides),
            topics=[],
            language="en",
        )

    return run


# --------------------------------------------------------------------------- badges


def test_reissued_badge_revokes_the_old_code_and_keeps_the_attendee(fair):
    old = factories.make_badge(fair=fair)

    new = badge_reissue(attendee=old.attendee)

    assert new.attendee_id == old.attendee_id
    assert new.secret != old.secret and new.short_code != old.short_code
    with pytest.raises(BadgeRevoked):
        badge_resolve(code=old.qr_content, fair=fair)
    with pytest.raises(BadgeRevoked):
        badge_resolve(code=old.short_code, fair=fair)
    assert badge_resolve(code=new.qr_content, fair=fair) == new
    assert list(old.attendee.badges.order_by("issued_at", "pk")) == [old, new]


def test_badge_of_another_fair_is_unknown(fair):
    badge = factories.make_badge(fair=factories.make_fair())
    with pytest.raises(BadgeUnknown):
        badge_resolve(code=badge.qr_content, fair=fair)


def test_staff_badge_is_issued_once_and_follows_name_changes(exhibitor):
    member = factories.make_staff_member(exhibitor=exhibitor, first_name="Sam")

    first = staff_badge_issue(staff_member=member)
    member.first_name = "Samira"
    member.save()
    again = staff_badge_issue(staff_member=member)

    assert first == again
    attendee = Attendee.objects.get(staff_member=member)
    assert attendee.first_name == "Samira"
    assert attendee.category == Attendee.Category.EXHIBITOR_STAFF
    assert attendee.exhibitor == exhibitor
    assert attendee.company == exhibitor.company_name
    assert attendee.confirmed_at is not None


def test_staff_badge_revoke_makes_the_code_scan_as_revoked(exhibitor):
    member = factories.make_staff_member(exhibitor=exhibitor)
    badge = staff_badge_issue(staff_member=member)

    staff_badge_revoke(staff_member=member)

    with pytest.raises(BadgeRevoked):
        badge_resolve(code=badge.qr_content, fair=exhibitor.fair)


def test_mark_printed_sets_printed_at_only_for_given_badges(fair):
    printed, other = factories.make_badge(fair=fair), factories.make_badge(fair=fair)

    assert badges_mark_printed(badge_ids=[printed.pk]) == 1

    printed.refresh_from_db()
    other.refresh_from_db()
    assert printed.printed_at is not None
    assert other.printed_at is None


def test_print_selection_sorts_by_name_and_staff_by_stand(area, fair):
    factories.make_badge(fair=fair, first_name="A", last_name="Zander")
    factories.make_badge(fair=fair, first_name="B", last_name="Adler")
    late_stand = factories.make_approved_exhibitor(
        area=area, stand=factories.make_stand(area=area, number="9.Z99")
    )
    early_stand = factories.make_approved_exhibitor(
        area=area, stand=factories.make_stand(area=area, number="1.A01")
    )
    staff_badge_issue(
        staff_member=factories.make_staff_member(exhibitor=late_stand, last_name="Aal")
    )
    staff_badge_issue(
        staff_member=factories.make_staff_member(exhibitor=early_stand, last_name="Zorn")
    )

    visitors = badges_for_print(fair=fair, categories=[Attendee.Category.VISITOR])
    staff = badges_for_print(fair=fair, categories=[Attendee.Category.EXHIBITOR_STAFF])

    assert [b.attendee.last_name for b in visitors] == ["Adler", "Zander"]
    assert [b.attendee.last_name for b in staff] == ["Zorn", "Aal"]


# --------------------------------------------------------------------------- visitors


def test_registration_creates_unconfirmed_visitor_and_mails_confirmation(fair, register):
    result = register(fair, lead_sharing=True)

    attendee = result.attendee
    assert result.outcome == "created"
    assert attendee.email == "juergen@example.org"
    assert attendee.confirmed_at is None
    assert not attendee.badges.exists()
    assert attendee.lead_sharing is True
    assert attendee.lead_sharing_text_version == LEAD_SHARING_TEXT_VERSION
    assert attendee.lead_sharing_at is not None
    assert len(mail.outbox) == 1
    assert "/register/confirm/" in mail.outbox[0].body


def test_declined_consent_is_recorded_with_time_and_version(fair, register):
    attendee = register(fair, lead_sharing=False).attendee
    assert attendee.lead_sharing is False
    assert attendee.lead_sharing_at is not None
    assert attendee.lead_sharing_text_version == LEAD_SHARING_TEXT_VERSION


def test_confirmation_issues_badge_and_mails_secret_link(fair, register, commit):
    attendee = register(fair).attendee
    mail.outbox.clear()

    token = commit(visitor_confirm, attendee=attendee)

    attendee.refresh_from_db()
    assert attendee.confirmed_at is not None
    assert attendee.badges.filter(state=Badge.State.ACTIVE).count() == 1
    assert token not in (attendee.access_token_hash or "")
    assert attendee_for_access_token(token=token) == attendee
    assert len(mail.outbox) == 1
    assert f"/badge/{token}/" in mail.outbox[0].body


def test_registering_again_after_confirming_resends_the_badge_not_a_second_attendee(
    fair, register, commit
):
    attendee = register(fair).attendee
    first_token = commit(visitor_confirm, attendee=attendee)
    Attendee.objects.filter(pk=attendee.pk).update(
        mail_sent_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    mail.outbox.clear()

    result = register(fair, email="JUERGEN@example.org", first_name="Somebody")

    assert result.outcome == "resent"
    assert Attendee.objects.filter(fair=fair).count() == 1
    assert attendee.badges.count() == 1
    assert len(mail.outbox) == 1
    new_token = mail.outbox[0].body.split("/badge/")[1].split("/")[0]
    assert attendee_for_access_token(token=new_token) == attendee
    assert attendee_for_access_token(token=first_token) is None
    attendee.refresh_from_db()
    assert attendee.first_name == "Jürgen"  # a repeat cannot change confirmed data


def test_repeated_registration_within_a_minute_sends_no_second_mail(fair, register):
    register(fair)
    result = register(fair)

    assert result.outcome == "throttled"
    assert len(mail.outbox) == 1


def test_unconfirmed_repeat_updates_data_and_mails_a_new_confirmation(fair, register):
    attendee = register(fair).attendee
    Attendee.objects.filter(pk=attendee.pk).update(
        mail_sent_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    result = register(fair, company="Neue Firma")

    assert result.outcome == "pending"
    assert result.attendee.pk == attendee.pk
    attendee.refresh_from_db()
    assert attendee.company == "Neue Firma"
    assert len(mail.outbox) == 2


def test_same_email_registers_separately_for_another_fair(fair, register):
    register(fair)
    register(factories.make_fair())
    assert Attendee.objects.filter(email="juergen@example.org").count() == 2


def test_confirmation_token_resolves_and_rejects_tampering(fair, register):
    attendee = register(fair).attendee
    token = confirmation_token_issue(attendee=attendee)

    assert visitor_for_confirmation(token=token) == attendee
    with pytest.raises(ConfirmationInvalid) as error:
        visitor_for_confirmation(token=token[:-2] + "xx")
    assert not error.value.expired


def test_expired_confirmation_token_is_refused(fair, settings, register):
    attendee = register(fair).attendee
    token = confirmation_token_issue(attendee=attendee)
    settings.FAIRLEAD_CONFIRMATION_MAX_AGE = -1

    with pytest.raises(ConfirmationInvalid) as error:
        visitor_for_confirmation(token=token)
    assert error.value.expired


def test_confirmation_token_holds_no_personal_data_and_only_its_digest_is_stored(fair, register):
    attendee = register(fair).attendee
    token = confirmation_token_issue(attendee=attendee)
    attendee.refresh_from_db()

    decoded = token
    for part in token.split(":"):
        with contextlib.suppress(Exception):
            decoded += base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("latin-1")
    assert "juergen" not in decoded.lower()
    assert len(token.split(":")[0]) == 32  # 24 random bytes, nothing else
    assert attendee.confirmation_token_hash not in token
    assert len(attendee.confirmation_token_hash) == 64


def test_a_newer_confirmation_link_replaces_the_older_one(fair, register):
    attendee = register(fair).attendee
    older = confirmation_token_issue(attendee=attendee)
    newer = confirmation_token_issue(attendee=attendee)

    with pytest.raises(ConfirmationInvalid):
        visitor_for_confirmation(token=older)
    assert visitor_for_confirmation(token=newer) == attendee


def test_second_confirmation_changes_nothing(fair, register, django_capture_on_commit_callbacks):
    attendee = register(fair).attendee
    with django_capture_on_commit_callbacks(execute=True):
        first = visitor_confirm(attendee=attendee)
    attendee.refresh_from_db()
    confirmed_at, link = attendee.confirmed_at, attendee.access_token_hash
    mails = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        second = visitor_confirm(attendee=attendee)

    attendee.refresh_from_db()
    assert first and second is None
    assert (attendee.confirmed_at, attendee.access_token_hash) == (confirmed_at, link)
    assert attendee_for_access_token(token=first) == attendee
    assert len(mail.outbox) == mails
    assert attendee.badges.count() == 1


def test_topics_of_another_fair_are_refused(fair, area, register):
    other_area = factories.make_area(fair=factories.make_fair())
    with pytest.raises(ValueError):
        visitor_register(
            fair=fair,
            data=registration_data(),
            topics=[other_area.topics.first()],
            language="de",
        )


def test_imported_visitor_who_registers_gets_the_existing_badge_link(fair, register):
    from badges.services.attendee_import import attendees_import

    attendees_import(
        fair=fair,
        content="Ticket-Nr,Vorname,Nachname,E-Mail\nT-5,Jürgen,Import,juergen@example.org\n".encode(),
        dry_run=False,
    )
    imported = Attendee.objects.get(external_id="T-5")
    badge = imported.badges.get()

    result = register(fair)

    assert result.outcome == "resent"
    assert result.attendee == imported
    token = mail.outbox[-1].body.split("/badge/")[1].split("/")[0]
    assert attendee_for_access_token(token=token) == imported
    assert list(imported.badges.all()) == [badge]
