"""A whole program from a CSV file as German Excel saves it (semicolons, Windows-1252 or
UTF-8 with BOM), with a dry run and per-row results."""

import pytest

from fair.forum.importer import ProgramFileError, program_import
from fair.models import ForumSession, Room
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = (
    "Nr;Datum;Beginn;Ende;Raum;Plätze;Titel;Titel (en);Kurzfassung;Thema;Pilotprojekt;"
    "Referenten;Abstimmung"
)
ROWS = [
    "F1-01;{d1};10:00;10:30;Forum Halle 3;150;Wärmewende im Quartier;Heat transition;"
    "Was funktioniert;Wärmewende;Hafenquartier;"
    '"Dr. Jörg Wärmer (Energie Muster AG, Leitung Netze); Ömer Öztürk (Stadt, Moderation)";'
    '"Prognosebasierte Steuerung | Forecast-based control; Smarte Thermostate"',
    "F1-02;{d1};10.45;11.15;Forum Halle 3;;Smartes Parken;Smart parking;;Smart parking;;"
    "Greta Parkmann (Parkwerk);Bodensensoren",
]


@pytest.fixture
def smart_city(db):
    area = factories.make_area()
    return area.fair


def _file(fair, rows=ROWS, *, encoding="cp1252", bom=False) -> bytes:
    day = fair.starts_on.strftime("%d.%m.%Y")
    text = "\r\n".join([HEADER, *(row.format(d1=day) for row in rows)]) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


@pytest.mark.parametrize(("encoding", "bom"), [("cp1252", False), ("utf-8", True)])
def test_german_excel_files_import_with_umlauts_speakers_and_items(smart_city, encoding, bom):
    report = program_import(
        fair=smart_city, content=_file(smart_city, encoding=encoding, bom=bom), dry_run=False
    )
    assert report.encoding == ("Windows-1252" if encoding == "cp1252" else "UTF-8")
    assert [(row.line, row.action, row.errors) for row in report.rows] == [
        (2, "new", []),
        (3, "new", []),
    ]
    assert report.rooms_created == ["Forum Halle 3"]
    first = ForumSession.objects.get(code="F1-01")
    assert first.title_de == "Wärmewende im Quartier" and first.topic.name_en == "Heat transition"
    assert [(s.name, s.organization, s.role) for s in first.speakers.all()] == [
        ("Dr. Jörg Wärmer", "Energie Muster AG", "Leitung Netze"),
        ("Ömer Öztürk", "Stadt", "Moderation"),
    ]
    assert list(first.vote_items.values_list("title_de", "title_en")) == [
        ("Prognosebasierte Steuerung", "Forecast-based control"),
        ("Smarte Thermostate", ""),
    ]
    second = ForumSession.objects.get(code="F1-02")
    assert second.starts_at.astimezone(second.starts_at.tzinfo).hour == 9  # 10:45 CET in UTC
    assert Room.objects.get().capacity == 150


def test_dry_run_reports_every_row_and_saves_nothing(smart_city):
    report = program_import(fair=smart_city, content=_file(smart_city), dry_run=True)
    assert report.saved == 2 and report.failed == 0 and report.dry_run
    assert not ForumSession.objects.exists() and not Room.objects.exists()


def test_importing_the_same_file_again_updates_instead_of_doubling(smart_city):
    program_import(fair=smart_city, content=_file(smart_city), dry_run=False)
    items = list(ForumSession.objects.get(code="F1-01").vote_items.values_list("pk", flat=True))
    report = program_import(fair=smart_city, content=_file(smart_city), dry_run=False)
    assert [row.action for row in report.rows] == ["updated", "updated"]
    assert ForumSession.objects.count() == 2 and Room.objects.count() == 1
    assert (
        list(ForumSession.objects.get(code="F1-01").vote_items.values_list("pk", flat=True))
        == items
    )


def test_a_bad_row_is_reported_and_the_others_are_saved(smart_city):
    rows = [
        *ROWS,
        "F1-03;31.02.2019;10:00;10:30;Forum Halle 3;;Falsches Datum;;;;;;",
        "F1-04;{d1};10:15;10:40;Forum Halle 3;;Überschneidung;;;;;;",
        "F1-05;{d1};12:00;12:30;Neuer Raum;;Raum ohne Plätze;;;;;;",
        "F1-06;{d1};13:00;13:30;Forum Halle 3;;Unbekanntes Thema;;;Raumfahrt;;;",
    ]
    report = program_import(fair=smart_city, content=_file(smart_city, rows), dry_run=False)
    errors = {row.code: " ".join(row.errors) for row in report.rows if row.errors}
    assert set(errors) == {"F1-03", "F1-04", "F1-05", "F1-06"}
    assert "no date" in errors["F1-03"]
    assert "taken by session F1-01" in errors["F1-04"]
    assert "seats" in errors["F1-05"]
    assert "no topic" in errors["F1-06"]
    assert sorted(ForumSession.objects.values_list("code", flat=True)) == ["F1-01", "F1-02"]
    assert not Room.objects.filter(name="Neuer Raum").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"Nr;Titel\r\n1;x\r\n", "lacks the column"),
        (b"Nr;Datum\x00", "NUL"),
        (b"\x81\x8d\x8f", "neither UTF-8 nor Windows-1252"),
    ],
)
def test_unreadable_files_get_a_clear_error(smart_city, content, message):
    with pytest.raises(ProgramFileError, match=message):
        program_import(fair=smart_city, content=content, dry_run=True)
