"""Pure export writers: ``LeadRow``s (see ``leads.reports``) → CSV / XLSX byte streams.

Nothing here touches the database or the request: a layout turns one row into cells, a writer
turns cells into bytes, chunk by chunk, so that a download of 100,000 leads streams in constant
memory.

Spreadsheet injection: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return could be taken for a formula (or a DDE call) by Excel, LibreOffice or Google
Sheets. Such a cell gets a leading apostrophe (``'=HYPERLINK(…)``), the OWASP
recommendation, in every format. Plain numbers such as a phone number ``+49 231 1234-0`` are left
as they are: they cannot call anything, and the CRM imports need them unchanged.

Column layouts
--------------
``standard``: the exhibitor's own download (CSV, CSV for German Excel, XLSX): contact fields,
"contact details shared", interest topics, rating, tags, notes, one column per qualifying
question, first and last scan (in the fair's time zone, Europe/Berlin) and number of scans.
The organizers' download adds exhibitor and stand columns in front and puts all answers into
one "Answers" column (exhibitors ask different questions).

``salesforce`` (Lead object, Data Import Wizard / Data Loader, UTF-8 CSV without BOM):

    ====================================  ============================================
    column                                Salesforce Lead field
    ====================================  ============================================
    First Name                            FirstName
    Last Name                             LastName (required)
    Company                               Company (required: "[not provided]" if empty)
    Title                                 Title
    Email                                 Email
    Phone                                 Phone
    Country                               Country (ISO 3166 code)
    Zip/Postal Code                       PostalCode
    Rating                                Rating (standard picklist Hot / Warm / Cold)
    Lead Source                           LeadSource ("Trade Show")
    Description                           Description (fair, stand, topics, tags, answers,
                                          notes and scan times as readable text)
    Fairlead Lead ID                      custom text/external ID field, or leave unmapped
    Interest Topics, Tags, Answers,       custom fields (e.g. Fairlead_Topics__c …),
    Notes, First Scan (Europe/Berlin),    or leave unmapped: Description holds the same
    Last Scan (Europe/Berlin), Scans      information
    ====================================  ============================================

``hubspot`` (Contacts import, UTF-8 CSV without BOM; HubSpot maps the first eight columns to
its default contact properties by name and offers to create the ``Fairlead …`` ones):

    ====================================  ============================================
    column                                HubSpot contact property
    ====================================  ============================================
    First Name                            firstname
    Last Name                             lastname
    Email                                 email (HubSpot's de-duplication key)
    Phone Number                          phone
    Company Name                          company
    Job Title                             jobtitle
    Country/Region                        country
    Postal Code                           zip
    Fairlead Rating                       new property, dropdown hot / warm / cold
    Fairlead Tags                         new property, text
    Fairlead Interest Topics              new property, text
    Fairlead Answers                      new property, multi-line text
    Fairlead Notes                        new property, multi-line text
    Fairlead First Scan (Europe/Berlin)   new property, date and time
    Fairlead Last Scan (Europe/Berlin)    new property, date and time
    Fairlead Scans                        new property, number
    Fairlead Lead ID                      new property, text
    ====================================  ============================================

Both CRM files hold times as ``YYYY-MM-DD HH:MM:SS`` in Europe/Berlin and leave out the byte
order mark, which some import tools read as part of the first column name.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _

from leads.reports import LeadRow

BOM = "\ufeff"
_FORMULA_TRIGGERS = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9 ()./-]*\Z")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def neutralise(value: str) -> str:
    """The text as it is, or with a leading apostrophe if a spreadsheet could run it."""
    if value and value[0] in _FORMULA_TRIGGERS and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def _text_cell(value) -> str:
    """One cell as CSV text: neutralised strings, ISO times, numbers as digits."""
    if value.__class__ is str:
        if value and value[0] in _FORMULA_TRIGGERS and not _PLAIN_NUMBER.match(value):
            return "'" + value
        return value
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(" ", "seconds")[:19]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# --- layouts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """A header row and a function that turns one ``LeadRow`` into the cells below it."""

    header: list[str]
    cells: Callable[[LeadRow], list]
    column_widths: tuple[int, ...] = ()


def _joined(items: Sequence[str], sep: str = ", ") -> str:
    return sep.join(items)


def _answers_text(row: LeadRow) -> str:
    return "\n".join(f"{question}: {answer}" for question, answer in row.answers)


def _rating_label(rating: str) -> str:
    labels = {"hot": _("hot"), "warm": _("warm"), "cold": _("cold")}
    return str(labels.get(rating, ""))


def standard_layout(
    *, questions: Sequence | None = None, with_exhibitor: bool = False, zone_name: str
) -> Layout:
    """The exhibitor's (``questions`` → one column each) or the organizers' lead list."""
    yes, no = str(_("yes")), str(_("no"))
    ratings = {rating: _rating_label(rating) for rating in ("hot", "warm", "cold", "")}
    question_ids = [question.id for question in questions or []]
    header = [str(_("Lead ID"))]
    widths = [8]
    if with_exhibitor:
        header += [str(_("Exhibitor")), str(_("Stand"))]
        widths += [28, 10]
    header += [
        str(_("First name")),
        str(_("Last name")),
        str(_("Company")),
        str(_("Job title")),
        str(_("Email")),
        str(_("Phone")),
        str(_("Country")),
        str(_("Postal code")),
        str(_("Contact details shared")),
        str(_("Interest topics")),
        str(_("Rating")),
        str(_("Tags")),
        str(_("Notes")),
    ]
    widths += [14, 18, 26, 22, 28, 18, 8, 10, 10, 30, 8, 16, 40]
    if with_exhibitor or questions is None:
        header.append(str(_("Answers")))
        widths.append(40)
    else:
        header += [question.text for question in questions]
        widths += [24] * len(question_ids)
    header += [
        str(_("First scan (%(zone)s)") % {"zone": zone_name}),
        str(_("Last scan (%(zone)s)") % {"zone": zone_name}),
        str(_("Scans")),
    ]
    widths += [19, 19, 7]
    per_question = not (with_exhibitor or questions is None)

    def cells(row: LeadRow) -> list:
        values: list = [row.id]
        if with_exhibitor:
            values += [row.exhibitor_name, row.stand_number]
        values += [
            row.first_name,
            row.last_name,
            row.company,
            row.job_title,
            row.email,
            row.phone,
            row.country,
            row.postal_code,
            yes if row.contact_shared else no,
            ", ".join(row.topics),
            ratings.get(row.rating, row.rating),
            ", ".join(row.tags),
            "\n".join(row.notes),
        ]
        if per_question:
            answers = row.answers_by_question
            values += [answers.get(question_id, "") for question_id in question_ids]
        else:
            values.append(_answers_text(row))
        values += [row.first_scanned_at, row.last_scanned_at, row.scan_count]
        return values

    return Layout(header=header, cells=cells, column_widths=tuple(widths))


SALESFORCE_RATINGS = {"hot": "Hot", "warm": "Warm", "cold": "Cold", "": ""}
SALESFORCE_NO_COMPANY = "[not provided]"


def _description(row: LeadRow, *, source: str) -> str:
    lines = []
    stand = f", {row.stand_number}" if row.stand_number else ""
    lines.append(f"{source}{stand}: {row.exhibitor_name}")
    lines.append(
        f"Scans: {row.scan_count}, first {row.first_scanned_at.strftime(TIME_FORMAT)}, "
        f"last {row.last_scanned_at.strftime(TIME_FORMAT)} ({row.first_scanned_at.tzname()})"
    )
    if row.topics:
        lines.append("Interest topics: " + ", ".join(row.topics))
    if row.tags:
        lines.append("Tags: " + ", ".join(row.tags))
    lines += [f"{question}: {answer}" for question, answer in row.answers]
    lines += [f"Note: {note}" for note in row.notes]
    return "\n".join(lines)


def salesforce_layout(*, source: str, zone_name: str) -> Layout:
    """Salesforce Lead import (see the module docstring for the field mapping)."""
    header = [
        "First Name",
        "Last Name",
        "Company",
        "Title",
        "Email",
        "Phone",
        "Country",
        "Zip/Postal Code",
        "Rating",
        "Lead Source",
        "Description",
        "Fairlead Lead ID",
        "Interest Topics",
        "Tags",
        "Answers",
        "Notes",
        f"First Scan ({zone_name})",
        f"Last Scan ({zone_name})",
        "Scans",
    ]

    def cells(row: LeadRow) -> list:
        return [
            row.first_name,
            row.last_name,
            row.company or SALESFORCE_NO_COMPANY,
            row.job_title,
            row.email,
            row.phone,
            row.country,
            row.postal_code,
            SALESFORCE_RATINGS.get(row.rating, ""),
            "Trade Show",
            _description(row, source=source),
            row.id,
            ", ".join(row.topics),
            ", ".join(row.tags),
            _answers_text(row),
            "\n".join(row.notes),
            row.first_scanned_at,
            row.last_scanned_at,
            row.scan_count,
        ]

    return Layout(header=header, cells=cells)


def hubspot_layout(*, zone_name: str) -> Layout:
    """HubSpot contact import (see the module docstring for the property mapping)."""
    header = [
        "First Name",
        "Last Name",
        "Email",
        "Phone Number",
        "Company Name",
        "Job Title",
        "Country/Region",
        "Postal Code",
        "Fairlead Rating",
        "Fairlead Tags",
        "Fairlead Interest Topics",
        "Fairlead Answers",
        "Fairlead Notes",
        f"Fairlead First Scan ({zone_name})",
        f"Fairlead Last Scan ({zone_name})",
        "Fairlead Scans",
        "Fairlead Lead ID",
    ]

    def cells(row: LeadRow) -> list:
        return [
            row.first_name,
            row.last_name,
            row.email,
            row.phone,
            row.company,
            row.job_title,
            row.country,
            row.postal_code,
            row.rating,
            ", ".join(row.tags),
            ", ".join(row.topics),
            _answers_text(row),
            "\n".join(row.notes),
            row.first_scanned_at,
            row.last_scanned_at,
            row.scan_count,
            row.id,
        ]

    return Layout(header=header, cells=cells)


# --- CSV -------------------------------------------------------------------------------------


def csv_stream(
    *,
    header: Sequence[str],
    rows: Iterable[Sequence],
    delimiter: str = ",",
    bom: bool = True,
    rows_per_chunk: int = 1000,
) -> Iterator[bytes]:
    """UTF-8 CSV (with a byte order mark so that Excel reads the umlauts right), chunk by
    chunk; every text cell is neutralised against spreadsheet injection."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if bom:
        buffer.write(BOM)
    writer.writerow([_text_cell(value) for value in header])
    pending = 0
    triggers, plain = _FORMULA_TRIGGERS, _PLAIN_NUMBER.match
    for row in rows:
        writer.writerow(
            [
                (
                    ("'" + value if value and value[0] in triggers and not plain(value) else value)
                    if value.__class__ is str
                    else _text_cell(value)
                )
                for value in row
            ]
        )
        pending += 1
        if pending == rows_per_chunk:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode("utf-8")


# --- XLSX --------------------------------------------------------------------------------------
# A small streaming SpreadsheetML writer: the sheet XML is written row by row straight into a
# deflated zip member, and the zip bytes are handed out as they are produced, so nothing of the
# size of the sheet is ever held in memory or on disk. Strings are written inline (no shared
# string table that would grow with the rows); times are real Excel date-time cells.

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
# Cell styles (index into cellXfs below): 0 normal, 1 bold header, 2 date-time, 3 date.
_STYLE_HEADER, _STYLE_DATETIME, _STYLE_DATE = 1, 2, 3

_PKG = "application/vnd.openxmlformats-package"
_DOC = "application/vnd.openxmlformats-officedocument"
_OD_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = (
    _XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    f'<Default Extension="rels" ContentType="{_PKG}.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_DOC}.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{_DOC}.spreadsheetml.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_DOC}.spreadsheetml.styles+xml"/>'
    f'<Override PartName="/docProps/core.xml" ContentType="{_PKG}.core-properties+xml"/>'
    f'<Override PartName="/docProps/app.xml" ContentType="{_DOC}.extended-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _XML_HEAD + f'<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_OD_REL}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_OD_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _XML_HEAD + f'<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_OD_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_OD_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_STYLES = (
    _XML_HEAD + f'<styleSheet xmlns="{_NS}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/>'
    '<numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_APP = (
    _XML_HEAD
    + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>Fairlead</Application></Properties>"
)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _xml_text(value: str) -> str:
    if _ILLEGAL_XML.search(value):
        value = _ILLEGAL_XML.sub("", value)
    return escape(value)


class _Drain:
    """A write-only file object that collects what zipfile writes until it is taken."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def _excel_serial(value: datetime.datetime | datetime.date) -> float:
    if isinstance(value, datetime.datetime):
        local = value.replace(tzinfo=None)
        delta = local - _EXCEL_EPOCH
        return delta.days + delta.seconds / 86400
    return float((value - _EXCEL_EPOCH.date()).days)


def _sheet_row(number: int, letters: list[str], row: Sequence) -> str:
    parts = [f'<row r="{number}">']
    append = parts.append
    for index, value in enumerate(row):
        if value is None or value == "":
            continue
        ref = letters[index] + str(number)
        cls = value.__class__
        if cls is str:
            if value[0] in _FORMULA_TRIGGERS and not _PLAIN_NUMBER.match(value):
                value = "'" + value
            text = _xml_text(value)
            space = ' xml:space="preserve"' if value[0] == " " or value[-1] in " \n" else ""
            append(f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
        elif cls is bool:
            append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
        elif cls is int or cls is float:
            append(f'<c r="{ref}"><v>{value!r}</v></c>')
        elif isinstance(value, datetime.datetime):
            append(f'<c r="{ref}" s="{_STYLE_DATETIME}"><v>{_excel_serial(value)!r}</v></c>')
        elif isinstance(value, datetime.date):
            append(f'<c r="{ref}" s="{_STYLE_DATE}"><v>{_excel_serial(value)!r}</v></c>')
        else:
            append(f'<c r="{ref}"><v>{value}</v></c>')
    append("</row>")
    return "".join(parts)


def xlsx_stream(
    *,
    header: Sequence[str],
    rows: Iterable[Sequence],
    sheet_title: str = "Leads",
    column_widths: Sequence[int] = (),
    rows_per_chunk: int = 1000,
) -> Iterator[bytes]:
    """An .xlsx workbook with one sheet: a bold, frozen header row and the rows below it.

    Cells may be str (neutralised against formula injection), int, float, bool, date or naive
    or aware datetime (written as the wall-clock time it carries). Yields zip bytes as they are
    produced; the zip uses data descriptors, so it never needs to seek back.
    """
    drain = _Drain()
    archive = zipfile.ZipFile(drain, mode="w", compression=zipfile.ZIP_DEFLATED, compresslevel=5)
    now = datetime.datetime.now(tz=datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
    archive.writestr("_rels/.rels", _ROOT_RELS)
    archive.writestr(
        "docProps/core.xml",
        _XML_HEAD + "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_xml_text(sheet_title)}</dc:title><dc:creator>Fairlead</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
        "</cp:coreProperties>",
    )
    archive.writestr("docProps/app.xml", _APP)
    title = _xml_text(re.sub(r"[\[\]:*?/\\]", " ", sheet_title).strip()[:31] or "Sheet1")
    archive.writestr(
        "xl/workbook.xml",
        _XML_HEAD + f'<workbook xmlns="{_NS}" xmlns:r="{_REL_NS}"><sheets>'
        f'<sheet name={quoteattr(title)} sheetId="1" r:id="rId1"/></sheets></workbook>',
    )
    archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
    archive.writestr("xl/styles.xml", _STYLES)
    yield drain.take()

    letters = [_column_letter(index) for index in range(max(len(header), 1) + 200)]
    with archive.open("xl/worksheets/sheet1.xml", mode="w", force_zip64=True) as sheet:
        head = [
            _XML_HEAD,
            f'<worksheet xmlns="{_NS}" xmlns:r="{_REL_NS}">',
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            "</sheetView></sheetViews>",
        ]
        if column_widths:
            head.append("<cols>")
            head += [
                f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>'
                for index, width in enumerate(column_widths, start=1)
            ]
            head.append("</cols>")
        head.append('<sheetData><row r="1">')
        head += [
            f'<c r="{letters[index]}1" t="inlineStr" s="{_STYLE_HEADER}">'
            f"<is><t>{_xml_text(neutralise(str(text)))}</t></is></c>"
            for index, text in enumerate(header)
        ]
        head.append("</row>")
        sheet.write("".join(head).encode("utf-8"))
        number = 1
        batch: list[str] = []
        for row in rows:
            number += 1
            if len(row) > len(letters):
                letters = [_column_letter(index) for index in range(len(row))]
            batch.append(_sheet_row(number, letters, row))
            if len(batch) == rows_per_chunk:
                sheet.write("".join(batch).encode("utf-8"))
                batch.clear()
                yield drain.take()
        if batch:
            sheet.write("".join(batch).encode("utf-8"))
        sheet.write(b"</sheetData></worksheet>")
    archive.close()
    yield drain.take()


# --- formats -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: str
    extension: str
    content_type: str


CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_formats() -> dict[str, ExportFormat]:
    """The lead download formats, in the order the portal offers them."""
    return {
        "csv": ExportFormat("csv", str(_("CSV (comma)")), "csv", CSV_TYPE),
        "csv-excel": ExportFormat(
            "csv-excel", str(_("CSV for German Excel (semicolon)")), "csv", CSV_TYPE
        ),
        "xlsx": ExportFormat("xlsx", str(_("Excel (.xlsx)")), "xlsx", XLSX_TYPE),
        "salesforce": ExportFormat(
            "salesforce", str(_("Salesforce lead import (CSV)")), "csv", CSV_TYPE
        ),
        "hubspot": ExportFormat("hubspot", str(_("HubSpot contact import (CSV)")), "csv", CSV_TYPE),
    }


def lead_export_stream(
    *, fmt: str, layout: Layout, rows: Iterable[LeadRow], sheet_title: str = "Leads"
) -> Iterator[bytes]:
    """Bytes of a lead download in ``fmt`` (a key of ``export_formats()``)."""
    cells = (layout.cells(row) for row in rows)
    if fmt == "xlsx":
        return xlsx_stream(
            header=layout.header,
            rows=cells,
            sheet_title=sheet_title,
            column_widths=layout.column_widths,
        )
    if fmt == "csv-excel":
        return csv_stream(header=layout.header, rows=cells, delimiter=";")
    if fmt in {"salesforce", "hubspot"}:
        return csv_stream(header=layout.header, rows=cells, bom=False)
    if fmt == "csv":
        return csv_stream(header=layout.header, rows=cells)
    raise ValueError(f"unknown export format {fmt!r}")
