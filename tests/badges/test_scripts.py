"""Every name in every script prints: rendered on every layout, read back from the PDF with a
text extractor (pdfium), rasterised to prove the name area is not blank, QR still decoding."""

import io
import unicodedata
from collections import Counter

import pypdfium2 as pdfium
import pytest
from django.utils import translation
from PIL import ImageStat

from badges.fonts import BOLD, font_missing_chars, runs_units, text_printed, text_runs
from badges.layouts import LAYOUTS, layout_get
from badges.print_check import badge_print_check, print_issue_text
from badges.render import badge_text_boxes, badge_text_layout, badges_render, text_fit
from tests.badges.conftest import make_data, qr_texts_per_page

# (first name, last name, company, job title) per script; "mixed" is a Latin first name with
# a CJK family name, "rtl-mixed" a Latin first name with an Arabic family name.
SCRIPT_NAMES = {
    "latin-vietnamese": ("Thị Minh Khai", "Nguyễn", "Công ty Điện lực", "Kỹ sư"),
    "greek": ("Ελένη", "Παπαδοπούλου", "Δημόσια Επιχείρηση Ηλεκτρισμού", "Μηχανικός"),
    "cyrillic": ("Жанна", "Щербакова", "Электросети", "Инженер"),
    "arabic": ("محمد", "عبد الله", "شركة الكهرباء", "مهندس"),
    "hebrew": ("שרה", "כהן", "חברת החשמל", "מהנדסת"),
    "devanagari": ("प्रिया", "शर्मा", "भारत इलेक्ट्रिकल्स", "अभियंता"),
    "thai": ("สมชาย", "ใจดี", "การไฟฟ้า", "วิศวกร"),
    "georgian": ("გიორგი", "ბერიძე", "ენერგო", "ინჟინერი"),
    "chinese": ("伟", "王", "国家电网公司", "工程师"),
    "japanese": ("さくら", "佐藤", "東京電力株式会社", "エンジニア"),
    "korean": ("민준", "김", "한국전력공사", "엔지니어"),
    "mixed": ("Anna", "王", "Stadtwerke 東京", "Ingenieurin"),
    "rtl-mixed": ("Omar", "الحسيني", "Siemens مصر", "Engineer"),
}
# Scripts whose glyphs a PDF holds in visual, not logical, order (Devanagari vowel signs and
# repha are drawn before or after their consonant): compared as multisets of characters.
_REORDERED = {"devanagari"}


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).replace("\u200b", "").split())


def _render(data, layout_key: str) -> bytes:
    out = io.BytesIO()
    badges_render(data, layout=layout_get(layout_key), out=out)
    return out.getvalue()


def test_every_script_has_a_face_for_every_character():
    for names in SCRIPT_NAMES.values():
        assert font_missing_chars("".join(names), font_name=BOLD) == set(), names


@pytest.mark.parametrize("layout_key", sorted(LAYOUTS))
def test_every_script_reads_back_from_the_pdf_on_every_layout(layout_key):
    badges = [make_data(0, names=names) for names in SCRIPT_NAMES.values()]
    pdf = _render(badges, layout_key)
    layout = LAYOUTS[layout_key]
    document = pdfium.PdfDocument(pdf)
    try:
        for index, (script, names) in enumerate(SCRIPT_NAMES.items()):
            page = document[index // layout.per_page]
            text = _clean(page.get_textpage().get_text_range())
            fitted = badge_text_layout(badges[index], layout.badge)
            for field, stored in zip(("first_name", "last_name"), names[:2], strict=True):
                assert not fitted[field].truncated and not fitted[field].missing
                if script in _REORDERED:
                    for line in fitted[field].lines:
                        assert not Counter(_clean(line)) - Counter(text), (script, field, text)
                else:
                    for line in fitted[field].lines:
                        assert _clean(line) in text, (script, field, text)
                    assert " ".join(fitted[field].lines).replace(" ", "") == stored.replace(" ", "")
    finally:
        document.close()


@pytest.mark.parametrize("layout_key", sorted(LAYOUTS))
def test_name_area_of_every_script_is_not_blank_and_qr_decodes(layout_key):
    layout = LAYOUTS[layout_key]
    boxes = badge_text_boxes(layout.badge)
    for script, names in SCRIPT_NAMES.items():
        data = make_data(0, names=names)
        pdf = _render([data], layout_key)
        document = pdfium.PdfDocument(pdf)
        scale = 150 / 72
        image = document[0].render(scale=scale).to_pil().convert("L")
        page_height = document[0].get_height()
        document.close()
        slot_x, slot_y = layout.slots[0]
        for field in ("first_name", "last_name"):
            box = boxes[field]
            left = (slot_x + box.x) * scale
            right = (slot_x + box.right) * scale
            top = (page_height - slot_y - box.top) * scale
            bottom = (page_height - slot_y - box.y) * scale
            area = image.crop((int(left), int(top), int(right), int(bottom)))
            dark = sum(area.histogram()[:128]) / (area.width * area.height)
            assert dark > 0.01, (layout_key, script, field)  # ink, not a blank box
            assert ImageStat.Stat(area).extrema[0][0] < 80
        assert qr_texts_per_page(pdf) == [[data.qr_content]], (layout_key, script)


def test_right_to_left_names_are_drawn_right_to_left():
    runs = text_runs("Omar الحسيني", font=BOLD)
    assert [run.rtl for run in runs] == [False, True]
    # In a right-to-left paragraph the Latin word comes last, at the left end.
    runs = text_runs("محمد Omar", font=BOLD)
    assert [run.text.strip() for run in runs] == ["Omar", "محمد"]


def test_mixed_script_name_uses_two_faces():
    runs = text_runs("Anna 王", font=BOLD)
    assert [run.font for run in runs] == ["FairleadRoboto-Bold", "FairleadCJK"]


def test_emoji_are_left_out_and_reported():
    printed = text_printed("Anna 😀 Lena", font=BOLD)
    assert printed.printed == "Anna Lena"
    assert printed.missing == ("😀",)
    issues = badge_print_check(first_name="Anna 😀 Lena", last_name="Schmidt")
    assert [issue.field for issue in issues] == ["first_name"]
    assert issues[0].printed == "Anna Lena"
    assert "😀" in print_issue_text(issues[0])


def test_a_name_of_emoji_only_is_reported_as_unprintable():
    issues = badge_print_check(first_name="😀🎉", last_name="Schmidt")
    assert issues[0].printed == ""
    with translation.override("en"):
        assert "cannot be printed" in print_issue_text(issues[0])
    with translation.override("de"):
        assert "kann nicht gedruckt werden" in print_issue_text(issues[0])


def test_a_name_that_prints_as_stored_has_no_issue():
    assert badge_print_check(first_name="Жанна", last_name="王", company="Stadtwerke") == []


def test_long_company_wraps_to_two_lines_before_shrinking_and_keeps_a_minimum_size():
    company = "Überlandwerk Groß-Gerau Energie- und Wasserversorgungsgesellschaft mbH " * 2
    company = company[:120]
    geometry = LAYOUTS["id1"].badge
    fitted = badge_text_layout(make_data(0, names=("A", "B", company, "")), geometry)["company"]
    assert len(fitted.lines) == 2
    assert fitted.size >= geometry.detail_min  # was 4.2 pt on ID-1
    assert fitted.truncated and fitted.lines[-1].endswith("…")
    issues = badge_print_check(first_name="A", last_name="B", company=company)
    assert issues[0].field == "company" and issues[0].truncated


def test_text_fit_is_linear_in_the_length_of_the_text():
    # 4,000 characters with a space every 5: the old search measured every split in full.
    text = "abcd " * 800
    fitted = text_fit(text, font=BOLD, width=200, height=40, max_size=20, min_size=8)
    assert fitted.truncated and fitted.size == 8


SCREENSHOT_NAMES = [
    SCRIPT_NAMES["arabic"],
    SCRIPT_NAMES["hebrew"],
    SCRIPT_NAMES["devanagari"],
    SCRIPT_NAMES["thai"],
    ("Anna", "王", "Stadtwerke 東京", "Ingenieurin"),
    ("さくら", "佐藤", "東京電力株式会社", "エンジニア"),
    ("Thị Minh Khai", "Nguyễn", "Công ty Điện lực", "გიორგი · ინჟინერი"),
    (
        "Lena 😀",
        "von Hohenzollern-Sigmaringen",
        "Überlandwerk Groß-Gerau Energie- und Wasserversorgungsgesellschaft mbH & Co. KG "
        "Niederlassung Dortmund-Hörde",
        "민준 김",
    ),
]


def test_hardest_names_on_a_sheet_for_the_readme(tmp_path):
    """Renders the README's sheet of the hardest names (A6 four-up, two sheets); writes it to
    docs/screenshots/badges-scripts.png when FAIRLEAD_SCREENSHOTS=1."""
    import os
    from pathlib import Path

    from PIL import Image

    badges = [make_data(0, names=names) for names in SCREENSHOT_NAMES]
    pdf = _render(badges, "a6-4up")
    document = pdfium.PdfDocument(pdf)
    pages = [document[index].render(scale=100 / 72).to_pil() for index in range(len(document))]
    document.close()
    assert len(pages) == 2
    sheet = Image.new("RGB", (pages[0].width * 2 + 20, pages[0].height), "white")
    for index, page in enumerate(pages):
        sheet.paste(page, (index * (page.width + 20), 0))
    target = tmp_path / "badges-scripts.png"
    if os.environ.get("FAIRLEAD_SCREENSHOTS") == "1":
        target = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "badges-scripts.png"
    sheet.save(target, optimize=True)
    issues = badge_print_check(
        first_name=SCREENSHOT_NAMES[-1][0],
        last_name=SCREENSHOT_NAMES[-1][1],
        company=SCREENSHOT_NAMES[-1][2],
    )
    assert {issue.field for issue in issues} == {"first_name", "company"}


def test_hebrew_and_arabic_print_without_discretionary_ligatures():
    # Yosef and Eliyahu, not with the historic yod-vav and alef-lamed ligatures; Misr with
    # its three letters joined, not as the sad-reh ligature.
    pdf = _render([make_data(0, names=("יוסף", "אליהו", "Siemens مصر", ""))], "a6")
    document = pdfium.PdfDocument(pdf)
    text = document[0].get_textpage().get_text_range()
    document.close()
    assert "יוסף" in text and "אליהו" in text
    assert "مصر" in unicodedata.normalize("NFKC", text)
    shaped = "".join(run.shaped for run in text_runs("יוסף אליהו Siemens مصر", font=BOLD))
    assert not [char for char in shaped if "LIGATURE" in unicodedata.name(char, "")]


def test_wrapped_right_to_left_text_keeps_its_lines_in_reading_order_and_direction():
    from badges.text_fit import FittedText, text_lines

    company = "شركة الكهرباء والطاقة المتجددة Siemens مصر"
    lines = text_lines(company, font=BOLD, units=8)
    assert len(lines) >= 3 and " ".join(lines) == company  # the first words on the first line
    # A line that starts with a Latin word stays right-to-left, as its paragraph: "Siemens"
    # comes at its right end, after "مصر" from the left.
    fitted = FittedText(lines=("شركة الكهرباء", "Siemens مصر"), size=10, font=BOLD)
    assert [run.text.strip() for run in fitted.runs()[1] if run.text.strip()] == ["مصر", "Siemens"]


def test_a_word_wider_than_the_line_is_a_line_of_its_own():
    from badges.text_fit import text_lines

    word = "Wasserversorgungsgesellschaft"
    assert text_lines(f"Die {word} mbH", font=BOLD, units=5) == ["Die", word, "mbH"]
    # Where a word may be split (report cells), it fills its lines instead.
    pieces = text_lines(word, font=BOLD, units=5, split_words=True)
    assert len(pieces) > 1 and "".join(pieces) == word
    assert all(runs_units(text_runs(piece, font=BOLD)) <= 5 for piece in pieces)


def test_punctuation_between_right_to_left_words_is_drawn_right_to_left_and_mirrored():
    # "Eliyahu, Yosef": the comma follows Eliyahu, at its left, and the space comes after it.
    runs = text_runs("אליהו, יוסף", font=BOLD)
    assert [run.text for run in runs] == ["יוסף", ", ", "אליהו"]
    assert runs[1].shaped == " ,"
    # Brackets of a right-to-left text are drawn as their mirror images: "(مصر)" shows ")"
    # at its right end, where it starts.
    runs = text_runs("شركة (مصر)", font=BOLD)
    assert [run.text for run in runs][:3] == [")", "مصر", "("]
    assert [runs[0].shaped, runs[2].shaped] == ["(", ")"]


# --------------------------------------------------------------------------- where people are told


@pytest.mark.django_db
def test_print_run_names_each_badge_that_prints_otherwise(organizer_client, fair):
    from django.contrib.messages import get_messages
    from django.urls import reverse

    from tests import factories

    odd = factories.make_badge(fair=fair, first_name="Lena 🚀", last_name="Berg")
    factories.make_badge(fair=fair, first_name="Anna", last_name="王")  # prints as stored

    response = organizer_client.post(
        reverse("organizer_attendees:print_run"),
        {"fair": fair.pk, "layout": "a6-4up"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response["Content-Type"] == "application/pdf"
    warnings = [str(message) for message in get_messages(response.wsgi_request)]
    assert len(warnings) == 1, warnings
    assert f"Badge {odd.pk} (Lena 🚀 Berg) prints otherwise than stored" in warnings[0]
    assert "🚀 cannot be printed and is left out" in warnings[0]


@pytest.mark.django_db
def test_the_admin_shows_and_warns_how_an_attendee_prints(admin_client, fair):
    from django.contrib.messages import get_messages
    from django.urls import reverse

    from tests import factories

    attendee = factories.make_attendee(fair=fair, first_name="Lena 🚀", last_name="Berg")
    url = reverse("admin:badges_attendee_change", args=[attendee.pk])

    page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "🚀 cannot be printed and is left out" in page

    context = admin_client.get(url).context
    data = {
        name: value
        for name, value in context["adminform"].form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    for inline in context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
    data.update(first_name="Lena 🎉", fair=fair.pk)
    response = admin_client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert any("🎉 cannot be printed and is left out" in text for text in warnings), (
        response.status_code,
        warnings,
    )
    fine = factories.make_attendee(fair=fair, first_name="Anna", last_name="Berg")
    page = admin_client.get(
        reverse("admin:badges_attendee_change", args=[fine.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Printed as stored." in page
