"""Exhibitor portal: access rules, overview, profile, staff, withdrawal, invitation."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import NoReverseMatch, reverse

from badges.models import Attendee, Badge
from badges.services.issue import staff_badge_issue
from exhibitors.models import CATALOG_TEXT_MAX_LENGTH, Exhibitor, StaffMember
from exhibitors.selectors import exhibitor_for_user
from exhibitors.services.workflow import exhibitor_approve
from fair.models import Stand, Topic
from tests import factories
from tests.exhibitors.portal_fixtures import (  # noqa: F401
    audit_actions,
    empty_cache_fixture,
    free_stand_fixture,
    make_past_fair,
    make_started_fair,
    profile_data,
    submitted_fixture,
)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PORTAL_PAGES = ["portal:overview", "portal:profile", "portal:staff", "portal:withdraw"]


def _staff_urls(member: StaffMember) -> list[str]:
    return [
        reverse("portal:staff_edit", kwargs={"pk": member.pk}),
        reverse("portal:staff_remove", kwargs={"pk": member.pk}),
    ]


def _client_for(client, exhibitor: Exhibitor):
    client.force_login(factories.make_exhibitor_user(exhibitor=exhibitor))
    return client


# --------------------------------------------------------------------------- access


def test_selector_returns_the_users_exhibitor(exhibitor, exhibitor_user):
    assert exhibitor_for_user(user=exhibitor_user) == exhibitor


def test_selector_returns_none_without_account(organizer):
    from django.contrib.auth.models import AnonymousUser

    assert exhibitor_for_user(user=organizer) is None
    assert exhibitor_for_user(user=AnonymousUser()) is None


@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_anonymous_visitors_are_sent_to_the_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_visitors_cannot_open_staff_pages(client, exhibitor):
    member = factories.make_staff_member(exhibitor=exhibitor)
    for url in _staff_urls(member):
        assert client.get(url).status_code == 302
        assert client.post(url).status_code == 302
    assert StaffMember.objects.filter(pk=member.pk).exists()


@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_user_without_exhibitor_account_gets_403(organizer_client, name):
    response = organizer_client.get(reverse(name), **EN)
    assert response.status_code == 403
    assert b"does not belong to an exhibitor" in response.content


# --------------------------------------------------------------------------- overview


def test_overview_shows_state_stand_hall_dates_and_staff(exhibitor_client, exhibitor):
    factories.make_staff_member(exhibitor=exhibitor)
    response = exhibitor_client.get(reverse("portal:overview"), **EN)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-state="approved"' in text
    assert exhibitor.stand.number in text
    assert exhibitor.area.hall.name in text
    assert exhibitor.area.name in text
    assert f"{exhibitor.fair.starts_on.year}" in text
    assert "1 of 5 staff badges in use" in text
    assert reverse("portal:withdraw") in text


def test_overview_dates_are_in_the_fairs_time_zone(exhibitor_client, exhibitor):
    response = exhibitor_client.get(reverse("portal:overview"), **EN)
    assert response.context["fair"].time_zone == "Europe/Berlin"


def test_overview_of_a_submitted_registration_has_no_stand(client, area):
    exhibitor = factories.make_exhibitor(area=area)
    response = _client_for(client, exhibitor).get(reverse("portal:overview"), **EN)
    assert b"No stand is assigned yet" in response.content
    assert b'data-state="submitted"' in response.content


def test_portal_navigation_only_links_pages_that_exist(exhibitor_client):
    response = exhibitor_client.get(reverse("portal:overview"), **EN)
    items = response.context["portal_nav"]
    keys = [item["key"] for item in items]
    assert keys[:3] == ["overview", "profile", "staff"]
    for name, key in (("devices:list", "devices"), ("leads:list", "leads")):
        try:
            url = reverse(name)
        except NoReverseMatch:
            assert key not in keys
        else:
            assert key in keys and url in response.content.decode()


def test_user_of_one_exhibitor_never_sees_another_exhibitors_data(
    exhibitor_client, exhibitor, other_exhibitor
):
    other_member = factories.make_staff_member(
        exhibitor=other_exhibitor, first_name="Zacharias", last_name="Fremdling"
    )
    for name in PORTAL_PAGES:
        text = exhibitor_client.get(reverse(name), **EN).content.decode()
        assert other_exhibitor.company_name not in text
        assert other_exhibitor.stand.number not in text
        assert other_member.last_name not in text
        assert other_member.email not in text


# --------------------------------------------------------------------------- profile


def test_profile_update_saves_through_the_service(exhibitor_client, exhibitor):
    topics = list(Topic.objects.filter(area=exhibitor.area)[:2])
    data = profile_data(
        exhibitor,
        company_name="Neuer Name GmbH",
        catalog_text="Sensoren für smarte Parkplätze.",
        website="https://neu.example",
    )
    data["topics"] = [t.pk for t in topics]
    response = exhibitor_client.post(reverse("portal:profile"), data, **EN)
    assert response.status_code == 302
    exhibitor.refresh_from_db()
    assert exhibitor.company_name == "Neuer Name GmbH"
    assert exhibitor.catalog_text == "Sensoren für smarte Parkplätze."
    assert set(exhibitor.topics.all()) == set(topics)
    entry = exhibitor.audit_entries.get(action="profile_update")
    assert "company name" in entry.note.lower() or "firmenname" in entry.note.lower()


def test_company_rename_reaches_the_staff_badge_records(exhibitor_client, exhibitor):
    member = factories.make_staff_member(exhibitor=exhibitor)
    staff_badge_issue(staff_member=member)
    exhibitor_client.post(
        reverse("portal:profile"), profile_data(exhibitor, company_name="Umbenannt AG")
    )
    assert Attendee.objects.get(staff_member=member).company == "Umbenannt AG"


def test_catalog_entry_longer_than_600_characters_is_refused(exhibitor_client, exhibitor):
    data = profile_data(exhibitor, catalog_text="x" * (CATALOG_TEXT_MAX_LENGTH + 1))
    response = exhibitor_client.post(reverse("portal:profile"), data, **EN)
    assert response.status_code == 200
    assert response.context["form"].errors["catalog_text"]
    exhibitor.refresh_from_db()
    assert exhibitor.catalog_text == ""


def test_catalog_entry_of_exactly_600_characters_is_accepted(exhibitor_client, exhibitor):
    data = profile_data(exhibitor, catalog_text="x" * CATALOG_TEXT_MAX_LENGTH)
    assert exhibitor_client.post(reverse("portal:profile"), data).status_code == 302
    exhibitor.refresh_from_db()
    assert len(exhibitor.catalog_text) == CATALOG_TEXT_MAX_LENGTH


def test_topic_of_another_area_is_refused(exhibitor_client, exhibitor):
    foreign = factories.make_area()
    topic = Topic.objects.filter(area=foreign).first()
    data = profile_data(exhibitor)
    data["topics"] = [topic.pk]
    response = exhibitor_client.post(reverse("portal:profile"), data, **EN)
    assert response.status_code == 200
    assert response.context["form"].errors["topics"]
    assert not exhibitor.topics.exists()


def test_profile_form_cannot_change_vat_id_or_contact_email(exhibitor_client, exhibitor):
    data = profile_data(exhibitor, vat_id="DE999999999", contact_email="evil@example.org")
    exhibitor_client.post(reverse("portal:profile"), data)
    exhibitor.refresh_from_db()
    assert exhibitor.vat_id != "DE999999999"
    assert exhibitor.contact_email != "evil@example.org"


def test_profile_is_read_only_once_the_fair_has_started(client, db):
    area = factories.make_area(fair=make_started_fair())
    exhibitor = factories.make_approved_exhibitor(area=area)
    client = _client_for(client, exhibitor)
    page = client.get(reverse("portal:profile"), **EN)
    assert b"The fair has started" in page.content
    assert all(field.disabled for field in page.context["form"].fields.values())
    response = client.post(
        reverse("portal:profile"), profile_data(exhibitor, company_name="Zu spät"), **EN
    )
    assert response.status_code == 302
    exhibitor.refresh_from_db()
    assert exhibitor.company_name != "Zu spät"
    assert not exhibitor.audit_entries.filter(action="profile_update").exists()


def test_profile_of_a_withdrawn_registration_is_read_only(client, area):
    exhibitor = factories.make_exhibitor(area=area, state=Exhibitor.State.WITHDRAWN)
    client = _client_for(client, exhibitor)
    client.post(reverse("portal:profile"), profile_data(exhibitor, company_name="Doch"))
    exhibitor.refresh_from_db()
    assert exhibitor.company_name != "Doch"


# --------------------------------------------------------------------------- staff


def _staff_post(client, **overrides):
    data = {
        "first_name": "Jana",
        "last_name": "Jäger",
        "email": "jana.jaeger@testwerk.example",
        "role": StaffMember.Role.SALES,
    }
    data.update(overrides)
    return client.post(reverse("portal:staff"), data, **EN)


def test_adding_a_staff_member_issues_the_staff_badge(exhibitor_client, exhibitor):
    response = _staff_post(exhibitor_client, email="Jana.Jaeger@Testwerk.example")
    assert response.status_code == 302
    member = exhibitor.staff.get()
    assert member.email == "jana.jaeger@testwerk.example"
    badge = Badge.objects.get(attendee__staff_member=member)
    assert badge.state == Badge.State.ACTIVE
    assert badge.attendee.category == Attendee.Category.EXHIBITOR_STAFF
    assert "staff_add" in audit_actions(exhibitor)


def test_staff_limit_is_enforced_with_a_clear_message(exhibitor_client, exhibitor):
    for _ in range(exhibitor.staff_quota):
        factories.make_staff_member(exhibitor=exhibitor)
    page = exhibitor_client.get(reverse("portal:staff"), **EN)
    assert b"All 5 staff badges of your stand are in use" in page.content
    assert b"5 of 5 staff badges in use" in page.content
    response = _staff_post(exhibitor_client, email="six@testwerk.example")
    assert response.status_code == 302
    assert exhibitor.staff.count() == 5
    follow = exhibitor_client.get(response["Location"], **EN)
    assert b"All 5 staff badges" in follow.content


def test_the_last_badge_of_the_quota_can_be_used(exhibitor_client, exhibitor):
    for _ in range(exhibitor.staff_quota - 1):
        factories.make_staff_member(exhibitor=exhibitor)
    assert _staff_post(exhibitor_client).status_code == 302
    assert exhibitor.staff.count() == exhibitor.staff_quota


def test_duplicate_staff_email_is_refused(exhibitor_client, exhibitor):
    factories.make_staff_member(exhibitor=exhibitor, email="jana.jaeger@testwerk.example")
    response = _staff_post(exhibitor_client, email="JANA.jaeger@testwerk.example")
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert exhibitor.staff.count() == 1


def test_staff_cannot_be_added_before_approval(client, area):
    exhibitor = factories.make_exhibitor(area=area, staff_quota=5)
    client = _client_for(client, exhibitor)
    page = client.get(reverse("portal:staff"), **EN)
    assert b"once your registration is approved" in page.content
    _staff_post(client)
    assert not exhibitor.staff.exists()


def test_staff_list_is_closed_after_the_fair(client, db):
    area = factories.make_area(fair=make_past_fair())
    exhibitor = factories.make_approved_exhibitor(area=area)
    member = factories.make_staff_member(exhibitor=exhibitor)
    client = _client_for(client, exhibitor)
    _staff_post(client)
    client.post(reverse("portal:staff_remove", kwargs={"pk": member.pk}))
    assert list(exhibitor.staff.all()) == [member]


def test_staff_can_still_be_added_during_the_fair(client, db):
    area = factories.make_area(fair=make_started_fair())
    exhibitor = factories.make_approved_exhibitor(area=area)
    assert _staff_post(_client_for(client, exhibitor)).status_code == 302
    assert exhibitor.staff.count() == 1


def test_editing_a_staff_member_updates_the_badge_record(exhibitor_client, exhibitor):
    member = factories.make_staff_member(exhibitor=exhibitor)
    badge = staff_badge_issue(staff_member=member)
    url = reverse("portal:staff_edit", kwargs={"pk": member.pk})
    assert exhibitor_client.get(url).status_code == 200
    response = exhibitor_client.post(
        url,
        {"first_name": "Kai", "last_name": "Neu", "email": member.email, "role": "technical"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    badge.refresh_from_db()
    assert (member.first_name, member.last_name, member.role) == ("Kai", "Neu", "technical")
    assert badge.attendee.last_name == "Neu"
    assert badge.state == Badge.State.ACTIVE


def test_editing_to_the_email_of_a_colleague_is_refused(exhibitor_client, exhibitor):
    first = factories.make_staff_member(exhibitor=exhibitor)
    second = factories.make_staff_member(exhibitor=exhibitor)
    response = exhibitor_client.post(
        reverse("portal:staff_edit", kwargs={"pk": second.pk}),
        {"first_name": "A", "last_name": "B", "email": first.email, "role": "sales"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]


def test_removing_a_staff_member_revokes_the_badge(exhibitor_client, exhibitor):
    member = factories.make_staff_member(exhibitor=exhibitor)
    badge = staff_badge_issue(staff_member=member)
    url = reverse("portal:staff_remove", kwargs={"pk": member.pk})
    assert exhibitor_client.get(url).status_code == 200
    assert exhibitor.staff.filter(pk=member.pk).exists()  # GET only asks
    assert exhibitor_client.post(url).status_code == 302
    assert not StaffMember.objects.filter(pk=member.pk).exists()
    badge.refresh_from_db()
    assert badge.state == Badge.State.REVOKED
    assert "staff_remove" in audit_actions(exhibitor)


def test_removed_staff_members_attendee_keeps_leads_of_other_exhibitors(
    exhibitor_client, exhibitor
):
    member = factories.make_staff_member(exhibitor=exhibitor)
    badge = staff_badge_issue(staff_member=member)
    exhibitor_client.post(reverse("portal:staff_remove", kwargs={"pk": member.pk}))
    assert Attendee.objects.filter(pk=badge.attendee_id).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_ids_of_another_exhibitor_give_404(exhibitor_client, other_exhibitor, method):
    member = factories.make_staff_member(exhibitor=other_exhibitor)
    staff_badge_issue(staff_member=member)
    data = {"first_name": "Hijack", "last_name": "X", "email": "x@example.org", "role": "sales"}
    for url in _staff_urls(member):
        response = getattr(exhibitor_client, method)(url, data if method == "post" else None)
        assert response.status_code == 404
    member.refresh_from_db()
    assert member.first_name != "Hijack"
    assert Badge.objects.get(attendee__staff_member=member).state == Badge.State.ACTIVE


def test_unknown_staff_ids_give_404(exhibitor_client):
    assert (
        exhibitor_client.get(reverse("portal:staff_edit", kwargs={"pk": 999999})).status_code == 404
    )


def test_staff_page_query_count_does_not_grow_with_the_list(
    exhibitor_client, exhibitor, django_assert_num_queries
):
    exhibitor.staff_quota = 40
    exhibitor.save()
    for _ in range(3):
        staff_badge_issue(staff_member=factories.make_staff_member(exhibitor=exhibitor))
    url = reverse("portal:staff")
    # session, user, exhibitor (+fair, area, hall, stand), staff with attendees, active badges
    with django_assert_num_queries(5):
        assert exhibitor_client.get(url).status_code == 200
    for _ in range(10):
        staff_badge_issue(staff_member=factories.make_staff_member(exhibitor=exhibitor))
    with django_assert_num_queries(5):
        response = exhibitor_client.get(url)
    assert len(response.context["members"]) == 13


# --------------------------------------------------------------------------- withdraw


def test_withdraw_asks_for_confirmation(exhibitor_client, exhibitor):
    page = exhibitor_client.get(reverse("portal:withdraw"), **EN)
    assert page.status_code == 200
    assert exhibitor.stand.number.encode() in page.content
    response = exhibitor_client.post(reverse("portal:withdraw"), {"reason": "no budget"}, **EN)
    assert response.status_code == 200
    assert response.context["form"].errors["confirm"]
    exhibitor.refresh_from_db()
    assert exhibitor.state == Exhibitor.State.APPROVED


def test_withdraw_with_confirmation_frees_the_stand(
    exhibitor_client, exhibitor, exhibitor_user, django_capture_on_commit_callbacks
):
    stand = exhibitor.stand
    with django_capture_on_commit_callbacks(execute=True):
        response = exhibitor_client.post(
            reverse("portal:withdraw"), {"reason": "no budget", "confirm": "on"}
        )
    assert response.status_code == 302
    exhibitor.refresh_from_db()
    stand.refresh_from_db()
    assert exhibitor.state == Exhibitor.State.WITHDRAWN
    assert stand.state == Stand.State.FREE
    entry = exhibitor.audit_entries.get(action="withdraw")
    assert (entry.actor, entry.note) == (exhibitor_user, "no budget")
    assert mail.outbox[0].to == [exhibitor.contact_email]


def test_withdraw_after_the_fair_started_is_refused(client, db):
    area = factories.make_area(fair=make_started_fair())
    exhibitor = factories.make_approved_exhibitor(area=area)
    client = _client_for(client, exhibitor)
    page = client.get(reverse("portal:withdraw"), **EN)
    assert b"cannot withdraw any more" in page.content
    client.post(reverse("portal:withdraw"), {"confirm": "on"})
    exhibitor.refresh_from_db()
    assert exhibitor.state == Exhibitor.State.APPROVED


def test_withdraw_twice_is_refused(client, area):
    exhibitor = factories.make_exhibitor(area=area, state=Exhibitor.State.WITHDRAWN)
    client = _client_for(client, exhibitor)
    response = client.post(reverse("portal:withdraw"), {"confirm": "on"}, **EN)
    assert response.status_code == 302
    assert exhibitor.audit_entries.count() == 0


# --------------------------------------------------------------------------- invitation


def _invitation_link(body: str) -> str:
    match = re.search(r"https?://\S+/exhibitor/invitation/\S+/", body)
    assert match, body
    return match.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


@pytest.fixture
def invitation_path(submitted, free_stand, organizer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        exhibitor_approve(exhibitor=submitted, actor=organizer, stand=free_stand)
    return _invitation_link(mail.outbox[-1].body)


def test_invitation_link_sets_the_password_and_logs_in(client, invitation_path, submitted):
    page = client.get(invitation_path, **EN)
    assert page.status_code == 200
    assert submitted.contact_email.encode() in page.content
    response = client.post(
        invitation_path,
        {"new_password1": "Messe-Stand-2019!", "new_password2": "Messe-Stand-2019!"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:overview")
    overview = client.get(reverse("portal:overview"))
    assert overview.status_code == 200
    assert overview.context["exhibitor"] == submitted
    user = get_user_model().objects.get(username=submitted.contact_email)
    assert user.check_password("Messe-Stand-2019!")
    assert "portal_password_set" in audit_actions(submitted)


def test_invitation_link_holds_no_personal_data(invitation_path, submitted):
    """A user number and Django's password-reset token, nothing about the person."""
    import base64

    email = submitted.contact_email
    for needle in (
        email,
        email.split("@")[0],
        base64.urlsafe_b64encode(email.encode()).decode().rstrip("="),
        submitted.contact_name.split()[0],
        submitted.company_name.split()[0],
    ):
        assert needle.lower() not in invitation_path.lower()


def test_invitation_link_works_only_once(client, invitation_path):
    client.post(
        invitation_path,
        {"new_password1": "Messe-Stand-2019!", "new_password2": "Messe-Stand-2019!"},
    )
    client.logout()
    again = client.get(invitation_path, **EN)
    assert again.status_code == 400
    assert b"no longer valid" in again.content
    response = client.post(
        invitation_path, {"new_password1": "Other-Pass-2020!", "new_password2": "Other-Pass-2020!"}
    )
    assert response.status_code == 400


def test_invitation_refuses_weak_passwords(client, invitation_path, submitted):
    response = client.post(invitation_path, {"new_password1": "1234", "new_password2": "1234"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    user = get_user_model().objects.get(username=submitted.contact_email)
    assert not user.has_usable_password()


def test_invitation_refuses_mismatched_passwords(client, invitation_path):
    response = client.post(
        invitation_path,
        {"new_password1": "Messe-Stand-2019!", "new_password2": "Messe-Stand-2020!"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_expired_invitation_link_is_refused(client, invitation_path, monkeypatch, settings):
    later = datetime.datetime.now() + datetime.timedelta(
        seconds=settings.PASSWORD_RESET_TIMEOUT + 60
    )
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    assert client.get(invitation_path).status_code == 400


@pytest.mark.parametrize(
    "token", ["garbage", "MQ.abc-def", ".", "Zm9v.1-2", "%%%.x", "MTIzNDU2Nzg5MDEyMw.abc-1"]
)
def test_forged_invitation_tokens_are_refused(client, db, token):
    assert client.get(reverse("portal:invitation", kwargs={"token": token})).status_code == 400


def test_invitation_of_a_user_without_exhibitor_account_is_refused(client, organizer):
    from exhibitors.invitations import invitation_token_make

    token = invitation_token_make(user=organizer)
    assert client.get(reverse("portal:invitation", kwargs={"token": token})).status_code == 400


def test_access_request_mails_a_new_link_to_approved_exhibitors(
    client, exhibitor, exhibitor_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:access"), {"email": exhibitor.contact_email.upper()}, **EN
        )
    assert response.status_code == 200
    (message,) = mail.outbox
    assert message.to == [exhibitor.contact_email]
    path = _invitation_link(message.body)
    assert client.get(path).status_code == 200


def test_access_request_is_served_once_per_interval(
    client, exhibitor, exhibitor_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            response = client.post(reverse("portal:access"), {"email": exhibitor.contact_email})
            assert response.status_code == 200
    assert len(mail.outbox) == 1


def test_access_request_for_unknown_email_sends_nothing_and_looks_the_same(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:access"), {"email": "nobody@example.org"}, **EN)
    assert response.status_code == 200
    assert b"Check your mail" in response.content
    assert mail.outbox == []


def test_access_request_for_a_withdrawn_exhibitor_sends_nothing(
    client, area, django_capture_on_commit_callbacks
):
    exhibitor = factories.make_exhibitor(area=area, state=Exhibitor.State.WITHDRAWN)
    factories.make_exhibitor_user(exhibitor=exhibitor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:access"), {"email": exhibitor.contact_email})
    assert mail.outbox == []


# --------------------------------------------------------------------------- logo


def _png(size=(40, 20), color=(11, 92, 173)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def _upload(name: str, content: bytes, content_type: str = "image/png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def test_logo_upload_is_stored_re_encoded_and_replaces_the_old_one(
    exhibitor_client, exhibitor, django_capture_on_commit_callbacks
):
    from PIL import Image

    data = profile_data(exhibitor)
    data["new_logo"] = _upload("firmenlogo.png", _png())
    with django_capture_on_commit_callbacks(execute=True):
        assert exhibitor_client.post(reverse("portal:profile"), data).status_code == 302
    exhibitor.refresh_from_db()
    first = exhibitor.logo.name
    assert first.endswith(".png") and "firmenlogo" not in first
    with exhibitor.logo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "PNG" and image.size == (40, 20)
    storage = exhibitor.logo.storage

    data = profile_data(exhibitor)
    data["new_logo"] = _upload("neu.png", _png(color=(200, 0, 0)))
    with django_capture_on_commit_callbacks(execute=True):
        exhibitor_client.post(reverse("portal:profile"), data)
    exhibitor.refresh_from_db()
    assert exhibitor.logo.name != first
    assert not storage.exists(first)
    assert "logo" in exhibitor.audit_entries.filter(action="profile_update").first().note.lower()


def test_fake_logo_is_refused_with_a_field_error(exhibitor_client, exhibitor):
    data = profile_data(exhibitor)
    data["new_logo"] = _upload("logo.png", b"#!/bin/sh\necho this is no image\n")
    response = exhibitor_client.post(reverse("portal:profile"), data, **EN)
    assert response.status_code == 200
    assert response.context["form"].errors["new_logo"]
    exhibitor.refresh_from_db()
    assert not exhibitor.logo


def test_logo_can_be_removed(exhibitor_client, exhibitor, django_capture_on_commit_callbacks):
    data = profile_data(exhibitor)
    data["new_logo"] = _upload("logo.png", _png())
    exhibitor_client.post(reverse("portal:profile"), data)
    exhibitor.refresh_from_db()
    name, storage = exhibitor.logo.name, exhibitor.logo.storage
    data = profile_data(exhibitor)
    data["remove_logo"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        exhibitor_client.post(reverse("portal:profile"), data)
    exhibitor.refresh_from_db()
    assert not exhibitor.logo
    assert not storage.exists(name)


def test_new_logo_file_is_deleted_when_the_update_fails(exhibitor, exhibitor_user, monkeypatch):
    from django.core.files.base import ContentFile

    from exhibitors.services import portal as portal_services

    def fail(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(portal_services, "_profile_topics_and_audit", fail)
    storage = Exhibitor._meta.get_field("logo").storage
    before = set(storage.listdir("logos")[1]) if storage.exists("logos") else set()
    with pytest.raises(RuntimeError):
        portal_services.exhibitor_profile_update(
            exhibitor=exhibitor,
            actor=exhibitor_user,
            data={},
            logo=ContentFile(_png(), name="x.png"),
        )
    after = set(storage.listdir("logos")[1]) if storage.exists("logos") else set()
    assert after == before
    exhibitor.refresh_from_db()
    assert not exhibitor.logo


def test_profile_form_matches_the_registration_form(exhibitor_client, exhibitor, area):
    """Same layout, same labels, the same 600-character counter and error summary."""
    profile = exhibitor_client.get(reverse("portal:profile"), **EN).content.decode()
    registration = exhibitor_client.get(
        reverse("exhibitors:register", kwargs={"area_id": area.pk}), **EN
    ).content.decode()
    for page in (profile, registration):
        assert 'class="reg-grid"' in page
        assert 'data-counter-for="id_catalog_text"' in page and 'data-max="600"' in page
        assert "exhibitors/register.js" in page
        assert '<label for="id_contact_name">Name</label>' in page
        assert 'class="topic-list"' in page
    response = exhibitor_client.post(
        reverse("portal:profile"),
        {"company_name": "", "street": "x", "postal_code": "1", "city": "y", "language": "de"},
        **EN,
    )
    assert 'id="error-summary"' in response.content.decode()


def test_invitation_page_keeps_its_link_to_itself(client, invitation_path):
    """same-origin, not no-referrer: Chromium then sends our Origin on the POST (CSRF)."""
    response = client.get(invitation_path)
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
