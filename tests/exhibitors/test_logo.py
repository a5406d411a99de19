"""Logo uploads: PNG/JPEG only (judged from the bytes), size limits, stored re-encoded."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from exhibitors.images import LOGO_MAX_BYTES, logo_prepare
from exhibitors.models import Exhibitor
from tests.exhibitors.reg_fixtures import (
    image_bytes,
    media_files,
    png_with_header_size,
    register_url,
    registration_post,
    upload,
)


def refused_code(data: bytes, name: str = "logo.png") -> str:
    with pytest.raises(ValidationError) as caught:
        logo_prepare(upload(name, data))
    return caught.value.code


def stored(data: bytes, name: str = "logo.png") -> Image.Image:
    content = logo_prepare(upload(name, data))
    image = Image.open(io.BytesIO(content.read()))
    image.load()
    image.stored_name = content.name
    return image


# --- Refusals ----------------------------------------------------------------------------------


def test_text_file_named_png_is_refused():
    assert refused_code(b"This is not an image, just text.\n" * 20) == "logo_not_image"


def test_empty_file_is_refused():
    assert refused_code(b"") == "logo_not_image"


@pytest.mark.parametrize("fmt", ["GIF", "WEBP", "BMP", "TIFF"])
def test_other_image_formats_are_refused_even_when_named_png(fmt):
    assert refused_code(image_bytes(fmt), name="logo.png") == "logo_wrong_format"


def test_wrong_format_message_names_the_detected_format():
    with pytest.raises(ValidationError) as caught:
        logo_prepare(upload("logo.jpg", image_bytes("GIF"), "image/jpeg"))
    assert caught.value.params["format"] == "GIF"


def test_truncated_png_is_refused():
    noisy = Image.effect_noise((300, 300), 60).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, format="PNG")
    data = out.getvalue()
    assert refused_code(data[: len(data) // 2]) == "logo_damaged"


def test_truncated_jpeg_is_refused():
    noisy = Image.effect_noise((400, 400), 60).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, format="JPEG", quality=95)
    data = out.getvalue()
    assert refused_code(data[: len(data) // 2], name="logo.jpg") == "logo_damaged"


def test_file_over_5_mb_is_refused_before_decoding():
    data = image_bytes("PNG") + b"\0" * LOGO_MAX_BYTES
    assert len(data) > LOGO_MAX_BYTES
    assert refused_code(data) == "logo_too_big"


def test_file_of_exactly_5_mb_is_not_refused_for_its_size():
    png = image_bytes("PNG")
    data = png + b"\0" * (LOGO_MAX_BYTES - len(png))  # trailing bytes after IEND are ignored
    assert len(data) == LOGO_MAX_BYTES
    assert stored(data).format == "PNG"


@pytest.mark.parametrize("size", [(6001, 10), (10, 6001)])
def test_image_over_6000_pixels_on_a_side_is_refused(size):
    assert refused_code(image_bytes("PNG", size=size, mode="L")) == "logo_too_many_pixels"


def test_image_of_6000_pixels_is_accepted_and_shrunk():
    image = stored(image_bytes("PNG", size=(6000, 60), mode="L"))
    assert image.size == (1200, 12)


@pytest.mark.parametrize("side", [10_000, 100_000])  # over Pillow's warning / error limit
def test_decompression_bomb_is_refused_without_decoding(side):
    assert refused_code(png_with_header_size(side, side)) == "logo_too_many_pixels"


def test_header_claiming_just_over_limit_is_refused():
    assert refused_code(png_with_header_size(6001, 6001)) == "logo_too_many_pixels"


# --- Accepted logos are stored re-encoded -----------------------------------------------------


def test_valid_png_is_resized_and_keeps_transparency():
    image = stored(image_bytes("PNG", size=(2400, 1600), mode="RGBA"))
    assert image.format == "PNG"
    assert image.size == (1200, 800)
    assert image.mode == "RGBA"
    assert image.getpixel((10, 10))[3] == 128


def test_palette_png_with_transparency_is_stored_with_alpha():
    source = Image.new("P", (50, 50), 0)
    source.putpalette([255, 255, 255, 10, 92, 173] + [0] * 762)
    source.putpixel((5, 5), 1)
    out = io.BytesIO()
    source.save(out, format="PNG", transparency=0)
    image = stored(out.getvalue())
    assert image.mode == "RGBA"
    assert image.getpixel((0, 0))[3] == 0
    assert image.getpixel((5, 5)) == (10, 92, 173, 255)


def test_valid_jpeg_is_resized_and_stripped_of_metadata():
    exif = Image.Exif()
    exif[0x010F] = "Camera maker that should not leak"  # Make
    exif[0x0131] = "Secret editor 1.0"  # Software
    data = image_bytes("JPEG", size=(3000, 2000), exif=exif.tobytes())
    assert b"Secret editor" in data
    content = logo_prepare(upload("photo.jpg", data, "image/jpeg"))
    raw = content.read()
    assert b"Secret editor" not in raw
    image = Image.open(io.BytesIO(raw))
    assert image.format == "JPEG"
    assert image.size == (1200, 800)
    assert not image.getexif()


def test_jpeg_is_turned_upright_by_its_exif_orientation():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    data = image_bytes("JPEG", size=(400, 200), exif=exif.tobytes())
    assert stored(data, name="logo.jpg").size == (200, 400)


def test_small_logo_is_not_enlarged():
    assert stored(image_bytes("PNG", size=(120, 80))).size == (120, 80)


def test_stored_name_is_random_and_ignores_the_uploaded_name():
    first = stored(image_bytes("PNG"), name="../../etc/evil name.png.exe")
    second = stored(image_bytes("PNG"), name="../../etc/evil name.png.exe")
    assert first.stored_name != second.stored_name
    assert first.stored_name.endswith(".png") and "evil" not in first.stored_name
    assert stored(image_bytes("JPEG"), name="x.png").stored_name.endswith(".jpg")


# --- Through the registration form ------------------------------------------------------------


@pytest.mark.django_db
def test_registration_stores_logo_re_encoded_under_random_name(client, area):
    data = registration_post(area)
    data["logo"] = upload("Firmenlogo groß.jpg", image_bytes("JPEG", size=(2500, 1000)))
    response = client.post(register_url(area), data)
    assert response.status_code == 302
    exhibitor = Exhibitor.objects.get()
    assert exhibitor.logo.name.startswith("logos/")
    assert "Firmenlogo" not in exhibitor.logo.name
    with Image.open(exhibitor.logo.path) as image:
        assert image.format == "JPEG"
        assert image.size == (1200, 480)
    assert [str(path) for path in media_files()] == [exhibitor.logo.path]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a not really", "This file is not a PNG or JPEG image"),
        (image_bytes("GIF"), "Only PNG or JPEG images are allowed; this file is a GIF image."),
        (image_bytes("PNG") + b"\0" * LOGO_MAX_BYTES, "at most 5.0\xa0MB are allowed"),
        (image_bytes("PNG", size=(6500, 10), mode="L"), "at most 6000 × 6000 pixels"),
    ],
)
def test_bad_logo_is_a_field_error_and_nothing_is_stored(client, area, data, message):
    post = registration_post(area)
    post["logo"] = upload("logo.png", data)
    response = client.post(register_url(area), post, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    errors = [str(e) for e in response.context["form"].errors["logo"]]
    assert len(errors) == 1 and message in errors[0]
    assert Exhibitor.objects.count() == 0
    assert media_files() == []
