"""QR matrices for badges, made with ``qrcode`` but with a faster choice of the mask.

``qrcode``'s ``make()`` re-encodes the symbol once per mask pattern (eight times) and scores
each with a module-by-module penalty; that is three quarters of the time of a print run.
Here the symbol is encoded once; the other seven masks differ from it only by an XOR on the
data modules, and the penalty (the same four rules, scored exactly as
``qrcode.util.lost_point`` does — the tests compare both) is computed on rows held as
integers and strings. The result is the very symbol ``make(fit=True)`` would produce.
"""

import itertools
import re
from functools import cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import mask_func

_RUNS = re.compile(r"0{5,}|1{5,}")
_FINDER_LIKE = ("10111010000", "00001011101")


@cache
def _mask_differences(version: int) -> tuple[tuple[int, ...], ...]:
    """Per mask k: the rows (as ints, column 0 = highest bit) to XOR onto a mask-0 symbol to
    get the mask-k symbol. Only data modules differ; function patterns stay."""
    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M, border=0)
    count = code.modules_count = version * 4 + 17
    code.modules = [[None] * count for _ in range(count)]
    code.setup_position_probe_pattern(0, 0)
    code.setup_position_probe_pattern(count - 7, 0)
    code.setup_position_probe_pattern(0, count - 7)
    code.setup_position_adjust_pattern()
    code.setup_timing_pattern()
    code.setup_type_info(True, 0)
    if version >= 7:
        code.setup_type_number(True)

    def mask_rows(pattern: int) -> list[int]:
        applies = mask_func(pattern)
        rows = []
        for row in range(count):
            value = 0
            for column in range(count):
                value <<= 1
                if code.modules[row][column] is None and applies(row, column):
                    value |= 1
            rows.append(value)
        return rows

    base = mask_rows(0)
    return tuple(
        tuple(a ^ b for a, b in zip(base, mask_rows(pattern), strict=True)) for pattern in range(8)
    )


def qr_penalty(rows: list[int], count: int) -> int:
    """The QR mask penalty (rules N1–N4) of a symbol given as row ints."""
    row_text = [format(row, f"0{count}b") for row in rows]
    column_text = ["".join(column) for column in zip(*row_text, strict=True)]
    text = "2".join(row_text) + "2" + "2".join(column_text)
    points = sum(len(run) - 2 for run in _RUNS.findall(text))
    points += 40 * sum(text.count(pattern) for pattern in _FINDER_LIKE)
    full = (1 << count) - 1
    inner = (1 << (count - 1)) - 1
    blocks = 0
    for upper, lower in itertools.pairwise(rows):
        same_vertically = ~(upper ^ lower) & full
        same_horizontally = ~(upper ^ (upper >> 1))
        blocks += (same_vertically & (same_vertically >> 1) & same_horizontally & inner).bit_count()
    points += 3 * blocks
    dark = sum(row.bit_count() for row in rows)
    points += int(abs(dark / (count * count) * 100 - 50) / 5) * 10
    return points


def _rows(modules: list[list[bool]]) -> list[int]:
    rows = []
    for module_row in modules:
        value = 0
        for dark in module_row:
            value = (value << 1) | bool(dark)
        rows.append(value)
    return rows


def qr_matrix(content: str) -> list[list[bool]]:
    """The modules of the QR symbol for ``content`` at error correction M, without the quiet
    zone: identical to ``qrcode.QRCode(error_correction=M, border=0)``'s ``make(fit=True)``."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(content)
    version = code.best_fit(start=None)
    code.makeImpl(True, 0)
    count = code.modules_count
    base = _rows(code.modules)
    best_pattern, best_points = 0, None
    for pattern, difference in enumerate(_mask_differences(version)):
        rows = [a ^ b for a, b in zip(base, difference, strict=True)]
        points = qr_penalty(rows, count)
        if best_points is None or points < best_points:
            best_pattern, best_points = pattern, points
    difference = _mask_differences(version)[best_pattern]
    code.modules = [
        [bool((row >> (count - 1 - column)) & 1) for column in range(count)]
        for row in (a ^ b for a, b in zip(base, difference, strict=True))
    ]
    code.setup_type_info(False, best_pattern)
    if version >= 7:
        code.setup_type_number(False)
    return code.modules
