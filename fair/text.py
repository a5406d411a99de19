"""Text as it comes in: one normal form for every entry point (forms, APIs, imports).

Names typed on a Mac, pasted from a PDF or exported by some ticketing systems arrive
decomposed (NFD: "u" + combining diaeresis); the same name typed on Windows arrives composed
(NFC: "ü"). Stored side by side they look identical but do not compare, search or de-duplicate
as equal, and a font without combining marks prints them badly. Every entry point therefore
normalizes to NFC with ``text_normalize`` before validating or storing.

Sorting for people follows German dictionary order (DIN 5007-1): "Ä" sorts with "A", "ß"
with "ss", case is ignored, and only ties fall back to accents and case. ``text_sort_key``
gives that order without ICU (PyICU has no wheels on PyPI): letters are decomposed and
their accents dropped for the first comparison.
"""

import unicodedata
from typing import Any

from django.db import models


def text_normalize(value: str) -> str:
    """``value`` in Unicode normal form C (composed), unchanged if it already is."""
    if value.isascii() or unicodedata.is_normalized("NFC", value):
        return value
    return unicodedata.normalize("NFC", value)


def model_texts_normalize(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    """``pre_save`` of every Fairlead model: its text fields are stored in NFC, whichever form,
    API, import or admin page the text came through (``FairConfig.ready`` connects it; bulk
    writes normalize their values themselves)."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str) and not value.isascii():
                setattr(instance, field.attname, text_normalize(value))


def text_sort_key(value: str) -> tuple[str, str, str]:
    """A key that sorts ``value`` in German dictionary order (see the module docstring)."""
    folded = unicodedata.normalize("NFKD", value.casefold())
    base = "".join(char for char in folded if not unicodedata.combining(char))
    return base, folded, value
