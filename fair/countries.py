"""The one country list: ISO 3166-1 names and lookups (``pycountry``), German and English.

Used by the exhibitor registration (``exhibitors.vat``), the badges and the attendee import.
Rules: a name is the country's common name where ISO has one (Bolivia, not "Bolivia,
Plurinational State of"), translated with pycountry's catalogue; a code ISO does not know
(e.g. "XK", used for Kosovo) is shown as the code itself, never as nothing.
"""

import gettext
import unicodedata
from functools import cache

import pycountry
from django.utils.translation import get_language


@cache
def _translation(language: str) -> gettext.NullTranslations:
    if language.startswith("en"):
        return gettext.NullTranslations()
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language[:2]], fallback=True
    )


def _plain(text: str) -> str:
    """Lower case without accents and punctuation, for matching names people type."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join("".join(char if char.isalnum() else " " for char in letters).split())


@cache
def _english_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return ""
    return getattr(country, "common_name", None) or country.name


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in ``language`` (default: the active one); "" for no code, the code
    itself for one ISO does not know."""
    return _country_name((code or "").upper(), (language or get_language() or "de")[:2])


@cache
def _country_name(code: str, language: str) -> str:
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None:
        return code
    if language.startswith("en"):
        return _english_name(code)
    translation = _translation(language)
    translated = translation.gettext(country.name)
    if translated == country.name and getattr(country, "common_name", None):
        translated = translation.gettext(country.common_name)
    return translated


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) for every country, sorted by the name in ``language`` (default: active)."""
    return list(_country_choices((language or get_language() or "de")[:2]))


@cache
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    names = [
        (country.alpha_2, _country_name(country.alpha_2, language))
        for country in pycountry.countries
    ]
    return tuple(sorted(names, key=lambda item: _plain(item[1])))


def country_exists(code: str) -> bool:
    return pycountry.countries.get(alpha_2=(code or "").upper()) is not None


@cache
def _lookup_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        names = {
            country.name,
            getattr(country, "common_name", ""),
            getattr(country, "official_name", ""),
            country_name(code, "de"),
        }
        for name in names:
            if name:
                table.setdefault(_plain(name), code)
        table[country.alpha_3.lower()] = code
    # Names people use that ISO spells differently.
    for alias, code in {
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
    }.items():
        table.setdefault(alias, code)
    return table


def country_lookup(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for a code (alpha-2 or alpha-3) or a German or English
    country name; None when nothing matches."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) == 2 and text.isalpha():
        return text.upper() if pycountry.countries.get(alpha_2=text.upper()) else None
    return _lookup_table().get(_plain(text))
