"""The badge typeface: Roboto, shipped by the ``font_roboto`` package and embedded as TrueType.

Roboto has real glyphs for Latin (German, Polish, Czech, Turkish, Hungarian …), Greek and
Cyrillic names. It comes from a package dependency, never from a system font path, so a fresh
machine renders the same badges.
"""

from functools import cache
from pathlib import Path

import font_roboto
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "FairleadRoboto"
BOLD = "FairleadRoboto-Bold"
_FILES = {REGULAR: "Roboto-Regular.ttf", BOLD: "Roboto-Bold.ttf"}


def font_path(name: str) -> Path:
    return Path(font_roboto.__file__).resolve().parent / "files" / _FILES[name]


@cache
def fonts_register() -> tuple[str, str]:
    """Register the badge fonts with ReportLab once per process; returns (regular, bold)."""
    for name in _FILES:
        pdfmetrics.registerFont(TTFont(name, str(font_path(name))))
    return REGULAR, BOLD


def font_missing_chars(text: str, *, font_name: str = REGULAR) -> set[str]:
    """Characters of ``text`` (other than whitespace) the font has no glyph for."""
    fonts_register()
    char_to_glyph = pdfmetrics.getFont(font_name).face.charToGlyph
    return {char for char in text if not char.isspace() and ord(char) not in char_to_glyph}
