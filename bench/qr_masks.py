#!/usr/bin/env python3
"""Would a fixed QR mask do for badge codes? Penalty of each mask against the chosen one.

    .venv/bin/python bench/qr_masks.py [--codes 10000]

For that many random badge codes (``FL1:`` + 26 characters, version 2-M) scores all eight
masks with the QR penalty (N1–N4, as ``qrcode`` scores them; ``badges.qr`` chooses the least)
and prints, per fixed mask, its penalty (median, p99, max), how much it exceeds the chosen
mask's, and the finder-like 1:1:3:1:1 patterns per symbol (rows and columns).
"""

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from badges.codes import qr_content, secret_generate
from badges.qr import _FINDER_LIKE, _codewords, _penalty, _version_parts


def finder_like(packed: int, elevens: int) -> int:
    count = 0
    for pattern in _FINDER_LIKE:
        found = elevens
        for offset, digit in enumerate(pattern):
            found &= (packed if digit == "1" else ~packed) >> offset
        count += found.bit_count()
    return count


def quantile(values: list[int], share: float) -> int:
    return sorted(values)[round(share * (len(values) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=10000)
    args = parser.parse_args()

    parts = _version_parts(2)
    shape = parts.shape
    points: list[list[int]] = [[] for _ in range(8)]
    patterns: list[list[int]] = [[] for _ in range(8)]
    chosen: list[int] = []
    for _ in range(args.codes):
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
        code.add_data(qr_content(secret_generate()))
        codewords = _codewords(2, code.data_list)
        bits = format(int.from_bytes(codewords, "big"), f"0{8 * len(codewords)}b")
        data = int("".join(parts.place(bits + "0")), 2)
        symbols = [parts.scored | (data ^ mask) for mask in parts.masks]
        scores = [_penalty(symbol, shape) for symbol in symbols]
        chosen.append(scores.index(min(scores)))
        for mask, symbol in enumerate(symbols):
            points[mask].append(scores[mask])
            patterns[mask].append(finder_like(symbol, shape.elevens))

    best = [points[mask][index] for index, mask in enumerate(chosen)]
    best_patterns = [patterns[mask][index] for index, mask in enumerate(chosen)]
    print(f"{args.codes} badge codes; chosen masks: {[chosen.count(m) for m in range(8)]}")
    print(
        f"chosen: penalty median {statistics.median(best):.0f} p99 {quantile(best, 0.99)} "
        f"max {max(best)} | finder-like mean {statistics.mean(best_patterns):.2f} "
        f"max {max(best_patterns)}"
    )
    for mask in range(8):
        over = [a - b for a, b in zip(points[mask], best, strict=True)]
        worse = sum(1 for gap in over if gap > 0) / args.codes
        print(
            f"mask {mask}: penalty median {statistics.median(points[mask]):.0f} "
            f"p99 {quantile(points[mask], 0.99)} max {max(points[mask])} | over the chosen: "
            f"median +{statistics.median(over):.0f} p99 +{quantile(over, 0.99)} "
            f"max +{max(over)}, worse in {worse:.0%} | finder-like mean "
            f"{statistics.mean(patterns[mask]):.2f} max {max(patterns[mask])}"
        )


if __name__ == "__main__":
    main()
