"""The organizers' hall plan pages (exhibitors/organizer_plan_views.py)."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exhibitors.models import Exhibitor
from fair.models import Stand
from tests import factories
from tests.exhibitors.portal_fixtures import audit_actions, empty_cache_fixture  # noqa: F401

SVG = "{http://www.w3.org/2000/svg}"


def place(stand: Stand, x: int, y: int, sides: str = "S") -> Stand:
    stand.x_m, stand.y_m, stand.open_sides = Decimal(x), Decimal(y), sides
    stand.save()
    return stand


@pytest.fixture
def plan(area, exhibitor):
    """The exhibitor's stand at (0, 0) and two free stands beside it."""
    place(exhibitor.stand, 0, 0)
    free = place(factories.make_stand(area=area, number="3.F1"), 3, 0, "ES")
    other = place(factories.make_stand(area=area, number="3.F2"), 6, 0)
    return {"held": exhibitor.stand, "free": free, "other": other}


def plan_svg(response) -> ET.Element:
    html = response.content.decode()
    start, end = html.index("<svg"), html.index("</svg>") + len("</svg>")
    return ET.fromstring(html[start:end])


def urls(area, stand, exhibitor) -> list[str]:
    return [
        reverse("hallplan:index"),
        reverse("hallplan:area", args=[area.pk]),
        reverse("hallplan:import", args=[area.pk]),
        reverse("hallplan:stand_new", args=[area.pk]),
        reverse("hallplan:stand_edit", args=[area.pk, stand.pk]),
        reverse("hallplan:assign", args=[area.pk, stand.pk, exhibitor.pk]),
        reverse("hallplan:staff_quota", args=[exhibitor.pk]),
    ]


def test_every_plan_url_is_forbidden_for_an_exhibitor_account(
    exhibitor_client, area, exhibitor, plan
):
    for url in urls(area, plan["free"], exhibitor):
        assert exhibitor_client.get(url).status_code == 403, url
        assert exhibitor_client.post(url, {}).status_code == 403, url
    assert Exhibitor.objects.get(pk=exhibitor.pk).stand_id == plan["held"].pk


def test_every_plan_url_sends_anonymous_visitors_to_the_login(client, area, exhibitor, plan):
    for url in urls(area, plan["free"], exhibitor):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_index_lists_areas_with_their_free_stands(organizer_client, area, plan):
    response = organizer_client.get(reverse("hallplan:index"))
    assert response.status_code == 200
    assert reverse("hallplan:area", args=[area.pk]) in response.content.decode()
    assert response.context["areas"].get(pk=area.pk).free_count == 2


def test_plan_draws_each_stand_colored_by_state_with_the_company(
    organizer_client, area, exhibitor, plan
):
    response = organizer_client.get(reverse("hallplan:area", args=[area.pk]))
    assert response.status_code == 200
    root = plan_svg(response)
    groups = {g.get("data-stand"): g for g in root.iter(f"{SVG}g") if g.get("data-stand")}
    assert groups[plan["held"].number].get("class") == "stand stand--assigned"
    assert groups["3.F1"].get("class") == "stand stand--free"
    texts = [t.text for t in groups[plan["held"].number].iter(f"{SVG}text")]
    # The number, then the company (on two lines where it is long).
    assert texts[0] == plan["held"].number
    assert " ".join(texts[1:]) == exhibitor.company_name
    # The table is the accessible alternative: every stand is a row.
    assert [row["stand"].number for row in response.context["rows"]] == sorted(groups)


def test_plan_page_query_count_does_not_grow_with_stands(
    organizer_client, area, plan, django_assert_num_queries
):
    url = reverse("hallplan:area", args=[area.pk])
    organizer_client.get(url)
    for n in range(5):
        place(factories.make_stand(area=area, number=f"3.Z{n}"), 20 + 3 * n, 0)
    # session, user, the header's portal-account check, area, stands (with exhibitors),
    # candidates
    with django_assert_num_queries(6):
        organizer_client.get(url)


def test_reviewing_an_exhibitor_links_free_stands_to_the_assign_page(organizer_client, area, plan):
    submitted = factories.make_exhibitor(area=area)
    response = organizer_client.get(
        reverse("hallplan:area", args=[area.pk]) + f"?exhibitor={submitted.pk}"
    )
    root = plan_svg(response)
    links = {a.find(f"{SVG}g").get("data-stand"): a.get("href") for a in root.iter(f"{SVG}a")}
    assert links["3.F1"] == reverse(
        "hallplan:assign", args=[area.pk, plan["free"].pk, submitted.pk]
    )
    # An assigned stand links to its exhibitor, not to an assignment.
    assert "/assign/" not in links[plan["held"].number]
    assert response.context["reviewed"] == submitted
    assert 'id="reviewed-title"' in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "-1", "9" * 20])
def test_a_bad_exhibitor_parameter_is_a_404(organizer_client, area, plan, value):
    response = organizer_client.get(
        reverse("hallplan:area", args=[area.pk]) + f"?exhibitor={value}"
    )
    assert response.status_code == 404


def test_an_exhibitor_of_another_area_cannot_be_reviewed_on_this_plan(organizer_client, area, plan):
    elsewhere = factories.make_exhibitor(area=factories.make_area(with_topics=False))
    response = organizer_client.get(
        reverse("hallplan:area", args=[area.pk]) + f"?exhibitor={elsewhere.pk}"
    )
    assert response.status_code == 404


def test_assign_asks_for_confirmation_before_it_changes_anything(
    organizer_client, area, exhibitor, plan
):
    url = reverse("hallplan:assign", args=[area.pk, plan["free"].pk, exhibitor.pk])
    response = organizer_client.get(url)
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    exhibitor.refresh_from_db()
    assert exhibitor.stand_id == plan["held"].pk


def test_assign_moves_an_approved_exhibitor_audited_with_the_rule_quota(
    organizer_client, area, exhibitor, plan
):
    url = reverse("hallplan:assign", args=[area.pk, plan["free"].pk, exhibitor.pk])
    response = organizer_client.post(url)
    assert response.status_code == 302
    exhibitor.refresh_from_db()
    assert exhibitor.stand_id == plan["free"].pk
    assert exhibitor.staff_quota == 5  # 3 × 4 m = 12 m²
    assert audit_actions(exhibitor)[-1] == "stand_assign"
    plan["held"].refresh_from_db()
    assert plan["held"].state == Stand.State.FREE


def test_assign_approves_a_submitted_registration(
    organizer_client, area, plan, django_capture_on_commit_callbacks
):
    submitted = factories.make_exhibitor(area=area)
    url = reverse("hallplan:assign", args=[area.pk, plan["free"].pk, submitted.pk])
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(url)
    submitted.refresh_from_db()
    assert (submitted.state, submitted.stand_id) == ("approved", plan["free"].pk)
    assert audit_actions(submitted) == ["approve", "stand_assign"]
    assert mail.outbox and mail.outbox[-1].to == [submitted.contact_email]


def test_assigning_a_taken_stand_is_refused_with_a_message(organizer_client, area, exhibitor, plan):
    submitted = factories.make_exhibitor(area=area)
    url = reverse("hallplan:assign", args=[area.pk, plan["held"].pk, submitted.pk])
    response = organizer_client.post(url, follow=True)
    [message] = list(response.context["messages"])
    assert message.level_tag == "error" and plan["held"].number in message.message
    submitted.refresh_from_db()
    assert submitted.stand_id is None


def test_stand_edit_saves_geometry_and_records_it_in_the_stand_history(
    organizer_client, area, organizer, plan
):
    stand = plan["other"]
    response = organizer_client.post(
        reverse("hallplan:stand_edit", args=[area.pk, stand.pk]),
        {
            "number": "3.F2",
            "x_m": "10,5",
            "y_m": "4",
            "width_m": "3",
            "depth_m": "4",
            "open_sides": ["N", "E", "S", "W"],
            "price_per_sqm": "189",
        },
    )
    assert response.status_code == 302
    stand.refresh_from_db()
    assert (stand.x_m, stand.type, stand.open_sides) == (Decimal("10.5"), "island", "NESW")
    entry = LogEntry.objects.get(object_id=str(stand.pk))
    assert entry.user == organizer
    assert "x (m)" in entry.change_message  # stored untranslated, as the admin does


def test_stand_edit_refuses_an_overlap_and_keeps_the_input(organizer_client, area, plan):
    stand = plan["other"]
    response = organizer_client.post(
        reverse("hallplan:stand_edit", args=[area.pk, stand.pk]),
        {
            "number": "3.F2",
            "x_m": "4",
            "y_m": "0",
            "width_m": "3",
            "depth_m": "4",
            "open_sides": ["S"],
            "price_per_sqm": "189",
        },
    )
    assert response.status_code == 422
    assert "3.F1" in response.content.decode()
    assert 'value="4"' in response.content.decode()
    stand.refresh_from_db()
    assert stand.x_m == 6


def test_new_stand_needs_an_open_side(organizer_client, area, plan):
    response = organizer_client.post(
        reverse("hallplan:stand_new", args=[area.pk]),
        {
            "number": "3.N1",
            "x_m": "30",
            "y_m": "0",
            "width_m": "3",
            "depth_m": "3",
            "price_per_sqm": "1",
        },
    )
    assert response.status_code == 422
    assert not Stand.objects.filter(number="3.N1").exists()


CSV = "Stand;x;y;Breite;Tiefe;Offene Seiten;Preis\n3.F1;3;0;3;4;S;\n3.NEW;20,5;0;4;3;N,O;199,50\n"


def upload(organizer_client, area, content: bytes, **data):
    return organizer_client.post(
        reverse("hallplan:import", args=[area.pk]),
        {"file": SimpleUploadedFile("plan.csv", content, "text/csv"), **data},
    )


def test_import_dry_run_shows_what_would_happen_and_saves_nothing(organizer_client, area, plan):
    response = upload(organizer_client, area, CSV.encode("cp1252"), dry_run="on")
    assert response.status_code == 200
    report = response.context["report"]
    assert [(row.row.number, row.action) for row in report.rows] == [
        ("3.F1", "update"),
        ("3.NEW", "create"),
    ]
    assert "Windows-1252" in response.content.decode() or "UTF-8" in response.content.decode()
    assert not Stand.objects.filter(number="3.NEW").exists()


def test_import_creates_and_updates_stands_by_number(organizer_client, area, plan):
    response = upload(organizer_client, area, b"\xef\xbb\xbf" + CSV.encode())
    assert response.status_code == 302
    new = Stand.objects.get(area=area, number="3.NEW")
    assert (new.x_m, new.open_sides, new.type, new.price_per_sqm) == (
        Decimal("20.5"),
        "NE",
        "corner",
        Decimal("199.50"),
    )
    plan["free"].refresh_from_db()
    assert (plan["free"].open_sides, plan["free"].type) == ("S", "row")
    assert LogEntry.objects.filter(object_id=str(new.pk)).count() == 1


def test_import_with_a_bad_row_saves_nothing_and_shows_each_error(organizer_client, area, plan):
    content = b"3.F1;3;0;3;4;S\n3.BAD;x;0;0;4;Q;10\n3.HIT;0;1;2;2;S;10\n"
    response = upload(organizer_client, area, content)
    assert response.status_code == 422
    rows = response.context["report"].rows
    assert rows[0].errors == []
    assert len(rows[1].errors) == 3  # x no number, width below 1, open sides unknown
    assert len(rows[2].errors) == 1 and plan["held"].number in rows[2].errors[0]
    plan["free"].refresh_from_db()
    assert plan["free"].open_sides == "ES"


def test_staff_quota_override_needs_a_reason_and_is_audited(organizer_client, exhibitor, plan):
    url = reverse("hallplan:staff_quota", args=[exhibitor.pk])
    response = organizer_client.get(url)
    assert response.context["rule"] == 5
    assert organizer_client.post(url, {"staff_quota": "8", "reason": "  "}).status_code == 422
    exhibitor.refresh_from_db()
    assert exhibitor.staff_quota == 5
    assert (
        organizer_client.post(url, {"staff_quota": "8", "reason": "Two extra hosts"}).status_code
        == 302
    )
    exhibitor.refresh_from_db()
    assert exhibitor.staff_quota == 8
    entry = exhibitor.audit_entries.order_by("-id").first()
    assert entry.action == "staff_quota"
    assert entry.note.endswith(" 5 → 8. Two extra hosts")


@pytest.mark.parametrize("value", ["-1", "40000", "many"])
def test_staff_quota_out_of_range_is_refused(organizer_client, exhibitor, plan, value):
    url = reverse("hallplan:staff_quota", args=[exhibitor.pk])
    assert organizer_client.post(url, {"staff_quota": value, "reason": "x"}).status_code == 422


def test_the_exhibitor_sees_the_overridden_quota_in_the_portal(organizer_client, exhibitor, plan):
    from django.test import Client

    url = reverse("hallplan:staff_quota", args=[exhibitor.pk])
    organizer_client.post(url, {"staff_quota": "12", "reason": "Large demo crew"})
    portal = Client()
    portal.force_login(factories.make_exhibitor_user(exhibitor=exhibitor))
    response = portal.get(reverse("portal:overview"))
    assert response.status_code == 200
    assert response.context["exhibitor"].staff_quota == 12
    html = response.content.decode()
    count = html[html.index('class="staff-count">') :].split("</p>")[0]
    assert "12" in count.split()
