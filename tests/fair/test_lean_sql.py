"""fair/lean_sql.py against the ORM: same instances, same rows; and the Django internals it
relies on are still there (these tests fail on a Django upgrade that changes them)."""

import datetime
import inspect
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
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
    # Each row its own values: a column or row out of place shows.
    for number, lead in enumerate(leads, 1):
        lead.scan_count = 10 + number
        lead.last_scanned_at = now + datetime.timedelta(minutes=number)
    rows_update(leads, ["scan_count", "last_scanned_at"])
    for number, lead in enumerate(leads, 1):
        stored = Lead.objects.get(pk=lead.pk)
        assert (stored.scan_count, stored.last_scanned_at, stored.answers) == (
            10 + number,
            now + datetime.timedelta(minutes=number),
            {"1": ["a", "b"]},
        )


def test_rows_insert_keeps_nulls_and_the_order_of_the_rows(scanner, fair):
    result = lead_capture(
        device=scanner.device,
        code=factories.make_badge(fair=fair).qr_content,
        client_id=uuid.uuid4(),
    )
    now = timezone.now()
    notes = [
        LeadNote(
            lead=result.lead,
            text=f"note {n}",
            device=scanner.device if n % 2 else None,
            written_at=now + datetime.timedelta(seconds=n),
        )
        for n in range(5)
    ]
    rows_insert(notes)
    stored = {note.pk: note for note in LeadNote.objects.all()}
    assert [(stored[n.pk].text, stored[n.pk].device_id, stored[n.pk].author_id) for n in notes] == [
        (f"note {n}", scanner.device.pk if n % 2 else None, None) for n in range(5)
    ]


def _statements(run) -> list[str]:
    seen: list[str] = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        run()
    return seen


def test_a_list_is_one_array_on_postgresql_and_a_placeholder_each_elsewhere(scanner, fair):
    attendees = [factories.make_attendee(fair=fair) for _ in range(3)]
    select = LeanSelect(
        [("a", type(attendees[0]), ["id"])], "{attendee} a WHERE a.id {ids_in} ORDER BY a.id"
    )
    ids = [attendee.pk for attendee in attendees]
    found: dict[int, list[int]] = {}

    def run(size: int):
        def select_rows():
            found[size] = [row[0].pk for row in select.rows([ids[:size]], model=type(attendees[0]))]

        return _statements(select_rows)

    [one], [three], [none] = run(1), run(3), run(0)
    assert (found[1], found[3], found[0]) == (ids[:1], ids, [])
    if connection.vendor == "postgresql":
        # The same text whatever the length: psycopg converts it once, PostgreSQL prepares it.
        assert one == three == none and "= ANY(%s)" in one
    else:
        assert "IN (%s)" in one and "IN (%s, %s, %s)" in three and "IN (NULL)" in none


def test_rows_insert_and_update_text_does_not_grow_with_the_rows_on_postgresql(scanner, fair):
    now = timezone.now()

    def leads(count: int) -> list[Lead]:
        return [
            Lead(
                exhibitor=scanner.device.exhibitor,
                attendee=factories.make_attendee(fair=fair),
                first_scanned_at=now,
                last_scanned_at=now,
            )
            for _ in range(count)
        ]

    two, five = leads(2), leads(5)
    [insert_two], [insert_five] = (
        _statements(lambda: rows_insert(two)),
        _statements(lambda: rows_insert(five)),
    )
    [update_two] = _statements(lambda: rows_update(two, ["scan_count"]))
    [update_five] = _statements(lambda: rows_update(five, ["scan_count"]))
    if connection.vendor == "postgresql":
        assert insert_two == insert_five and update_two == update_five
        # one array per column
        assert insert_two.count("%s") == len(Lead._meta.concrete_fields) - 1
    else:
        assert insert_five.count("%s") == 5 * insert_two.count("%s") // 2
    assert Lead.objects.count() == 7


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


def test_the_benchmarks_orm_version_of_the_scan_path_still_applies():
    # bench/scan_load.py --without-lean-sql measures this checkout with the patch applied; a
    # change to the scan path must bring the patch along, or there is no figure to compare.
    root = Path(__file__).resolve().parents[2]
    if not (root / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs a git checkout")
    patch = root / "bench" / "scan_without_lean_sql.patch"
    checked = subprocess.run(
        ["git", "apply", "--check", str(patch)], cwd=root, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
