"""Fitting a text into a box on a badge: the largest size on one or two lines, else cut.

Linear in the length of the text: every character's advance is looked up once into prefix
sums, candidate breaks are judged from those sums, and only the chosen lines are measured
exactly (shaped, through ``badges.fonts``). Below a layout's minimum size the text is set at
the minimum and the last line ends with an ellipsis (``FittedText.truncated``).
"""

import bisect
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from reportlab.pdfbase.pdfmetrics import getFont

from badges.fonts import (
    BOLD,
    REGULAR,
    Run,
    font_for_char,
    runs_units,
    text_is_rtl,
    text_printed,
    text_runs,
)

LEADING = 1.2


@cache
def font_extent(font: str) -> tuple[float, float]:
    """(ascent, descent) per point of size: for the primary faces the highest and lowest any
    glyph reaches; for the fallback faces their line metrics (their bounding boxes include
    vertical forms and stacked marks that names do not use, and would shrink every line)."""
    face = getFont(font).face
    if font in (REGULAR, BOLD):
        return max(face.ascent, face.bbox[3]) / 1000, max(-face.descent, -face.bbox[1]) / 1000
    return min(face.ascent, face.bbox[3]) / 1000, min(-face.descent, -face.bbox[1]) / 1000


def _extent(faces: Iterable[str]) -> tuple[float, float]:
    extents = [font_extent(face) for face in faces]
    return max(ascent for ascent, _ in extents), max(descent for _, descent in extents)


@dataclass(frozen=True)
class FittedText:
    """How one text is set: its lines (in logical order), size and primary face.

    ``truncated``: even at ``min_size`` on every allowed line the text did not fit, so the
    last line ends with an ellipsis — a badge that prints less than the stored text.
    """

    lines: tuple[str, ...]
    size: float
    font: str
    truncated: bool = False
    missing: tuple[str, ...] = ()  # characters no face has, left out (badges.fonts)

    def runs(self) -> list[tuple[Run, ...]]:
        """The lines as runs in drawing order, each in the direction of the whole text (the
        second line of an Arabic company that starts with a Latin word stays right-to-left)."""
        rtl = text_is_rtl(" ".join(self.lines))
        return [text_runs(line, font=self.font, rtl=rtl) for line in self.lines]

    @property
    def extent(self) -> tuple[float, float]:
        faces = {run.font for line in self.runs() for run in line} or {self.font}
        return _extent(faces)

    @property
    def line_height(self) -> float:
        return self.size * LEADING

    @property
    def block_height(self) -> float:
        if not self.lines:
            return 0.0
        ascent, descent = self.extent
        return self.size * ((len(self.lines) - 1) * LEADING + ascent + descent)

    def width(self) -> float:
        return max((runs_units(line) * self.size for line in self.runs()), default=0.0)


# Linear in the length of the text: every character's advance is looked up once into prefix
# sums, candidate breaks are judged from those sums, and only the chosen lines are measured
# exactly (shaped). The old search tried every way to split and measured each in full.

ELLIPSIS = "…"


def _is_ideograph(char: str) -> bool:
    code = ord(char)
    return 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF


def _breaks(text: str) -> list[tuple[int, int]]:
    """Where ``text`` may break: (end of the first line, start of the next). At a space
    (dropped), after a hyphen (kept) and between two CJK ideographs or kana."""
    breaks = []
    for index, char in enumerate(text):
        if char == " ":
            if 0 < index < len(text) - 1:
                breaks.append((index, index + 1))
        elif index < len(text) - 1 and (
            (char in "-‐" and index > 0) or (_is_ideograph(char) and _is_ideograph(text[index + 1]))
        ):
            breaks.append((index + 1, index + 1))
    return breaks


def _prefix_units(text: str, font: str) -> list[float]:
    """Advance widths at 1 pt, summed: ``sums[i]`` is the width of ``text[:i]`` (an estimate
    for shaped scripts, exact for the rest)."""
    sums = [0.0]
    total = 0.0
    for char in text:
        face = font_for_char(char, font=font)
        if face is not None:
            total += getFont(face).face.charWidths.get(ord(char), 0) / 1000
        sums.append(total)
    return sums


def _line_units(line: str, font: str) -> float:
    return runs_units(text_runs(line, font=font))


def _size_for(
    lines: tuple[str, ...], *, font: str, width: float, height: float, max_size: float
) -> float:
    unit = max(_line_units(line, font) for line in lines)
    faces = {run.font for line in lines for run in text_runs(line, font=font)} or {font}
    ascent, descent = _extent(faces)
    block = (len(lines) - 1) * LEADING + ascent + descent
    return min(max_size, width / unit if unit else max_size, height / block)


def _two_lines(text: str, font: str, sums: list[float]) -> tuple[str, str] | None:
    """The break that makes the longer of the two lines shortest."""
    best: tuple[float, int, int] | None = None
    for end, start in _breaks(text):
        longer = max(sums[end], sums[-1] - sums[start])
        if best is None or longer < best[0]:
            best = (longer, end, start)
    if best is None:
        return None
    return text[: best[1]].rstrip(), text[best[2] :].lstrip()


def _cut(text: str, font: str, sums: list[float], *, units: float) -> str:
    """The longest start of ``text`` that fits ``units`` with an ellipsis after it."""
    room = units - _line_units(ELLIPSIS, font)
    # The largest prefix whose estimated width fits, then step back while the exact one does
    # not (shaping may widen it a little): a few steps at most.
    end = bisect.bisect_right(sums, room) - 1
    while end > 0:
        candidate = text[:end].rstrip() + ELLIPSIS
        if _line_units(candidate, font) <= units:
            return candidate
        end -= 1
    return ELLIPSIS


def _line_spans(
    text: str, font: str, units: float, *, split_words: bool = False, most: int | None = None
) -> list[tuple[int, int]]:
    """``text`` broken greedily into lines at most ``units`` wide (at 1 pt), as (start, end)
    of each line in logical order. A word wider than ``units`` is a line of its own, or with
    ``split_words`` is split where it fills the line. With ``most``, the last of that many
    lines holds the rest of the text, however wide."""
    sums = _prefix_units(text, font)
    breaks = _breaks(text)
    ends = [end for end, _start in breaks]
    spans: list[tuple[int, int]] = []
    start, first = 0, 0  # where the line starts; the first break after that
    while (most is None or len(spans) < most - 1) and (
        sums[-1] - sums[start] > units or _line_units(text[start:], font) > units
    ):
        # The last break whose line fits by the estimate, then back while the exact width
        # does not (shaping may widen a line a little): a few steps at most.
        limit = bisect.bisect_right(sums, sums[start] + units) - 1
        index = bisect.bisect_right(ends, limit) - 1
        while index >= first and _line_units(text[start : ends[index]], font) > units:
            index -= 1
        if index >= first:  # a break fits
            end, after = breaks[index]
            first = index + 1
        elif split_words:  # the word is wider than a line: split it
            word_end = ends[first] if first < len(breaks) else len(text)
            end = after = _word_cut(text, font, start, min(limit, word_end), units=units)
        elif first < len(breaks):  # the word is wider than a line: a line of its own
            end, after = breaks[first]
            first += 1
        else:
            break
        spans.append((start, end))
        start = after
    spans.append((start, len(text)))
    return spans


def _word_cut(text: str, font: str, start: int, end: int, *, units: float) -> int:
    """Where to split the word at ``start`` so that its piece fits ``units``: at ``end`` or
    before (at least one character; never before a combining mark)."""
    end = max(end, start + 1)
    while end > start + 1 and (
        _line_units(text[start:end], font) > units or unicodedata.category(text[end])[0] == "M"
    ):
        end -= 1
    return end


def text_lines(text: str, *, font: str, units: float, split_words: bool = False) -> list[str]:
    """``text`` (one paragraph, spaces single) broken into lines at most ``units`` wide at 1 pt
    in logical order: the first line holds the first words, also of a right-to-left text. A
    word wider than a line stays whole on a line of its own, or with ``split_words`` is split.
    Lines are broken here, before they are set in drawing order (``badges.fonts.text_runs``),
    for badges and for the PDF reports alike."""
    spans = _line_spans(text, font, units, split_words=split_words)
    return [text[start:end] for start, end in spans]


def _truncated(
    text: str, *, font: str, width: float, height: float, size: float, max_lines: int
) -> FittedText:
    """``text`` at ``size`` on up to ``max_lines`` lines, the last cut with an ellipsis."""
    ascent, descent = _extent({font})
    lines_room = int((height / size - ascent - descent) / LEADING) + 1
    count = max(1, min(max_lines, lines_room))
    units = width / size
    spans = _line_spans(text, font, units, most=count)
    lines: list[str] = []
    for start, end in spans[: count - 1]:
        if _line_units(text[start:end], font) > units:
            break
        lines.append(text[start:end])
    rest = text[spans[len(lines)][0] :]
    if len(spans) == len(lines) + 1 and _line_units(rest, font) <= units:
        lines.append(rest)
        return FittedText(lines=tuple(lines), size=size, font=font, truncated=False)
    lines.append(_cut(rest, font, _prefix_units(rest, font), units=units))
    return FittedText(lines=tuple(lines), size=size, font=font, truncated=True)


def text_fit(
    text: str,
    *,
    font: str,
    width: float,
    height: float,
    max_size: float,
    min_size: float,
    max_lines: int = 2,
) -> FittedText:
    """The largest size (≤ max_size) at which ``text`` fits the box, on one or two lines.

    Two lines are taken when they set the text clearly larger than one (15 %), or when one
    line would go below ``min_size``. If even two lines need less than ``min_size``, the text
    is set at ``min_size`` and the last line is cut with an ellipsis (``truncated``): it never
    overflows, is clipped, or shrinks to an unreadable size.
    """
    printed = text_printed(" ".join(text.split()), font=font)
    text = printed.printed
    if not text:
        return FittedText(lines=(), size=max_size, font=font, missing=printed.missing)
    chosen = FittedText(
        lines=(text,),
        size=_size_for((text,), font=font, width=width, height=height, max_size=max_size),
        font=font,
        missing=printed.missing,
    )
    if max_lines >= 2 and chosen.size < max_size:
        split = _two_lines(text, font, _prefix_units(text, font))
        if split is not None:
            size = _size_for(split, font=font, width=width, height=height, max_size=max_size)
            if size > chosen.size * (1.15 if chosen.size >= min_size else 1):
                chosen = FittedText(lines=split, size=size, font=font, missing=printed.missing)
    if chosen.size >= min_size:
        return chosen
    cut = _truncated(
        text, font=font, width=width, height=height, size=min_size, max_lines=max_lines
    )
    return FittedText(cut.lines, cut.size, font, truncated=cut.truncated, missing=printed.missing)
