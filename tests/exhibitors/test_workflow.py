"""Organizer workflow: transitions, audit, mails, stands, quota."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.formats import date_format

from badges.models import Badge
from badges.services.issue import staff_badge_issue
from exhibitors.exceptions import (
    FairAlreadyStarted,
    InvalidStaffQuota,
    NoFreeStand,
    StandNotAvailable,
    TransitionNotAllowed,
)
from exhibitors.models import Exhibitor, ExhibitorAccount
from exhibitors.services import workflow
from exhibitors.services.workflow import (
    exhibitor_approve,
    exhibitor_assign_stand,
    exhibitor_invitation_send,
    exhibitor_reject,
    exhibitor_staff_quota_set,
    exhibitor_waitlist,
    exhibitor_withdraw,
)
from fair.models import Stand
from tests import factories
from tests.exhibitors.portal_fixtures import (  # noqa: F401
    audit_actions,
    free_stand_fixture,
    make_stand_sized,
    make_started_fair,
    submitted_fixture,
)

State = Exhibitor.State
SERVICES = {
    State.APPROVED: exhibitor_approve,
    State.WAITLISTED: exhibitor_waitlist,
    State.REJECTED: exhibitor_reject,
    State.WITHDRAWN: exhibitor_withdraw,
}
ALLOWED = [
    (State.SUBMITTED, State.APPROVED),
    (State.SUBMITTED, State.WAITLISTED),
    (State.SUBMITTED, State.REJECTED),
    (State.WAITLISTED, State.APPROVED),
    (State.WAITLISTED, State.REJECTED),
    (State.UNCONFIRMED, State.WITHDRAWN),
    (State.SUBMITTED, State.WITHDRAWN),
    (State.APPROVED, State.WITHDRAWN),
    (State.WAITLISTED, State.WITHDRAWN),
]
REFUSED = [
    (from_state, to_state)
    for from_state in State.values
    for to_state in SERVICES
    if (from_state, to_state) not in ALLOWED
]


def _in_state(area, state: str) -> Exhibitor:
    if state == State.APPROVED:
        return factories.make_approved_exhibitor(area=area)
    return factories.make_exhibitor(area=area, state=state)


def _run(to_state: str, exhibitor: Exhibitor, actor, **kwargs) -> Exhibitor:
    return SERVICES[to_state](exhibitor=exhibitor, actor=actor, **kwargs)


@pytest.mark.parametrize(("from_state", "to_state"), ALLOWED)
def test_allowed_transition_changes_state_and_writes_audit_entry(
    area, organizer, from_state, to_state, django_capture_on_commit_callbacks
):
    factories.make_stand(area=area)  # a free stand for approvals
    exhibitor = _in_state(area, from_state)
    with django_capture_on_commit_callbacks(execute=True):
        result = _run(to_state, exhibitor, organizer, note="decided in the jury meeting")
    exhibitor.refresh_from_db()
    assert result.state == exhibitor.state == to_state
    entry = exhibitor.audit_entries.exclude(from_state="").get()
    assert (entry.from_state, entry.to_state) == (from_state, to_state)
    assert entry.actor == organizer
    assert entry.actor_label == organizer.username
    assert entry.note == "decided in the jury meeting"
    assert entry.at is not None
    assert [m.to for m in mail.outbox] == [[exhibitor.contact_email]]


@pytest.mark.parametrize(("from_state", "to_state"), REFUSED)
def test_refused_transition_raises_and_changes_nothing(
    area, organizer, from_state, to_state, django_capture_on_commit_callbacks
):
    factories.make_stand(area=area)
    exhibitor = _in_state(area, from_state)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(TransitionNotAllowed) as excinfo,
    ):
        _run(to_state, exhibitor, organizer)
    exhibitor.refresh_from_db()
    assert exhibitor.state == from_state
    assert not exhibitor.audit_entries.exists()
    assert mail.outbox == []
    assert excinfo.value.from_state == from_state
    assert excinfo.value.to_state == to_state
    with translation.override("en"):
        assert exhibitor.company_name in str(
            TransitionNotAllowed(exhibitor=exhibitor, to_state=to_state)
        )


def test_transition_message_names_both_states_in_english(area):
    exhibitor = factories.make_exhibitor(area=area, state=State.REJECTED)
    with translation.override("en"):
        message = str(TransitionNotAllowed(exhibitor=exhibitor, to_state=State.APPROVED))
    assert "“rejected”" in message and "“approved”" in message


def test_approval_assigns_the_stand_and_quota_from_its_size(
    submitted, free_stand, organizer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = exhibitor_approve(exhibitor=submitted, actor=organizer, stand=free_stand)
    free_stand.refresh_from_db()
    assert result.stand == free_stand
    assert free_stand.state == Stand.State.ASSIGNED
    assert result.staff_quota == 10  # 20 m²
    assert audit_actions(result) == ["approve", "stand_assign"]
    assert free_stand.number in result.audit_entries.get(action="stand_assign").note


def test_approval_with_12_5_sqm_stand_gets_quota_10(submitted, area, organizer):
    stand = make_stand_sized(area=area, width="2.5", depth="5")
    result = exhibitor_approve(exhibitor=submitted, actor=organizer, stand=stand)
    assert result.staff_quota == 10


def test_organizer_overrides_the_quota_on_approval(submitted, free_stand, organizer):
    result = exhibitor_approve(
        exhibitor=submitted, actor=organizer, stand=free_stand, staff_quota=3
    )
    assert result.staff_quota == 3


def test_quota_override_zero_is_kept(submitted, free_stand, organizer):
    result = exhibitor_approve(
        exhibitor=submitted, actor=organizer, stand=free_stand, staff_quota=0
    )
    assert result.staff_quota == 0


@pytest.mark.parametrize("quota", [-1, 32768])
def test_invalid_quota_override_is_refused(submitted, free_stand, organizer, quota):
    with pytest.raises(InvalidStaffQuota):
        exhibitor_approve(exhibitor=submitted, actor=organizer, stand=free_stand, staff_quota=quota)
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_approval_without_stand_picks_the_best_fitting_free_stand(area, organizer):
    exhibitor = factories.make_exhibitor(area=area, requested_sqm=30, preferred_stand_type="corner")
    make_stand_sized(area=area, width="3", depth="3")
    make_stand_sized(area=area, width="6", depth="5", type=Stand.Type.ROW)
    corner = make_stand_sized(area=area, width="5", depth="6", type=Stand.Type.CORNER)
    make_stand_sized(area=area, width="10", depth="10")
    result = exhibitor_approve(exhibitor=exhibitor, actor=organizer)
    assert result.stand == corner
    assert result.staff_quota == 10


def test_approval_without_free_stand_is_refused(submitted, organizer, area):
    taken = factories.make_approved_exhibitor(area=area)
    reserved = factories.make_stand(area=area, state=Stand.State.RESERVED)
    with pytest.raises(NoFreeStand):
        exhibitor_approve(exhibitor=submitted, actor=organizer)
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED
    assert taken.stand and reserved.state == Stand.State.RESERVED


def test_approval_on_a_taken_stand_is_refused(submitted, organizer, area):
    holder = factories.make_approved_exhibitor(area=area)
    with pytest.raises(StandNotAvailable) as excinfo:
        exhibitor_approve(exhibitor=submitted, actor=organizer, stand=holder.stand)
    with translation.override("en"):
        assert holder.company_name in str(excinfo.value)
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED and submitted.stand is None


def test_approval_on_a_reserved_stand_is_refused(submitted, organizer, area):
    stand = factories.make_stand(area=area, state=Stand.State.RESERVED)
    with pytest.raises(StandNotAvailable):
        exhibitor_approve(exhibitor=submitted, actor=organizer, stand=stand)


def test_approval_on_a_stand_of_another_area_is_refused(submitted, organizer, fair):
    other_area = factories.make_area(fair=fair, with_topics=False)
    stand = factories.make_stand(area=other_area)
    with pytest.raises(StandNotAvailable):
        exhibitor_approve(exhibitor=submitted, actor=organizer, stand=stand)
    stand.refresh_from_db()
    assert stand.state == Stand.State.FREE


def test_database_refuses_a_second_exhibitor_on_the_same_stand(area):
    holder = factories.make_approved_exhibitor(area=area)
    other = factories.make_exhibitor(area=area)
    with pytest.raises(IntegrityError), transaction.atomic():
        # A queryset update: no Python check runs, only the database's constraint.
        Exhibitor.objects.filter(pk=other.pk).update(state=State.APPROVED, stand=holder.stand)


def test_database_refuses_a_stand_on_an_exhibitor_that_is_not_approved(area):
    stand = factories.make_stand(area=area)
    exhibitor = factories.make_exhibitor(area=area)
    with pytest.raises(IntegrityError), transaction.atomic():
        Exhibitor.objects.filter(pk=exhibitor.pk).update(stand=stand)


def test_integrity_error_on_save_becomes_a_clear_stand_error(
    submitted, organizer, area, monkeypatch
):
    """Two organizers racing past the Python checks: the database has the last word and the
    loser gets StandNotAvailable, not a crash."""
    holder = factories.make_approved_exhibitor(area=area)
    stand = holder.stand

    def skip_checks(*, exhibitor, stand):
        return Stand.objects.get(pk=stand.pk)

    monkeypatch.setattr(workflow, "_stand_take", skip_checks)
    with pytest.raises(StandNotAvailable):
        exhibitor_approve(exhibitor=submitted, actor=organizer, stand=stand)
    submitted.refresh_from_db()
    holder.refresh_from_db()
    assert submitted.state == State.SUBMITTED
    assert holder.stand == stand
    assert not submitted.audit_entries.exists()


def test_stand_row_is_locked_for_update_during_approval(
    submitted, free_stand, organizer, django_assert_num_queries, is_postgres
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        exhibitor_approve(exhibitor=submitted, actor=organizer, stand=free_stand)
    stand_reads = [
        q["sql"] for q in queries if 'FROM "fair_stand"' in q["sql"] and "SELECT" in q["sql"]
    ]
    if is_postgres:
        assert any("FOR UPDATE" in sql for sql in stand_reads)
    else:
        assert stand_reads  # SQLite serialises writers (BEGIN IMMEDIATE) instead


@pytest.mark.parametrize("language", ["de", "en"])
def test_state_mail_is_in_the_contacts_language(
    area, organizer, language, django_capture_on_commit_callbacks
):
    stand = factories.make_stand(area=area)
    exhibitor = factories.make_exhibitor(area=area, language=language)
    with django_capture_on_commit_callbacks(execute=True):
        exhibitor_approve(exhibitor=exhibitor, actor=organizer, stand=stand)
    (message,) = mail.outbox
    with translation.override(language):
        expected_date = date_format(exhibitor.fair.starts_on, "DATE_FORMAT")
    with translation.override("de" if language == "en" else "en"):
        other_date = date_format(exhibitor.fair.starts_on, "DATE_FORMAT")
    assert expected_date in message.body
    assert other_date not in message.body
    assert exhibitor.fair.name in message.subject


def test_mail_is_sent_only_after_commit(submitted, free_stand, organizer):
    with transaction.atomic():
        exhibitor_approve(exhibitor=submitted, actor=organizer, stand=free_stand)
        assert mail.outbox == []


def test_mail_is_not_sent_when_the_transaction_rolls_back(
    submitted, free_stand, organizer, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        exhibitor_approve(exhibitor=submitted, actor=organizer, stand=free_stand)
        raise RuntimeError("roll back")
    assert callbacks == []
    assert mail.outbox == []
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_approval_mail_carries_the_note_stand_and_invitation_link(
    submitted, free_stand, organizer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        exhibitor_approve(
            exhibitor=submitted, actor=organizer, stand=free_stand, note="Welcome aboard!"
        )
    body = mail.outbox[0].body
    assert "Welcome aboard!" in body
    assert free_stand.number in body
    assert "/exhibitor/invitation/" in body
    assert submitted.contact_email in body  # the user name


def test_approval_creates_a_portal_user_with_unusable_password(submitted, free_stand, organizer):
    exhibitor_approve(exhibitor=submitted, actor=organizer, stand=free_stand)
    account = ExhibitorAccount.objects.get(exhibitor=submitted)
    assert account.user.username == submitted.contact_email
    assert account.user.email == submitted.contact_email
    assert not account.user.has_usable_password()


def test_approval_reuses_an_existing_user_of_the_contact_email(submitted, free_stand, organizer):
    user = get_user_model().objects.create_user(
        username=submitted.contact_email, email=submitted.contact_email, password="x-secret-99"
    )
    exhibitor_approve(exhibitor=submitted, actor=organizer, stand=free_stand)
    assert ExhibitorAccount.objects.get(exhibitor=submitted).user == user


def test_contact_of_two_exhibitors_gets_a_separate_user_per_exhibitor(area, organizer):
    first = factories.make_approved_exhibitor(area=area)
    user = factories.make_exhibitor_user(exhibitor=first)
    other_fair_area = factories.make_area()
    second = factories.make_exhibitor(area=other_fair_area, contact_email=first.contact_email)
    stand = factories.make_stand(area=other_fair_area)
    exhibitor_approve(exhibitor=second, actor=organizer, stand=stand)
    account = ExhibitorAccount.objects.get(exhibitor=second)
    assert account.user != user
    assert account.user.username == f"{second.pk}.{first.contact_email}"
    assert ExhibitorAccount.objects.get(user=user).exhibitor == first


def test_withdrawal_frees_the_stand_and_revokes_staff_badges(
    exhibitor, organizer, django_capture_on_commit_callbacks
):
    stand = exhibitor.stand
    member = factories.make_staff_member(exhibitor=exhibitor)
    badge = staff_badge_issue(staff_member=member)
    with django_capture_on_commit_callbacks(execute=True):
        result = exhibitor_withdraw(exhibitor=exhibitor, actor=organizer, note="budget cut")
    stand.refresh_from_db()
    badge.refresh_from_db()
    assert result.stand is None
    assert stand.state == Stand.State.FREE
    assert badge.state == Badge.State.REVOKED
    assert audit_actions(result) == ["withdraw", "stand_release"]
    assert stand.number in mail.outbox[0].body


def test_rejection_of_a_waitlisted_exhibitor_revokes_staff_badges(area, organizer):
    exhibitor = factories.make_exhibitor(area=area, state=State.WAITLISTED)
    member = factories.make_staff_member(exhibitor=exhibitor)
    badge = staff_badge_issue(staff_member=member)
    exhibitor_reject(exhibitor=exhibitor, actor=organizer)
    badge.refresh_from_db()
    assert badge.state == Badge.State.REVOKED


def test_withdrawal_after_the_fair_started_is_refused(organizer):
    area = factories.make_area(fair=make_started_fair())
    exhibitor = factories.make_approved_exhibitor(area=area)
    with pytest.raises(FairAlreadyStarted):
        exhibitor_withdraw(exhibitor=exhibitor, actor=organizer)
    exhibitor.refresh_from_db()
    assert exhibitor.state == State.APPROVED and exhibitor.stand is not None


def test_withdrawal_by_the_exhibitor_records_the_portal_user(exhibitor, exhibitor_user):
    exhibitor_withdraw(exhibitor=exhibitor, actor=exhibitor_user)
    entry = exhibitor.audit_entries.get(action="withdraw")
    assert entry.actor == exhibitor_user
    assert entry.actor_label == exhibitor.contact_email


def test_freed_stand_can_be_given_to_the_next_exhibitor(exhibitor, organizer, area):
    stand = exhibitor.stand
    exhibitor_withdraw(exhibitor=exhibitor, actor=organizer)
    nxt = factories.make_exhibitor(area=area, state=State.WAITLISTED)
    result = exhibitor_approve(exhibitor=nxt, actor=organizer, stand=stand)
    assert result.stand == stand


def test_reassigning_a_stand_frees_the_old_one_and_follows_the_new_size(
    exhibitor, organizer, area, django_capture_on_commit_callbacks
):
    old = exhibitor.stand
    new = make_stand_sized(area=area, width="10", depth="10")
    with django_capture_on_commit_callbacks(execute=True):
        result = exhibitor_assign_stand(exhibitor=exhibitor, stand=new, actor=organizer)
    old.refresh_from_db()
    new.refresh_from_db()
    assert result.stand == new
    assert old.state == Stand.State.FREE
    assert new.state == Stand.State.ASSIGNED
    assert result.staff_quota == 40
    entry = result.audit_entries.get(action="stand_assign")
    assert old.number in entry.note and new.number in entry.note
    assert new.number in mail.outbox[0].subject


def test_reassigning_to_a_taken_stand_is_refused(exhibitor, other_exhibitor, organizer):
    old = exhibitor.stand
    with pytest.raises(StandNotAvailable):
        exhibitor_assign_stand(exhibitor=exhibitor, stand=other_exhibitor.stand, actor=organizer)
    exhibitor.refresh_from_db()
    old.refresh_from_db()
    assert exhibitor.stand == old and old.state == Stand.State.ASSIGNED


def test_reassigning_the_same_stand_changes_nothing(exhibitor, organizer):
    result = exhibitor_assign_stand(exhibitor=exhibitor, stand=exhibitor.stand, actor=organizer)
    assert result.stand == exhibitor.stand
    assert not exhibitor.audit_entries.exists()


def test_assigning_a_stand_to_an_exhibitor_that_is_not_approved_is_refused(
    submitted, free_stand, organizer
):
    with pytest.raises(TransitionNotAllowed):
        exhibitor_assign_stand(exhibitor=submitted, stand=free_stand, actor=organizer)
    free_stand.refresh_from_db()
    assert free_stand.state == Stand.State.FREE


def test_staff_quota_override_is_audited(exhibitor, organizer):
    result = exhibitor_staff_quota_set(
        exhibitor=exhibitor, staff_quota=12, actor=organizer, note="sponsor"
    )
    assert result.staff_quota == 12
    note = result.audit_entries.get(action="staff_quota").note
    assert "5" in note and "12" in note and "sponsor" in note


def test_staff_quota_override_refuses_negative(exhibitor, organizer):
    with pytest.raises(InvalidStaffQuota):
        exhibitor_staff_quota_set(exhibitor=exhibitor, staff_quota=-1, actor=organizer)


def test_invitation_can_be_sent_again_for_approved_exhibitors(
    exhibitor, organizer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        account = exhibitor_invitation_send(exhibitor=exhibitor, actor=organizer)
    assert account.exhibitor == exhibitor
    assert "/exhibitor/invitation/" in mail.outbox[0].body
    assert audit_actions(exhibitor) == ["invite"]


def test_invitation_is_refused_for_exhibitors_that_are_not_approved(submitted, organizer):
    with pytest.raises(TransitionNotAllowed):
        exhibitor_invitation_send(exhibitor=submitted, actor=organizer)
    assert not ExhibitorAccount.objects.filter(exhibitor=submitted).exists()


def test_service_uses_the_current_database_state_not_a_stale_instance(
    submitted, free_stand, organizer
):
    stale = Exhibitor.objects.get(pk=submitted.pk)
    exhibitor_reject(exhibitor=submitted, actor=organizer)
    with pytest.raises(TransitionNotAllowed):
        exhibitor_approve(exhibitor=stale, actor=organizer, stand=free_stand)
    free_stand.refresh_from_db()
    assert free_stand.state == Stand.State.FREE


def test_stand_size_is_decimal(area):
    stand = make_stand_sized(area=area, width="2.5", depth="5")
    assert stand.size_sqm == Decimal("12.50")
