"""Speakers and vote items as lines of text: how organizers type them in the program form
and how they stand in a program CSV cell (one entry per line, or separated by ";").

Speaker:   ``Dr. Anna Beispiel (Stadt Dortmund, Moderation)`` — name, then organization and
           role in the last pair of brackets; the role is what follows the last comma.
Vote item: ``Smartes Parken im Quartier | Smart parking in the neighborhood`` — German, then
           optionally " | " and English.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from fair.forum.exceptions import ForumError

MAX_ENTRIES = 20
_SPEAKER = re.compile(r"^(?P<name>[^()]+?)\s*(?:\((?P<detail>.*)\))?$")


@dataclass(frozen=True)
class SpeakerLine:
    name: str
    organization: str = ""
    role: str = ""


@dataclass(frozen=True)
class ItemLine:
    title_de: str
    title_en: str = ""


def _entries(text: str) -> list[str]:
    entries = [" ".join(part.split()) for part in re.split(r"[\n;]", text or "")]
    entries = [entry for entry in entries if entry]
    if len(entries) > MAX_ENTRIES:
        raise ForumError(_("At most %(limit)d entries, one per line.") % {"limit": MAX_ENTRIES})
    return entries


def _length(value: str, limit: int, what: str) -> str:
    if len(value) > limit:
        raise ForumError(
            _("“%(value)s…”: %(what)s is longer than %(limit)d characters.")
            % {"value": value[:30], "what": what, "limit": limit}
        )
    return value


def speakers_parse(text: str) -> list[SpeakerLine]:
    speakers = []
    for entry in _entries(text):
        match = _SPEAKER.match(entry)
        if match is None:
            raise ForumError(
                _("“%(entry)s” is not “Name (Organization, Role)”.") % {"entry": entry[:60]}
            )
        organization, _sep, role = (match["detail"] or "").rpartition(",")
        if not _sep:
            organization, role = role, ""
        speakers.append(
            SpeakerLine(
                name=_length(match["name"].strip(), 150, _("the name")),
                organization=_length(organization.strip(), 200, _("the organization")),
                role=_length(role.strip(), 100, _("the role")),
            )
        )
    return speakers


def speakers_format(speakers: list[SpeakerLine]) -> str:
    lines = []
    for speaker in speakers:
        detail = ", ".join(part for part in (speaker.organization, speaker.role) if part)
        lines.append(f"{speaker.name} ({detail})" if detail else speaker.name)
    return "\n".join(lines)


def items_parse(text: str) -> list[ItemLine]:
    items = []
    for entry in _entries(text):
        title_de, _sep, title_en = (part.strip() for part in entry.partition("|"))
        if not title_de:
            raise ForumError(_("“%(entry)s” has no German title.") % {"entry": entry[:60]})
        items.append(
            ItemLine(
                title_de=_length(title_de, 200, _("the German title")),
                title_en=_length(title_en, 200, _("the English title")),
            )
        )
    return items


def items_format(items: list[ItemLine]) -> str:
    return "\n".join(
        f"{item.title_de} | {item.title_en}" if item.title_en else item.title_de for item in items
    )
