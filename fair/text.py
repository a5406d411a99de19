"""Text as it comes in: one normal form for every entry point (forms, APIs, imports).

Names typed on a Mac, pasted from a PDF or exported by some ticketing systems arrive
decomposed (NFD: "u" + combining diaeresis); the same name typed on Windows arrives composed
(NFC: "ü"). Stored side by side they look identical but do not compare, search or de-duplicate
as equal, and a font without combining marks prints them badly. Every entry point therefore
normalises to NFC with ``text_normalize`` before validating or storing.
"""

import unicodedata


def text_normalize(value: str) -> str:
    """``value`` in Unicode normal form C (composed), unchanged if it already is."""
    if value.isascii() or unicodedata.is_normalized("NFC", value):
        return value
    return unicodedata.normalize("NFC", value)
