"""Attendee files as people's tools save them: German Excel (Windows-1252, semicolons),
Excel "Unicode text" (UTF-16, tabs), UTF-8 with BOM, decomposed names, odd headers."""

import random

import pytest
from django.core.management import call_command
from django.utils import translation

from badges.importer import ImportFileError, csv_parse
from badges.models import Attendee
from badges.services.attendee_import import attendees_import

GERMAN_EXCEL = (
    "Ticketnummer;Vorname;Nachname;E-Mail-Adresse;Unternehmen;PLZ;Land;Telefon\r\n"
    "T-1;Jürgen;Müßig;jm@example.org;Groß – Straßenbau GmbH;01067;Deutschland;+49 351 1234\r\n"
    "T-2;Zoë;Œhler;zo@example.org;Café „Zur Börse“;80331;DE;0049 89 1\r\n"
)


def test_german_excel_csv_in_windows_1252_with_semicolons(fair):
    report = attendees_import(fair=fair, content=GERMAN_EXCEL.encode("cp1252"), dry_run=False)

    assert (report.encoding, report.delimiter) == ("Windows-1252", "semicolon")
    assert report.counts["created"] == 2
    assert dict(report.mapping) == {
        "Ticketnummer": "external_id",
        "Vorname": "first_name",
        "Nachname": "last_name",
        "E-Mail-Adresse": "email",
        "Unternehmen": "company",
        "PLZ": "postal_code",
        "Land": "country",
        "Telefon": "phone",
    }
    jm = Attendee.objects.get(external_id="T-1")
    assert (jm.last_name, jm.company, jm.postal_code, jm.phone) == (
        "Müßig",
        "Groß – Straßenbau GmbH",
        "01067",
        "+49 351 1234",
    )
    assert Attendee.objects.get(external_id="T-2").company == "Café „Zur Börse“"


def test_excel_unicode_text_is_utf16_with_tabs(fair):
    text = (
        "Vorname\tNachname\tE-Mail\tFirma\r\n"
        "محمد\tعبد الله\tm@example.org\tشركة\r\n"
        "さくら\t佐藤\ts@example.org\t東京電力\r\n"
    )
    report = attendees_import(fair=fair, content=text.encode("utf-16"), dry_run=False)

    assert (report.encoding, report.delimiter) == ("UTF-16", "tab")
    assert set(Attendee.objects.values_list("last_name", flat=True)) == {"佐藤", "عبد الله"}


def test_utf8_with_bom_and_commas(fair):
    content = "\ufefffirst_name,last_name,email\nÅsa,Öberg,a@example.org\n".encode()
    report = attendees_import(fair=fair, content=content, dry_run=False)
    assert (report.encoding, report.delimiter) == ("UTF-8 (BOM)", "comma")
    assert Attendee.objects.get().first_name == "Åsa"


def test_decomposed_names_are_stored_composed(fair):
    content = "Vorname;Nachname;E-Mail\nJu\u0308rgen;Nguye\u0302\u0303n;j@example.org\n"
    attendees_import(fair=fair, content=content.encode(), dry_run=False)
    attendee = Attendee.objects.get()
    assert (attendee.first_name, attendee.last_name) == ("Jürgen", "Nguyễn")


def test_a_file_whose_encoding_cannot_be_told_is_refused_naming_the_guess(fair):
    noise = bytes(random.Random(1).randrange(0x80, 0x100) for _ in range(40))
    content = b"first_name;last_name;email\n" + noise + b";x;a@b.de\n"
    with (
        translation.override("en"),
        pytest.raises(ImportFileError, match=r"cannot be told for sure \(it may be JOHAB\)"),
    ):
        attendees_import(fair=fair, content=content, dry_run=True)


def test_columns_can_be_mapped_by_hand_and_the_mapping_wins(fair):
    content = b"Teilnehmer-ID;Vorname;Nachname;Mail;Firma;Sitzplatz\nX9;A;B;a@b.de;C;12\n"
    parsed = csv_parse(content, mapping={"Teilnehmer-ID": "external_id", "Firma": ""})
    assert dict(parsed.mapping) == {
        "Teilnehmer-ID": "external_id",
        "Vorname": "first_name",
        "Nachname": "last_name",
        "Mail": "email",
        "Firma": None,
        "Sitzplatz": None,
    }
    assert parsed.preview() == [
        {"external_id": "X9", "first_name": "A", "last_name": "B", "email": "a@b.de"}
    ]


def test_a_mapping_to_an_unknown_field_is_refused():
    with translation.override("en"), pytest.raises(ImportFileError, match="Unknown field"):
        csv_parse(b"a;b;c\n1;2;3\n", mapping={"a": "shoe_size"})


def test_command_takes_column_mappings(fair, tmp_path, capsys):
    path = tmp_path / "tickets.csv"
    path.write_bytes("Teilnehmer-ID;Vorname;Nachname;Kontakt\nX9;Zoë;B;z@b.de\n".encode("cp1252"))
    call_command(
        "import_attendees",
        str(path),
        "--fair",
        fair.slug,
        "--map",
        "Teilnehmer-ID=external_id",
        "--map",
        "Kontakt=email",
    )
    out = capsys.readouterr().out
    assert "Encoding Windows-1252, separator semicolon" in out
    assert "Kontakt → email" in out
    assert Attendee.objects.get().external_id == "X9"


def test_dry_run_reports_names_a_badge_prints_otherwise(fair):
    content = "Vorname;Nachname;E-Mail\nAnna 😀;Schmidt;a@example.org\nBo;Li;b@example.org\n"
    report = attendees_import(fair=fair, content=content.encode(), dry_run=True)
    warned = [(row.line, row.warnings) for row in report.rows if row.warnings]
    assert len(warned) == 1 and warned[0][0] == 2
    assert "😀" in warned[0][1][0]
    assert not Attendee.objects.exists()
