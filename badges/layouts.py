"""Badge layouts: page sizes, where badges sit on a page, and the boxes inside one badge.

All measures are PDF points (1/72 in); a badge's boxes are relative to its lower-left corner.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import inch, mm


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.y + self.height

    @property
    def right(self) -> float:
        return self.x + self.width

    def contains(self, other: "Box", *, tolerance: float = 0.01) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.top <= self.top + tolerance
        )


@dataclass(frozen=True)
class BadgeGeometry:
    """Where each element of one badge goes."""

    width: float
    height: float
    band: Box  # colored band with the category label
    band_label_size: float
    header: Box  # fair name and dates
    header_size: float
    first_name: Box
    first_name_max: float
    last_name: Box
    last_name_max: float
    company: Box
    job_title: Box
    country: Box
    detail_max: float
    qr: Box  # the whole symbol including its 4-module quiet zone (a square)
    code_baseline: float  # baseline of the short code, centered under the QR
    code_size: float
    align: str  # "center" or "left": how text sits in its box
    name_min: float = 9.0
    detail_min: float = 6.0


@dataclass(frozen=True)
class Layout:
    key: str
    label: str | Promise
    page_width: float
    page_height: float
    badge: BadgeGeometry
    slots: tuple[tuple[float, float], ...]  # lower-left corner of each badge on a page
    crop_marks: bool = False

    @property
    def per_page(self) -> int:
        return len(self.slots)


def _a6_portrait() -> BadgeGeometry:
    width, height = A6  # 105 × 148 mm
    margin = 7 * mm
    inner = width - 2 * margin
    return BadgeGeometry(
        width=width,
        height=height,
        header=Box(margin, height - 19 * mm, inner, 13 * mm),
        header_size=11,
        band=Box(0, height - 34.5 * mm, width, 14 * mm),
        band_label_size=16,
        first_name=Box(margin, height - 52 * mm, inner, 16 * mm),
        first_name_max=30,
        last_name=Box(margin, height - 65 * mm, inner, 13 * mm),
        last_name_max=24,
        company=Box(margin, height - 74 * mm, inner, 8 * mm),
        job_title=Box(margin, height - 79.5 * mm, inner, 5.5 * mm),
        country=Box(margin, height - 85 * mm, inner, 5.5 * mm),
        detail_max=13,
        qr=Box((width - 44 * mm) / 2, 17 * mm, 44 * mm, 44 * mm),
        code_baseline=13 * mm,
        code_size=13,
        align="center",
    )


def _landscape(
    *,
    width: float,
    height: float,
    margin: float,
    band_height: float,
    qr_size: float,
    name_max: float,
    detail_max: float,
    header_size: float,
    band_label_size: float,
    code_size: float,
) -> BadgeGeometry:
    """Text column on the left, QR on the right, band across the top."""
    band = Box(0, height - band_height, width, band_height)
    qr_x = width - margin * 0.6 - qr_size
    column = qr_x - margin - 1 * mm
    top = band.y - 1.5 * mm
    bottom = margin
    header_h = header_size * 2.5
    header = Box(margin, top - header_h, column, header_h)
    qr = Box(qr_x, top - qr_size, qr_size, qr_size)
    # The rest of the column is shared out: names get most of it, so that long names can
    # take two lines before they shrink.
    rest = header.y - 1 * mm - bottom
    boxes = []
    y = header.y - 1 * mm
    for share in (0.34, 0.28, 0.15, 0.12, 0.11):
        y -= rest * share
        boxes.append(Box(margin, y, column, rest * share))
    first, last, company, job, country = boxes
    return BadgeGeometry(
        width=width,
        height=height,
        band=band,
        band_label_size=band_label_size,
        header=header,
        header_size=header_size,
        first_name=first,
        first_name_max=name_max,
        last_name=last,
        last_name_max=name_max * 0.85,
        company=company,
        job_title=job,
        country=country,
        detail_max=detail_max,
        qr=qr,
        code_baseline=qr.y - code_size * 1.1,
        code_size=code_size,
        align="left",
        name_min=6.0,
        detail_min=5.0,
    )


def _label_4x3() -> BadgeGeometry:
    return _landscape(
        width=4 * inch,
        height=3 * inch,
        margin=5 * mm,
        band_height=11 * mm,
        qr_size=44 * mm,
        name_max=22,
        detail_max=10,
        header_size=8,
        band_label_size=14,
        code_size=10,
    )


def _id1() -> BadgeGeometry:
    return _landscape(
        width=85.6 * mm,
        height=54 * mm,
        margin=3.5 * mm,
        band_height=8 * mm,
        qr_size=35 * mm,
        name_max=15,
        detail_max=7.5,
        header_size=6,
        band_label_size=10,
        code_size=7.5,
    )


def _a6_four_up() -> Layout:
    page_width, page_height = A4
    badge = _a6_portrait()
    left = (page_width - 2 * badge.width) / 2
    bottom = (page_height - 2 * badge.height) / 2
    slots = (
        (left, bottom + badge.height),
        (left + badge.width, bottom + badge.height),
        (left, bottom),
        (left + badge.width, bottom),
    )
    return Layout(
        key="a6-4up",
        label=_("A6, four to an A4 sheet, with crop marks"),
        page_width=page_width,
        page_height=page_height,
        badge=badge,
        slots=slots,
        crop_marks=True,
    )


def _single(key: str, label: str | Promise, badge: BadgeGeometry) -> Layout:
    return Layout(
        key=key,
        label=label,
        page_width=badge.width,
        page_height=badge.height,
        badge=badge,
        slots=((0.0, 0.0),),
    )


LAYOUTS: dict[str, Layout] = {
    layout.key: layout
    for layout in (
        _single("a6", _("A6 portrait, one per page"), _a6_portrait()),
        _a6_four_up(),
        _single("label-4x3", _("4 × 3 in label"), _label_4x3()),
        _single("id1", _("ID-1 card (85.6 × 54 mm)"), _id1()),
    )
}
LAYOUT_CHOICES = [(key, layout.label) for key, layout in LAYOUTS.items()]


def layout_get(key: str) -> Layout:
    try:
        return LAYOUTS[key]
    except KeyError:
        raise ValueError(f"unknown badge layout {key!r}; choose one of {sorted(LAYOUTS)}") from None
