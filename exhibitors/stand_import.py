"""Reading a stand plan from CSV: pure parsing and per-row validation, no database.

One row per stand: ``number; x; y; width; depth; open sides`` and optionally ``price per m²``,
in metres, as German Excel saves it: semicolon or comma separated, decimal comma or point,
UTF-8 (with or without BOM) or Windows-1252 (``fair.csvfile`` reads the bytes). A header row
is optional: when the first row's x cell is no number it is taken as the header and its names
(German or English) decide the column order; otherwise the order above holds. Open sides are
letters N, E (or O for Ost), S, W in any order and with any separators ("S", "N,O", "NESW").

Each row gets every problem listed (``StandRow.errors``), so the preview shows all of them at
once; the stands are written by ``exhibitors.services.stand_plan.stand_plan_import``.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from fair.csvfile import CsvFileError, csv_decode, csv_delimiter
from fair.models import Stand, open_sides_normalize, stand_type_for

MAX_ROWS = 2_000
COLUMNS = ("number", "x", "y", "width", "depth", "open_sides", "price")
REQUIRED = COLUMNS[:6]
# Column → header names that mean it (compared without case, spaces, dots, underscores, units).
HEADERS = {
    "number": ("number", "nummer", "stand", "standnummer", "stand number", "nr"),
    "x": ("x", "x m", "x (m)"),
    "y": ("y", "y m", "y (m)"),
    "width": ("width", "breite", "width m", "breite m"),
    "depth": ("depth", "tiefe", "depth m", "tiefe m"),
    "open_sides": ("open sides", "offene seiten", "sides", "seiten", "open"),
    "price": ("price", "preis", "price per m²", "preis pro m²", "price per sqm", "preis/m²"),
}
# Largest value the stand fields hold (max_digits 5/6 with 2 decimals).
MAX_SIZE_M = Decimal("999.99")
MAX_POSITION_M = Decimal("9999.99")
MAX_PRICE = Decimal("999999.99")


def _key(name: str) -> str:
    return re.sub(r"[\s_\-.:/()]+|\bm\b", "", name.casefold())


_HEADER_COLUMN = {_key(name): column for column, names in HEADERS.items() for name in names}


class StandPlanFileError(CsvFileError):
    """The file as a whole cannot be read; ``str(error)`` says why, for people."""


@dataclass
class StandRow:
    """One stand as the file gives it; values are None where the cell is wrong or missing."""

    line: int
    number: str
    x_m: Decimal | None = None
    y_m: Decimal | None = None
    width_m: Decimal | None = None
    depth_m: Decimal | None = None
    open_sides: str = ""
    price_per_sqm: Decimal | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def type_label(self) -> str:
        return str(Stand.Type(stand_type_for(self.open_sides)).label) if self.open_sides else ""

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass
class StandPlanFile:
    rows: list[StandRow]
    encoding: str
    delimiter: str
    has_header: bool


def decimal_parse(text: str) -> Decimal:
    """ "12,5", "12.5", "1.250,5" (German thousands), " 3 " → Decimal; raises ValueError."""
    value = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in value and "." in value:
        value = value.replace(".", "").replace(",", ".")
    else:
        value = value.replace(",", ".")
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not number.is_finite():
        raise ValueError(text)
    return number


def _measure(
    row: StandRow, text: str, *, label: str, minimum: Decimal, maximum: Decimal
) -> Decimal | None:
    if not text.strip():
        row.errors.append(_("%(field)s is empty.") % {"field": label})
        return None
    try:
        value = decimal_parse(text)
    except ValueError:
        row.errors.append(
            _("%(field)s “%(value)s” is no number.") % {"field": label, "value": text.strip()}
        )
        return None
    if value != value.quantize(Decimal("0.01")):
        row.errors.append(
            _("%(field)s %(value)s has more than two decimals.") % {"field": label, "value": value}
        )
        return None
    if not minimum <= value <= maximum:
        row.errors.append(
            _("%(field)s must be between %(min)s and %(max)s, not %(value)s.")
            % {"field": label, "min": minimum, "max": maximum, "value": value}
        )
        return None
    return value


def stand_row_validate(line: int, cells: dict[str, str]) -> StandRow:
    """Check and convert one row (column → raw text)."""
    number = " ".join(cells.get("number", "").split())
    row = StandRow(line=line, number=number)
    max_number = Stand._meta.get_field("number").max_length or 20
    if not number:
        row.errors.append(_("The stand number is empty."))
    elif len(number) > max_number:
        row.errors.append(
            _("The stand number is longer than %(limit)d characters.") % {"limit": max_number}
        )
    zero, one = Decimal("0"), Decimal("1")
    row.x_m = _measure(row, cells.get("x", ""), label="x", minimum=zero, maximum=MAX_POSITION_M)
    row.y_m = _measure(row, cells.get("y", ""), label="y", minimum=zero, maximum=MAX_POSITION_M)
    row.width_m = _measure(
        row, cells.get("width", ""), label=_("width"), minimum=one, maximum=MAX_SIZE_M
    )
    row.depth_m = _measure(
        row, cells.get("depth", ""), label=_("depth"), minimum=one, maximum=MAX_SIZE_M
    )
    sides = cells.get("open_sides", "")
    try:
        row.open_sides = open_sides_normalize(sides)
    except ValueError:
        row.errors.append(
            _("Open sides “%(value)s”: give one to four of N, E (or O), S, W.")
            % {"value": sides.strip()}
        )
    if cells.get("price", "").strip():
        row.price_per_sqm = _measure(
            row, cells["price"], label=_("price per m²"), minimum=zero, maximum=MAX_PRICE
        )
    return row


def _header_columns(header: list[str]) -> dict[int, str] | None:
    """Column index → column, when the row is a header row; None when it is a stand."""
    columns: dict[int, str] = {}
    for index, name in enumerate(header):
        column = _HEADER_COLUMN.get(_key(name))
        if column is not None and column not in columns.values():
            columns[index] = column
    if not columns:
        return None
    missing = [column for column in REQUIRED if column not in columns.values()]
    if missing:
        raise StandPlanFileError(
            _("The header row lacks the column(s) %(missing)s. Found: %(found)s.")
            % {
                "missing": ", ".join(HEADERS[column][0] for column in missing),
                "found": ", ".join(name for name in header if name.strip()) or "—",
            }
        )
    return columns


def _is_header(first: list[str]) -> bool:
    if len(first) < 2:
        return True
    try:
        decimal_parse(first[1])
    except ValueError:
        return True
    return False


def stand_plan_parse(content: bytes) -> StandPlanFile:
    """All rows of a stand plan file, each validated; raises StandPlanFileError (or the
    ``fair.csvfile.CsvFileError`` it extends) when the file as a whole cannot be read."""
    text, encoding = csv_decode(content)
    if not text.strip():
        raise StandPlanFileError(_("The file is empty."))
    delimiter = csv_delimiter(text)
    if delimiter == "," and _decimal_commas_split(text):
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[StandRow] = []
    columns: dict[int, str] = dict(enumerate(COLUMNS))
    has_header, first = False, True
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if first:
                first = False
                if _is_header(record):
                    found = _header_columns(record)
                    if found is None:
                        raise StandPlanFileError(
                            _(
                                "The first row is neither a header nor a stand: give the "
                                "columns number; x; y; width; depth; open sides."
                            )
                        )
                    columns, has_header = found, True
                    continue
            if len(rows) >= MAX_ROWS:
                raise StandPlanFileError(
                    _("The file has more than %(limit)d rows; import it in parts.")
                    % {"limit": MAX_ROWS}
                )
            cells = {
                column: record[index] if index < len(record) else ""
                for index, column in columns.items()
            }
            rows.append(stand_row_validate(reader.line_num, cells))
    except csv.Error as exc:
        raise StandPlanFileError(
            _("Line %(line)d cannot be read: %(error)s") % {"line": reader.line_num, "error": exc}
        ) from exc
    numbers: dict[str, int] = {}
    for row in rows:
        if row.number and row.number.casefold() in numbers:
            row.errors.append(
                _("Stand %(number)s is in the file twice (line %(line)d too).")
                % {"number": row.number, "line": numbers[row.number.casefold()]}
            )
        elif row.number:
            numbers[row.number.casefold()] = row.line
    return StandPlanFile(rows=rows, encoding=encoding, delimiter=delimiter, has_header=has_header)


def _decimal_commas_split(text: str) -> bool:
    """True when a comma-"separated" file is really semicolon-separated with decimal commas
    the sniffer mistook (a file with one semicolon per field boundary)."""
    first = text.splitlines()[0]
    return first.count(";") >= len(REQUIRED) - 1
