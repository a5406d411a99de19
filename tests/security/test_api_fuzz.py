"""Both APIs fuzzed from their own OpenAPI documents (schemathesis, in-process WSGI calls).

Every operation gets a bounded number of generated requests, derandomised so that a run is
repeatable; each answer must be no 5xx and must match the documented status codes, content
type, headers and response schema. Authenticated as a real scanner device / organizer token.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from api.v1.services import api_token_create
from leads.services.devices import device_provision
from tests import factories

EXAMPLES = 25
# Every answer is checked for: no 5xx, a documented status code, content type and headers,
# and a body that matches the documented schema. Two heuristics of schemathesis are left out
# because they judge business rules, not conformance: "every schema-valid request succeeds"
# (a well-formed but wrong pairing code is 400, a revoked badge 410, an own staff badge 422)
# and "every schema-violating request is refused" (unknown query parameters are ignored, as
# HTTP APIs do, and a batch answers a broken item in its own result inside a 200 so that one
# bad scan never holds up an offline queue).
EXCLUDED_CHECKS = [positive_data_acceptance, negative_data_rejection]
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def wsgi_app():
    # As Django's test client does: requests must not close the database connection, which
    # holds the test's transaction (PostgreSQL would otherwise lose it after one request).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_data(exhibitor, fair, settings):
    # The fuzzer is one client at one address: keep the limits out of its way (they have
    # their own tests in test_rate_limits.py) while every route still counts.
    settings.FAIRLEAD_RATE_LIMITS = {
        "pairing_ip": (10_000, 600),
        "scans_device": (10_000, 600),
        "api_token": (10_000, 60),
        "api_anon_ip": (10_000, 60),
    }
    for _ in range(3):
        factories.make_badge(fair=fair)
    return exhibitor


@pytest.fixture
def scan_api_schema(wsgi_app, fuzz_data):
    return schemathesis.openapi.from_wsgi("/api/scan/openapi.json", wsgi_app)


@pytest.fixture
def v1_api_schema(wsgi_app, fuzz_data):
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=openapi-json", wsgi_app)


@pytest.fixture
def device_token(fuzz_data) -> str:
    return device_provision(exhibitor=fuzz_data, label="Fuzzed phone").token


@pytest.fixture
def organizer_key(fuzz_data) -> str:
    organizer = factories.make_organizer()
    _token, key = api_token_create(user=organizer, name="Fuzzer", created_by=organizer)
    return key


def fuzz(schema, headers: dict[str, str]) -> list[str]:
    """Run every operation with valid (positive) and invalid (negative) generated requests;
    return what failed, one line per operation and mode."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @FUZZ_SETTINGS
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                case.call_and_validate(headers=headers, excluded_checks=EXCLUDED_CHECKS)

            try:
                run()
            except Unsatisfiable:
                if mode is GenerationMode.POSITIVE:
                    raise
                # No request can violate this operation's schema (e.g. one free-text id).
            except Exception as error:
                failures.append(f"{operation.label} [{mode.value}]: {error}")
    return failures


def test_scan_api_answers_every_generated_request_as_documented(scan_api_schema, device_token):
    failures = fuzz(scan_api_schema, {"Authorization": f"Bearer {device_token}"})
    assert not failures, "\n\n".join(failures)


def test_back_office_api_answers_every_generated_request_as_documented(
    v1_api_schema, organizer_key
):
    failures = fuzz(v1_api_schema, {"Authorization": f"Bearer {organizer_key}"})
    assert not failures, "\n\n".join(failures)
