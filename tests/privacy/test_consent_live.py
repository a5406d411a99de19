"""Withdrawn consent takes effect at once on every path an exhibitor reads: the portal pages,
the files, the PDF report, the scan API and the back-office API. Each test withdraws through
the visitor's own badge page (the real path), then reads as the exhibitor."""

import csv
import io
import json

import pypdfium2 as pdfium
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.v1.services import api_token_create
from badges.models import Attendee
from leads.services.devices import device_provision
from tests import factories
from tests.leads.scan_fixtures import scan_body
from tests.privacy.conftest import EN, badge_url

# What only a consenting visitor's lead shows (Jürgen Groß of the lead world).
SHARED_ONLY = ("juergen.gross@stadtwerke.example", "+49 231 1234-0", "Leiter Straßenbeleuchtung")


@pytest.fixture
def withdrawn(client, shared, shared_token) -> Attendee:
    response = client.post(badge_url(shared_token, "consent"), {"decision": "withdraw"}, **EN)
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.lead_sharing is False
    return shared


@pytest.fixture
def portal(world) -> Client:
    client = Client(**EN)
    client.force_login(factories.make_exhibitor_user(exhibitor=world.exhibitor))
    return client


def _json_text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def _assert_only_badge_data(text: str) -> None:
    assert "Groß" in text  # the name on the badge stays
    for value in SHARED_ONLY:
        assert value not in text


def test_before_withdrawal_the_exhibitor_sees_the_details(portal, world):
    # The control: the same reads show the details while consent stands.
    text = portal.get(reverse("leads:detail", kwargs={"pk": world.leads["shared"].pk})).content
    assert SHARED_ONLY[0] in text.decode()


def test_portal_list_and_detail_show_only_badge_data(portal, world, withdrawn):
    lead = world.leads["shared"]
    _assert_only_badge_data(portal.get(reverse("leads:list")).content.decode())
    detail = portal.get(reverse("leads:detail", kwargs={"pk": lead.pk})).content.decode()
    _assert_only_badge_data(detail)
    assert "did not agree to share contact details" in detail


@pytest.mark.parametrize("fmt", ["csv", "salesforce", "hubspot"])
def test_csv_export_has_only_badge_data(portal, world, withdrawn, fmt):
    response = portal.get(reverse("leads:export", kwargs={"fmt": fmt}))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    _assert_only_badge_data(text)
    rows = list(csv.reader(io.StringIO(text)))
    assert any("Groß" in cell for row in rows for cell in row)


def test_organizer_csv_has_only_badge_data(world, withdrawn):
    client = Client(**EN)
    client.force_login(factories.make_organizer())
    response = client.get(
        reverse("organizer:leads_export", kwargs={"fmt": "csv"}), {"fair": world.fair.pk}
    )
    _assert_only_badge_data(b"".join(response.streaming_content).decode("utf-8-sig"))


def test_pdf_report_text_has_only_badge_data(portal, world, withdrawn):
    response = portal.get(reverse("leads:report_pdf"))
    pdf = pdfium.PdfDocument(response.content)
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    _assert_only_badge_data(text)


def test_scan_api_lead_response_has_only_badge_data(world, withdrawn):
    credentials = device_provision(exhibitor=world.exhibitor, label="Stand phone")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {credentials.token}", **EN)
    badge = withdrawn.badges.get()

    scanned = api.post("/api/scan/scans", scan_body(badge), content_type="application/json")
    assert scanned.status_code == 200  # the lead existed: counted up
    assert scanned.json()["attendee"]["contact_shared"] is False
    _assert_only_badge_data(_json_text(scanned))

    lead_id = scanned.json()["id"]
    detail = api.get(f"/api/scan/leads/{lead_id}")
    assert detail.status_code == 200
    _assert_only_badge_data(_json_text(detail))
    listed = api.get("/api/scan/leads")
    _assert_only_badge_data(_json_text(listed))


def test_v1_leads_list_and_detail_have_only_badge_data(world, withdrawn):
    key = api_token_create(name="CRM", exhibitor=world.exhibitor)[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}", **EN)
    listed = api.get(reverse("api_v1:lead-list"))
    assert listed.status_code == 200
    _assert_only_badge_data(_json_text(listed))
    mine = next(lead for lead in listed.json()["results"] if lead["id"] == world.leads["shared"].pk)
    assert mine["contact"] == {
        "first_name": "Jürgen",
        "last_name": "Groß",
        "company": "Stadtwerke Müllheim",
        "contact_shared": False,
    }
    detail = api.get(reverse("api_v1:lead-detail", kwargs={"pk": world.leads["shared"].pk}))
    _assert_only_badge_data(_json_text(detail))


def test_v1_changed_since_sync_delivers_the_reduced_record(world, shared, shared_token, client):
    """A CRM that syncs with ?since= learns about the withdrawal on its next run."""
    key = api_token_create(name="CRM", exhibitor=world.exhibitor)[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}", **EN)
    assert len(json.loads(api.get(reverse("api_v1:lead-list")).content)["results"]) == 4
    last_sync = timezone.now().isoformat()
    client.post(badge_url(shared_token, "consent"), {"decision": "withdraw"}, **EN)
    changed = api.get(reverse("api_v1:lead-list"), {"since": last_sync}).json()["results"]
    assert [lead["id"] for lead in changed] == [world.leads["shared"].pk]
    assert changed[0]["contact"]["contact_shared"] is False


def test_consent_given_again_shows_the_details_again(portal, world, withdrawn, shared_token):
    response = Client(**EN).post(
        badge_url(shared_token, "consent"), {"decision": "give", "agree": "on"}
    )
    assert response.status_code == 302
    text = portal.get(reverse("leads:detail", kwargs={"pk": world.leads["shared"].pk}))
    assert SHARED_ONLY[0] in text.content.decode()
