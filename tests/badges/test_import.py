"""CSV import of attendees from a ticketing system: service, command and parsing."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from badges.importer import MAX_BYTES, ImportFileError, csv_parse
from badges.models import Attendee, Badge
from badges.services.attendee_import import attendees_import
from tests import factories

GOOD = (
    "Ticket-Nr;Vorname;Nachname;E-Mail;Firma;Position;Land;PLZ;Kategorie;Einwilligung;Sitzplatz\n"
    "T-1;Jürgen;Müller;jm@example.org;Stadtwerke;Leiter;Deutschland;44135;Besucher;ja;A12\n"
    "T-2;Łucja;Wiśniewska;lw@example.org;Energa;CTO;PL;00-001;Presse;nein;B3\n"
)


def run(fair, text: str, *, dry_run: bool = False, bom: bool = False):
    content = ("\ufeff" if bom else "") + text
    return attendees_import(fair=fair, content=content.encode(), dry_run=dry_run)


def test_import_creates_attendees_with_badges_and_consent(fair):
    report = run(fair, GOOD)

    assert report.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert report.unknown_columns == ["Sitzplatz"]
    jm = Attendee.objects.get(external_id="T-1")
    assert (jm.first_name, jm.country, jm.category, jm.lead_sharing) == (
        "Jürgen",
        "DE",
        "visitor",
        True,
    )
    assert jm.lead_sharing_at is not None and jm.lead_sharing_text_version == "csv-import"
    lw = Attendee.objects.get(external_id="T-2")
    assert (lw.country, lw.category, lw.lead_sharing) == ("PL", "press", False)
    assert Badge.objects.filter(attendee__fair=fair, state="active").count() == 2


def test_reimporting_the_same_file_changes_nothing(fair):
    run(fair, GOOD)
    before = list(Attendee.objects.values().order_by("pk"))
    badges_before = list(Badge.objects.values().order_by("pk"))

    report = run(fair, GOOD)

    assert report.counts == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert list(Attendee.objects.values().order_by("pk")) == before
    assert list(Badge.objects.values().order_by("pk")) == badges_before


def test_changed_row_is_updated_and_reported_with_fields(fair):
    run(fair, GOOD)

    report = run(fair, GOOD.replace("Stadtwerke;Leiter", "Stadtwerke Dortmund;Leiter"))

    row = report.rows[0]
    assert (row.action, row.changed) == ("updated", ["company"])
    assert Attendee.objects.get(external_id="T-1").company == "Stadtwerke Dortmund"


def test_dry_run_reports_but_saves_nothing(fair):
    report = run(fair, GOOD, dry_run=True)

    assert report.counts["created"] == 2
    assert not Attendee.objects.exists()
    assert not Badge.objects.exists()


def test_bad_row_is_rejected_with_reason_and_others_apply(fair):
    text = (
        "first_name,last_name,email,country,lead_sharing\n"
        "Ann,Ok,ann@example.org,DE,yes\n"
        "Bad,Mail,not-an-email,DE,no\n"
        "Cid,Land,cid@example.org,Narnia,no\n"
        "Dee,Consent,dee@example.org,AT,vielleicht\n"
        ",Nofirst,nf@example.org,DE,no\n"
        "Eve,Ok,eve@example.org,Österreich,no\n"
    )

    report = run(fair, text, bom=True)

    actions = [(row.line, row.action) for row in report.rows]
    assert actions == [
        (2, "created"),
        (3, "rejected"),
        (4, "rejected"),
        (5, "rejected"),
        (6, "rejected"),
        (7, "created"),
    ]
    assert "not-an-email" in report.rows[1].reasons[0]
    assert "Narnia" in report.rows[2].reasons[0]
    assert "vielleicht" in report.rows[3].reasons[0]
    assert "first_name" in report.rows[4].reasons[0]
    assert set(Attendee.objects.values_list("email", flat=True)) == {
        "ann@example.org",
        "eve@example.org",
    }


def test_row_the_database_refuses_is_rolled_back_alone(fair):
    factories.make_attendee(fair=fair, email="taken@example.org")
    text = (
        "external_id,first_name,last_name,email\n"
        "T-9,Nina,Neu,nina@example.org\n"
        "T-10,Tom,Taken,other@example.org\n"
    )
    run(fair, text)
    # T-10 now changes its email to one another visitor has: the database refuses it.
    with translation.override("en"):
        report = run(fair, text.replace("other@example.org", "taken@example.org"))

    assert [row.action for row in report.rows] == ["unchanged", "rejected"]
    assert "email" in report.rows[1].reasons[0].lower()
    assert Attendee.objects.get(external_id="T-10").email == "other@example.org"


def test_duplicate_key_in_one_file_is_rejected(fair):
    text = "external_id,first_name,last_name,email\nT-1,A,B,a@example.org\nT-1,C,D,c@example.org\n"

    with translation.override("en"):
        report = run(fair, text)

    assert [row.action for row in report.rows] == ["created", "rejected"]
    assert "line 2" in report.rows[1].reasons[0]


def test_email_is_the_key_without_ticket_numbers(fair):
    text = "first_name,last_name,email,company\nA,B,a@example.org,X\n"
    run(fair, text)

    report = run(fair, text.replace(",X", ",Y").replace("a@example.org", "A@Example.org"))

    assert report.rows[0].action == "updated"
    assert Attendee.objects.get().company == "Y"


def test_registered_visitor_gets_the_ticket_number_instead_of_a_duplicate(fair):
    visitor = factories.make_attendee(fair=fair, email="v@example.org")

    report = run(fair, "Ticket-Nr,Vorname,Nachname,E-Mail\nT-77,Vera,Visitor,v@example.org\n")

    assert report.rows[0].action == "updated"
    visitor.refresh_from_db()
    assert visitor.external_id == "T-77"
    assert Attendee.objects.filter(fair=fair).count() == 1


def test_english_headers_with_comma_and_quotes(fair):
    text = (
        "FIRST_NAME,Last_Name,Email,Company,Category\n"
        '"Anna","Schmidt-Weber","as@example.org","Müller, Meier & Co.",speaker\n'
    )
    report = run(fair, text)

    assert report.counts["created"] == 1
    attendee = Attendee.objects.get()
    assert (attendee.company, attendee.category) == ("Müller, Meier & Co.", "speaker")


def test_missing_required_column_is_a_file_error(fair):
    with pytest.raises(ImportFileError, match="email"):
        run(fair, "Vorname;Nachname\nA;B\n")


def test_file_in_windows_1252_is_read_and_its_encoding_reported(fair):
    report = attendees_import(
        fair=fair,
        content="Vorname;Nachname;E-Mail\nJürgen;Müßig;j@x.de\n".encode("cp1252"),
        dry_run=False,
    )
    assert report.encoding == "Windows-1252"
    assert Attendee.objects.get().last_name == "Müßig"


def test_huge_file_is_refused_with_a_clear_message():
    with pytest.raises(ImportFileError, match="MB"):
        csv_parse(b"first_name,last_name,email\n" + b"x" * MAX_BYTES)


def test_empty_file_is_refused():
    with pytest.raises(ImportFileError):
        csv_parse(b"\xef\xbb\xbf  \n")


def test_command_imports_and_reports(fair, tmp_path, capsys):
    path = tmp_path / "tickets.csv"
    path.write_text(GOOD, encoding="utf-8-sig")

    call_command("import_attendees", str(path), "--fair", fair.slug, "--dry-run")
    assert not Attendee.objects.exists()
    call_command("import_attendees", str(path), "--fair", fair.slug)

    output = capsys.readouterr().out
    assert "Dry run, nothing saved" in output
    assert "2 created" in output
    assert "Sitzplatz" in output
    assert Attendee.objects.count() == 2


def test_command_refuses_unknown_fair_and_missing_file(fair, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(GOOD)
    with pytest.raises(CommandError, match="No fair"):
        call_command("import_attendees", str(path), "--fair", "nope")
    with pytest.raises(CommandError, match="No file"):
        call_command("import_attendees", str(tmp_path / "missing.csv"), "--fair", fair.slug)


def test_command_without_fair_needs_one_current_fair(fair, tmp_path):
    factories.make_fair()
    path = tmp_path / "t.csv"
    path.write_text(GOOD)
    with pytest.raises(CommandError, match="--fair"):
        call_command("import_attendees", str(path))


def test_a_row_matching_an_attendee_an_earlier_row_creates_updates_it(fair):
    # Press (unlike visitors) may share an email, so the database would take a second one:
    # the import must match the second row to the first row's attendee, as row by row.
    text = (
        "external_id,first_name,last_name,email,category\n"
        "T-1,Anna,Erste,shared@example.org,Presse\n"
        ",Anna,Wieder,shared@example.org,Presse\n"
    )

    report = run(fair, text)

    assert [row.action for row in report.rows] == ["created", "updated"]
    assert list(Attendee.objects.values_list("last_name", flat=True)) == ["Wieder"]
