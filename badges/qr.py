"""QR symbols for badges: the very symbol ``qrcode``'s ``make(fit=True)`` draws, made faster.

``qrcode`` builds a print run's symbols module by module in Python: it encodes the data
into a bit buffer one bit at a time, computes the error correction with polynomial objects,
then places and masks the data once per mask pattern (eight times) and scores each mask
with a module-by-module penalty. That was two thirds of a print run's time. Here ``qrcode``
still splits the content into segments, picks the version and provides the function patterns,
the tables and the generator polynomials; the rest is done per version once and per symbol
with integers:

- the codewords come from a bit string and a table-driven Reed–Solomon division;
- the symbol's rows and columns are one integer, one line of ``count + 1`` bits each (the
  extra bit keeps lines apart); where each data bit lands in it, the function patterns and
  the eight masks are computed once per version;
- the penalty (rules N1–N4, scored exactly as ``qrcode.util.lost_point`` does) is a few
  shifts, ANDs and popcounts over all lines at once.

The mask is chosen by the penalty, as the standard asks, not fixed: a fixed mask scores
clearly worse (bench/README.md, "Why the mask is not fixed"). The tests compare symbols,
codewords and penalties with ``qrcode``'s own.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import itemgetter

import qrcode
from qrcode.base import EXP_TABLE, LOG_TABLE, rs_blocks
from qrcode.constants import ERROR_CORRECT_M
from qrcode.LUT import rsPoly_LUT
from qrcode.util import BIT_LIMIT_TABLE, PAD0, PAD1, QRData, length_in_bits, mask_func

_FINDER_LIKE = ("10111010000", "00001011101")  # 1:1:3:1:1 with four light modules on a side
_TO_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


# --------------------------------------------------------------------------- codewords


class _Bits:
    """The bit buffer ``QRData.write`` fills, kept as a string of binary digits."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def put(self, value: int, length: int) -> None:
        self.parts.append(format(value, f"0{length}b"))


def _codewords(version: int, segments: list[QRData]) -> bytes:
    """Data and error correction codewords, interleaved, as ``qrcode.util.create_data``
    makes them."""
    bits = _Bits()
    for segment in segments:
        bits.put(segment.mode, 4)
        bits.put(len(segment), length_in_bits(segment.mode, version))
        segment.write(bits)
    blocks = rs_blocks(version, ERROR_CORRECT_M)
    limit = BIT_LIMIT_TABLE[ERROR_CORRECT_M][version]
    text = "".join(bits.parts)
    text += "0" * min(limit - len(text), 4)  # terminator
    text += "0" * (-len(text) % 8)
    data = int(text, 2).to_bytes(len(text) // 8, "big") + bytes((PAD0, PAD1)) * (limit // 16)
    data_blocks, ec_blocks, offset = [], [], 0
    for block in blocks:
        part = data[offset : offset + block.data_count]
        offset += block.data_count
        data_blocks.append(part)
        ec_blocks.append(_error_correction(part, block.total_count - block.data_count))
    return bytes(_interleaved(data_blocks) + _interleaved(ec_blocks))


def _error_correction(data: bytes, count: int) -> list[int]:
    """The remainder of data · x^count divided by the generator polynomial, in GF(256)."""
    generator = [LOG_TABLE[coefficient] for coefficient in rsPoly_LUT[count][1:]]
    remainder = [*data, *([0] * count)]
    for index in range(len(data)):
        if coefficient := remainder[index]:
            log = LOG_TABLE[coefficient]
            for offset, term in enumerate(generator, start=index + 1):
                remainder[offset] ^= EXP_TABLE[(log + term) % 255]
    return remainder[len(data) :]


def _interleaved(blocks: list[bytes] | list[list[int]]) -> list[int]:
    longest = max(len(block) for block in blocks)
    return [block[index] for index in range(longest) for block in blocks if index < len(block)]


# --------------------------------------------------------------------------- symbol


def _packed(lines: list[bytes]) -> int:
    """Lines of 0/1 bytes as one integer: module ``c`` of line ``i`` is bit ``i * stride + c``,
    where ``stride`` is the line length + 1 (a zero bit after each line)."""
    return int(b"\x00".join([*lines, b""]).translate(_TO_DIGITS)[::-1], 2)


def _lines(modules: list[list[bool]]) -> list[bytes]:
    """The rows, then the columns, of a symbol as 0/1 bytes."""
    columns = zip(*modules, strict=True)
    return [bytes(row) for row in modules] + [bytes(column) for column in columns]


@dataclass(frozen=True, slots=True)
class _Shape:
    """Bit masks for one symbol size, over the packed rows and columns (``_packed``)."""

    count: int
    stride: int
    pairs: int  # module c of a line and module c + 1 (c ≤ count - 2)
    fives: int  # a run of five may start at c
    elevens: int  # a finder-like pattern may start at c
    blocks: int  # a 2 × 2 block may have its corner at (row, c): rows only
    rows: int  # every module of the rows


@cache
def _shape(count: int) -> _Shape:
    stride = count + 1

    def where(*, lines: int, columns: int) -> int:
        line = (1 << columns) - 1
        return sum(line << (index * stride) for index in range(lines))

    return _Shape(
        count=count,
        stride=stride,
        pairs=where(lines=2 * count, columns=count - 1),
        fives=where(lines=2 * count, columns=count - 4),
        elevens=where(lines=2 * count, columns=max(count - 10, 0)),
        blocks=where(lines=count - 1, columns=count - 1),
        rows=where(lines=count, columns=count),
    )


def _penalty(packed: int, shape: _Shape) -> int:
    # N1: a run of length L ≥ 5 scores L - 2, that is one per window of five in it (L - 4)
    # and two per run (a window with no window just before it).
    same = ~(packed ^ (packed >> 1))
    pairs = same & shape.pairs
    fives = pairs & (pairs >> 1) & (pairs >> 2) & (pairs >> 3) & shape.fives
    points = fives.bit_count() + 2 * (fives & ~(fives << 1)).bit_count()
    # N2: three per 2 × 2 block of one color (overlapping blocks count each).
    vertical = ~(packed ^ (packed >> shape.stride))
    points += 3 * (vertical & (vertical >> 1) & same & shape.blocks).bit_count()
    # N3: forty per finder-like pattern in a row or a column.
    dark, light = packed, ~packed
    for pattern in _FINDER_LIKE:
        found = shape.elevens
        for offset, digit in enumerate(pattern):
            found &= (dark if digit == "1" else light) >> offset
        points += 40 * found.bit_count()
    # N4: ten per five percent that the dark share departs from half (as qrcode computes it).
    share = (packed & shape.rows).bit_count() / (shape.count * shape.count)
    return points + int(abs(share * 100 - 50) / 5) * 10


@dataclass(frozen=True, slots=True)
class _Version:
    """What every symbol of one version shares, packed as ``_packed`` packs a symbol."""

    shape: _Shape
    # Applied to the codeword bits followed by a "0", the digit of every bit of the packed
    # data modules, highest bit first: each data module is its codeword bit, in the row and
    # in the column it is in; other modules and the remainder bits are the "0".
    place: Callable[[str], tuple[str, ...]]
    masks: tuple[int, ...]  # per mask pattern: the data modules it turns round
    scored: int  # the function patterns with the format and version areas light
    printed: tuple[int, ...]  # per mask pattern: the function patterns as printed


def _function_patterns(version: int, *, mask: int | None) -> list[list[bool | None]]:
    """The function patterns of a symbol, data modules None; format and version information
    for ``mask`` (None: light, as ``qrcode`` scores the masks)."""
    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M, border=0)
    count = code.modules_count = version * 4 + 17
    code.modules = [[None] * count for _ in range(count)]
    code.setup_position_probe_pattern(0, 0)
    code.setup_position_probe_pattern(count - 7, 0)
    code.setup_position_probe_pattern(0, count - 7)
    code.setup_position_adjust_pattern()
    code.setup_timing_pattern()
    code.setup_type_info(mask is None, mask or 0)
    if version >= 7:
        code.setup_type_number(mask is None)
    return code.modules


def _data_modules(modules: list[list[bool | None]]) -> list[tuple[int, int]]:
    """The data modules in the order the codeword bits fill them: two columns at a time from
    the right, upwards and downwards in turn, skipping the vertical timing pattern (the order
    of ``qrcode``'s ``map_data``)."""
    count = len(modules)
    order: list[tuple[int, int]] = []
    upwards = True
    for right in range(count - 1, 0, -2):
        if right <= 6:
            right -= 1
        rows = range(count - 1, -1, -1) if upwards else range(count)
        order.extend(
            (row, column)
            for row in rows
            for column in (right, right - 1)
            if modules[row][column] is None
        )
        upwards = not upwards
    return order


@cache
def _version_parts(version: int) -> _Version:
    functions = _function_patterns(version, mask=None)
    count = len(functions)
    stride = count + 1
    size = 2 * count * stride
    bits = 8 * sum(block.total_count for block in rs_blocks(version, ERROR_CORRECT_M))
    source = [bits] * size
    for index, (row, column) in enumerate(_data_modules(functions)[:bits]):
        for position in (row * stride + column, (count + column) * stride + row):
            source[size - 1 - position] = index

    def packed(modules: list[list[bool | None]]) -> int:
        return _packed(_lines([[bool(module) for module in row] for row in modules]))

    def mask_modules(pattern: int) -> list[list[bool | None]]:
        applies = mask_func(pattern)
        return [
            [module is None and applies(row, column) for column, module in enumerate(line)]
            for row, line in enumerate(functions)
        ]

    return _Version(
        shape=_shape(count),
        place=itemgetter(*source),
        masks=tuple(packed(mask_modules(pattern)) for pattern in range(8)),
        scored=packed(functions),
        printed=tuple(packed(_function_patterns(version, mask=pattern)) for pattern in range(8)),
    )


@lru_cache(maxsize=64)
def _version(modes_and_lengths: tuple[tuple[int, int], ...]) -> int:
    """The smallest version at M that holds segments of these modes and lengths (what
    ``best_fit`` finds; it depends on nothing else)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.data_list = [QRData(b"0" * length, mode=mode) for mode, length in modes_and_lengths]
    return code.best_fit(start=None)


def qr_rows(content: str) -> list[str]:
    """The rows of the QR symbol for ``content`` at error correction M, without the quiet
    zone, "1" for a dark module: the modules ``qrcode.QRCode(error_correction=M)``'s
    ``make(fit=True)`` makes."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(content)
    version = _version(tuple((segment.mode, len(segment)) for segment in code.data_list))
    parts = _version_parts(version)
    shape = parts.shape
    codewords = _codewords(version, code.data_list)
    bits = format(int.from_bytes(codewords, "big"), f"0{8 * len(codewords)}b")
    data = int("".join(parts.place(bits + "0")), 2)
    points = [_penalty(parts.scored | (data ^ mask), shape) for mask in parts.masks]
    best = points.index(min(points))  # the first of equals, as qrcode takes
    symbol = (parts.printed[best] | (data ^ parts.masks[best])) & shape.rows
    digits = format(symbol, f"0{shape.count * shape.stride}b")[::-1]
    return [digits[start : start + shape.count] for start in range(0, len(digits), shape.stride)]
