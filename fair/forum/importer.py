"""A whole forum program from one CSV file, as German Excel saves it.

Reading: UTF-8 (with or without BOM, Excel's "CSV UTF-8") or else Windows-1252 (Excel's plain
"CSV"), separated by semicolons or commas, one header row; headers in German or English,
case-insensitive (``HEADERS``), unknown columns are named and ignored. Dates as 13.02.2019,
13.02.19 or 2019-02-13, times as 10:30 or 10.30. Speakers and vote items as in the program
form (``fair.forum.lines``), one per line in the cell or separated by ";".

Writing: every row goes through ``fair.forum.program.session_save`` in its own savepoint, so
one bad row never fails the others; rows are matched on their number (``code``), so importing
the same file again changes nothing new. A dry run does all of it and rolls back, which gives
exactly the per-row results a real import would have. (``badges.importer`` reads attendee
files; ``fair`` cannot use it, as apps import only downwards.)
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from fair.forum.exceptions import ForumError
from fair.forum.lines import items_parse, speakers_parse
from fair.forum.program import SessionData, fair_zone, room_save, session_save
from fair.models import Fair, ForumSession, Room, Topic

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000

HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("nr", "nr.", "nummer", "number", "code"),
    "date": ("datum", "tag", "date", "day"),
    "start": ("beginn", "von", "start"),
    "end": ("ende", "bis", "end"),
    "room": ("raum", "saal", "room"),
    "capacity": ("plätze", "sitzplätze", "kapazität", "seats", "capacity"),
    "title_de": ("titel", "titel (de)", "title (de)", "title_de"),
    "title_en": ("titel (en)", "title (en)", "title_en", "title"),
    "abstract_de": ("kurzfassung", "kurzfassung (de)", "abstract (de)", "abstract_de"),
    "abstract_en": ("kurzfassung (en)", "abstract (en)", "abstract_en", "abstract"),
    "topic": ("thema", "topic"),
    "pilot_project": ("pilotprojekt", "pilot project", "pilot_project"),
    "speakers": ("referenten", "referent", "referentinnen", "speakers", "speaker"),
    "items": ("abstimmung", "ansätze", "vote items", "items"),
}
_HEADER_FIELD = {name: key for key, names in HEADERS.items() for name in names}
REQUIRED = ("code", "date", "start", "end", "room", "title_de")


class ProgramFileError(ValueError):
    """The file as a whole cannot be read; the message says why, for people."""


@dataclass
class RowResult:
    line: int
    code: str
    title: str
    action: str = ""  # "new", "updated" or "" (an error)
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowResult]
    unknown_columns: list[str]
    encoding: str
    dry_run: bool
    rooms_created: list[str] = field(default_factory=list)

    @property
    def saved(self) -> int:
        return sum(1 for row in self.rows if row.action)

    @property
    def failed(self) -> int:
        return sum(1 for row in self.rows if row.errors)


def _decode(content: bytes) -> tuple[str, str]:
    if len(content) > MAX_BYTES:
        raise ProgramFileError(
            _("The file is larger than %(limit)d MB.") % {"limit": MAX_BYTES // 1048576}
        )
    try:
        text, encoding = content.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        try:
            text, encoding = content.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError as exc:
            raise ProgramFileError(
                _("The file is neither UTF-8 nor Windows-1252 text (byte %(position)d).")
                % {"position": exc.start + 1}
            ) from exc
    if "\x00" in text:
        raise ProgramFileError(_("The file contains a NUL character; it is no CSV text."))
    return text, encoding


def _date(text: str) -> datetime.date:
    text = text.strip()
    for pattern in ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ForumError(_("“%(value)s” is no date like 13.02.2019.") % {"value": text[:30]})


def _time(text: str) -> datetime.time:
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::\d{2})?", text.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ForumError(_("“%(value)s” is no time like 10:30.") % {"value": text[:30]})
    return datetime.time(int(match[1]), int(match[2]))


def program_csv_parse(content: bytes) -> tuple[list[tuple[int, dict[str, str]]], list[str], str]:
    """Rows as (line number, field → text), the unknown columns, and the encoding found."""
    text, encoding = _decode(content)
    if not text.strip():
        raise ProgramFileError(_("The file is empty."))
    header_line = text.splitlines()[0]
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)
    columns: dict[int, str] = {}
    unknown: list[str] = []
    for index, name in enumerate(header):
        key = _HEADER_FIELD.get(" ".join(name.split()).lower())
        if key is None or key in columns.values():
            if name.strip():
                unknown.append(name.strip())
            continue
        columns[index] = key
    missing = [key for key in REQUIRED if key not in columns.values()]
    if missing:
        raise ProgramFileError(
            _("The header row lacks the column(s) %(missing)s.")
            % {"missing": ", ".join(f"{HEADERS[key][0].title()}" for key in missing)}
        )
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= MAX_ROWS:
                raise ProgramFileError(
                    _("The file has more than %(limit)d rows.") % {"limit": MAX_ROWS}
                )
            rows.append(
                (
                    reader.line_num,
                    {
                        key: record[index].strip() if index < len(record) else ""
                        for index, key in columns.items()
                    },
                )
            )
    except csv.Error as exc:
        raise ProgramFileError(
            _("Line %(line)d cannot be read: %(error)s") % {"line": reader.line_num, "error": exc}
        ) from exc
    return rows, unknown, encoding


def _topic(fair: Fair, name: str) -> Topic | None:
    if not name:
        return None
    wanted = name.casefold()
    for topic in Topic.objects.filter(area__fair=fair):
        if wanted in (topic.name_de.casefold(), topic.name_en.casefold()):
            return topic
    raise ForumError(_("The fair has no topic “%(name)s”.") % {"name": name[:60]})


def _room(fair: Fair, raw: dict[str, str], created: list[str]) -> Room:
    name = " ".join(raw["room"].split())
    room = Room.objects.filter(fair=fair, name__iexact=name).first()
    capacity = raw.get("capacity", "")
    if room is not None:
        return room
    if not capacity.isdigit():
        raise ForumError(
            _("The room “%(room)s” is new: give its number of seats in the column Plätze.")
            % {"room": name[:60]}
        )
    room = room_save(fair=fair, name=name, capacity=int(capacity))
    created.append(room.name)
    return room


def _row_data(fair: Fair, raw: dict[str, str], created: list[str]) -> SessionData:
    day = _date(raw["date"])
    zone = fair_zone(fair)
    return SessionData(
        code=raw["code"],
        room=_room(fair, raw, created),
        title_de=raw["title_de"],
        title_en=raw.get("title_en", ""),
        abstract_de=raw.get("abstract_de", ""),
        abstract_en=raw.get("abstract_en", ""),
        pilot_project=raw.get("pilot_project", ""),
        topic=_topic(fair, raw.get("topic", "")),
        starts_at=datetime.datetime.combine(day, _time(raw["start"]), tzinfo=zone),
        ends_at=datetime.datetime.combine(day, _time(raw["end"]), tzinfo=zone),
        speakers=speakers_parse(raw.get("speakers", "")),
        items=items_parse(raw.get("items", "")),
    )


def program_import(*, fair: Fair, content: bytes, dry_run: bool) -> ImportReport:
    """Import (or, with ``dry_run``, only check) a program file; raises ProgramFileError
    when the file as a whole cannot be read."""
    rows, unknown, encoding = program_csv_parse(content)
    report = ImportReport(rows=[], unknown_columns=unknown, encoding=encoding, dry_run=dry_run)
    with transaction.atomic():
        for line, raw in rows:
            result = RowResult(line=line, code=raw["code"], title=raw["title_de"])
            report.rows.append(result)
            existing = ForumSession.objects.filter(fair=fair, code=raw["code"].strip()).first()
            rooms: list[str] = []
            try:
                with transaction.atomic():
                    data = _row_data(fair, raw, rooms)
                    session_save(fair=fair, data=data, session=existing)
            except ForumError as exc:
                result.errors.append(str(exc))
                continue
            report.rooms_created.extend(rooms)
            result.action = "updated" if existing else "new"
        if dry_run:
            transaction.set_rollback(True)
    return report
