"""Rendering is pure: badge data in, PDF out. These tests read the PDFs back."""

import io
import re
import tracemalloc

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from django.utils import translation
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from badges.codes import qr_content, secret_generate
from badges.fonts import BOLD, REGULAR, font_missing_chars, font_path
from badges.layouts import LAYOUTS, Box, layout_get
from badges.qr import qr_rows
from badges.render import (
    _qr_runs,
    badge_pdf_bytes,
    badge_text_boxes,
    badge_text_layout,
    badges_render,
    qr_png_bytes,
    text_fit,
)
from tests.badges.conftest import HARD_NAMES, make_data, qr_texts_per_page, qr_widths_mm


def render(badges, layout_key: str, **kwargs) -> bytes:
    out = io.BytesIO()
    badges_render(badges, layout=layout_get(layout_key), out=out, **kwargs)
    return out.getvalue()


@pytest.mark.parametrize("layout_key", sorted(LAYOUTS))
def test_every_qr_on_every_layout_decodes_to_its_badge(layout_key, hard_badges):
    pdf = render(hard_badges, layout_key)

    pages = qr_texts_per_page(pdf)

    per_page = LAYOUTS[layout_key].per_page
    expected = [data.qr_content for data in hard_badges]
    assert len(pages) == -(-len(hard_badges) // per_page)
    for page_index, found in enumerate(pages):
        on_page = expected[page_index * per_page : (page_index + 1) * per_page]
        assert sorted(found) == sorted(on_page)


def test_qr_on_a6_is_at_least_30_mm_wide(hard_badges):
    widths = qr_widths_mm(render(hard_badges[:4], "a6"))

    assert len(widths) == 4
    assert min(widths) >= 30


@pytest.mark.parametrize("layout_key", sorted(LAYOUTS))
def test_qr_keeps_a_quiet_zone_of_four_modules(layout_key):
    geometry = LAYOUTS[layout_key].badge
    modules = len(qr_rows(qr_content(secret_generate())))
    module = geometry.qr.width / (modules + 8)
    boxes = badge_text_boxes(geometry)

    # No text box reaches into the QR box (which holds the symbol plus 4 white modules).
    for name, box in boxes.items():
        overlaps = not (
            box.right <= geometry.qr.x
            or box.x >= geometry.qr.right
            or box.top <= geometry.qr.y
            or box.y >= geometry.qr.top
        )
        assert not overlaps, name
    assert geometry.code_baseline + geometry.code_size <= geometry.qr.y + 4 * module


def test_qr_rectangles_cover_exactly_the_dark_modules():
    rows = qr_rows(qr_content(secret_generate()))
    size = len(rows)

    drawn = set()
    for x, y, width, height in re.findall(r"(\d+) (\d+) (\d+) (\d+) re", _qr_runs(rows)):
        assert height == "1"
        drawn.update((size - 1 - int(y), int(x) + step) for step in range(int(width)))
    dark = {
        (index, column)
        for index, row in enumerate(rows)
        for column, digit in enumerate(row)
        if digit == "1"
    }
    assert drawn == dark


@pytest.mark.parametrize("layout_key", sorted(LAYOUTS))
def test_qr_is_drawn_as_vector_modules_not_an_image(layout_key, hard_badges):
    pdf = render(hard_badges[:2], layout_key)
    document = pdfium.PdfDocument(pdf)

    kinds = {obj.type for obj in document[0].get_objects()}

    assert pdfium_c.FPDF_PAGEOBJ_IMAGE not in kinds
    assert pdfium_c.FPDF_PAGEOBJ_PATH in kinds
    document.close()


def test_qr_uses_error_correction_m():
    import zxingcpp

    png = qr_png_bytes("FL1:ABC")
    from PIL import Image

    code = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))[0]
    assert code.text == "FL1:ABC"
    assert code.ec_level == "M"


def test_font_is_roboto_from_the_package_not_a_system_path():
    assert "font_roboto" in str(font_path(REGULAR))
    assert font_path(BOLD).name == "Roboto-Bold.ttf"


def test_font_has_glyphs_for_every_test_name():
    for names in HARD_NAMES:
        text = "".join(names)
        assert font_missing_chars(text, font_name=REGULAR) == set()
        assert font_missing_chars(text, font_name=BOLD) == set()


def test_missing_glyphs_are_detected():
    assert font_missing_chars("A\U0001f600", font_name=REGULAR) == {"\U0001f600"}


def test_pdf_embeds_the_truetype_font_and_its_text_reads_back(hard_badges):
    pdf = render(hard_badges, "a6")

    assert b"/FontFile2" in pdf  # embedded TrueType (subset)
    assert b"Roboto" in pdf
    document = pdfium.PdfDocument(pdf)
    for index, data in enumerate(hard_badges):
        text = document[index].get_textpage().get_text_range()
        flat = " ".join(text.split())
        for part in (data.first_name, data.short_code):
            assert part in flat
        # Long names may break at a space or after a hyphen, never inside a word.
        for word in re.split(r"[ -]", data.last_name):
            assert word in flat
    document.close()


@pytest.mark.parametrize("layout_key", sorted(LAYOUTS))
def test_names_fit_their_boxes_by_string_width(layout_key, hard_badges):
    geometry = LAYOUTS[layout_key].badge
    boxes = badge_text_boxes(geometry)
    for data in hard_badges:
        for name, fitted in badge_text_layout(data, geometry).items():
            box = boxes[name]
            for line in fitted.lines:
                assert stringWidth(line, fitted.font, fitted.size) <= box.width + 0.01, name
            assert fitted.block_height <= box.height + 0.01, name


def _char_boxes(page, text_page, needle: str):
    # pdfium reads a hyphen at the end of a line as a soft hyphen (U+FFFE).
    text = text_page.get_text_range().replace("\ufffe", "-")
    start = text.find(needle)
    assert start >= 0, needle
    return [
        text_page.get_charbox(index)
        for index in range(start, start + len(needle))
        if not text[index].isspace()
    ]


@pytest.mark.parametrize("layout_key", sorted(LAYOUTS))
def test_printed_name_glyphs_stay_inside_the_name_boxes(layout_key, hard_badges):
    layout = LAYOUTS[layout_key]
    geometry = layout.badge
    boxes = badge_text_boxes(geometry)
    pdf = render(hard_badges, layout_key)
    document = pdfium.PdfDocument(pdf)
    for index, data in enumerate(hard_badges):
        page = document[index // layout.per_page]
        slot_x, slot_y = layout.slots[index % layout.per_page]
        text_page = page.get_textpage()
        fitted = badge_text_layout(data, geometry)
        for field in ("first_name", "last_name", "company"):
            box = boxes[field]
            page_box = Box(slot_x + box.x, slot_y + box.y, box.width, box.height)
            for line in fitted[field].lines:
                for left, bottom, right, top in _char_boxes(page, text_page, line):
                    glyph = Box(left, bottom, right - left, top - bottom)
                    assert page_box.contains(glyph, tolerance=0.5), (field, line)
    document.close()


def test_long_names_shrink_but_short_names_stay_large():
    geometry = LAYOUTS["a6"].badge
    short = badge_text_layout(make_data(0, names=("Bo", "Li", "", "")), geometry)
    long = badge_text_layout(make_data(0), geometry)

    assert short["first_name"].size == geometry.first_name_max
    assert long["last_name"].size < geometry.last_name_max
    assert len(long["last_name"].lines) == 2  # breaks at a hyphen rather than shrinking far


def test_text_fit_never_overflows_even_without_a_break_point():
    fitted = text_fit(
        "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft",
        font=BOLD,
        width=50 * mm,
        height=10 * mm,
        max_size=24,
        min_size=9,
    )

    # Below its minimum size a text is cut with an ellipsis, not shrunk further.
    assert len(fitted.lines) == 1
    assert fitted.size == 9
    assert fitted.truncated
    assert fitted.lines[0].endswith("…")
    assert fitted.lines[0].startswith("Donaudampfschiff")
    assert fitted.width() <= 50 * mm + 0.01


def test_text_fit_breaks_after_hyphen_and_keeps_it():
    fitted = text_fit(
        "Müller-Lüdenscheidt-Hohenstein",
        font=BOLD,
        width=40 * mm,
        height=20 * mm,
        max_size=24,
        min_size=8,
    )

    assert "".join(fitted.lines) == "Müller-Lüdenscheidt-Hohenstein"
    assert len(fitted.lines) == 2


def test_empty_text_draws_nothing():
    assert text_fit("  ", font=REGULAR, width=10, height=10, max_size=9, min_size=5).lines == ()


def test_four_up_has_crop_marks_on_the_cut_lines(hard_badges):
    layout = LAYOUTS["a6-4up"]
    pdf = render(hard_badges[:4], "a6-4up")
    document = pdfium.PdfDocument(pdf)
    page = document[0]
    cut_x = layout.slots[1][0]
    # The crop mark at the top edge: a dark pixel on the cut line within 5 mm of the edge.
    image = page.render(scale=4).to_pil().convert("L")
    x = round(cut_x * 4)
    column = [image.getpixel((x + dx, y)) for dx in (-1, 0, 1) for y in range(2, 16)]
    assert min(column) < 128
    document.close()
    with translation.override("en"):
        assert "crop" in str(layout.label)


def test_joined_pdf_from_many_chunks_keeps_order_and_every_page(hard_badges):
    badges = [make_data(index) for index in range(22)]

    pdf = render(badges, "a6", chunk_badges=5)

    pages = qr_texts_per_page(pdf, dpi=120)
    assert [found[0] for found in pages] == [data.qr_content for data in badges]


def test_render_refuses_an_empty_run():
    with pytest.raises(ValueError):
        render([], "a6")


def test_single_badge_pdf_is_one_a6_page():
    pdf = badge_pdf_bytes(make_data(1), layout=LAYOUTS["a6"])
    document = pdfium.PdfDocument(pdf)

    assert len(document) == 1
    width, height = document[0].get_size()
    assert round(width / 72 * 25.4) == 105
    assert round(height / 72 * 25.4) == 148
    document.close()


def test_id1_and_label_pages_have_their_card_sizes():
    for key, size_mm in (("id1", (85.6, 54)), ("label-4x3", (101.6, 76.2))):
        document = pdfium.PdfDocument(badge_pdf_bytes(make_data(0), layout=LAYOUTS[key]))
        width, height = document[0].get_size()
        assert (round(width / 72 * 25.4, 1), round(height / 72 * 25.4, 1)) == size_mm
        document.close()


def test_peak_memory_does_not_grow_with_the_number_of_badges():
    """Chunked rendering: five times the badges, (about) the same peak memory."""

    def peak(count: int) -> int:
        badges = (make_data(index) for index in range(count))
        out = io.BytesIO()  # the output itself is not held in traced memory below
        out.write = lambda data: len(data)  # discard: we measure the renderer, not the file
        tracemalloc.start()
        try:
            badges_render(badges, layout=LAYOUTS["a6-4up"], out=out, chunk_badges=40)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(8)  # warm up caches (fonts, QR tables)
    small, large = peak(80), peak(400)

    assert large <= small * 1.2


def test_unknown_layout_is_refused():
    with pytest.raises(ValueError):
        layout_get("a3")
