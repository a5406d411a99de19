"""Typefaces for badges and PDF reports: one fallback chain, so that every name prints.

Roboto (from the ``font_roboto`` package) sets Latin (with Vietnamese), Greek and Cyrillic.
Characters it lacks go to the first Noto face that has them: Arabic, Hebrew, Devanagari, Thai,
Georgian, then CJK (Chinese, Japanese kana and kanji, Korean Hangul). The Noto files are
vendored in ``badges/fontfiles`` (subset, OFL-1.1; ``vendor.py`` there rebuilds them and says
why each subset is what it is), so a fresh clone renders the same badges as production, and
ReportLab embeds only the glyphs a PDF uses.

A line of text becomes ``Run``s: pieces in one font and one direction, in the order they are
drawn from left to right (the Unicode bidirectional algorithm from ``python-bidi`` orders them,
so a Hebrew or Arabic name reads from right to left, also next to a Latin one). Runs in a
Noto face, and runs with combining marks, are shaped by HarfBuzz (``uharfbuzz``, through
ReportLab's ``shapeStr``), which joins Arabic letters and places Devanagari and Thai marks.

The rule for characters no face can draw (emoji, pictographs, rare ideographs outside the CJK
subset): they are left out of the printed text, never drawn as empty boxes, and
``text_printed`` reports them so that every place that prints a badge can say so.
"""

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import font_roboto
from bidi import algorithm as bidi_algorithm
from bidi.mirror import MIRRORED
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFDocument
from reportlab.pdfbase.ttfonts import SUBSETN, ShapedStr, TTFont, shapeStr
from reportlab.pdfgen.canvas import Canvas

REGULAR = "FairleadRoboto"
BOLD = "FairleadRoboto-Bold"
_ROBOTO = {REGULAR: "Roboto-Regular.ttf", BOLD: "Roboto-Bold.ttf"}
_VENDORED = Path(__file__).resolve().parent / "fontfiles"
# Fallback faces in the order they are tried, per weight of the primary face. CJK comes in
# one (bold) weight only: see badges/fontfiles/vendor.py.
_FALLBACKS = ("Arabic", "Hebrew", "Devanagari", "Thai", "Georgian")
_CJK = "FairleadCJK"


def _fallback_files(weight: str) -> dict[str, Path]:
    files = {
        f"Fairlead{script}-{weight}": _VENDORED / f"NotoSans{script}-{weight}.ttf"
        for script in _FALLBACKS
    }
    files[_CJK] = _VENDORED / "NotoSansCJKsc-Bold.ttf"
    return files


_CHAINS = {
    REGULAR: (REGULAR, *_fallback_files("Regular")),
    BOLD: (BOLD, *_fallback_files("Bold")),
}


def font_path(name: str) -> Path:
    """The TrueType file behind a registered face name."""
    if name in _ROBOTO:
        return Path(font_roboto.__file__).resolve().parent / "files" / _ROBOTO[name]
    return {**_fallback_files("Regular"), **_fallback_files("Bold")}[name]


class _ShapedFont(TTFont):
    """A face whose shaped glyphs read back as the characters they stand for.

    HarfBuzz returns glyphs that no character maps to (Devanagari conjuncts, Arabic ligatures,
    Thai marks moved over a tall consonant); ReportLab gives each a private-use code, and its
    ToUnicode map would make a PDF reader (copy and paste, search, screen readers) see that
    code. ``cluster_texts`` records, while shaping, the characters each such glyph stands
    for, and the font's ToUnicode maps are rewritten with them.
    """

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self.cluster_texts: dict[int, str] = {}

    def addObjects(self, doc: PDFDocument) -> None:
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state is not None else []
        super().addObjects(doc)  # forgets the document's state
        face = self.face
        for index, subset in enumerate(subsets):
            if not any(code in self.cluster_texts for code in subset):
                continue
            base = b"".join((SUBSETN(index), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
            stream = doc.idToObject["toUnicodeCMap:" + base]
            stream.content = _to_unicode_cmap(base, subset, self.cluster_texts)


def _to_unicode_cmap(name: str, subset: list[int], texts: dict[int, str]) -> str:
    def target(code: int) -> str:
        return texts.get(code, chr(code)).encode("utf-16-be").hex().upper()

    entries = [f"<{index:02X}> <{target(code)}>" for index, code in enumerate(subset)]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
            f"/CMapName /{name} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(entries)} beginbfchar",
            *entries,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


@cache
def fonts_register() -> tuple[str, str]:
    """Register the primary faces with ReportLab once per process; returns their (regular,
    bold) names, which is what drawing code asks for. A fallback face is registered the
    first time a character needs it (parsing the CJK face alone takes a second)."""
    for name in (REGULAR, BOLD):
        _face_register(name)
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)
    return REGULAR, BOLD


def _face_register(name: str) -> None:
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(_ShapedFont(name, str(font_path(name))))


@cache
def _char_map(name: str) -> dict[int, int]:
    fonts_register()
    _face_register(name)
    return pdfmetrics.getFont(name).face.charToGlyph


def _chain(font: str) -> tuple[str, ...]:
    return _CHAINS.get(font, (font,))


def font_for_char(char: str, *, font: str = REGULAR) -> str | None:
    """The first face of ``font``'s chain that has a glyph for ``char``, or None."""
    return _face_for_code(ord(char), font)


@lru_cache(maxsize=65536)
def _face_for_code(code: int, font: str) -> str | None:
    for name in _chain(font):
        if code in _char_map(name):
            return name
    return None


def font_missing_chars(text: str, *, font_name: str = REGULAR) -> set[str]:
    """Characters of ``text`` (other than whitespace and invisible format characters) that no
    face of the chain can draw."""
    return {
        char
        for char in text
        if not _rides_along(char) and font_for_char(char, font=font_name) is None
    }


def _rides_along(char: str) -> bool:
    """Spaces, combining marks and format characters (ZWJ, ZWNJ, variation selectors) take the
    face of the character before them, so that a cluster is never split between faces."""
    category = unicodedata.category(char)
    return char.isspace() or category in {"Mn", "Me", "Cf"} or 0xFE00 <= ord(char) <= 0xFE0F


# --------------------------------------------------------------------------- runs


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of one line in one face and one direction; ``shaped`` is what is drawn."""

    text: str
    font: str
    rtl: bool
    shaped: str  # a ReportLab ShapedStr (glyphs in drawing order) or the plain text
    units: float  # advance width at 1 pt

    def width(self, size: float) -> float:
        return self.units * size


# Bidi classes that make a text need the bidirectional algorithm; explicit embedding and
# isolate controls are dropped before it (names never need them; they print as nothing).
_RTL_CLASSES = frozenset({"R", "AL", "AN"})
_BIDI_CONTROLS = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})


def text_is_rtl(text: str) -> bool:
    """Whether ``text`` is a right-to-left paragraph: its first letter with a strong direction
    is Hebrew or Arabic (rules P2–P3 of the Unicode bidi algorithm). The lines a paragraph is
    wrapped into keep its direction, also a line that starts with a Latin word."""
    return bool(bidi_algorithm.get_base_level(text))


def _levels(text: str, *, rtl: bool | None = None) -> list[int]:
    """Resolved embedding level per character (rules P2–I2 of the Unicode bidi algorithm), in
    a paragraph of direction ``rtl`` (None: the text's own)."""
    storage = bidi_algorithm.get_empty_storage()
    storage["base_level"] = bidi_algorithm.get_base_level(text) if rtl is None else int(rtl)
    storage["base_dir"] = ("L", "R")[storage["base_level"]]
    bidi_algorithm.get_embedding_levels(text, storage)
    bidi_algorithm.explicit_embed_and_overrides(storage)
    bidi_algorithm.resolve_weak_types(storage)
    bidi_algorithm.resolve_neutral_types(storage, False)
    bidi_algorithm.resolve_implicit_levels(storage, False)
    return [char["level"] for char in storage["chars"]]


def _visual_order(pieces: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """Rule L2: from the highest level down to the lowest odd one, reverse every sequence of
    pieces at that level or above."""
    if not pieces:
        return pieces
    levels = [level for level, _, _ in pieces]
    lowest_odd = min(level for level in levels if level % 2) if any(x % 2 for x in levels) else 1
    ordered = list(pieces)
    for level in range(max(levels), lowest_odd - 1, -1):
        index = 0
        while index < len(ordered):
            if ordered[index][0] >= level:
                end = index
                while end < len(ordered) and ordered[end][0] >= level:
                    end += 1
                ordered[index:end] = ordered[index:end][::-1]
                index = end
            else:
                index += 1
    return ordered


def _is_private(char: str) -> bool:
    return 0xE000 <= ord(char) <= 0xF8FF  # the vendored faces map no character there


def _clusters_record(font: str, text: str, shaped: ShapedStr) -> None:
    """Note what the private-use glyphs of ``shaped`` stand for (see ``_ShapedFont``)."""
    face = pdfmetrics.getFont(font)
    texts = getattr(face, "cluster_texts", None)
    if texts is None:
        return
    glyphs: dict[int, list[str]] = {}
    for char, glyph in zip(shaped, shaped.__shapeData__, strict=True):
        glyphs.setdefault(glyph.cluster, []).append(char)
    starts = sorted(glyphs)
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        source = text[start:end]
        private = [char for char in glyphs[start] if _is_private(char)]
        if not private:
            continue
        rest = source
        for char in glyphs[start]:
            if not _is_private(char):
                rest = rest.replace(char, "", 1)
        # The first private glyph stands for the rest of the cluster, others for nothing
        # visible (a zero-width space: a ToUnicode entry cannot be empty).
        texts.setdefault(ord(private[0]), rest or source)
        for char in private[1:]:
            texts.setdefault(ord(char), "\u200b")


def _shape(text: str, font: str, *, needed: bool) -> tuple[str, float]:
    if needed:
        shaped = shapeStr(text, font, 1000)
        if isinstance(shaped, ShapedStr):
            if any(_is_private(char) for char in shaped):
                _clusters_record(font, text, shaped)
            return shaped, sum(glyph.x_advance for glyph in shaped.__shapeData__) / 1000
    return text, pdfmetrics.stringWidth(text, font, 1)


def _faces(text: str, *, font: str) -> list[str | None]:
    """The face of each character (None: no face has it); spaces, marks and joiners ride
    along with the character before them."""
    primary = _chain(font)[0]
    faces: list[str | None] = []
    current: str | None = None
    for char in text:
        face: str | None
        if _rides_along(char) and current is not None:
            face = current
        else:
            face = font_for_char(char, font=font)
            if face is None and char.isspace():
                face = primary
        faces.append(face)
        if face is not None:
            current = face
    # A leading space or mark before any face was found takes the first face found after it.
    first = next((face for face in faces if face is not None), primary)
    return [first if face is None and _rides_along(char) else face
            for char, face in zip(text, faces, strict=True)]  # fmt: skip


def _drawn(piece: str, *, rtl: bool) -> str:
    """The characters of a piece in the order they are drawn. HarfBuzz orders (and mirrors)
    a right-to-left piece of Hebrew or Arabic letters itself; punctuation and spaces between
    right-to-left words (", " or brackets, in the primary face) are turned round here, each
    bracket into its mirror image (rule L4 of the Unicode bidi algorithm)."""
    if not rtl or any(unicodedata.bidirectional(char) in {"R", "AL"} for char in piece):
        return piece
    return "".join(MIRRORED.get(char, char) for char in reversed(piece))


def text_runs(text: str, *, font: str, rtl: bool | None = None) -> tuple[Run, ...]:
    """``text`` (one line, of a paragraph of direction ``rtl``; None: the line's own) as runs
    in drawing order; characters no face has are left out."""
    return _text_runs(text, font, text_is_rtl(text) if rtl is None else rtl)


@lru_cache(maxsize=4096)  # one entry per line and direction, however the direction was given
def _text_runs(text: str, font: str, rtl: bool) -> tuple[Run, ...]:
    fonts_register()
    text = "".join(char for char in text if unicodedata.bidirectional(char) not in _BIDI_CONTROLS)
    primary = _chain(font)[0]
    faces = _faces(text, font=font)
    needs_bidi = any(unicodedata.bidirectional(char) in _RTL_CLASSES for char in text)
    levels = _levels(text, rtl=rtl) if needs_bidi or rtl else [0] * len(text)
    pieces: list[tuple[int, str, str]] = []
    for char, face, level in zip(text, faces, levels, strict=True):
        if face is None:
            continue
        if pieces and pieces[-1][0] == level and pieces[-1][1] == face:
            pieces[-1] = (level, face, pieces[-1][2] + char)
        else:
            pieces.append((level, face, char))
    runs = []
    for level, face, piece in _visual_order(pieces):
        needs_shaping = face != primary or any(unicodedata.combining(c) for c in piece)
        shaped, units = _shape(_drawn(piece, rtl=bool(level % 2)), face, needed=needs_shaping)
        runs.append(Run(text=piece, font=face, rtl=bool(level % 2), shaped=shaped, units=units))
    return tuple(runs)


def runs_units(runs: tuple[Run, ...]) -> float:
    """Width of a line of runs at 1 pt."""
    return sum(run.units for run in runs)


def runs_draw(canvas: Canvas, runs: tuple[Run, ...], *, x: float, y: float, size: float) -> None:
    """Draw a line of runs from ``x`` to the right, on the baseline ``y``."""
    for run in runs:
        canvas.setFont(run.font, size)
        canvas.drawString(x, y, run.shaped)
        x += run.units * size


@lru_cache(maxsize=65536)
def _advance(code: int, font: str) -> float:
    face = _face_for_code(code, font)
    return pdfmetrics.getFont(face).face.charWidths.get(code, 0) / 1000 if face else 0.0


def text_units_estimate(text: str, *, font: str) -> float:
    """Width of ``text`` at 1 pt from its characters' advances, without shaping: exact for
    unshaped text, close for the rest (enough to tell that a text surely fits)."""
    return sum(_advance(ord(char), font) for char in text)


@dataclass(frozen=True, slots=True)
class PrintedText:
    """How one text prints: what is drawn, and what of the stored text is left out."""

    stored: str
    printed: str
    missing: tuple[str, ...]  # characters no face has, in order of first appearance

    @property
    def differs(self) -> bool:
        return bool(self.missing)


def text_printed(text: str, *, font: str = BOLD) -> PrintedText:
    """The text as it will be printed with ``font``'s chain (characters no face has are
    dropped, and spaces they leave doubled are joined)."""
    if text.isascii() and text.isprintable():  # Roboto has every printable ASCII character
        return PrintedText(stored=text, printed=text, missing=())
    missing = {
        char: None
        for char in text
        if _face_for_code(ord(char), font) is None and not _rides_along(char)
    }
    if not missing:
        return PrintedText(stored=text, printed=text, missing=())
    printed = " ".join("".join(char for char in text if char not in missing).split())
    return PrintedText(stored=text, printed=printed, missing=tuple(missing))
