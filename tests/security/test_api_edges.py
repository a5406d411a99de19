"""Answers the API fuzzing found wrong once (each was a 500 or an undocumented answer)."""

import json

import pytest
from django.test import Client

from api.v1.services import api_token_create
from tests import factories
from tests.leads.scan_fixtures import api_for


@pytest.fixture
def organizer_api(db) -> Client:
    organizer = factories.make_organizer()
    _token, key = api_token_create(user=organizer, name="Edges", created_by=organizer)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


def test_scan_api_offset_beyond_what_the_database_holds_is_422(scanner):
    response = api_for(scanner).get("/api/scan/leads", {"offset": str(10**25)})
    assert response.status_code == 422
    assert "offset" in response.json()["fields"]


def test_scan_api_lead_id_beyond_what_the_database_holds_is_422(scanner):
    response = api_for(scanner).get(f"/api/scan/leads/{10**25}")
    assert response.status_code == 422


@pytest.mark.parametrize("path", ["/api/v1/fairs/99999999999999999999999999/", "/api/v1/fairs/x/"])
def test_back_office_object_id_that_cannot_exist_is_a_json_404(organizer_api, path):
    response = organizer_api.get(path)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_back_office_filter_id_beyond_what_the_database_holds_is_422(organizer_api):
    response = organizer_api.get("/api/v1/leads/", {"exhibitor": str(10**25)})
    assert response.status_code == 422
    assert "exhibitor" in response.json()["fields"]


def test_back_office_path_matching_no_endpoint_is_a_json_404(organizer_api):
    response = organizer_api.get("/api/v1/no/such/thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "not_found"


@pytest.mark.parametrize("query", [{"page": ""}, {"page_size": "many"}, {"page": "0"}])
def test_back_office_bad_page_parameters_are_422(organizer_api, query):
    response = organizer_api.get("/api/v1/fairs/", query)
    assert response.status_code == 422
    assert set(response.json()["fields"]) == set(query)


def test_back_office_schema_documents_error_answers_and_integer_ids(organizer_api):
    schema = json.loads(organizer_api.get("/api/v1/schema/?format=openapi-json").content)
    listing = schema["paths"]["/api/v1/exhibitors/"]["get"]["responses"]
    assert {"200", "401", "403", "404", "422", "429"} <= set(listing)
    approve = schema["paths"]["/api/v1/exhibitors/{id}/approve/"]["post"]["responses"]
    assert {"400", "409", "415"} <= set(approve)
    exhibitor = schema["components"]["schemas"]["Exhibitor"]["properties"]
    assert exhibitor["fair"]["type"] == "integer"
    assert "format" not in exhibitor["website"]  # "" when not given
    stand = schema["components"]["schemas"]["Stand"]["properties"]
    exhibitor_id = {key: stand["exhibitor"][key] for key in ("type", "nullable", "readOnly")}
    assert exhibitor_id == {"type": "integer", "nullable": True, "readOnly": True}
