"""Every download layout and writer, byte for byte against files written before the export
was made faster: speed work must not change a single byte (``export_files/``).

The rows are built by hand (no database), so lead ids and times are the same on every run; the
XLSX file is compared by its sheet, since the zip carries the time it was made.
"""

import datetime
import io
import zipfile
import zoneinfo
from pathlib import Path

import pytest
from django.utils import translation

from leads import export_layouts, exports
from leads.models import Question
from leads.reports import LeadRow

FILES = Path(__file__).parent / "export_files"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
QUESTIONS = [Question(id=7, text="Budget?"), Question(id=9, text="Rückruf wann?")]


def _time(day: int, hour: int, minute: int, second: int = 0) -> datetime.datetime:
    utc = datetime.datetime(2019, 2, day, hour, minute, second, tzinfo=datetime.UTC)
    return utc.astimezone(BERLIN)


ROWS = [
    LeadRow(
        101,
        1,
        "Wärmewerk Dortmund GmbH",
        "3.B10",
        "Jürgen",
        "Groß",
        "Stadtwerke Müllheim",
        "Leiter Netze",
        "juergen.gross@stadtwerke.example",
        "+49 231 1234-0",
        "DE",
        "01067",
        True,
        ["Smart parking", "Heat transition"],
        "hot",
        ["Rückruf", "Angebot"],
        [("Budget?", "> 10k"), ("Rückruf wann?", "Montag")],
        {7: "> 10k", 9: "Montag"},
        ["Möchte ein Angebot.", "Zweiter Besuch"],
        _time(13, 9, 15),
        _time(15, 10, 0, 59),
        2,
    ),
    LeadRow(
        102,
        1,
        "Wärmewerk Dortmund GmbH",
        "3.B10",
        "Дмитрий",
        "Иванов",
        "ООО Умный город",
        "",
        "",
        "",
        "",
        "",
        False,
        [],
        "",
        [],
        [],
        {},
        [],
        _time(14, 23, 30),
        _time(14, 23, 30),
        1,
    ),
    LeadRow(
        103,
        2,
        "Straßenlicht AG",
        "",
        '=HYPERLINK("http://evil.example","click")',
        "@SUM(A1:A9)",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "formula@example.org",
        "+4923112345",
        "XK",
        "0049 231",
        True,
        ["Energie & Wasser"],
        "cold",
        ["=1+1"],
        [("Gone question", '=WEBSERVICE("x")')],
        {},
        ["\tTab am Anfang", "bad_x0001_char\x0b"],
        _time(16, 7, 5),
        _time(16, 8, 5),
        3,
    ),
    LeadRow(
        104,
        2,
        "Straßenlicht AG",
        "",
        " Leerzeichen ",
        "Şahin",
        "",
        "",
        "",
        "123456789012",
        "AT",
        "1010",
        True,
        [],
        "warm",
        [],
        [("Budget?", "< 10k")],
        {7: "< 10k"},
        [],
        _time(13, 23, 59, 59),
        _time(16, 0, 0),
        4,
    ),
]

LAYOUTS = {
    "standard": lambda: export_layouts.standard_layout(questions=QUESTIONS, zone_name=BERLIN.key),
    "organizer": lambda: export_layouts.standard_layout(
        questions=None, with_exhibitor=True, zone_name=BERLIN.key
    ),
    "salesforce": lambda: export_layouts.salesforce_layout(
        source="Elektrotechnik 2019", zone_name=BERLIN.key
    ),
    "hubspot": lambda: export_layouts.hubspot_layout(zone_name=BERLIN.key),
}
CASES = [
    *(
        (language, layout, fmt)
        for language in ("de", "en")
        for layout in ("standard", "organizer")
        for fmt in ("csv", "csv-excel", "xlsx")
    ),
    ("de", "salesforce", "salesforce"),
    ("de", "hubspot", "hubspot"),
]


def export_file(language: str, layout: str, fmt: str) -> bytes:
    with translation.override(language):
        data = b"".join(
            exports.lead_export_stream(fmt=fmt, layout=LAYOUTS[layout](), rows=iter(ROWS))
        )
    if fmt == "xlsx":
        return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    return data


@pytest.mark.parametrize(("language", "layout", "fmt"), CASES)
def test_export_file_is_byte_identical_to_the_pinned_one(language, layout, fmt):
    expected = (FILES / f"{layout}-{language}.{fmt}").read_bytes()
    assert export_file(language, layout, fmt) == expected
