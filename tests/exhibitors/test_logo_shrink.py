"""Big logos are shrunk in strips (exhibitors.images._shrink): same picture, less memory."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from exhibitors.images import LOGO_STORED_BOX, logo_prepare


def _stored(image: Image.Image, **save) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **save)
    content = logo_prepare(SimpleUploadedFile("logo.png", buffer.getvalue()))
    result = Image.open(io.BytesIO(content.read()))
    result.load()
    return result


def test_big_transparent_png_keeps_its_colors_at_the_edge_of_transparency():
    # Left half opaque red, right half transparent *black*: averaging without alpha weights
    # would darken the red next to the edge.
    image = Image.new("RGBA", (4800, 3000), (0, 0, 0, 0))
    image.paste((220, 20, 20, 255), (0, 0, 2400, 3000))
    logo = _stored(image)
    assert logo.mode == "RGBA"
    assert logo.size == (LOGO_STORED_BOX[0], 750)
    edge_x = logo.width // 2 - 1
    for x in (10, edge_x):
        red, green, blue, alpha = logo.getpixel((x, 300))
        assert alpha > 0
        assert red >= 200 and green <= 40 and blue <= 40, (x, logo.getpixel((x, 300)))
    assert logo.getpixel((logo.width - 10, 300))[3] == 0


def test_big_palette_png_with_transparency_stays_transparent():
    image = Image.new("P", (5000, 5000), 0)
    image.putpalette([255, 255, 255, 11, 92, 173] + [0] * 762)
    image.paste(1, (0, 0, 2500, 5000))
    logo = _stored(image, transparency=0)
    assert logo.mode == "RGBA" and logo.size == LOGO_STORED_BOX
    assert logo.getpixel((10, 10))[:3] == (11, 92, 173) and logo.getpixel((10, 10))[3] == 255
    assert logo.getpixel((logo.width - 10, 10))[3] == 0


def test_big_rgb_png_is_shrunk_to_the_stored_box():
    logo = _stored(Image.new("RGB", (6000, 2000), (11, 92, 173)))
    assert logo.mode == "RGB" and logo.size == (1200, 400)
    assert logo.getpixel((600, 200)) == (11, 92, 173)
