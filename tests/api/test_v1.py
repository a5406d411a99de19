"""The back-office API at /api/v1/: tokens, scoping, forbidden paths, errors, schema."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from api.models import ApiToken
from api.v1.services import api_token_create, api_token_revoke
from tests import factories
from tests.leads import report_fixtures
from tests.leads.report_fixtures import many_leads

world = report_fixtures.world  # the fixture, for this module

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", **EN}


@pytest.fixture
def key_a(world) -> str:
    return api_token_create(name="CRM A", exhibitor=world.exhibitor)[1]


@pytest.fixture
def key_b(world) -> str:
    return api_token_create(name="CRM B", exhibitor=world.other)[1]


@pytest.fixture
def organizer_key(world) -> str:
    return api_token_create(name="Back office", user=factories.make_organizer())[1]


def lead_url(pk=None) -> str:
    if pk is None:
        return reverse("api_v1:lead-list")
    return reverse("api_v1:lead-detail", kwargs={"pk": pk})


def test_no_credentials_is_401_with_the_shared_error_body(client, world):
    response = client.get(lead_url(), **EN)
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"
    assert set(response.json()) == {"error", "detail"}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_token_is_401(client, world):
    response = client.get(lead_url(), **bearer("fl_api_not-a-real-token"))
    assert response.status_code == 401
    assert response.json()["error"] == "token_invalid"


def test_revoked_token_is_401(client, world, key_a):
    api_token_revoke(token=ApiToken.objects.get(exhibitor=world.exhibitor))
    response = client.get(lead_url(), **bearer(key_a))
    assert response.status_code == 401
    assert response.json() == {
        "error": "token_invalid",
        "detail": "This token is not known or no longer valid.",
    }


def test_token_of_a_former_organizer_is_401(client, world):
    user = factories.make_organizer()
    _token, key = api_token_create(name="ex staff", user=user)
    user.is_staff = False
    user.save()
    assert client.get(lead_url(), **bearer(key)).status_code == 401


def test_token_is_stored_hashed_and_records_its_use(client, world, key_a):
    token = ApiToken.objects.get(exhibitor=world.exhibitor)
    assert key_a not in (token.token_hash, token.prefix) and len(token.token_hash) == 64
    assert token.last_used_at is None
    client.get(lead_url(), **bearer(key_a))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_exhibitor_lists_only_own_leads_with_shared_contact_only(client, world, key_a):
    body = client.get(lead_url(), **bearer(key_a)).json()
    assert body["count"] == 4
    names = {lead["contact"]["last_name"] for lead in body["results"]}
    assert names == {"Groß", "Иванов", "@SUM(A1:A9)", "Şahin"}
    private = next(lead for lead in body["results"] if lead["contact"]["last_name"] == "Иванов")
    assert private["contact"] == {
        "first_name": "Дмитрий",
        "last_name": "Иванов",
        "company": "ООО Умный город",
        "contact_shared": False,
    }
    shared = next(lead for lead in body["results"] if lead["contact"]["last_name"] == "Groß")
    assert shared["contact"]["email"] == "juergen.gross@stadtwerke.example"
    assert shared["answers"][0] == {
        "question_id": world.questions[0].pk,
        "question": "Budget?",
        "answer": "> 10k",
        "answer_text": "> 10k",
    }
    assert shared["notes"][0]["device"] == "Anna's iPhone"


def test_exhibitor_a_cannot_read_b_lead(client, world, key_a):
    response = client.get(lead_url(world.other_lead.pk), **bearer(key_a))
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_exhibitor_a_filtering_by_b_gets_nothing(client, world, key_a):
    body = client.get(lead_url(), {"exhibitor": world.other.pk}, **bearer(key_a)).json()
    assert body["count"] == 0


def test_lead_detail_has_every_scan(client, world, key_a):
    body = client.get(lead_url(world.leads["repeat"].pk), **bearer(key_a)).json()
    assert [scan["device"] for scan in body["scans"]] == ["Anna's iPhone", "Tablet Stand"]
    assert body["scans"][0]["scanned_at"].startswith("2019-02-13T17:30:00+01:00")


def test_organizer_sees_all_leads_and_filters(client, world, organizer_key):
    assert client.get(lead_url(), **bearer(organizer_key)).json()["count"] == 5
    by_exhibitor = client.get(lead_url(), {"exhibitor": world.other.pk}, **bearer(organizer_key))
    assert [lead["id"] for lead in by_exhibitor.json()["results"]] == [world.other_lead.pk]
    hot = client.get(lead_url(), {"rating": "hot"}, **bearer(organizer_key)).json()
    assert hot["count"] == 2


def test_since_filter_returns_changed_leads(client, world, key_a):
    from leads.models import Lead

    cutoff = timezone.now() + datetime.timedelta(minutes=5)
    Lead.objects.filter(pk=world.leads["private"].pk).update(
        updated_at=cutoff + datetime.timedelta(seconds=1)
    )
    body = client.get(lead_url(), {"since": cutoff.isoformat()}, **bearer(key_a)).json()
    assert [lead["id"] for lead in body["results"]] == [world.leads["private"].pk]


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("since", "yesterday"),
        ("since", "2019-02-13T09:00:00"),
        ("rating", "lukewarm"),
        ("exhibitor", "abc"),
    ],
)
def test_bad_filter_values_are_422(client, world, key_a, param, value):
    response = client.get(lead_url(), {param: value}, **bearer(key_a))
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"
    assert param in response.json()["fields"]


def test_leads_list_query_count_is_pinned(client, world, key_a, django_assert_num_queries):
    # token; the rate limit (one upsert); count, leads, topics, notes, questions
    client.get(lead_url(), **bearer(key_a))
    with django_assert_num_queries(7):
        client.get(lead_url(), **bearer(key_a))
    many_leads(exhibitor=world.exhibitor, device=world.device, count=20)
    with django_assert_num_queries(7):
        body = client.get(lead_url(), **bearer(key_a)).json()
    assert body["count"] == 24


def test_pagination(client, world, key_a):
    many_leads(exhibitor=world.exhibitor, device=world.device, count=10)
    body = client.get(lead_url(), {"page_size": 5, "page": 2}, **bearer(key_a)).json()
    assert body["count"] == 14 and len(body["results"]) == 5
    assert body["next"] and body["previous"]


def test_exhibitor_token_is_403_on_organizer_endpoints(client, world, key_a):
    response = client.get(reverse("api_v1:attendee-list"), **bearer(key_a))
    assert response.status_code == 403
    assert response.json()["error"] == "permission_denied"
    approve = client.post(
        reverse("api_v1:exhibitor-approve", kwargs={"pk": world.exhibitor.pk}), **bearer(key_a)
    )
    assert approve.status_code == 403


def test_exhibitor_sees_only_its_own_record(client, world, key_a):
    body = client.get(reverse("api_v1:exhibitor-list"), **bearer(key_a)).json()
    assert [item["id"] for item in body["results"]] == [world.exhibitor.pk]
    other = client.get(
        reverse("api_v1:exhibitor-detail", kwargs={"pk": world.other.pk}), **bearer(key_a)
    )
    assert other.status_code == 404


def test_organizer_lists_exhibitors_by_state(client, world, organizer_key):
    submitted = factories.make_exhibitor(area=world.area)
    body = client.get(
        reverse("api_v1:exhibitor-list"), {"state": "submitted"}, **bearer(organizer_key)
    ).json()
    assert [item["id"] for item in body["results"]] == [submitted.pk]
    bad = client.get(reverse("api_v1:exhibitor-list"), {"state": "nope"}, **bearer(organizer_key))
    assert bad.status_code == 422


def test_organizer_approves_and_rejects(client, world, organizer_key):
    stand = factories.make_stand(area=world.area)
    waiting = factories.make_exhibitor(area=world.area)
    response = client.post(
        reverse("api_v1:exhibitor-approve", kwargs={"pk": waiting.pk}),
        {"stand": stand.pk, "note": "Willkommen"},
        content_type="application/json",
        **bearer(organizer_key),
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "approved" and response.json()["stand"] == stand.pk
    other = factories.make_exhibitor(area=world.area)
    rejected = client.post(
        reverse("api_v1:exhibitor-reject", kwargs={"pk": other.pk}),
        {"note": "Kein Platz"},
        content_type="application/json",
        **bearer(organizer_key),
    )
    assert rejected.json()["state"] == "rejected"


def test_approving_an_approved_exhibitor_is_409(client, world, organizer_key):
    response = client.post(
        reverse("api_v1:exhibitor-approve", kwargs={"pk": world.exhibitor.pk}),
        {},
        content_type="application/json",
        **bearer(organizer_key),
    )
    assert response.status_code == 409
    assert response.json()["error"] == "transition_not_allowed"


def test_organizer_reads_attendees(client, world, organizer_key):
    body = client.get(
        reverse("api_v1:attendee-list"), {"lead_sharing": "false"}, **bearer(organizer_key)
    ).json()
    assert [item["email"] for item in body["results"]] == ["secret.ivanov@example.ru"]


def test_fairs_areas_stands_are_readable(client, world, key_a):
    assert client.get(reverse("api_v1:fair-list"), **bearer(key_a)).json()["count"] == 1
    areas = client.get(reverse("api_v1:area-list"), **bearer(key_a)).json()["results"]
    assert areas[0]["topics"][0]["name_de"] == "Smartes Parken"
    stands = client.get(
        reverse("api_v1:stand-list"), {"area": world.area.pk}, **bearer(key_a)
    ).json()["results"]
    assert world.exhibitor.pk in {stand["exhibitor"] for stand in stands}


def test_statistics_for_an_exhibitor_are_its_own(client, world, key_a):
    body = client.get(reverse("api_v1:statistics"), **bearer(key_a)).json()
    assert body["exhibitor"] == world.exhibitor.pk and body["leads"] == 4
    assert body["ratings"] == {"hot": 1, "warm": 1, "cold": 1, "none": 1}
    assert body["leads_per_day"][0] == {"day": "2019-02-13", "leads": 2}


def test_statistics_for_organizers_cover_the_fair(client, world, organizer_key):
    body = client.get(
        reverse("api_v1:statistics"), {"fair": world.fair.pk}, **bearer(organizer_key)
    ).json()
    assert body["leads"] == 5 and body["visitors_registered"] == 5
    assert {item["company_name"] for item in body["exhibitors"]} == {
        "Wärmewerk Dortmund GmbH",
        "Konkurrenz AG",
    }


def test_session_login_works_for_the_browsable_api(client, world):
    client.force_login(factories.make_exhibitor_user(exhibitor=world.exhibitor))
    response = client.get(lead_url(), HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and "Groß" in response.content.decode()
    assert client.get(lead_url(world.other_lead.pk)).status_code == 404


def test_user_without_role_is_403(client, world):
    client.force_login(get_user_model().objects.create_user(username="visitor", password="x-9"))
    assert client.get(lead_url(), **EN).status_code == 403


def test_throttling_answers_429(client, world, key_a, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"api_token": (2, 60), "api_anon_ip": (2, 60)}
    for _ in range(2):
        assert client.get(lead_url(), **bearer(key_a)).status_code == 200
    response = client.get(lead_url(), **bearer(key_a))
    assert response.status_code == 429
    assert response.json()["error"] == "rate_limited" and "Retry-After" in response


def test_schema_and_documentation_pages(client, world):
    schema = client.get(reverse("api_v1:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    spec = schema.json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/leads/" in spec["paths"] and "/api/v1/leads/{id}/" in spec["paths"]
    parameters = {p["name"] for p in spec["paths"]["/api/v1/leads/"]["get"]["parameters"]}
    assert {"exhibitor", "rating", "since", "page"} <= parameters
    docs = client.get(reverse("api_v1:docs"), **EN)
    assert docs.status_code == 200
    assert b"Authorization: Bearer" in docs.content and b"/api/v1/leads/{id}/" in docs.content


def test_create_api_token_command_prints_the_key_once(world, capsys):
    out = io.StringIO()
    call_command(
        "create_api_token", "--exhibitor", str(world.exhibitor.pk), stdout=out, stderr=io.StringIO()
    )
    key = out.getvalue().strip()
    token = ApiToken.objects.get(exhibitor=world.exhibitor)
    assert key.startswith("fl_api_") and key.startswith(token.prefix)
    organizer = factories.make_organizer()
    out = io.StringIO()
    call_command(
        "create_api_token",
        "--organizer",
        organizer.username,
        "--name",
        "BI",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert ApiToken.objects.get(user=organizer).name == "BI"


def test_create_api_token_command_refuses_non_staff_and_unknown(world):
    user = get_user_model().objects.create_user(username="plain", password="x-9")
    with translation.override("en"), pytest.raises(CommandError, match="not an organizer"):
        call_command("create_api_token", "--organizer", user.username, stderr=io.StringIO())
    with pytest.raises(CommandError, match="no exhibitor"):
        call_command("create_api_token", "--exhibitor", "999999", stderr=io.StringIO())


def test_database_refuses_a_token_with_two_owners(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(
            name="both",
            token_hash="a" * 64,
            prefix="fl_api_x",
            user=factories.make_organizer(),
            exhibitor=world.exhibitor,
        )


def test_database_refuses_a_token_without_owner(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(name="none", token_hash="b" * 64, prefix="fl_api_x")
