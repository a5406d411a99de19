"""The scan routes answer with schema instances built without validation (api/scan/schemas.py,
``lead_built``/``batch_built``): they must render to exactly the JSON django-ninja renders from
the validated dicts."""

import json
import uuid

import pytest
from ninja.responses import NinjaJSONEncoder

from api.errors import ErrorCode, error_body
from api.scan.schemas import BatchOut, LeadOut, batch_built, lead_built, lead_out
from fair.models import Topic
from leads.services.capture import lead_capture

pytestmark = pytest.mark.django_db


def _rendered(model) -> str:
    # What django-ninja does with a response schema instance: dump, then its JSON encoder.
    return json.dumps(model.model_dump(), cls=NinjaJSONEncoder)


@pytest.fixture
def leads(scanner, badge, private_badge):
    badge.attendee.topics.set(Topic.objects.all()[:2])
    shared = lead_capture(
        device=scanner.device,
        code=badge.qr_content,
        client_id=uuid.uuid4(),
        rating="hot",
        note="Wants a quote",
    ).lead
    private = lead_capture(
        device=scanner.device, code=private_badge.qr_content, client_id=uuid.uuid4()
    ).lead
    return [shared, private]


def test_a_built_lead_renders_as_the_validated_one(leads):
    for lead in leads:
        data = lead_out(lead)
        assert _rendered(lead_built(data)) == _rendered(LeadOut.model_validate(data))


def test_the_leads_compared_cover_topics_notes_and_hidden_contacts(leads):
    shared, private = (lead_out(lead) for lead in leads)
    assert len(shared["attendee"]["topics"]) == 2 and shared["notes"] and shared["rating"]
    assert "email" not in private["attendee"]  # filled with null by the schema
    assert '"email": null' in _rendered(lead_built(private))


def test_a_built_batch_renders_as_the_validated_one(leads):
    items = [
        (201, lead_out(leads[0]), None),
        (200, lead_out(leads[1]), None),
        (404, None, error_body(code=ErrorCode.BADGE_UNKNOWN)),
        (422, None, error_body(code=ErrorCode.VALIDATION_ERROR, fields={"code": ["Too long."]})),
    ]
    validated = BatchOut.model_validate(
        {"results": [{"status": s, "lead": lead, "error": error} for s, lead, error in items]}
    )
    assert _rendered(batch_built(items)) == _rendered(validated)
