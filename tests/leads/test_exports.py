"""Lead files: parsed back with csv and openpyxl; encodings, privacy, injection, query counts."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.utils import translation

from leads import export_layouts, exports
from leads.models import Lead
from leads.reports import (
    exhibitor_download,
    exhibitor_leads,
    exhibitor_statistics_download,
    fair_zone,
    lead_rows,
    organizer_leads_download,
)
from leads.selectors import lead_contact
from tests.leads import report_fixtures
from tests.leads.report_fixtures import many_leads

world = report_fixtures.world  # the fixture, for this module

SECRET_VALUES = ("secret.ivanov@example.ru", "+7 495 000000", "Geheimer Titel", "101000")


def _bytes(download) -> bytes:
    return b"".join(download.chunks)


def _csv(data: bytes, delimiter=",") -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def _by_last_name(rows: list[dict], key="Last name") -> dict:
    return {row[key]: row for row in rows}


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+cmd|' /C calc'!A0", "-2+3*A1", "@SUM(A1)", "\tTab", "\rCR", '=HYPERLINK("x")'],
)
def test_formula_looking_text_gets_an_apostrophe(value):
    assert exports.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["+49 231 1234-0", "-12", "Jürgen", "", "a=b", "12 @ home"])
def test_plain_text_and_numbers_are_left_alone(value):
    assert exports.neutralise(value) == value


def test_csv_starts_with_bom_and_parses_back_with_umlauts_and_cyrillic(world):
    with translation.override("en"):
        data = _bytes(exhibitor_download(exhibitor=world.exhibitor, fmt="csv"))
    assert data.startswith("\ufeff".encode())
    rows = _by_last_name(_csv(data))
    shared = rows["Groß"]
    assert shared["First name"] == "Jürgen"
    assert shared["Company"] == "Stadtwerke Müllheim"
    assert shared["Email"] == "juergen.gross@stadtwerke.example"
    # … a phone number is not: it keeps its plus sign for the CRM.
    assert shared["Phone"] == "+49 231 1234-0"
    assert shared["Rating"] == "hot"
    assert shared["Tags"] == "Rückruf, Angebot"
    assert shared["Interest topics"] == "Smart parking, Heat transition"
    assert shared["Budget?"] == "> 10k"
    assert shared["Interessen"] == "Parken, Wärme"
    assert shared["Notes"] == "Möchte ein Angebot für 40 Ladesäulen."
    assert shared["First scan (Europe/Berlin)"] == "2019-02-13 10:15:00"
    assert rows["Иванов"]["Company"] == "ООО Умный город"
    assert rows["Şahin"]["Notes"] == "Erster Besuch\nZweiter Besuch, Tag 3"
    assert rows["Şahin"]["Last scan (Europe/Berlin)"] == "2019-02-15 11:00:00"
    assert rows["Şahin"]["Scans"] == "2"


def test_readable_files_name_the_country_in_the_readers_language(world):
    for language, header, name in (("de", "Land", "Deutschland"), ("en", "Country", "Germany")):
        with translation.override(language):
            data = _bytes(exhibitor_download(exhibitor=world.exhibitor, fmt="csv"))
        key = "Nachname" if language == "de" else "Last name"
        assert _by_last_name(_csv(data), key=key)["Groß"][header] == name


def test_csv_for_german_excel_uses_semicolons(world):
    data = _bytes(exhibitor_download(exhibitor=world.exhibitor, fmt="csv-excel"))
    assert data.startswith("\ufeff".encode())
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header.count(";") > 10 and "," not in header.replace("Interessen", "")
    assert len(_csv(data, delimiter=";")) == 4


def test_unshared_contact_fields_appear_in_no_file(world):
    for fmt in exports.export_formats():
        data = _bytes(exhibitor_download(exhibitor=world.exhibitor, fmt=fmt))
        text = (
            data.decode("utf-8-sig")
            if fmt != "xlsx"
            else repr(list(openpyxl.load_workbook(io.BytesIO(data)).active.values))
        )
        assert "Иванов" in text
        for secret in SECRET_VALUES:
            assert secret not in text, (fmt, secret)


def test_other_exhibitors_leads_appear_in_no_file(world):
    for fmt in exports.export_formats():
        data = _bytes(exhibitor_download(exhibitor=world.exhibitor, fmt=fmt))
        if fmt == "xlsx":
            data = repr(list(openpyxl.load_workbook(io.BytesIO(data)).active.values)).encode()
        assert b"Fremdkunde" not in data
        assert b"Vertraulich" not in data


def test_filtered_leads_argument_cannot_reach_another_exhibitor(world):
    download = exhibitor_download(exhibitor=world.exhibitor, fmt="csv", leads=Lead.objects.all())
    assert "Fremdkunde" not in _bytes(download).decode("utf-8-sig")


def test_csv_neutralises_formula_cells(world):
    with translation.override("en"):
        rows = _csv(_bytes(exhibitor_download(exhibitor=world.exhibitor, fmt="csv")))
    row = next(r for r in rows if r["Email"] == "formula@example.org")
    assert row["First name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["Last name"] == "'@SUM(A1:A9)"
    assert row["Company"] == "'+cmd|' /C calc'!A0"
    assert row["Tags"] == "'=1+1"
    assert row["Rückruf wann?"] == '\'=WEBSERVICE("x")'
    assert row["Notes"] == "'\tTab am Anfang"
    # Arithmetic is a formula too (Excel would show 1) …
    assert row["Job title"] == "'-2+3"


def test_xlsx_parses_back_with_values_times_and_no_formulas(world):
    with translation.override("en"):
        data = _bytes(exhibitor_download(exhibitor=world.exhibitor, fmt="xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = list(sheet.values)
    header = list(values[0])
    rows = {
        row[header.index("Last name")]: dict(zip(header, row, strict=True)) for row in values[1:]
    }
    assert len(rows) == 4
    shared = rows["Groß"]
    assert shared["First name"] == "Jürgen"
    assert shared["Budget?"] == "> 10k"
    assert shared["First scan (Europe/Berlin)"] == datetime.datetime(2019, 2, 13, 10, 15)
    assert shared["Scans"] == 1
    assert rows["Иванов"]["First name"] == "Дмитрий"
    assert rows["Иванов"]["Email"] is None
    # Inline strings are never evaluated: the text stays exactly as stored, no apostrophe.
    formula = rows["@SUM(A1:A9)"]
    assert formula["Company"] == "+cmd|' /C calc'!A0"
    assert formula["First name"] == '=HYPERLINK("http://evil.example","click")'
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_salesforce_layout_maps_the_documented_columns(world):
    data = _bytes(exhibitor_download(exhibitor=world.exhibitor, fmt="salesforce"))
    assert not data.startswith("\ufeff".encode())
    rows = _by_last_name(_csv(data), key="Last Name")
    shared = rows["Groß"]
    assert shared["First Name"] == "Jürgen"
    assert shared["Company"] == "Stadtwerke Müllheim"
    assert shared["Title"] == "Leiter Straßenbeleuchtung"
    assert shared["Postal Code"] == "44135"
    assert shared["Rating"] == "Hot"
    assert shared["Lead Source"] == "Trade Show"
    assert "Budget?: > 10k" in shared["Description"]
    assert "Elektrotechnik 2019" in shared["Description"]
    assert shared["Answers"] == "Budget?: > 10k\nInteressen: Parken, Wärme"
    assert shared["Notes"] == "Möchte ein Angebot für 40 Ladesäulen."
    assert shared["First Scan (Europe/Berlin)"] == "2019-02-13 10:15:00"
    assert rows["Şahin"]["Rating"] == ""
    assert rows["Иванов"]["Email"] == ""


def test_salesforce_layout_fills_the_required_company(world):
    lead = world.leads["repeat"]
    lead.attendee.company = ""
    lead.attendee.save()
    rows = _by_last_name(
        _csv(_bytes(exhibitor_download(exhibitor=world.exhibitor, fmt="salesforce"))),
        key="Last Name",
    )
    assert rows["Şahin"]["Company"] == export_layouts.SALESFORCE_NO_COMPANY


def test_hubspot_layout_maps_the_documented_columns(world):
    rows = _by_last_name(
        _csv(_bytes(exhibitor_download(exhibitor=world.exhibitor, fmt="hubspot"))),
        key="Last Name",
    )
    shared = rows["Groß"]
    assert shared["Email"] == "juergen.gross@stadtwerke.example"
    assert shared["Phone Number"] == "+49 231 1234-0"
    assert shared["Company Name"] == "Stadtwerke Müllheim"
    assert shared["Job Title"] == "Leiter Straßenbeleuchtung"
    assert shared["Country/Region"] == "DE"
    assert shared["Postal Code"] == "44135"
    assert shared["Fairlead Rating"] == "hot"
    assert shared["Fairlead Tags"] == "Rückruf, Angebot"
    assert shared["Fairlead Answers"] == "Budget?: > 10k\nInteressen: Parken, Wärme"
    assert shared["Fairlead Last Scan (Europe/Berlin)"] == "2019-02-13 10:15:00"
    assert shared["Fairlead Lead ID"] == f"fairlead-lead-{world.leads['shared'].pk}"
    # Every row has it, also those without an email: HubSpot's key for re-imports.
    assert all(row["Fairlead Lead ID"].startswith("fairlead-lead-") for row in rows.values())
    assert rows["Иванов"]["Email"] == ""


def test_rows_follow_lead_contact_for_every_lead(world):
    """The SQL form of the sharing rule gives exactly what ``lead_contact`` gives."""
    with translation.override("de"):
        rows = {
            row.id: row for row in lead_rows(leads=Lead.objects.all(), zone=fair_zone(world.fair))
        }
        for lead in Lead.objects.select_related("attendee"):
            contact = lead_contact(lead=lead)
            row = rows[lead.pk]
            assert row.contact_shared == contact["contact_shared"]
            for name in (
                "first_name",
                "last_name",
                "company",
                "job_title",
                "email",
                "phone",
                "country",
                "postal_code",
            ):
                assert getattr(row, name) == contact.get(name, ""), (lead.pk, name)
            assert row.topics == contact.get("topics", [])


def test_export_query_count_does_not_grow_with_leads(world, django_assert_num_queries):
    def run():
        return _bytes(exhibitor_download(exhibitor=world.exhibitor, fmt="csv"))

    # questions, leads, then notes and topics for the one chunk
    with django_assert_num_queries(4):
        run()
    many_leads(exhibitor=world.exhibitor, device=world.device, count=30)
    with django_assert_num_queries(4):
        data = run()
    assert len(_csv(data)) == 34


def test_export_reads_in_chunks(world, django_assert_num_queries):
    leads = exhibitor_leads(exhibitor=world.exhibitor)
    # 4 leads in chunks of 3: questions, leads, and notes + topics per chunk.
    with django_assert_num_queries(6):
        rows = list(lead_rows(leads=leads, zone=fair_zone(world.fair), chunk_size=3))
    assert len(rows) == 4


def test_organizer_export_holds_every_exhibitor_with_the_same_privacy(world):
    with translation.override("en"):
        rows = _csv(_bytes(organizer_leads_download(fair=world.fair, fmt="csv")))
    assert {row["Exhibitor"] for row in rows} == {"Wärmewerk Dortmund GmbH", "Konkurrenz AG"}
    private = next(row for row in rows if row["Last name"] == "Иванов")
    assert private["Email"] == "" and private["Contact details shared"] == "no"
    assert "Budget?: > 10k" in next(r for r in rows if r["Last name"] == "Groß")["Answers"]


def test_statistics_export_counts_per_exhibitor(world):
    with translation.override("en"):
        data = _bytes(exhibitor_statistics_download(fair=world.fair, fmt="xlsx"))
    values = list(openpyxl.load_workbook(io.BytesIO(data)).active.values)
    header = list(values[0])
    rows = {row[1]: dict(zip(header, row, strict=True)) for row in values[1:]}
    mine = rows["Wärmewerk Dortmund GmbH"]
    assert (mine["Leads"], mine["hot"], mine["warm"], mine["cold"], mine["not rated"]) == (
        4,
        1,
        1,
        1,
        1,
    )
    assert mine["Scans"] == 5 and mine["Scanner devices"] == 2
    assert mine["First scan (Europe/Berlin)"] == datetime.datetime(2019, 2, 13, 10, 15)
    assert rows["Konkurrenz AG"]["Leads"] == 1


def test_xlsx_writer_handles_control_characters_and_long_sheet_titles():
    data = b"".join(
        exports.xlsx_stream(
            header=["A", "B"],
            rows=[["bad\x01char\x0b", 3.5], [None, True]],
            sheet_title="Leads: a/very*long?title[with]many chars",
        )
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    # Characters XML cannot hold are written as _xHHHH_ escapes, which Excel and LibreOffice
    # decode (openpyxl hands them over as they are).
    assert list(sheet.values) == [
        ("A", "B"),
        ("bad_x0001_char_x000B_", 3.5),
        (None, True),
    ]
    assert _spreadsheetml_text(sheet["A2"].value) == "bad\x01char\x0b"
    assert len(sheet.title) <= 31 and ":" not in sheet.title


def test_export_stream_yields_many_chunks_for_many_rows():
    rows = ([f"Name {n}", n] for n in range(5000))
    chunks = list(exports.csv_stream(header=["name", "n"], rows=rows, rows_per_chunk=1000))
    assert len(chunks) >= 5
    parsed = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert parsed[-1] == ["Name 4999", "4999"]


def _xlsx_values(header, rows, **kwargs):
    data = b"".join(exports.xlsx_stream(header=header, rows=rows, **kwargs))
    return data, openpyxl.load_workbook(io.BytesIO(data)).active


def test_xlsx_keeps_postal_codes_phone_numbers_and_formula_text_exactly():
    values = ["01067", "+4923112345", "=1+1", "-3", "@x", "0049 231", "1e5"]
    _data, sheet = _xlsx_values(["v"] * len(values), [values])
    row = next(sheet.iter_rows(min_row=2))
    assert [cell.value for cell in row] == values
    assert all(cell.data_type == "s" for cell in row)


def _spreadsheetml_text(value: str) -> str:
    """What Excel shows for a stored string: ``_xHHHH_`` decoded (ECMA-376, ST_Xstring)."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda match: chr(int(match[1], 16)), value)


def test_xlsx_writes_escape_like_text_literally():
    _data, sheet = _xlsx_values(["v"], [["a_x0041_b _X00e9_"]])
    assert _spreadsheetml_text(sheet["A2"].value) == "a_x0041_b _X00e9_"


def test_xlsx_writes_lazy_and_safe_strings_as_escaped_text():
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    with translation.override("en"):
        _data, sheet = _xlsx_values(
            ["a", "b"], [[mark_safe("<b>&amp;</b>"), gettext_lazy("Email")]]
        )
    assert (sheet["A2"].value, sheet["B2"].value) == ("<b>&amp;</b>", "Email")


def test_xlsx_cuts_cells_over_excels_limit_and_says_so():
    from leads.xlsx import CELL_MAX, CUT_MARKER

    _data, sheet = _xlsx_values(["notes"], [["x" * 40_000]])
    value = sheet["A2"].value
    assert len(value) == CELL_MAX
    assert value.endswith(CUT_MARKER)


def test_xlsx_sheet_names_follow_excels_rules():
    from leads.xlsx import sheet_name

    assert sheet_name("'History'") == "Sheet1"
    assert sheet_name("'Leads'") == "Leads"
    assert sheet_name("[a]:b*c?d/e\\f") == "a  b c d e f"
    assert len(sheet_name("x" * 50)) == 31


def test_xlsx_writes_zip64_records_only_when_the_sheet_could_need_them():
    small, _sheet = _xlsx_values(["a"], [["b"]], row_count=1)
    unknown, _sheet = _xlsx_values(["a"], [["b"]])
    zip64_extra = b"\x01\x00\x10\x00"  # header id 0x0001, 16 bytes of sizes
    assert zip64_extra not in small
    assert zip64_extra in unknown


def test_csv_for_excel_keeps_leading_zeros_and_plus_signs_as_text(world):
    rows = [["01067", "+4923112345", "+49 231 1234-0", "44135", "Müller"]]
    data = b"".join(
        exports.csv_stream(header=list("abcde"), rows=rows, delimiter=";", for_excel=True)
    )
    line = data.decode("utf-8-sig").splitlines()[1]
    assert line == '"=""01067""";"=""+4923112345""";+49 231 1234-0;44135;Müller'
    plain = b"".join(exports.csv_stream(header=list("abcde"), rows=rows))
    assert (
        plain.decode("utf-8-sig").splitlines()[1] == "01067,+4923112345,+49 231 1234-0,44135,Müller"
    )


def test_salesforce_description_stays_within_32000_characters():
    from leads.export_layouts import SALESFORCE_DESCRIPTION_MAX, _cut

    assert len(_cut("n" * 50_000, SALESFORCE_DESCRIPTION_MAX)) == SALESFORCE_DESCRIPTION_MAX
    assert _cut("short", SALESFORCE_DESCRIPTION_MAX) == "short"
