"""fair/lean_sql.py against the ORM: same instances, same rows; and the Django internals it
relies on are still there (these tests fail on a Django upgrade that changes them)."""

import datetime
import inspect
import uuid

from django.db import connection
from django.db.models import Field, Model
from django.db.models.sql import Query
from django.utils import timezone

from fair.lean_sql import LeanSelect, rows_insert, rows_update
from leads.models import Lead, LeadNote, Scan, ScannerDevice
from leads.selectors import device_for_token, lead_notes
from leads.services.capture import lead_capture
from tests import factories


def test_the_django_internals_used_are_still_there():
    compiler = connection.ops.compiler("SQLCompiler")(Query(None), connection, "default")
    assert callable(compiler.get_converters) and callable(compiler.apply_converters)
    assert list(inspect.signature(compiler.get_converters).parameters) == ["expressions"]
    assert list(inspect.signature(compiler.apply_converters).parameters) == [
        "rows",
        "converters",
    ]
    assert list(inspect.signature(Field.get_col).parameters)[:2] == ["self", "alias"]
    assert list(inspect.signature(Model.from_db).parameters) == ["db", "field_names", "values"]
    assert list(inspect.signature(Field.pre_save).parameters) == ["self", "model_instance", "add"]
    assert "connection" in inspect.signature(Field.get_db_prep_save).parameters
    lead = Lead()
    assert lead._state.adding is True and hasattr(lead._state, "db")


def _fields(instance: Model) -> dict:
    return {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields
    }


def test_lean_rows_equal_the_orm_for_every_field_kind(scanner, badge):
    # datetimes (time zones), JSON (answers, tags), UUIDs, booleans, nullable foreign keys
    result = lead_capture(
        device=scanner.device,
        code=badge.qr_content,
        client_id=uuid.uuid4(),
        rating="hot",
        note="Wants a quote",
    )
    lead = result.lead
    lean = LeanSelect(
        [("l", Lead, [f.name for f in Lead._meta.concrete_fields])], "{lead} l WHERE l.id = %s"
    )
    [[from_lean]] = lean.rows([lead.pk], model=Lead)
    assert _fields(from_lean) == _fields(Lead.objects.get(pk=lead.pk))
    assert _fields(result.scan) == _fields(Scan.objects.get())
    [note] = lead_notes(lead_ids=[lead.pk])[lead.pk]
    assert _fields(note) == _fields(LeadNote.objects.get())
    assert note.device.label == scanner.device.label and note.author is None


def test_device_for_token_loads_what_the_orm_loads(scanner):
    device = device_for_token(token=scanner.token)
    orm = ScannerDevice.objects.select_related("exhibitor__fair").get(pk=scanner.device.pk)
    assert _fields(device) == _fields(orm)
    assert device.exhibitor.fair_id == orm.exhibitor.fair_id
    assert _fields(device.exhibitor.fair) == _fields(orm.exhibitor.fair)
    assert device.exhibitor.state == orm.exhibitor.state


def test_rows_insert_and_update_write_what_the_orm_reads_back(scanner, fair):
    attendees = [factories.make_attendee(fair=fair) for _ in range(3)]
    now = timezone.now()
    leads = [
        Lead(
            exhibitor=scanner.device.exhibitor,
            attendee=attendee,
            first_scanned_at=now,
            last_scanned_at=now,
            answers={"1": ["a", "b"]},
        )
        for attendee in attendees
    ]
    rows_insert(leads)
    assert [lead.pk for lead in leads] == list(
        Lead.objects.order_by("pk").values_list("pk", flat=True)
    )
    assert all(not lead._state.adding for lead in leads)
    later = now + datetime.timedelta(minutes=5)
    for lead in leads:
        lead.scan_count = 7
        lead.last_scanned_at = later
    rows_update(leads, ["scan_count", "last_scanned_at"])
    for lead in leads:
        stored = Lead.objects.get(pk=lead.pk)
        assert (stored.scan_count, stored.last_scanned_at, stored.answers) == (
            7,
            later,
            {"1": ["a", "b"]},
        )


def test_topics_of_several_attendees_in_one_query(fair, django_assert_num_queries):
    from leads.selectors import attendee_topics

    area = factories.make_area(fair=fair)
    topics = list(area.topics.order_by("position", "id"))
    first = factories.make_attendee(fair=fair)
    first.topics.set(topics[:2])
    second = factories.make_attendee(fair=fair)
    with django_assert_num_queries(1):
        found = attendee_topics(attendee_ids=[first.pk, second.pk])
    assert found == {first.pk: topics[:2], second.pk: []}
