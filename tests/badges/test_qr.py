"""badges.qr makes the symbols qrcode makes, only faster: compared with qrcode itself, and
decoded by two independent readers."""

import io
import random
import shutil
import subprocess

import pytest
import qrcode
import zxingcpp
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import create_data, lost_point

from badges.codes import qr_content, secret_generate
from badges.qr import _codewords, _lines, _packed, _penalty, _shape, qr_rows


def reference_symbol(content: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(content)
    code.make(fit=True)
    return code


def as_rows(code: qrcode.QRCode) -> list[str]:
    return ["".join("1" if dark else "0" for dark in row) for row in code.get_matrix()]


def contents(count: int) -> list[str]:
    """Badge codes and other texts: every segment mode, versions 1 to about 15 (several
    error correction blocks of two sizes)."""
    rnd = random.Random(13)
    texts = [qr_content(secret_generate()) for _ in range(count)]
    texts += ["1", "FL1:", "0" * 41, "A" * 200, "Łódź " * 30, "x" * 330]
    texts += [
        "".join(rnd.choice("0123456789ABCXYZ:/ abcäß€") for _ in range(rnd.randint(1, 300)))
        for _ in range(count)
    ]
    return texts


def test_symbol_is_the_one_qrcode_makes():
    versions = set()
    for content in contents(150):
        reference = reference_symbol(content)
        versions.add(reference.version)

        assert qr_rows(content) == as_rows(reference), content
    assert {1, 2, 5, 10} <= versions


def test_codewords_are_the_ones_qrcode_makes():
    for content in contents(20):
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
        code.add_data(content)
        code.best_fit()

        expected = create_data(code.version, ERROR_CORRECT_M, code.data_list)
        assert list(_codewords(code.version, code.data_list)) == expected


@pytest.mark.parametrize("test", [True, False])
def test_penalty_matches_qrcode_lost_point_for_every_mask(test):
    for content in contents(8):
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
        code.add_data(content)
        code.best_fit()
        for mask in range(8):
            code.makeImpl(test, mask)

            penalty = _penalty(_packed(_lines(code.modules)), _shape(code.modules_count))
            assert penalty == lost_point(code.modules), (content, mask)


def badge_codes_per_mask() -> dict[int, str]:
    """A badge code for each of the eight masks (qrcode's choice for it)."""
    found: dict[int, str] = {}
    while len(found) < 8:
        content = qr_content(secret_generate())
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
        code.add_data(content)
        code.best_fit()
        found.setdefault(code.best_mask_pattern(), content)
    return found


def symbol_png(rows: list[str], *, module: int = 6) -> bytes:
    size = len(rows) + 8
    image = Image.new("L", (size, size), 255)
    for y, row in enumerate(rows):
        for x, digit in enumerate(row):
            if digit == "1":
                image.putpixel((x + 4, y + 4), 0)
    buffer = io.BytesIO()
    image.resize((size * module, size * module), Image.NEAREST).save(buffer, format="PNG")
    return buffer.getvalue()


def test_badge_codes_decode_with_every_mask_in_zxing():
    for mask, content in badge_codes_per_mask().items():
        png = symbol_png(qr_rows(content))

        (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
        assert (code.text, code.ec_level) == (content, "M"), mask


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbarimg (zbar-tools) not installed")
def test_badge_codes_decode_with_every_mask_in_zbar(tmp_path):
    for mask, content in badge_codes_per_mask().items():
        path = tmp_path / f"mask-{mask}.png"
        path.write_bytes(symbol_png(qr_rows(content)))

        found = subprocess.run(
            ["zbarimg", "--quiet", "--raw", str(path)], capture_output=True, text=True
        )
        assert found.stdout.strip() == content, mask
