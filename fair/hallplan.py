"""The hall plan: stands as an SVG drawing, pure (data in, markup out).

Decisions:

- The viewBox is in metres (one user unit = 1 m) with a margin around the stands' bounding box,
  so the drawing scales to any width and a stand at x=12.5 m sits at 12.5 in the markup.
  y grows southwards (north is up), as in SVG and as in ``fair.models.Stand``.
- Colors come from CSS: each stand's group carries ``stand stand--<state_key>`` (and
  ``stand--highlight``); the markup has only neutral presentation attributes (white fill,
  ``currentColor`` lines), which any stylesheet rule overrides, so the organizer pages and
  the public directory color it their own way. No inline <style>: the CSP allows our
  stylesheets only (``static/css/hallplan.css`` has the organizer colors).
- Closed sides are drawn as walls (``stand-wall``): a row stand shows three walls and one open
  front, an island none — the type can be read from the drawing.
- Text is sized to fit the stand: the number and the label are each scaled down until an
  estimated width (0.6 em per character) fits. The label takes one or two lines (split at
  the space that balances them), whichever allows the larger size; below ``MIN_LABEL_M`` it
  is cut with "…" at that size, and left out where not even a few characters fit. The full
  text is always in the stand's <title>.
- Accessibility: the <svg> is ``role="img"`` with a <title> when nothing in it is a link;
  with links it is ``role="group"`` (an img hides its links from assistive technology) and each
  link has an ``aria-label``. Pages should show a table of the stands beside it too.
- Every text goes through ``xml.sax.saxutils`` escaping, and characters XML cannot hold
  (control characters) are dropped, so any company name gives well-formed markup; links are
  given by the caller (already reversed URLs), never built here.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

SIDES = "NESW"
MARGIN_M = Decimal("1")
CHAR_EM = 0.6  # estimated average glyph width of a sans-serif, in em
MAX_NUMBER_M = 1.2
MAX_LABEL_M = 0.8
MIN_LABEL_M = 0.45  # about 8 px when a 50 m hall is drawn 900 px wide
LINE_HEIGHT = 1.2
MIN_LABEL_CHARS = 4
EMPTY_EXTENT_M = Decimal("10")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))


@dataclass(frozen=True)
class StandShape:
    """One stand as the plan draws it. ``state_key`` becomes a CSS class (``stand--free``);
    ``label`` is the second line (a company), ``title`` the tooltip and accessible name."""

    number: str
    x_m: Decimal
    y_m: Decimal
    width_m: Decimal
    depth_m: Decimal
    state_key: str
    label: str = ""
    href: str | None = None
    title: str = ""
    open_sides: str = SIDES


def _num(value: Decimal | float) -> str:
    """A coordinate for the markup: at most 3 decimals, no trailing zeros, no exponent."""
    text = f"{float(value):.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _css_token(value: str) -> str:
    return "".join(char if char.isalnum() or char in "-_" else "-" for char in value) or "x"


def _font_size(text: str, *, width: float, height: float, maximum: float) -> float:
    """The largest size up to ``maximum`` at which ``text`` fits ``width`` (one line) and
    ``height``."""
    if not text:
        return 0.0
    by_width = width / (CHAR_EM * len(text))
    return min(maximum, by_width, height)


def _two_lines(label: str) -> list[str] | None:
    words = label.split()
    if len(words) < 2:
        return None
    splits = [[" ".join(words[:index]), " ".join(words[index:])] for index in range(1, len(words))]
    return min(splits, key=lambda lines: max(len(line) for line in lines))


def _cut(line: str, chars: int) -> str:
    return line if len(line) <= chars else line[: chars - 1].rstrip() + "…"


def label_lines(label: str, *, width: float, height: float) -> tuple[list[str], float]:
    """(lines, font size in metres) of a label in a box of ``width`` × ``height`` metres;
    ([], 0) when it does not fit at all."""
    if not label.strip():
        return [], 0.0
    candidates = [[label]]
    if (split := _two_lines(label)) is not None:
        candidates.append(split)

    def size_of(lines: list[str]) -> float:
        longest = max(len(line) for line in lines)
        by_height = height / (len(lines) * LINE_HEIGHT)
        return min(MAX_LABEL_M, width / (CHAR_EM * longest), by_height)

    best = max(candidates, key=size_of)
    if size_of(best) >= MIN_LABEL_M:
        return best, size_of(best)
    chars = int(width / (CHAR_EM * MIN_LABEL_M))
    if chars < MIN_LABEL_CHARS:
        return [], 0.0
    for lines in reversed(candidates):  # two cut lines show more than one
        if len(lines) * LINE_HEIGHT * MIN_LABEL_M <= height:
            return [_cut(line, chars) for line in lines], MIN_LABEL_M
    return [], 0.0


def plan_extent(stands: Sequence[StandShape]) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(min x, min y, width, height) of the viewBox: the stands' bounding box plus margin."""
    if not stands:
        return Decimal(0), Decimal(0), EMPTY_EXTENT_M, EMPTY_EXTENT_M
    left = min(stand.x_m for stand in stands) - MARGIN_M
    top = min(stand.y_m for stand in stands) - MARGIN_M
    right = max(stand.x_m + stand.width_m for stand in stands) + MARGIN_M
    bottom = max(stand.y_m + stand.depth_m for stand in stands) + MARGIN_M
    return left, top, right - left, bottom - top


def _walls(stand: StandShape) -> list[str]:
    x0, y0 = float(stand.x_m), float(stand.y_m)
    x1, y1 = x0 + float(stand.width_m), y0 + float(stand.depth_m)
    lines = {
        "N": (x0, y0, x1, y0),
        "E": (x1, y0, x1, y1),
        "S": (x0, y1, x1, y1),
        "W": (x0, y0, x0, y1),
    }
    return [
        '<line class="stand-wall" x1="{}" y1="{}" x2="{}" y2="{}"'
        ' stroke="currentColor" stroke-width="0.15" stroke-linecap="square"/>'.format(
            *(_num(value) for value in lines[side])
        )
        for side in SIDES
        if side not in stand.open_sides
    ]


def _stand(stand: StandShape, *, highlighted: bool) -> str:
    width, depth = float(stand.width_m), float(stand.depth_m)
    center_x = float(stand.x_m) + width / 2
    inner_width = width * 0.9
    classes = f"stand stand--{_css_token(stand.state_key)}"
    if highlighted:
        classes += " stand--highlight"
    title = stand.title or " – ".join(part for part in (stand.number, stand.label) if part)
    number_size = _font_size(
        stand.number, width=inner_width, height=depth * 0.35, maximum=MAX_NUMBER_M
    )
    label = _NOT_XML.sub("", stand.label)
    lines, label_size = label_lines(label, width=inner_width, height=depth * 0.5)
    # The number and the label lines as one block, centered vertically; a baseline sits at
    # about 0.8 of the font size below the top of its line.
    block = number_size + len(lines) * label_size * LINE_HEIGHT
    top = float(stand.y_m) + (depth - block) / 2
    number_y = top + number_size * 0.85
    label_y = number_y + label_size * LINE_HEIGHT
    parts = [
        f"<title>{_text(title)}</title>",
        f'<rect class="stand-area" x="{_num(stand.x_m)}" y="{_num(stand.y_m)}"'
        f' width="{_num(stand.width_m)}" height="{_num(stand.depth_m)}"'
        ' fill="#fff" stroke="currentColor" stroke-width="0.03"/>',
        *_walls(stand),
        f'<text class="stand-number" x="{_num(center_x)}" y="{_num(number_y)}"'
        f' font-size="{_num(number_size)}" text-anchor="middle"'
        f' font-weight="bold">{_text(stand.number)}</text>',
    ]
    for index, line in enumerate(lines):
        parts.append(
            f'<text class="stand-label" x="{_num(center_x)}"'
            f' y="{_num(label_y + index * label_size * LINE_HEIGHT)}"'
            f' font-size="{_num(label_size)}" text-anchor="middle">{_text(line)}</text>'
        )
    body = "".join(parts)
    group = (
        f"<g class={_attr(classes)} data-stand={_attr(stand.number)}"
        f" data-state={_attr(stand.state_key)}>{body}</g>"
    )
    if stand.href is None:
        return group
    return f"<a href={_attr(stand.href)} aria-label={_attr(title)}>{group}</a>"


def hall_plan_svg(
    *,
    stands: Sequence[StandShape],
    highlight: str | None = None,
    title: str = "",
    element_id: str = "hall-plan",
) -> str:
    """The plan of ``stands`` as an SVG element (a string to embed in a page or serve as
    image/svg+xml). ``highlight``: a stand number to mark (``stand--highlight``);
    ``element_id``: the svg's id (its <title> gets ``<id>-title``), unique per page."""
    left, top, width, height = plan_extent(stands)
    has_links = any(stand.href is not None for stand in stands)
    role = "group" if has_links else "img"
    heading = _text(title) if title else ""
    body = "".join(_stand(stand, highlighted=stand.number == highlight) for stand in stands)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="hall-plan" id={_attr(element_id)}'
        f' viewBox="{_num(left)} {_num(top)} {_num(width)} {_num(height)}"'
        f' role="{role}" aria-labelledby={_attr(element_id + "-title")}'
        ' preserveAspectRatio="xMidYMin meet"'
        ' font-family="sans-serif">'
        f"<title id={_attr(element_id + '-title')}>{heading}</title>"
        f"{body}</svg>"
    )
