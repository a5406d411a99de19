"""Property-based tests (hypothesis): the badge code format and the attendee CSV import."""

import contextlib
import csv
import io

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from badges.codes import (
    ALPHABET,
    SECRET_LENGTH,
    SHORT_BODY_LENGTH,
    CodeFormatError,
    check_char,
    code_parse,
    qr_content,
    short_code_display,
    short_code_normalize,
)
from badges.importer import ImportFileError, csv_parse, row_validate
from badges.models import Attendee
from badges.services.attendee_import import attendees_import

bodies = st.text(alphabet=ALPHABET, min_size=SHORT_BODY_LENGTH, max_size=SHORT_BODY_LENGTH)
short_codes = bodies.map(lambda body: body + check_char(body))
secrets_ = st.text(alphabet=ALPHABET, min_size=SECRET_LENGTH, max_size=SECRET_LENGTH)


# --- badge codes -------------------------------------------------------------------------------


@given(short_codes)
def test_every_short_code_parses_back_to_itself_however_it_is_typed(code):
    assert short_code_normalize(code) == code
    display = short_code_display(code)
    assert code_parse(display) == ("short", code)
    assert code_parse(f"  {display.lower()} ") == ("short", code)
    assert code_parse(display.replace("0", "O").replace("1", "l")) == ("short", code)


@given(secrets_)
def test_every_qr_content_parses_back_to_its_secret(secret):
    assert code_parse(qr_content(secret)) == ("secret", secret)
    assert code_parse(qr_content(secret).lower()) == ("secret", secret)


@given(short_codes, st.integers(0, SHORT_BODY_LENGTH), st.sampled_from(ALPHABET))
def test_every_single_character_substitution_is_detected(code, position, char):
    if code[position] == char:
        char = ALPHABET[(ALPHABET.index(char) + 1) % len(ALPHABET)]
    typo = code[:position] + char + code[position + 1 :]
    with pytest.raises(CodeFormatError):
        short_code_normalize(typo)


@given(short_codes, st.integers(0, SHORT_BODY_LENGTH - 1))
def test_every_adjacent_transposition_is_detected(code, position):
    a, b = code[position], code[position + 1]
    if a == b:
        return  # swapping two equal characters changes nothing
    typo = code[:position] + b + a + code[position + 2 :]
    with pytest.raises(CodeFormatError):
        short_code_normalize(typo)


def test_the_typo_properties_hold_for_every_substitution_of_one_code_exhaustively():
    code = "7K3MZQ0PXA" + check_char("7K3MZQ0PXA")
    for position in range(len(code)):
        for char in ALPHABET:
            if char != code[position]:
                typo = code[:position] + char + code[position + 1 :]
                with pytest.raises(CodeFormatError):
                    short_code_normalize(typo)


@settings(max_examples=500)
@given(st.text())
def test_arbitrary_text_never_crashes_the_code_parser(text):
    try:
        kind, value = code_parse(text)
    except CodeFormatError:
        return
    assert kind in {"secret", "short"}
    assert all(char in ALPHABET for char in value)


# --- the attendee CSV import -------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_the_csv_parser(content):
    try:
        parsed = csv_parse(content)
    except ImportFileError as error:
        assert str(error)
        return
    for _line, raw in parsed.rows:
        row_validate(raw)  # never raises: problems are listed in .errors


HEADER = [
    "Vorname",
    "Nachname",
    "E-Mail",
    "Firma",
    "Land",
    "Kategorie",
    "Einwilligung",
    "Ticket-Nr",
]
junk = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
cells = {
    "Vorname": st.one_of(st.sampled_from(["Jana", "Ömer", ""]), junk),
    "Nachname": st.one_of(st.sampled_from(["Muster", "Łukasz-Ng", ""]), junk),
    "E-Mail": st.one_of(
        st.sampled_from(["a@example.org", "b@example.org", "A@EXAMPLE.ORG", "kaputt", ""]),
        st.emails().map(lambda address: address[:60]),
        junk,
    ),
    "Firma": st.one_of(st.just("Stadtwerke"), st.text(max_size=300)),
    "Land": st.sampled_from(["DE", "Deutschland", "Atlantis", "", "nl"]),
    "Kategorie": st.sampled_from(["Besucher", "Presse", "Organizer", "Sonstwas", ""]),
    "Einwilligung": st.sampled_from(["ja", "nein", "", "vielleicht", "x"]),
    "Ticket-Nr": st.one_of(st.sampled_from(["", "T-1", "T-2", "T-1"]), junk),
}
rows = st.lists(st.fixed_dictionaries(cells), max_size=8)
# Rows that mostly pass validation, so that they meet (and update) earlier rows often.
plausible = {
    "Vorname": st.sampled_from(["Jana", "Ömer"]),
    "Nachname": st.sampled_from(["Muster", "Łukasz-Ng"]),
    "E-Mail": st.sampled_from(["a@example.org", "b@example.org", "A@EXAMPLE.ORG"]),
    "Firma": st.sampled_from(["Stadtwerke", "", "x" * 250]),
    "Land": st.sampled_from(["DE", "nl", ""]),
    "Kategorie": st.sampled_from(["Besucher", "Presse", ""]),
    "Einwilligung": st.sampled_from(["ja", "nein", ""]),
    "Ticket-Nr": st.sampled_from(["", "T-1", "T-2"]),
}
JANA = {
    "Vorname": "Jana",
    "Nachname": "Muster",
    "E-Mail": "a@example.org",
    "Firma": "Stadtwerke",
    "Land": "DE",
    "Kategorie": "Besucher",
    "Einwilligung": "ja",
    "Ticket-Nr": "T-1",
}
any_row = st.one_of(
    st.fixed_dictionaries(plausible), st.fixed_dictionaries(plausible), st.fixed_dictionaries(cells)
)
# Each example runs in its own rolled-back transaction, so the fixtures' rows are shared safely.
DB_FIXTURE = [HealthCheck.function_scoped_fixture]


def csv_bytes(header: list[str], records: list[dict], delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for record in records:
        writer.writerow([record[name] for name in header])
    return out.getvalue().encode()


def attendee_state(attendee: Attendee) -> dict:
    return {
        "first_name": attendee.first_name,
        "last_name": attendee.last_name,
        "email": attendee.email,
        "company": attendee.company,
        "country": attendee.country,
        "category": attendee.category,
        "external_id": attendee.external_id,
        "lead_sharing": attendee.lead_sharing,
        "badges": attendee.badges.count(),
    }


def snapshot(fair) -> dict[int, dict]:
    return {a.pk: attendee_state(a) for a in Attendee.objects.filter(fair=fair)}


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=DB_FIXTURE)
@given(records=rows, delimiter=st.sampled_from([";", ","]))
def test_import_of_any_file_never_crashes_and_explains_every_refusal(fair, records, delimiter):
    content = csv_bytes(HEADER, records, delimiter)
    with transaction.atomic():
        try:
            report = attendees_import(fair=fair, content=content, dry_run=False)
        except ImportFileError:
            assert not Attendee.objects.filter(fair=fair).exists()  # a refused file: nothing
        else:
            created = report.count("created")
            assert Attendee.objects.filter(fair=fair).count() == created
            assert all(row.reasons for row in report.rows if row.action == "rejected")
            event(f"created {min(created, 3)}+")
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(max_examples=80, deadline=None, suppress_health_check=DB_FIXTURE)
@given(
    earlier=st.lists(st.fixed_dictionaries(cells), max_size=2), record=st.fixed_dictionaries(cells)
)
def test_each_row_is_applied_whole_or_not_at_all(fair, earlier, record):
    """Whatever is stored already, a row either leaves everything as it was (refused) or
    leaves exactly one attendee holding all of its values, with a badge, and no other
    attendee touched."""
    with transaction.atomic():
        with contextlib.suppress(ImportFileError):
            attendees_import(fair=fair, content=csv_bytes(HEADER, earlier, ";"), dry_run=False)
        before = snapshot(fair)
        content = csv_bytes(HEADER, [record], ";")
        try:
            report = attendees_import(fair=fair, content=content, dry_run=False)
        except ImportFileError:  # e.g. a NUL character: the whole file is refused
            report = None
        after = snapshot(fair)
        (row,) = report.rows if report else [None]
        event(row.action if row else "file refused")
        if row is None or row.action == "rejected":
            assert after == before
        else:
            values = row_validate(dict(csv_parse(content).rows)[row.line]).values
            touched = [pk for pk in after if after[pk] != before.get(pk)]
            if row.action == "unchanged":
                assert touched == []
            else:
                assert len(touched) == 1
                (pk,) = touched
                assert (pk in before) == (row.action == "updated")
                assert all(after[pk][name] == value for name, value in values.items())
                assert after[pk]["badges"] == 1
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=DB_FIXTURE)
@given(records=rows)
def test_a_dry_run_stores_nothing_and_predicts_the_import(fair, records):
    content = csv_bytes(HEADER, records, ";")
    with transaction.atomic():
        try:
            preview = attendees_import(fair=fair, content=content, dry_run=True)
        except ImportFileError:
            transaction.set_rollback(True)
            return
        assert not Attendee.objects.filter(fair=fair).exists()
        applied = attendees_import(fair=fair, content=content, dry_run=False)
        assert [(r.line, r.action) for r in preview.rows] == [
            (r.line, r.action) for r in applied.rows
        ]
        transaction.set_rollback(True)
