"""Reading a stand plan CSV (exhibitors/stand_import.py): as German Excel saves it, every row's
problems at once, nothing from the database."""

from decimal import Decimal

import pytest

from exhibitors.stand_import import StandPlanFileError, decimal_parse, stand_plan_parse
from fair.csvfile import CsvFileError


def test_german_excel_file_with_header_semicolons_decimal_commas_and_cp1252():
    content = (
        "Standnummer;X (m);Y (m);Breite;Tiefe;Offene Seiten;Preis/m²\r\n"
        "3.Ä01;1,5;2;3;4,25;O,S;189,00\r\n"
    ).encode("cp1252")
    parsed = stand_plan_parse(content)
    assert parsed.has_header and parsed.delimiter == ";"
    assert parsed.encoding == "Windows-1252"
    [row] = parsed.rows
    assert row.errors == []
    assert (row.number, row.x_m, row.y_m, row.width_m, row.depth_m) == (
        "3.Ä01",
        Decimal("1.5"),
        Decimal("2"),
        Decimal("3"),
        Decimal("4.25"),
    )
    assert (row.open_sides, row.price_per_sqm) == ("ES", Decimal("189.00"))


def test_utf8_bom_file_without_header_uses_the_documented_column_order():
    parsed = stand_plan_parse("\ufeff3.A01;0;0;3;3;S\n3.A02;3;0;3;3;SW\n".encode())
    assert not parsed.has_header
    assert [(row.number, row.open_sides, row.line) for row in parsed.rows] == [
        ("3.A01", "S", 1),
        ("3.A02", "SW", 2),
    ]


def test_header_in_english_with_columns_in_another_order():
    content = b"open sides,width,depth,number,x,y\nNESW,12,10,3.G01,16,31\n"
    [row] = stand_plan_parse(content).rows
    assert (row.number, row.x_m, row.open_sides) == ("3.G01", Decimal("16"), "NESW")


def test_every_problem_of_a_row_is_reported():
    [row] = stand_plan_parse(b"3.X;-1;abc;0,5;2000;Q;-3\n").rows
    assert len(row.errors) == 6
    assert row.x_m is None and row.y_m is None and row.width_m is None


def test_more_than_two_decimals_are_refused():
    [row] = stand_plan_parse(b"3.X;1,234;0;3;3;S\n").rows
    assert row.x_m is None and len(row.errors) == 1


def test_a_number_twice_in_the_file_is_an_error_on_the_second_row():
    rows = stand_plan_parse(b"3.A01;0;0;3;3;S\n3.a01;3;0;3;3;S\n").rows
    assert rows[0].errors == []
    assert len(rows[1].errors) == 1 and "1" in rows[1].errors[0]


def test_a_header_without_the_needed_columns_is_refused_naming_them():
    with pytest.raises(StandPlanFileError) as error:
        stand_plan_parse(b"Stand;x;y;Breite\n3.A01;0;0;3\n")
    assert "depth" in str(error.value) and "open sides" in str(error.value)


def test_an_empty_file_is_refused():
    with pytest.raises(StandPlanFileError):
        stand_plan_parse(b"\n\n")


def test_a_binary_file_is_refused_by_the_shared_csv_reader():
    with pytest.raises(CsvFileError):
        stand_plan_parse(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")


def test_blank_lines_are_skipped_and_lines_counted_as_in_the_file():
    rows = stand_plan_parse(b"3.A01;0;0;3;3;S\n\n;;;;;\n3.A02;3;0;3;3;S\n").rows
    assert [row.line for row in rows] == [1, 4]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("1.250,5", "1250.5"),
        (" 3 ", "3"),
        ("1\u00a0000", "1000"),
    ],
)
def test_decimals_as_people_type_them(text, value):
    assert decimal_parse(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "NaN", "Infinity", "1,2,3"])
def test_no_number_is_a_value_error(text):
    with pytest.raises(ValueError):
        decimal_parse(text)
