"""Countries: a thin wrapper over django-countries, the one list (ISO 3166-1, names translated).

Models store the alpha-2 code in a ``django_countries.fields.CountryField``; forms, the API and
the attendee import accept codes. What this module adds to the library is what several apps
need and the library leaves open: a name in a given language (a badge is printed in the
visitor's language, not the organizer's), and reading the names people type into an import
file ("Deutschland", "Great Britain", "NLD") back to a code. A code the library does not know
(e.g. "XK", used for Kosovo) is shown as the code itself, never as nothing.
"""

import unicodedata
from functools import cache, lru_cache

from django.utils import translation
from django_countries import countries


def _plain(text: str) -> str:
    """Lower case without accents and punctuation, for matching names people type."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join("".join(char if char.isalnum() else " " for char in letters).split())


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "de")[:2]


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in ``language`` (default: the active one); "" for no code, the code
    itself for one the list does not know."""
    code = str(code or "").upper()
    if not code:
        return ""
    with translation.override(_language(language)):
        return str(countries.name(code)) or code


class CountryNames(dict[str, str]):
    """``country_name`` in one language (default: the active one), each code looked up once:
    for files of many rows, where a lookup of its own per row (a translation switch and a
    translated name) costs more than the rest of the row."""

    def __init__(self, language: str | None = None) -> None:
        super().__init__()
        self.language = _language(language)

    def __missing__(self, code: str) -> str:
        name = self[code] = country_name(code, self.language)
        return name


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) for every country, sorted by the name in ``language`` (default: active)."""
    with translation.override(_language(language)):
        return [(str(code), str(name)) for code, name in countries]


@lru_cache(maxsize=1024)  # django-countries answers through a translation lookup each time
def country_exists(code: str) -> bool:
    return bool(code) and str(code).upper() in countries


# Names people use that the list spells differently.
_ALIASES = {
    "england": "GB",
    "great britain": "GB",
    "grossbritannien": "GB",
    "uk": "GB",
    "usa": "US",
    "vereinigte staaten": "US",
    "turkey": "TR",
    "turkei": "TR",
    "holland": "NL",
    "russland": "RU",
    "russia": "RU",
    "czech republic": "CZ",
    "tschechische republik": "CZ",
    "schweiz": "CH",
    "switzerland": "CH",
}


@cache
def _lookup_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for language in ("en", "de"):
        for code, name in country_choices(language):
            table.setdefault(_plain(name), code)
    for code in countries.countries:
        alpha3 = countries.alpha3(code)
        if alpha3:
            table.setdefault(alpha3.lower(), str(code))
    for alias, code in _ALIASES.items():
        table.setdefault(alias, code)
    return table


def country_lookup(text: str) -> str | None:
    """The alpha-2 code for a code (alpha-2 or alpha-3) or a German or English country name;
    None when nothing matches."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) == 2 and text.isalpha():
        return text.upper() if country_exists(text) else None
    return _lookup_table().get(_plain(text))
