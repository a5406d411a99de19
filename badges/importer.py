"""Reading an attendee CSV from a ticketing system: pure parsing and per-row validation.

The file has a header row, is UTF-8 (with or without BOM) and separated by commas or
semicolons. Recognised headers (case-insensitive, German or English) are in ``HEADERS``;
other columns are ignored and named in the report. Writing to the database is
``badges.services.attendees_import``.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from badges.countries import country_lookup
from badges.models import Attendee

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000

# Attendee field → the header names that mean it (compared in lower case).
HEADERS = {
    "first_name": ("first_name", "vorname"),
    "last_name": ("last_name", "nachname"),
    "email": ("email", "e-mail"),
    "company": ("company", "firma"),
    "job_title": ("job_title", "position"),
    "country": ("country", "land"),
    "postal_code": ("postal_code", "plz"),
    "category": ("category", "kategorie"),
    "external_id": ("external_id", "ticket-nr"),
    "lead_sharing": ("lead_sharing", "einwilligung"),
}
_HEADER_FIELD = {name: field for field, names in HEADERS.items() for name in names}
REQUIRED = ("first_name", "last_name", "email")

_YES = {"yes", "ja", "y", "j", "true", "wahr", "1", "x"}
_NO = {"no", "nein", "n", "false", "falsch", "0", ""}

_CATEGORY_WORDS = {
    "visitor": "visitor",
    "besucher": "visitor",
    "besucherin": "visitor",
    "exhibitor staff": "exhibitor_staff",
    "exhibitor": "exhibitor_staff",
    "aussteller": "exhibitor_staff",
    "standpersonal": "exhibitor_staff",
    "press": "press",
    "presse": "press",
    "speaker": "speaker",
    "referent": "speaker",
    "referentin": "speaker",
    "sprecher": "speaker",
    "organizer": "organizer",
    "organiser": "organizer",
    "veranstalter": "organizer",
    "service": "service",
    "dienstleister": "service",
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read; ``str(error)`` says why, for people."""


@dataclass
class ParsedFile:
    fields: dict[int, str]  # column index → attendee field
    unknown_columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number, field → raw text)
    delimiter: str


@dataclass
class RowValues:
    """One valid row: the attendee values it sets (only for columns the file has)."""

    values: dict[str, object]
    key: tuple[str, str]  # ("external_id", "T-1") or ("email", "a@b.example")
    lead_sharing: bool | None = None  # None: the file has no consent column
    errors: list[str] = field(default_factory=list)


def _decode(content: bytes) -> str:
    if len(content) > MAX_BYTES:
        raise ImportFileError(
            _("The file is %(size)s MB; at most %(limit)s MB can be imported at once. Split it.")
            % {"size": f"{len(content) / 1048576:.1f}", "limit": MAX_BYTES // 1048576}
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The file is not UTF-8 text (byte %(position)d). Export it as “CSV UTF-8”.")
            % {"position": exc.start + 1}
        ) from exc
    # PostgreSQL text cannot hold NUL, and no CSV export of names contains one.
    if "\x00" in text:
        raise ImportFileError(
            _(
                "The file contains a NUL character (character %(position)d); "
                "it is not a plain CSV text file."
            )
            % {"position": text.index("\x00") + 1}
        )
    return text


def _delimiter(header_line: str) -> str:
    try:
        return csv.Sniffer().sniff(header_line, delimiters=",;").delimiter
    except csv.Error:
        return ";" if header_line.count(";") > header_line.count(",") else ","


def csv_parse(content: bytes) -> ParsedFile:
    """Split the file into rows keyed by attendee field; raises ImportFileError."""
    text = _decode(content)
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    header_line = text.splitlines()[0]
    delimiter = _delimiter(header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise ImportFileError(
            _("The header row cannot be read: %(error)s") % {"error": exc}
        ) from exc
    fields: dict[int, str] = {}
    unknown: list[str] = []
    for index, name in enumerate(header):
        field_name = _HEADER_FIELD.get(name.strip().lower())
        if field_name is None or field_name in fields.values():
            if name.strip():
                unknown.append(name.strip())
            continue
        fields[index] = field_name
    missing = [name for name in REQUIRED if name not in fields.values()]
    if missing:
        raise ImportFileError(
            _("The header row lacks the column(s) %(missing)s. Found: %(found)s.")
            % {
                "missing": ", ".join(f"{HEADERS[name][0]}/{HEADERS[name][1]}" for name in missing),
                "found": ", ".join(name for name in header if name.strip()) or "—",
            }
        )
    rows = []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(limit)d rows; import it in parts.")
                    % {"limit": MAX_ROWS}
                )
            raw = {
                name: record[index].strip() if index < len(record) else ""
                for index, name in fields.items()
            }
            rows.append((reader.line_num, raw))
    except csv.Error as exc:
        raise ImportFileError(
            _("Line %(line)d cannot be read: %(error)s") % {"line": reader.line_num, "error": exc}
        ) from exc
    return ParsedFile(fields=fields, unknown_columns=unknown, rows=rows, delimiter=delimiter)


def _max_length(name: str) -> int:
    return Attendee._meta.get_field(name).max_length


def row_validate(raw: dict[str, str]) -> RowValues:
    """Check and convert one row. ``errors`` lists every problem (empty when valid)."""
    errors: list[str] = []
    values: dict[str, object] = {}
    for name in ("first_name", "last_name", "company", "job_title", "postal_code", "external_id"):
        if name not in raw:
            continue
        value = " ".join(raw[name].split())
        if len(value) > _max_length(name):
            errors.append(
                _("%(field)s is longer than %(limit)d characters.")
                % {"field": HEADERS[name][0], "limit": _max_length(name)}
            )
        values[name] = value
    for name in ("first_name", "last_name"):
        if not values.get(name):
            errors.append(_("%(field)s is empty.") % {"field": HEADERS[name][0]})
    email = raw.get("email", "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors.append(
            _("“%(email)s” is no valid email address.") % {"email": email}
            if email
            else _("email is empty.")
        )
    values["email"] = email
    if "country" in raw:
        code = country_lookup(raw["country"]) if raw["country"] else ""
        if code is None:
            errors.append(_("Unknown country “%(country)s”.") % {"country": raw["country"]})
        else:
            values["country"] = code
    if raw.get("category"):
        # An empty cell leaves the category alone (new attendees are visitors).
        word = " ".join(raw["category"].lower().replace("-", " ").replace("_", " ").split())
        category = _CATEGORY_WORDS.get(word)
        if category is None:
            errors.append(_("Unknown category “%(category)s”.") % {"category": raw["category"]})
        else:
            values["category"] = category
    lead_sharing = None
    if "lead_sharing" in raw:
        word = raw["lead_sharing"].strip().lower()
        if word in _YES:
            lead_sharing = True
        elif word in _NO:
            lead_sharing = False
        else:
            errors.append(
                _("Consent must be yes/no (ja/nein), not “%(value)s”.")
                % {"value": raw["lead_sharing"]}
            )
    external_id = values.get("external_id", "")
    key = ("external_id", str(external_id)) if external_id else ("email", email)
    return RowValues(values=values, key=key, lead_sharing=lead_sharing, errors=errors)
