"""OpenAPI document, docs page and the one error body for errors outside the endpoints."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

from api.errors import ErrorCode, error_body, error_status, fields_from_pydantic


def test_openapi_lists_every_endpoint_and_documents_error_bodies(db):
    schema = Client().get("/api/scan/openapi.json").json()
    paths = schema["paths"]
    assert set(paths) == {
        "/api/scan/pair",
        "/api/scan/me",
        "/api/scan/scans",
        "/api/scan/scans/batch",
        "/api/scan/leads",
        "/api/scan/leads/{lead_id}",
        "/api/scan/room",
        "/api/scan/checkins",
        "/api/scan/checkins/batch",
    }
    scans = paths["/api/scan/scans"]["post"]["responses"]
    assert set(scans) >= {"200", "201", "401", "403", "404", "409", "410", "422"}
    assert scans["410"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    assert "413" in paths["/api/scan/scans/batch"]["post"]["responses"]
    assert schema["components"]["securitySchemes"]["DeviceBearer"]["scheme"] == "bearer"
    assert "security" not in paths["/api/scan/pair"]["post"]
    for code in ErrorCode:
        assert f"`{code.value}`" in schema["info"]["description"]


def test_docs_page_renders(db):
    response = Client().get("/api/scan/docs")
    assert response.status_code == 200
    assert b"/api/scan/openapi.json" in response.content


def test_docs_page_uses_local_swagger_files_when_ninja_is_installed(db):
    apps = list(settings.INSTALLED_APPS)
    if "ninja" not in apps:
        apps.append("ninja")
    with override_settings(INSTALLED_APPS=apps):
        response = Client().get("/api/scan/docs")
    assert b"swagger-ui-bundle.js" in response.content
    assert b"cdn." not in response.content


def test_unknown_path_answers_json_404(db):
    response = Client().get("/api/scan/nothing/here")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_wrong_method_answers_json_405(db):
    response = Client().delete("/api/scan/scans")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
    assert "POST" in response["Allow"]


def test_error_body_is_framework_neutral():
    assert error_body(code=ErrorCode.BADGE_REVOKED, detail="gone") == {
        "error": "badge_revoked",
        "detail": "gone",
    }
    body = error_body(code=ErrorCode.VALIDATION_ERROR, fields={"answers.3": ["bad"]})
    assert body["fields"] == {"answers.3": ["bad"]}
    assert error_status(ErrorCode.BATCH_TOO_LARGE) == 413


@pytest.mark.parametrize(
    ("loc", "name"),
    [
        (("body", "payload", "scans", 3, "code"), "scans.3.code"),
        (("query", "limit"), "limit"),
        (("body", "payload"), "__all__"),
        (("client_id",), "client_id"),
    ],
)
def test_field_paths_drop_the_framework_prefix(loc, name):
    assert fields_from_pydantic([{"loc": loc, "msg": "x"}]) == {name: ["x"]}
