"""Both OpenAPI documents are valid OpenAPI 3 (openapi-spec-validator); the back-office
document is made by drf-spectacular, declares the bearer scheme and its YAML is safe YAML."""

import pytest
import yaml
from django.test import Client
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db  # the schema views are throttled (database cache)


def test_scan_api_document_is_valid_openapi():
    validate(Client().get("/api/scan/openapi.json").json())


def test_back_office_document_is_valid_openapi_and_declares_the_bearer_scheme():
    response = Client().get("/api/v1/schema/?format=openapi-json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    schemes = spec["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["BearerToken"]["description"],
    }
    listing = spec["paths"]["/api/v1/leads/"]["get"]
    assert {"BearerToken": []} in listing["security"]


def test_back_office_yaml_loads_with_a_safe_loader():
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    assert b"!!python" not in response.content
    spec = yaml.safe_load(response.content)
    validate(spec)
    assert spec["info"]["title"] == "Fairlead back-office API"
