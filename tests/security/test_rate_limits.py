"""Rate limits on every door an attacker can knock on: 429, Retry-After, nothing done."""

import ipaddress
import json
import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from badges.codes import check_char
from badges.models import Attendee
from fair import ratelimit
from leads.models import Scan
from leads.services.devices import device_create, device_pairing_code_create
from tests import factories
from tests.leads.scan_fixtures import api_for, scan_body

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

# A window that ends mid-test would reset the counts the test relies on.
pytestmark = pytest.mark.usefixtures("rate_limit_window")


def post_json(client: Client, path: str, body, **extra):
    return client.post(path, json.dumps(body), content_type="application/json", **extra)


def assert_rate_limited(response, window: int) -> None:
    assert response.status_code == 429, response.content
    assert 1 <= int(response["Retry-After"]) <= window
    body = response.json()
    assert body["error"] == "rate_limited"
    assert body["detail"]


def unknown_short_code() -> str:
    """A well-formed short code (right check character) that no badge has."""
    body = "ZZZZZZZZZZ"
    return body + check_char(body)


# --- pairing -----------------------------------------------------------------------------------


def pair(code: str, address: str = "203.0.113.7"):
    return post_json(Client(**EN), "/api/scan/pair", {"pairing_code": code}, REMOTE_ADDR=address)


def test_wrong_pairing_codes_from_one_address_are_stopped_with_429(db):
    for _ in range(10):
        assert pair("AAAA-BBBB-CCCC").status_code == 400
    assert_rate_limited(pair("AAAA-BBBB-CCCC"), 600)


def test_blocked_address_cannot_pair_even_with_a_right_code(exhibitor, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"pairing_ip": (2, 600)}
    issued = device_pairing_code_create(device=device_create(exhibitor=exhibitor, label="P"))
    pair("AAAA-BBBB-CCCC")
    pair("AAAA-BBBB-CCCC")
    assert_rate_limited(pair(issued.code), 600)
    assert pair(issued.code, address="198.51.100.1").status_code == 200


def test_successful_pairings_do_not_count_against_the_address(exhibitor, settings):
    # A hall full of exhibitors behind one NAT pairs many phones: only failures count.
    settings.FAIRLEAD_RATE_LIMITS = {"pairing_ip": (2, 600)}
    for number in range(4):
        device = device_create(exhibitor=exhibitor, label=f"Phone {number}")
        assert pair(device_pairing_code_create(device=device).code).status_code == 200


def test_an_ipv6_subscriber_cannot_dodge_the_limit_with_fresh_addresses(db, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"pairing_ip": (3, 600)}
    network = ipaddress.IPv6Network("2001:db8:1234:5678::/64")
    for host in range(1, 4):
        assert pair("AAAA-BBBB-CCCC", address=str(network[host])).status_code == 400
    assert_rate_limited(pair("AAAA-BBBB-CCCC", address=str(network[999])), 600)
    assert pair("AAAA-BBBB-CCCC", address="2001:db8:1234:9999::1").status_code == 400


def test_client_ip_groups_ipv6_by_64_and_unwraps_mapped_ipv4(rf):
    assert ratelimit.client_ip(rf.get("/", REMOTE_ADDR="2001:db8::1")) == "2001:db8::/64"
    assert ratelimit.client_ip(rf.get("/", REMOTE_ADDR="::ffff:192.0.2.1")) == "192.0.2.1"
    assert ratelimit.client_ip(rf.get("/", REMOTE_ADDR="192.0.2.1")) == "192.0.2.1"


# --- scans per device --------------------------------------------------------------------------


def test_scans_over_the_device_limit_get_429_and_store_nothing(api, badge, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"scans_device": (3, 600)}
    for _ in range(3):
        assert post_json(api, "/api/scan/scans", scan_body(badge)).status_code in (200, 201)
    assert_rate_limited(post_json(api, "/api/scan/scans", scan_body(badge)), 600)
    assert Scan.objects.count() == 3


def test_scan_limit_is_per_device(api, second_scanner, badge, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"scans_device": (1, 600)}
    post_json(api, "/api/scan/scans", scan_body(badge))
    assert post_json(api, "/api/scan/scans", scan_body(badge)).status_code == 429
    other = api_for(second_scanner)
    assert post_json(other, "/api/scan/scans", scan_body(badge)).status_code == 200


def test_a_batch_counts_each_of_its_scans(api, badge, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"scans_device": (5, 600)}
    batch = {"scans": [scan_body(badge) for _ in range(3)]}
    assert post_json(api, "/api/scan/scans/batch", batch).status_code == 200
    again = {"scans": [scan_body(badge) for _ in range(3)]}
    assert_rate_limited(post_json(api, "/api/scan/scans/batch", again), 600)
    assert Scan.objects.count() == 3


def test_guessing_a_short_code_costs_the_device_far_more_than_a_scan(api, badge, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"scans_device": (ratelimit.SCAN_MISS_COST, 600)}
    guess = {"code": unknown_short_code(), "client_id": str(uuid.uuid4())}
    assert post_json(api, "/api/scan/scans", guess).status_code == 404
    assert_rate_limited(post_json(api, "/api/scan/scans", scan_body(badge)), 600)


def test_scanning_some_other_qr_code_is_not_counted_as_a_guess(api, badge, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"scans_device": (ratelimit.SCAN_MISS_COST, 600)}
    poster = {"code": "https://example.org/product", "client_id": str(uuid.uuid4())}
    assert post_json(api, "/api/scan/scans", poster).status_code == 404
    assert post_json(api, "/api/scan/scans", scan_body(badge)).status_code == 201


def test_guesses_inside_a_batch_are_charged_too(api, badge, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"scans_device": (ratelimit.SCAN_MISS_COST + 2, 600)}
    guesses = {
        "scans": [
            scan_body(badge),
            {"code": unknown_short_code(), "client_id": str(uuid.uuid4())},
        ]
    }
    results = post_json(api, "/api/scan/scans/batch", guesses).json()["results"]
    assert [result["status"] for result in results] == [201, 404]
    assert_rate_limited(post_json(api, "/api/scan/scans", scan_body(badge)), 600)


# --- public forms ------------------------------------------------------------------------------


def visitor_form(number: int) -> dict:
    return {
        "first_name": "Jana",
        "last_name": "Muster",
        "email": f"jana{number}@example.org",
        "company": "Stadtwerke",
        "job_title": "",
        "country": "DE",
        "postal_code": "44135",
        "phone": "",
    }


def test_visitor_registration_is_limited_per_address(client, area, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"visitor_form_ip": (2, 600)}
    url = reverse("badges:register_fair", kwargs={"fair_slug": area.fair.slug})
    for _ in range(3):
        assert client.get(url).status_code == 200  # looking costs nothing
    assert client.post(url, visitor_form(1)).status_code == 302
    assert client.post(url, visitor_form(2)).status_code == 302
    before = Attendee.objects.count()
    response = client.post(url, visitor_form(3), **EN)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 600
    assert "Too many attempts" in response.content.decode()
    assert Attendee.objects.count() == before


def test_portal_password_link_requests_are_limited_per_address(client, exhibitor, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"public_form_ip": (2, 3600)}
    url = reverse("portal:access")
    client.post(url, {"email": "a@example.org"})
    client.post(url, {"email": "b@example.org"})
    sent = len(mail.outbox)
    response = client.post(url, {"email": exhibitor.contact_email}, **EN)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert len(mail.outbox) == sent


# --- the back-office API (DRF throttles) -------------------------------------------------------


@pytest.fixture
def anon_rate(settings):
    settings.FAIRLEAD_RATE_LIMITS = {"api_anon_ip": (2, 60)}


def test_back_office_api_throttle_answers_429_with_retry_after_and_error_body(db, anon_rate):
    client = Client(**EN)
    for _ in range(2):
        assert client.get("/api/v1/schema/").status_code == 200
    assert_rate_limited(client.get("/api/v1/schema/"), 60)


def test_back_office_api_throttle_ignores_a_forged_forwarded_header(db, anon_rate):
    client = Client(**EN)
    for number in range(2):
        client.get("/api/v1/schema/", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    response = client.get("/api/v1/schema/", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


def test_back_office_api_token_throttle_answers_429(db, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"api_token": (1, 60)}
    from api.v1.services import api_token_create

    organizer = factories.make_organizer()
    _token, key = api_token_create(user=organizer, name="CRM", created_by=organizer)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", **EN)
    assert client.get("/api/v1/fairs/").status_code == 200
    assert_rate_limited(client.get("/api/v1/fairs/"), 60)
