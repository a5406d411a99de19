"""The attendee import chunk by chunk (what the wizard's progress page drives): each chunk is
done once however often it is asked for, chunks go in order, and the dry run of a chunk shows
what the import will do, also for rows linked to rows of earlier chunks."""

import pytest
from django.db import IntegrityError, transaction

from badges.models import Attendee, AttendeeImportChunk
from badges.services.attendee_import import (
    attendee_import_chunks_delete,
    attendees_import,
    attendees_import_chunk,
)
from tests import factories

# Chunks of two rows: 1–2 | 3–4 | 5–6. Row 4 matches the attendee row 1 creates (by email);
# row 3 gives a registered visitor a ticket number, so that row 5, with that visitor's email
# and another number, is a second visitor with the same email, which the database refuses.
LINKED = (
    b"external_id,first_name,last_name,email\n"
    b"T-1,Anna,Erste,shared@example.org\n"
    b"T-2,Ben,Zweiter,ben@example.org\n"
    b"T-3,Vera,Visitor,taken@example.org\n"
    b",Anna,Wieder,shared@example.org\n"
    b"T-5,Veronika,Visitor,taken@example.org\n"
    b"T-1,Anna,Doppelt,other@example.org\n"
)


def chunk(fair, number: int, *, dry_run: bool, content: bytes = LINKED, size: int = 2):
    return attendees_import_chunk(
        fair=fair,
        upload="u" * 64,
        content=content,
        mapping=None,
        dry_run=dry_run,
        number=number,
        size=size,
    )


def actions(*, dry_run: bool) -> list[str]:
    chunks = AttendeeImportChunk.objects.filter(dry_run=dry_run).order_by("number")
    return [row["action"] for rows in chunks.values_list("rows", flat=True) for row in rows]


@pytest.fixture
def registered(fair):
    return factories.make_attendee(fair=fair, email="taken@example.org", external_id="")


def test_chunked_dry_run_shows_what_the_whole_file_and_the_chunked_import_do(fair, registered):
    whole = attendees_import(fair=fair, content=LINKED, dry_run=True)
    for number in range(3):
        chunk(fair, number, dry_run=True)
    for number in range(3):
        chunk(fair, number, dry_run=False)

    expected = ["created", "created", "updated", "updated", "rejected", "rejected"]
    assert [row.action for row in whole.rows] == expected
    assert actions(dry_run=True) == expected
    assert actions(dry_run=False) == expected
    assert Attendee.objects.get(email="shared@example.org").last_name == "Wieder"


def test_a_chunk_asked_for_again_is_done_once(fair):
    first = chunk(fair, 0, dry_run=False)
    again = chunk(fair, 0, dry_run=False)

    assert (first.done, again.done, first.chunks, first.rows) == (1, 1, 3, 6)
    assert Attendee.objects.filter(fair=fair).count() == 2
    assert AttendeeImportChunk.objects.count() == 1
    assert actions(dry_run=False) == ["created", "created"]


def test_a_chunk_out_of_order_is_left_alone_and_the_answer_names_the_next(fair):
    progress = chunk(fair, 2, dry_run=False)

    assert (progress.done, progress.finished) == (0, False)
    assert not Attendee.objects.exists()
    assert not AttendeeImportChunk.objects.exists()


def test_progress_counts_rows_and_finishes_with_the_last_chunk(fair):
    answers = [chunk(fair, number, dry_run=True) for number in range(3)]

    assert [answer.rows_done(2) for answer in answers] == [2, 4, 6]
    assert [answer.finished for answer in answers] == [False, False, True]
    assert chunk(fair, 3, dry_run=True).finished
    assert not Attendee.objects.exists()  # a dry run saves results, no attendees


def test_a_dry_run_chunk_checks_the_print_of_its_own_rows_only(fair):
    content = "first_name,last_name,email\nAnna 😀,A,a@example.org\nBen 😀,B,b@example.org\n"

    chunk(fair, 0, dry_run=True, content=content.encode(), size=1)
    chunk(fair, 1, dry_run=True, content=content.encode(), size=1)

    rows = [
        row
        for rows in AttendeeImportChunk.objects.order_by("number").values_list("rows", flat=True)
        for row in rows
    ]
    assert [row["line"] for row in rows] == [2, 3]
    assert all(len(row["warnings"]) == 1 for row in rows)


def test_deleting_an_uploads_results_keeps_the_others(fair):
    chunk(fair, 0, dry_run=True)
    attendees_import_chunk(
        fair=fair, upload="v" * 64, content=LINKED, mapping=None, dry_run=True, number=0, size=2
    )

    attendee_import_chunks_delete(upload_prefix="u" * 32)

    assert list(AttendeeImportChunk.objects.values_list("upload", flat=True)) == ["v" * 64]


def test_the_database_refuses_a_second_result_for_a_chunk(fair):
    chunk(fair, 0, dry_run=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        AttendeeImportChunk.objects.create(upload="u" * 64, fair=fair, dry_run=True, number=0)


def test_duplicates_across_chunks_are_found_as_in_the_whole_file(fair):
    content = (
        b"external_id,first_name,last_name,email\n"
        b"T-1,Ohne,Adresse,keine-adresse\n"  # invalid: the next T-1 is no duplicate
        b"T-1,Anna,Erste,anna@example.org\n"
        b"T-2,Ben,Zweiter,ben@example.org\n"
        b" T-1 ,Anna,Doppelt,anna2@example.org\n"  # the same ticket number once trimmed
    )
    whole = attendees_import(fair=fair, content=content, dry_run=True)
    for number in range(4):
        chunk(fair, number, dry_run=True, content=content, size=1)

    chunked = [
        row
        for rows in AttendeeImportChunk.objects.order_by("number").values_list("rows", flat=True)
        for row in rows
    ]
    assert [row.action for row in whole.rows] == ["rejected", "created", "created", "rejected"]
    assert [row["action"] for row in chunked] == [row.action for row in whole.rows]
    assert chunked[3]["reasons"] == whole.rows[3].reasons
