"""The organizers' back office: list pages, filters, workflow actions through services."""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse

from badges.models import Badge
from badges.services.issue import staff_badge_issue
from exhibitors.models import Exhibitor, ExhibitorAuditEntry, StaffMember
from exhibitors.services.audit import exhibitor_audit
from fair.models import Stand
from tests import factories
from tests.exhibitors.portal_fixtures import (  # noqa: F401
    free_stand_fixture,
    make_stand_sized,
    submitted_fixture,
)
from tests.forum_factories import make_session

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
CHANGELIST = "admin:exhibitors_exhibitor_changelist"
OUR_APPS = {"fair", "exhibitors"}


@pytest.fixture
def populated(area, organizer):
    """One object of every model the fair and exhibitors admins show."""
    exhibitor = factories.make_approved_exhibitor(area=area)
    exhibitor.co_exhibitors.create(name="Partner Labs", website="https://partner.example")
    member = factories.make_staff_member(exhibitor=exhibitor)
    staff_badge_issue(staff_member=member)
    factories.make_exhibitor_user(exhibitor=exhibitor)
    exhibitor_audit(exhibitor=exhibitor, action="approve", actor=organizer, to_state="approved")
    factories.make_exhibitor(area=area, state=Exhibitor.State.UNCONFIRMED)
    factories.make_stand(area=area)
    make_session(fair=area.fair)  # the forum program's room and session
    return exhibitor


def _our_models():
    return [model for model in admin.site._registry if model._meta.app_label in OUR_APPS]


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_fair_and_exhibitor_model_is_registered():
    names = {model.__name__ for model in _our_models()}
    assert {
        "Fair",
        "Hall",
        "Area",
        "Topic",
        "Stand",
        "Exhibitor",
        "StaffMember",
        "ExhibitorAuditEntry",
        "ExhibitorAccount",
    } <= names


@pytest.mark.parametrize("model", _our_models(), ids=lambda m: m.__name__)
def test_changelist_and_change_page_load(organizer_client, populated, model):
    assert organizer_client.get(_url(model, "changelist")).status_code == 200
    obj = model.objects.first()
    assert obj is not None
    assert organizer_client.get(_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", _our_models(), ids=lambda m: m.__name__)
def test_add_page_loads_where_adding_is_allowed(organizer_client, populated, model, rf):
    request = rf.get("/")
    request.user = populated.accounts.first().user.__class__.objects.get(is_superuser=True)
    expected = 200 if admin.site._registry[model].has_add_permission(request) else 403
    assert organizer_client.get(_url(model, "add")).status_code == expected


def test_exhibitor_list_search_by_vat_id_and_email(organizer_client, populated):
    other = factories.make_exhibitor(area=populated.area)
    for term in (populated.vat_id, populated.contact_email, populated.contact_name):
        response = organizer_client.get(reverse(CHANGELIST), {"q": term})
        assert list(response.context["cl"].result_list) == [populated]
    assert other not in response.context["cl"].result_list


def test_unconfirmed_registrations_are_hidden_by_default(organizer_client, area):
    unconfirmed = factories.make_exhibitor(area=area, state=Exhibitor.State.UNCONFIRMED)
    submitted = factories.make_exhibitor(area=area)
    waitlisted = factories.make_exhibitor(area=area, state=Exhibitor.State.WAITLISTED)
    rejected = factories.make_exhibitor(area=area, state=Exhibitor.State.REJECTED)

    def listed(params=None):
        response = organizer_client.get(reverse(CHANGELIST), params or {})
        return set(response.context["cl"].result_list)

    assert listed() == {submitted, waitlisted, rejected}
    assert listed({"state": "review"}) == {submitted, waitlisted}
    assert listed({"state": "unconfirmed"}) == {unconfirmed}
    assert listed({"state": "all"}) == {unconfirmed, submitted, waitlisted, rejected}


def test_exhibitor_list_filters_by_area_and_topic(organizer_client, populated, fair):
    other_area = factories.make_area(fair=fair)
    other = factories.make_exhibitor(area=other_area)
    topic = other_area.topics.first()
    other.topics.add(topic)
    response = organizer_client.get(reverse(CHANGELIST), {"area__id__exact": other_area.pk})
    assert list(response.context["cl"].result_list) == [other]
    response = organizer_client.get(reverse(CHANGELIST), {"topics__id__exact": topic.pk})
    assert list(response.context["cl"].result_list) == [other]


def test_exhibitor_list_shows_state_badge_stand_and_staff_usage(organizer_client, populated):
    text = organizer_client.get(reverse(CHANGELIST), **EN).content.decode()
    assert 'class="fl-state fl-state-approved"' in text
    assert populated.stand.number in text
    assert "1 / 5" in text


def test_exhibitor_changelist_query_count_is_constant(
    organizer_client, area, django_assert_num_queries
):
    def add_rows(count):
        for _ in range(count):
            exhibitor = factories.make_approved_exhibitor(area=area)
            factories.make_staff_member(exhibitor=exhibitor)

    add_rows(2)
    url = reverse(CHANGELIST)
    # session, user; filter choices: fairs, areas (+fair), topics (+area, fair), countries;
    # filtered count, full count, rows (+area, fair, stand, staff count); date hierarchy: 2
    with django_assert_num_queries(11):
        assert organizer_client.get(url).status_code == 200
    add_rows(8)
    factories.make_area(fair=area.fair)  # more filter choices, same queries
    with django_assert_num_queries(11):
        response = organizer_client.get(url)
    assert len(response.context["cl"].result_list) == 10


def _action(client, name, exhibitors, **data):
    payload = {"action": name, ACTION_CHECKBOX_NAME: [e.pk for e in exhibitors], **data}
    return client.post(reverse(CHANGELIST), payload, **EN)


def test_approve_action_asks_for_stand_quota_and_note_then_approves(
    organizer_client, organizer, submitted, area, django_capture_on_commit_callbacks
):
    small = make_stand_sized(area=area, width="3", depth="4")
    big = make_stand_sized(area=area, width="10", depth="10")
    page = _action(organizer_client, "approve", [submitted])
    assert page.status_code == 200
    form = page.context["form"]
    assert set(form.fields) == {"stand", "staff_quota", "note"}
    assert set(form.fields["stand"].queryset) == {small, big}
    assert form.fields["stand"].initial == small.pk  # 12 m² requested
    submitted.refresh_from_db()
    assert submitted.state == Exhibitor.State.SUBMITTED  # nothing happened yet

    with django_capture_on_commit_callbacks(execute=True):
        response = _action(
            organizer_client,
            "approve",
            [submitted],
            apply="1",
            stand=big.pk,
            staff_quota="7",
            note="Premium partner",
        )
    assert response.status_code == 302
    submitted.refresh_from_db()
    big.refresh_from_db()
    assert submitted.state == Exhibitor.State.APPROVED
    assert submitted.stand == big and big.state == Stand.State.ASSIGNED
    assert submitted.staff_quota == 7
    entry = submitted.audit_entries.get(action="approve")
    assert (entry.actor, entry.note) == (organizer, "Premium partner")
    assert mail.outbox[0].to == [submitted.contact_email]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("approved: stand" in m for m in messages)


def test_approve_action_without_quota_uses_the_size_rule(organizer_client, submitted, area):
    stand = make_stand_sized(area=area, width="10", depth="10")
    _action(organizer_client, "approve", [submitted], apply="1", stand=stand.pk, note="")
    submitted.refresh_from_db()
    assert submitted.staff_quota == 40


def test_approve_action_refuses_an_invalid_form(organizer_client, submitted, free_stand):
    response = _action(
        organizer_client, "approve", [submitted], apply="1", stand=free_stand.pk, staff_quota="-3"
    )
    assert response.status_code == 200
    assert response.context["form"].errors["staff_quota"]
    submitted.refresh_from_db()
    assert submitted.state == Exhibitor.State.SUBMITTED


def test_approve_action_refuses_a_stand_taken_meanwhile(organizer_client, submitted, area):
    holder = factories.make_approved_exhibitor(area=area)
    response = _action(organizer_client, "approve", [submitted], apply="1", stand=holder.stand.pk)
    assert response.status_code == 200  # not among the free stands: form error
    assert response.context["form"].errors["stand"]
    submitted.refresh_from_db()
    assert submitted.state == Exhibitor.State.SUBMITTED


def test_bulk_approve_reports_each_exhibitor(organizer_client, area):
    first = factories.make_exhibitor(area=area)
    second = factories.make_exhibitor(area=area)
    rejected = factories.make_exhibitor(area=area, state=Exhibitor.State.REJECTED)
    factories.make_stand(area=area)
    factories.make_stand(area=area)
    page = _action(organizer_client, "approve", [first, second, rejected])
    assert set(page.context["form"].fields) == {"note"}
    refusals = {row["exhibitor"]: row["refusal"] for row in page.context["rows"]}
    assert refusals[first] == refusals[second] == ""
    assert rejected.company_name in refusals[rejected]

    response = _action(organizer_client, "approve", [first, second, rejected], apply="1")
    assert response.status_code == 302
    for exhibitor in (first, second, rejected):
        exhibitor.refresh_from_db()
    assert first.state == second.state == Exhibitor.State.APPROVED
    assert first.stand != second.stand
    assert rejected.state == Exhibitor.State.REJECTED
    levels = {str(m): m.level_tag for m in response.wsgi_request._messages}
    assert sum(1 for level in levels.values() if level == "success") == 2
    assert any(rejected.company_name in text for text, lvl in levels.items() if lvl == "error")


def test_bulk_approve_with_too_few_stands_approves_as_many_as_fit(organizer_client, area):
    first = factories.make_exhibitor(area=area)
    second = factories.make_exhibitor(area=area)
    factories.make_stand(area=area)
    _action(organizer_client, "approve", [first, second], apply="1")
    states = sorted(
        Exhibitor.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)
    )
    assert states == [Exhibitor.State.APPROVED, Exhibitor.State.SUBMITTED]


@pytest.mark.parametrize(
    ("action", "state"),
    [("waitlist", Exhibitor.State.WAITLISTED), ("reject", Exhibitor.State.REJECTED)],
)
def test_waitlist_and_reject_actions_store_the_note(
    organizer_client, submitted, action, state, django_capture_on_commit_callbacks
):
    page = _action(organizer_client, action, [submitted])
    assert set(page.context["form"].fields) == {"note"}
    with django_capture_on_commit_callbacks(execute=True):
        _action(organizer_client, action, [submitted], apply="1", note="area is full")
    submitted.refresh_from_db()
    assert submitted.state == state
    assert submitted.audit_entries.get(to_state=state).note == "area is full"
    assert len(mail.outbox) == 1


def test_withdraw_action_frees_the_stand(organizer_client, exhibitor):
    stand = exhibitor.stand
    _action(organizer_client, "withdraw", [exhibitor], apply="1", note="phoned in")
    exhibitor.refresh_from_db()
    stand.refresh_from_db()
    assert exhibitor.state == Exhibitor.State.WITHDRAWN
    assert stand.state == Stand.State.FREE


def test_assign_stand_action_moves_the_exhibitor(organizer_client, exhibitor, area):
    old = exhibitor.stand
    new = make_stand_sized(area=area, width="6", depth="5")
    page = _action(organizer_client, "assign_stand", [exhibitor])
    assert new in page.context["form"].fields["stand"].queryset
    assert old not in page.context["form"].fields["stand"].queryset
    _action(organizer_client, "assign_stand", [exhibitor], apply="1", stand=new.pk)
    exhibitor.refresh_from_db()
    old.refresh_from_db()
    assert exhibitor.stand == new and exhibitor.staff_quota == 10
    assert old.state == Stand.State.FREE


def test_assign_stand_action_needs_a_single_selection(organizer_client, exhibitor, other_exhibitor):
    response = _action(organizer_client, "assign_stand", [exhibitor, other_exhibitor])
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("one exhibitor at a time" in m for m in messages)


def test_assign_stand_action_refuses_unapproved_exhibitors(organizer_client, submitted, free_stand):
    page = _action(organizer_client, "assign_stand", [submitted])
    assert page.context["runnable"] == 0
    _action(organizer_client, "assign_stand", [submitted], apply="1", stand=free_stand.pk)
    submitted.refresh_from_db()
    assert submitted.stand is None


def test_staff_quota_action_overrides_the_quota(organizer_client, exhibitor, other_exhibitor):
    _action(
        organizer_client,
        "set_staff_quota",
        [exhibitor, other_exhibitor],
        apply="1",
        staff_quota="9",
        note="agreed by phone",
    )
    exhibitor.refresh_from_db()
    other_exhibitor.refresh_from_db()
    assert exhibitor.staff_quota == other_exhibitor.staff_quota == 9


def test_invitation_action_mails_a_link(
    organizer_client, exhibitor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _action(organizer_client, "send_invitation", [exhibitor])
    assert response.status_code == 302
    assert "/exhibitor/invitation/" in mail.outbox[0].body


def test_change_form_cannot_change_state_stand_or_quota(organizer_client, submitted, free_stand):
    url = reverse("admin:exhibitors_exhibitor_change", args=[submitted.pk])
    page = organizer_client.get(url)
    form = page.context["adminform"].form
    for name in ("state", "stand", "staff_quota"):
        assert name not in form.fields


def test_deleting_an_exhibitor_in_the_admin_frees_its_stand(organizer_client, exhibitor):
    stand = exhibitor.stand
    url = reverse("admin:exhibitors_exhibitor_delete", args=[exhibitor.pk])
    response = organizer_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Exhibitor.objects.filter(pk=exhibitor.pk).exists()
    stand.refresh_from_db()
    assert stand.state == Stand.State.FREE


def test_stand_of_an_exhibitor_cannot_be_set_free_by_hand(organizer_client, exhibitor):
    stand = exhibitor.stand
    url = reverse("admin:fair_stand_change", args=[stand.pk])
    data = {
        "area": stand.area_id,
        "number": stand.number,
        "width_m": stand.width_m,
        "depth_m": stand.depth_m,
        "open_sides": stand.open_sides,
        "x_m": stand.x_m,
        "y_m": stand.y_m,
        "price_per_sqm": stand.price_per_sqm,
        "state": Stand.State.FREE,
    }
    response = organizer_client.post(url, data)
    assert response.status_code == 200
    stand.refresh_from_db()
    assert stand.state == Stand.State.ASSIGNED


def test_free_stand_cannot_be_set_assigned_by_hand(organizer_client, free_stand):
    url = reverse("admin:fair_stand_change", args=[free_stand.pk])
    data = {
        "area": free_stand.area_id,
        "number": free_stand.number,
        "width_m": free_stand.width_m,
        "depth_m": free_stand.depth_m,
        "open_sides": free_stand.open_sides,
        "x_m": free_stand.x_m,
        "y_m": free_stand.y_m,
        "price_per_sqm": free_stand.price_per_sqm,
        "state": Stand.State.ASSIGNED,
    }
    assert organizer_client.post(url, data).status_code == 200
    free_stand.refresh_from_db()
    assert free_stand.state == Stand.State.FREE


def test_staff_member_added_in_the_admin_gets_a_badge(organizer_client, exhibitor):
    response = organizer_client.post(
        reverse("admin:exhibitors_staffmember_add"),
        {
            "exhibitor": exhibitor.pk,
            "first_name": "Olga",
            "last_name": "Orga",
            "email": "olga@testwerk.example",
            "role": "host",
        },
    )
    assert response.status_code == 302
    member = exhibitor.staff.get()
    assert Badge.objects.get(attendee__staff_member=member).state == Badge.State.ACTIVE
    assert exhibitor.audit_entries.filter(action="staff_add").exists()


def test_staff_member_add_in_the_admin_respects_the_quota(organizer_client, exhibitor):
    for _ in range(exhibitor.staff_quota):
        factories.make_staff_member(exhibitor=exhibitor)
    response = organizer_client.post(
        reverse("admin:exhibitors_staffmember_add"),
        {
            "exhibitor": exhibitor.pk,
            "first_name": "Olga",
            "last_name": "Orga",
            "email": "olga@testwerk.example",
            "role": "host",
        },
        **EN,
    )
    assert response.status_code == 200
    assert b"staff badges of your stand are in use" in response.content
    assert exhibitor.staff.count() == exhibitor.staff_quota


def test_staff_remove_action_revokes_badges(organizer_client, exhibitor):
    member = factories.make_staff_member(exhibitor=exhibitor)
    badge = staff_badge_issue(staff_member=member)
    organizer_client.post(
        reverse("admin:exhibitors_staffmember_changelist"),
        {"action": "remove_from_staff", ACTION_CHECKBOX_NAME: [member.pk]},
    )
    assert not StaffMember.objects.filter(pk=member.pk).exists()
    badge.refresh_from_db()
    assert badge.state == Badge.State.REVOKED


def test_audit_entries_are_read_only(organizer_client, populated):
    entry = ExhibitorAuditEntry.objects.first()
    model_admin = admin.site._registry[ExhibitorAuditEntry]
    request = organizer_client.get("/").wsgi_request
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    url = reverse("admin:exhibitors_exhibitorauditentry_change", args=[entry.pk])
    organizer_client.post(url, {"note": "tampered"})
    entry.refresh_from_db()
    assert entry.note != "tampered"


def test_non_staff_users_cannot_open_the_back_office(client, exhibitor_user):
    client.force_login(exhibitor_user)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert "login" in response["Location"]


DE = {"HTTP_ACCEPT_LANGUAGE": "de"}


def test_audit_list_shows_action_labels_and_the_state_change_in_german(
    organizer_client, exhibitor, organizer
):
    exhibitor_audit(
        exhibitor=exhibitor,
        action=ExhibitorAuditEntry.Action.APPROVE,
        actor=organizer,
        from_state=Exhibitor.State.SUBMITTED,
        to_state=Exhibitor.State.APPROVED,
    )
    exhibitor_audit(exhibitor=exhibitor, action="stand_assign", actor=organizer)
    text = organizer_client.get(
        reverse("admin:exhibitors_exhibitorauditentry_changelist"), **DE
    ).content.decode()
    assert "Eingereicht → Zugelassen" in text
    assert "Stand zugewiesen" in text
    for code in (">approve<", ">stand_assign<", "submitted→approved", ">submitted<"):
        assert code not in text
    page = organizer_client.get(
        reverse("admin:exhibitors_exhibitor_change", args=[exhibitor.pk]), **DE
    ).content.decode()
    assert "Eingereicht → Zugelassen" in page


def test_audit_entry_with_an_unknown_action_shows_the_code(exhibitor):
    entry = exhibitor_audit(exhibitor=exhibitor, action="future_thing", to_state="approved")
    assert entry.get_action_display() == "future_thing"
    assert entry.transition.endswith("Zugelassen") or entry.transition.endswith("Approved")


def test_stand_sizes_read_without_trailing_zeros(organizer_client, area):
    factories.make_stand(area=area, number="9.Z01", width_m="4.00", depth_m="5.00")
    factories.make_stand(area=area, number="9.Z02", width_m="2.50", depth_m="5.00")
    text = organizer_client.get(reverse("admin:fair_stand_changelist"), **DE).content.decode()
    assert "20\N{NO-BREAK SPACE}m²" in text
    assert "12,5\N{NO-BREAK SPACE}m²" in text
    assert "20,00" not in text and "20.00" not in text


def test_exhibitor_country_filter_lists_only_countries_in_use(organizer_client, area):
    factories.make_approved_exhibitor(area=area, country="CH")
    text = organizer_client.get(reverse(CHANGELIST), **DE).content.decode()
    assert "Schweiz" in text
    assert "Afghanistan" not in text


def test_back_office_is_branded_and_links_to_the_control_room(organizer_client):
    text = organizer_client.get(reverse("admin:index"), **DE).content.decode()
    assert "Fairlead-Backoffice" in text and "Django" not in text
    assert f'<a href="{reverse("organizer:home")}">Leitstand</a>' in text
