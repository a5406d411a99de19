"""Pure export writers: ``LeadRow``s (see ``leads.reports``) → CSV / XLSX byte streams.

Nothing here touches the database or the request: a layout turns one row into cells, a writer
turns cells into bytes, chunk by chunk, so that a download of 100,000 leads streams in constant
memory.

Spreadsheet injection: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return could be taken for a formula (or a DDE call) by Excel, LibreOffice or Google
Sheets. Such a cell gets a leading apostrophe (``'=HYPERLINK(…)``), the OWASP
recommendation, in every format. Plain numbers such as a phone number ``+49 231 1234-0`` are left
as they are: they cannot call anything, and the CRM imports need them unchanged.

The column layouts (standard, Salesforce, HubSpot) are in ``leads.export_layouts``.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _

from leads.export_layouts import Layout
from leads.reports import LeadRow

BOM = "\ufeff"
_FORMULA_TRIGGERS = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9 ()./-]*\Z")


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
