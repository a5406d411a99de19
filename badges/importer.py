"""Reading an attendee CSV from a ticketing system: pure parsing and per-row validation.

Files come as people's tools save them (the bytes to text and the separator: fair.csvfile):

- Encoding: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), else
  detected with charset-normalizer. Windows-1252 (German Excel's "CSV") is taken whenever the
  detector finds it as likely as its best guess (cp1250 and cp1252 agree on German letters,
  so the detector often names the wrong one of a pair that decode the same). Another guess is
  taken when the detector finds it clean; otherwise the file is refused, naming the guess.
  The encoding used is reported (``ParsedFile.encoding``), so the preview shows it.
- Separator: comma, semicolon or tab, sniffed from the first lines.
- Headers: ticketing names in German and English (``HEADERS``, compared without case,
  spaces, hyphens, dots and underscores: ``E-Mail-Adresse`` = ``email adresse``); any column
  can be mapped by hand (``mapping``: header → field, or "" to ignore it), which wins.
- Text is normalized to NFC (``fair.text.text_normalize``) before anything compares it.

Writing to the database is ``badges.services.attendee_import``. One module past 400 lines:
decoding, splitting and validating are one reading of one file format.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from badges.models import Attendee
from fair.countries import country_lookup
from fair.csvfile import MAX_BYTES as MAX_BYTES  # the limit callers check before reading
from fair.csvfile import CsvFileError as ImportFileError
from fair.csvfile import csv_decode as _decode
from fair.csvfile import csv_delimiter as _delimiter

MAX_ROWS = 50_000
PREVIEW_ROWS = 5

# Attendee field → the header names that mean it (compared by ``_header_key``).
HEADERS = {
    "first_name": ("first_name", "vorname", "first name", "given name", "firstname"),
    "last_name": (
        "last_name", "nachname", "last name", "surname", "family name", "familienname",
        "lastname",
    ),
    "email": (
        "email", "e-mail", "e-mail-adresse", "email address", "e-mail address", "mail",
        "emailadresse",
    ),
    "company": (
        "company", "firma", "unternehmen", "company name", "organisation", "organization",
        "firmenname", "institution",
    ),
    "job_title": ("job_title", "position", "job title", "funktion", "berufsbezeichnung"),
    "phone": ("phone", "telefon", "telefonnummer", "phone number", "mobile", "mobil"),
    "country": ("country", "land", "country code", "länderkennung"),
    "postal_code": ("postal_code", "plz", "postleitzahl", "postal code", "zip", "zip code"),
    "category": ("category", "kategorie", "ticketart", "ticket type", "ticket category"),
    "external_id": (
        "external_id", "ticket-nr", "ticketnummer", "ticket number", "ticket id", "ticket-id",
        "order number", "barcode",
    ),
    "lead_sharing": ("lead_sharing", "einwilligung", "consent", "lead sharing"),
}  # fmt: skip
FIELDS = tuple(HEADERS)
REQUIRED = ("first_name", "last_name", "email")
_TEXT_FIELDS = ("first_name", "last_name", "company", "job_title", "phone", "postal_code",
                "external_id")  # fmt: skip


def _header_key(name: str) -> str:
    return re.sub(r"[\s_\-.:/]+", "", name.casefold())


_HEADER_FIELD = {_header_key(name): field for field, names in HEADERS.items() for name in names}

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

_DELIMITER_LABELS = {",": "comma", ";": "semicolon", "\t": "tab"}


@dataclass
class ParsedFile:
    fields: dict[int, str]  # column index → attendee field
    unknown_columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number, field → raw text)
    delimiter: str
    encoding: str = "UTF-8"  # as shown to people, e.g. "Windows-1252"
    header: list[str] = field(default_factory=list)

    @property
    def delimiter_label(self) -> str:
        return _DELIMITER_LABELS.get(self.delimiter, self.delimiter)

    @property
    def mapping(self) -> list[tuple[str, str | None]]:
        """(header, field or None) per column, in file order: what a wizard shows."""
        return [(name, self.fields.get(index)) for index, name in enumerate(self.header)]

    def preview(self, count: int = PREVIEW_ROWS) -> list[dict[str, str]]:
        """The first rows, field → raw text."""
        return [raw for _line, raw in self.rows[:count]]


@dataclass
class RowValues:
    """One valid row: the attendee values it sets (only for columns the file has)."""

    values: dict[str, Any]
    key: tuple[str, str]  # ("external_id", "T-1") or ("email", "a@b.example")
    lead_sharing: bool | None = None  # None: the file has no consent column
    errors: list[str] = field(default_factory=list)


def _fields_for(
    header: list[str], mapping: dict[str, str] | None
) -> tuple[dict[int, str], list[str]]:
    by_hand = {_header_key(name): value for name, value in (mapping or {}).items()}
    unknown_targets = sorted(
        {value for value in by_hand.values() if value and value not in HEADERS}
    )
    if unknown_targets:
        raise ImportFileError(
            _("Unknown field(s) %(fields)s in the column mapping; use one of %(known)s.")
            % {"fields": ", ".join(unknown_targets), "known": ", ".join(FIELDS)}
        )
    fields: dict[int, str] = {}
    unknown: list[str] = []
    for index, name in enumerate(header):
        key = _header_key(name)
        field_name = by_hand[key] if key in by_hand else _HEADER_FIELD.get(key)
        if not field_name or field_name in fields.values():
            if name.strip():
                unknown.append(name.strip())
            continue
        fields[index] = field_name
    return fields, unknown


def csv_parse(
    content: bytes, *, mapping: dict[str, str] | None = None, encoding: str | None = None
) -> ParsedFile:
    """Split the file into rows keyed by attendee field; raises ImportFileError.

    ``mapping``: header (as in the file) → attendee field, or "" to leave a column out; it
    wins over the recognized names. ``encoding``: a codec to use instead of detecting one.
    """
    text, encoding_label = _decode(content, encoding)
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader)]
    except csv.Error as exc:
        raise ImportFileError(
            _("The header row cannot be read: %(error)s") % {"error": exc}
        ) from exc
    fields, unknown = _fields_for(header, mapping)
    missing = [name for name in REQUIRED if name not in fields.values()]
    if missing:
        raise ImportFileError(
            _("The header row lacks the column(s) %(missing)s. Found: %(found)s.")
            % {
                "missing": ", ".join(f"{HEADERS[name][0]}/{HEADERS[name][1]}" for name in missing),
                "found": ", ".join(name for name in header if name) or "—",
            }
        )
    rows: list[tuple[int, dict[str, str]]] = []
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
    return ParsedFile(
        fields=fields,
        unknown_columns=unknown,
        rows=rows,
        delimiter=delimiter,
        encoding=encoding_label,
        header=header,
    )


def fields_recognized(header: list[str]) -> dict[str, str]:
    """header → the attendee field its name means ("" for none), each field once: the
    mapping a wizard proposes before a person changes it."""
    fields, _unknown = _fields_for(header, None)
    return {name: fields.get(index, "") for index, name in enumerate(header)}


def csv_head(
    content: bytes, *, encoding: str | None = None, count: int = PREVIEW_ROWS
) -> tuple[list[str], list[list[str]]]:
    """The header and the first ``count`` rows, cell by cell as in the file (mapped or not):
    what a column-mapping step shows. Raises ImportFileError."""
    text, _label = _decode(content, encoding)
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = [name.strip() for name in next(reader)]
        rows: list[list[str]] = []
        for record in reader:
            if len(rows) >= count:
                break
            if any(cell.strip() for cell in record):
                rows.append([cell.strip() for cell in record[: len(header)]])
    except csv.Error as exc:
        raise ImportFileError(
            _("Line %(line)d cannot be read: %(error)s") % {"line": reader.line_num, "error": exc}
        ) from exc
    return header, [row + [""] * (len(header) - len(row)) for row in rows]


@cache
def _max_length(name: str) -> int:
    length = getattr(Attendee._meta.get_field(name), "max_length", None)
    assert isinstance(length, int)
    return length


def row_validate(raw: dict[str, str]) -> RowValues:
    """Check and convert one row. ``errors`` lists every problem (empty when valid)."""
    errors: list[str] = []
    values: dict[str, object] = {}
    for name in _TEXT_FIELDS:
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
