"""Revoking and reissuing a badge at the control room's desk (badges.services.badge_desk)."""

import pytest
from django.contrib.admin.models import LogEntry

from badges.codes import short_code_display
from badges.models import Badge
from badges.privacy.exceptions import AttendeeErased
from badges.services.badge_desk import badge_desk_reissue, badge_desk_revoke
from tests import factories


def test_revoke_records_who_and_which_badge_by_its_short_code(fair, organizer):
    badge = factories.make_badge(fair=fair)

    badge_desk_revoke(badge=badge, actor=organizer)

    badge.refresh_from_db()
    assert badge.state == Badge.State.REVOKED and badge.revoked_at is not None
    entry = LogEntry.objects.get()
    assert entry.user == organizer
    assert entry.object_id == str(badge.attendee_id)
    assert short_code_display(badge.short_code) in entry.change_message
    assert badge.secret not in entry.change_message


def test_revoking_a_revoked_badge_records_nothing_new(fair, organizer):
    badge = factories.make_badge(fair=fair)
    badge_desk_revoke(badge=badge, actor=organizer)
    revoked_at = Badge.objects.get(pk=badge.pk).revoked_at

    badge_desk_revoke(badge=badge, actor=organizer)

    assert LogEntry.objects.count() == 1
    assert Badge.objects.get(pk=badge.pk).revoked_at == revoked_at


def test_reissue_revokes_the_old_badge_and_records_the_new_code(fair, organizer):
    old = factories.make_badge(fair=fair)

    new = badge_desk_reissue(attendee=old.attendee, actor=organizer)

    assert Badge.objects.get(pk=old.pk).state == Badge.State.REVOKED
    assert new.state == Badge.State.ACTIVE and new.pk != old.pk
    assert short_code_display(new.short_code) in LogEntry.objects.get().change_message


def test_an_erased_person_gets_no_new_badge(fair, organizer):
    badge = factories.make_badge(fair=fair)
    badge.attendee.erased_at = badge.issued_at
    badge.attendee.save(update_fields=["erased_at"])

    with pytest.raises(AttendeeErased):
        badge_desk_reissue(attendee=badge.attendee, actor=organizer)

    assert Badge.objects.get().state == Badge.State.ACTIVE
    assert not LogEntry.objects.exists()
