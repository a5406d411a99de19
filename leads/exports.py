"""Pure export writers: ``LeadRow``s (see ``leads.reports``) → CSV / XLSX byte streams.

Nothing here touches the database or the request: a layout turns one row into cells, a writer
turns cells into bytes, chunk by chunk, so that a download of 100,000 leads streams in constant
memory.

Spreadsheet injection: in a CSV file, a text cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return could be taken for a formula (or a DDE call) by Excel, LibreOffice
or Google Sheets. Such a cell gets a leading apostrophe (``'=HYPERLINK(…)``), the OWASP
recommendation. Plain numbers such as a phone number ``+49 231 1234-0`` are left as they are:
they cannot call anything, and the CRM imports need them unchanged. The XLSX file needs no
guard: its text cells are never evaluated (``leads.xlsx``).

Postal codes and phone numbers in Excel: a CSV file carries no types, and Excel opening one
turns ``01067`` into 1067 and ``+492311234`` into 4.9E+10. The XLSX download keeps them exactly
(text cells) and is the file we recommend for Excel. The "CSV for German Excel" file is made
to be opened in Excel, so its cells that Excel would turn into numbers (a leading zero, a
leading plus, more than 11 digits) are written as ``="01067"``, which Excel and LibreOffice
show as the text 01067. CRM import files (Salesforce, HubSpot) and the plain CSV never get
this: an import tool would store the formula text.

The column layouts (standard, Salesforce, HubSpot) are in ``leads.export_layouts``; the XLSX
writer is ``leads.xlsx``.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from leads.export_layouts import Layout
from leads.reports import LeadRow
from leads.xlsx import XLSX_TYPE, xlsx_stream

BOM = "\ufeff"
_FORMULA_TRIGGERS = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9 ()./-]*\Z")
_EXCEL_WOULD_CONVERT = re.compile(r"(?:0[0-9]+|\+[0-9]+|[0-9]{12,})\Z")


def neutralise(value: str) -> str:
    """The text as it is, or with a leading apostrophe if a spreadsheet could run it."""
    if value and value[0] in _FORMULA_TRIGGERS and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def _text_cell(value: object) -> str:
    """One cell as CSV text: neutralised strings, ISO times, numbers as digits."""
    if isinstance(value, str | Promise):  # also SafeString and lazy translations
        return neutralise(str(value))
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
    for_excel: bool = False,
) -> Iterator[bytes]:
    """UTF-8 CSV (with a byte order mark so that Excel reads the umlauts right), chunk by
    chunk; every text cell is neutralised against spreadsheet injection. ``for_excel``: cells
    Excel would turn into numbers are written as ``="…"`` (see the module docstring)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if bom:
        buffer.write(BOM)
    writer.writerow([_text_cell(value) for value in header])
    pending = 0
    triggers, plain = _FORMULA_TRIGGERS, _PLAIN_NUMBER.match
    convert = _EXCEL_WOULD_CONVERT.match if for_excel else None
    for row in rows:
        cells = [
            (
                ("'" + value if value and value[0] in triggers and not plain(value) else value)
                if value.__class__ is str
                else _text_cell(value)
            )
            for value in row
        ]
        if convert is not None:
            cells = [f'="{cell}"' if convert(cell) else cell for cell in cells]
        writer.writerow(cells)
        pending += 1
        if pending == rows_per_chunk:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode("utf-8")


# --- formats -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: str
    extension: str
    content_type: str


CSV_TYPE = "text/csv; charset=utf-8"


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
    *,
    fmt: str,
    layout: Layout,
    rows: Iterable[LeadRow],
    sheet_title: str = "Leads",
    row_count: int | None = None,
) -> Iterator[bytes]:
    """Bytes of a lead download in ``fmt`` (a key of ``export_formats()``); ``row_count``,
    when known, spares small XLSX files the ZIP64 records."""
    cells = (layout.cells(row) for row in rows)
    if fmt == "xlsx":
        return xlsx_stream(
            header=layout.header,
            rows=cells,
            sheet_title=sheet_title,
            column_widths=layout.column_widths,
            row_count=row_count,
        )
    if fmt == "csv-excel":
        return csv_stream(header=layout.header, rows=cells, delimiter=";", for_excel=True)
    if fmt in {"salesforce", "hubspot"}:
        return csv_stream(header=layout.header, rows=cells, bom=False)
    if fmt == "csv":
        return csv_stream(header=layout.header, rows=cells)
    raise ValueError(f"unknown export format {fmt!r}")
