r"""A small streaming XLSX (SpreadsheetML) writer: rows in, zip bytes out, in constant memory.

The sheet XML is written row by row into a deflated zip member, and the zip bytes are handed
out as they are produced, so nothing of the size of the sheet is held in memory or on disk.

What a spreadsheet shows is what was stored:

- Text is written as inline strings (``t="inlineStr"``), which Excel and LibreOffice never
  evaluate: ``=HYPERLINK(…)`` stays text, so no apostrophe is added (the CSV writer, whose
  cells *are* evaluated, keeps its formula guard), and ``01067`` or ``+49 231 …`` stay exactly
  as stored instead of becoming numbers.
- SpreadsheetML reads ``_xHHHH_`` in text as an escaped character: a literal one gets its
  underscore escaped (``_x005F_``). Characters XML cannot hold (control characters other than
  tab and line breaks) are written in that escape form too, so they survive the round trip.
- Lazy translation strings and safe strings are text, whatever their class.
- A cell holds at most 32,767 characters (Excel's limit); a longer text is cut and ends with
  ``CUT_MARKER``, which says so in the sheet.
- Sheet names follow Excel's rules (31 characters, none of ``[]:*?/\``, no leading or
  trailing apostrophe, not "History").
- ZIP64 records are written only when the sheet could reach 2 GiB (``row_count`` unknown or
  large), since some readers reject them needlessly.

Numbers are numbers, times are real Excel date-time cells (the wall-clock time they carry).
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, cast
from xml.sax.saxutils import escape, quoteattr

from django.utils.functional import Promise

CELL_MAX = 32_767
CUT_MARKER = " […] (cut: Excel cells hold 32,767 characters)"
_FULL_CELL_BYTES = CELL_MAX * 4  # worst case per cell, for the ZIP64 decision
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Anything _xml_text changes; most cells have none of it and are written as they are.
_NEEDS_WORK = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]|_[xX]")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
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


def _xml_text(value: str) -> str:
    """Text for an inline string: cut to a cell's limit, escape-like runs and characters XML
    cannot hold written as ``_xHHHH_``, then XML-escaped."""
    if len(value) > CELL_MAX:
        value = value[: CELL_MAX - len(CUT_MARKER)] + CUT_MARKER
    if not _NEEDS_WORK.search(value):
        return value
    if "_x" in value or "_X" in value:
        value = _ESCAPE_LIKE.sub(r"_x005F_\1", value)
    if _NOT_XML.search(value):
        value = _NOT_XML.sub(lambda match: f"_x{ord(match[0]):04X}_", value)
    return escape(value)


def _text_cell(ref: str, value: str) -> str:
    text = _xml_text(value)
    space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _sheet_row(number: int, letters: list[str], row: Sequence) -> str:
    row_number = str(number)
    parts = [f'<row r="{row_number}">']
    append = parts.append
    for index, value in enumerate(row):
        if value is None or value == "":
            continue
        ref = letters[index] + row_number
        cls = value.__class__
        if cls is str:
            append(_text_cell(ref, value))
        elif cls is bool:
            append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
        elif cls is int or cls is float:
            append(f'<c r="{ref}"><v>{value!r}</v></c>')
        elif isinstance(value, datetime.datetime):
            append(f'<c r="{ref}" s="{_STYLE_DATETIME}"><v>{_excel_serial(value)!r}</v></c>')
        elif isinstance(value, datetime.date):
            append(f'<c r="{ref}" s="{_STYLE_DATE}"><v>{_excel_serial(value)!r}</v></c>')
        elif isinstance(value, (int, float)):  # int and float subclasses, e.g. IntEnum
            append(f'<c r="{ref}"><v>{float(value)!r}</v></c>')
        elif isinstance(value, (str, Promise)):  # SafeString, lazy translations
            text = str(value)
            if text:
                append(_text_cell(ref, text))
        else:
            append(_text_cell(ref, str(value)))
    append("</row>")
    return "".join(parts)


def sheet_name(title: str) -> str:
    """``title`` as Excel accepts a sheet name."""
    name = _SHEET_NAME_BAD.sub(" ", str(title)).strip().strip("'").strip()[:31].strip()
    if not name or name.casefold() == "history":
        return "Sheet1"
    return name


def xlsx_stream(
    *,
    header: Sequence[str],
    rows: Iterable[Sequence],
    sheet_title: str = "Leads",
    column_widths: Sequence[int] = (),
    rows_per_chunk: int = 1000,
    row_count: int | None = None,
) -> Iterator[bytes]:
    """An .xlsx workbook with one sheet: a bold, frozen header row and the rows below it.

    Cells may be str (or any text-like object), int, float, bool, date or naive or aware
    datetime. ``row_count``, when known, lets small files go without ZIP64 records. Yields zip
    bytes as they are produced; the zip uses data descriptors, so it never seeks back.
    """
    drain = _Drain()
    archive = zipfile.ZipFile(
        cast(IO[bytes], drain), mode="w", compression=zipfile.ZIP_DEFLATED, compresslevel=5
    )
    now = datetime.datetime.now(tz=datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
    archive.writestr("_rels/.rels", _ROOT_RELS)
    archive.writestr(
        "docProps/core.xml",
        _XML_HEAD + "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_xml_text(str(sheet_title))}</dc:title><dc:creator>Fairlead</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
        "</cp:coreProperties>",
    )
    archive.writestr("docProps/app.xml", _APP)
    archive.writestr(
        "xl/workbook.xml",
        _XML_HEAD + f'<workbook xmlns="{_NS}" xmlns:r="{_REL_NS}"><sheets>'
        f'<sheet name={quoteattr(sheet_name(sheet_title))} sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>",
    )
    archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
    archive.writestr("xl/styles.xml", _STYLES)
    yield drain.take()

    columns = max(len(header), 1)
    zip64 = row_count is None or (row_count + 1) * columns * _FULL_CELL_BYTES >= zipfile.ZIP64_LIMIT
    letters = [_column_letter(index) for index in range(columns + 200)]
    with archive.open("xl/worksheets/sheet1.xml", mode="w", force_zip64=zip64) as sheet:
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
            f"<is><t>{_xml_text(str(text))}</t></is></c>"
            for index, text in enumerate(header)
            if str(text)
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


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
