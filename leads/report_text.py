"""Text in the PDF reports' flow (table cells, the cover's subject, titles) set the way badges
set names: every script prints, right-to-left text reads right to left, wrapped or not.

``TextBlock`` breaks its text into lines with the badges' line breaker
(``badges.text_fit.text_lines``, in logical order, a word wider than the box split) and
draws each line as the runs of ``badges.fonts.text_runs``: the face of the fallback chain
that has each character, shaped by HarfBuzz, in bidirectional order, every line in the
direction of the whole text. A right-to-left text is set flush right.

Why not ReportLab's Paragraph: it breaks lines of the string it is given, so a text handed
over with its right-to-left words in drawing order shows its last line first; and its
shaping takes a word made of two faces ("אליהו," with a Roboto comma) as one font's text,
which draws wrong glyphs or fails.
"""

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from badges.fonts import Run, runs_draw, runs_units, text_is_rtl, text_runs
from badges.text_fit import text_lines


class TextBlock(Flowable):
    """``text`` (line breaks kept) in ``style``'s face, size, leading and colour; the space
        before and after it is the style's (``Flowable.getSpaceBefore``). Its direction is its
        own (a name, a note: set flush right when right-to-left) unless ``rtl`` says (a title,
    aligned with the page's other titles)."""

    def __init__(self, text: str, style: ParagraphStyle, *, rtl: bool | None = None) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self.rtl = text_is_rtl(text) if rtl is None else rtl
        self.lines: list[tuple[Run, ...]] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        font, size = self.style.fontName, self.style.fontSize
        self.lines = [
            text_runs(line, font=font, rtl=self.rtl)
            for paragraph in self.text.split("\n")
            for line in text_lines(
                " ".join(paragraph.split()), font=font, units=availWidth / size, split_words=True
            )
        ]
        self.width, self.height = availWidth, len(self.lines) * self.style.leading
        return self.width, self.height

    def draw(self) -> None:
        canvas, size = self.canv, self.style.fontSize
        canvas.setFillColor(self.style.textColor)
        right = self.rtl or self.style.alignment == TA_RIGHT
        for index, runs in enumerate(self.lines):
            x = self.width - runs_units(runs) * size if right else 0.0
            runs_draw(
                canvas, runs, x=x, y=self.height - size - index * self.style.leading, size=size
            )
