"""The one error-code table: every domain exception is listed, every code has a status and a
text, and both APIs answer a domain error with the table's code, status and text."""

import json

import pytest
from django.test import Client

from api.errors import ERRORS, EXCEPTION_CODES, ErrorCode, error_codes_markdown, exception_code
from badges import exceptions as badge_errors
from exhibitors import exceptions as exhibitor_errors
from leads import exceptions as leads_errors


def _subclasses(base: type) -> set[type]:
    found = set()
    for sub in base.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


@pytest.mark.parametrize(
    "base",
    [leads_errors.LeadsError, exhibitor_errors.ExhibitorError],
)
def test_every_domain_exception_is_listed_explicitly(base):
    missing = {kind.__name__ for kind in _subclasses(base) if kind not in EXCEPTION_CODES}
    assert not missing, f"add these to api.errors.EXCEPTION_CODES: {sorted(missing)}"


def test_badge_errors_have_their_codes():
    assert exception_code(badge_errors.BadgeUnknown()) is ErrorCode.BADGE_UNKNOWN
    assert exception_code(badge_errors.BadgeRevoked(None)) is ErrorCode.BADGE_REVOKED


def test_a_code_never_comes_from_a_class_name():
    class SomethingNew(exhibitor_errors.ExhibitorError):
        pass

    assert exception_code(SomethingNew("x")) is ErrorCode.EXHIBITOR_CONFLICT
    assert exception_code(ValueError()) is None


def test_every_code_has_a_status_and_a_text_and_is_documented():
    assert set(ERRORS) == set(ErrorCode)
    markdown = error_codes_markdown()
    for code, spec in ERRORS.items():
        assert 400 <= spec.status <= 599 and str(spec.detail)
        assert f"`{code.value}` ({spec.status})" in markdown


def test_both_apis_answer_with_the_table_text(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    scan = client.post(
        "/api/scan/pair", json.dumps({"pairing_code": "AAAA-BBBB-CCCC"}), "application/json"
    )
    assert scan.json() == {
        "error": "pairing_code_invalid",
        "detail": str(ERRORS[ErrorCode.PAIRING_CODE_INVALID].detail),
    }
    v1 = client.get("/api/v1/leads/", HTTP_AUTHORIZATION="Bearer fl_api_unknown")
    assert v1.json() == {
        "error": "token_invalid",
        "detail": str(ERRORS[ErrorCode.TOKEN_INVALID].detail),
    }
    scan = client.get("/api/scan/me", HTTP_AUTHORIZATION="Bearer fl_dev_unknown")
    assert scan.json() == v1.json()
