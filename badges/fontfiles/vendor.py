#!/usr/bin/env python3
"""Rebuild the vendored fallback fonts in this folder from the Noto fonts Debian ships.

    apt-get download fonts-noto-core fonts-noto-cjk
    for deb in fonts-noto-*.deb; do dpkg-deb -x "$deb" noto; done
    .venv/bin/python badges/fontfiles/vendor.py noto/usr/share/fonts

Needs fontTools (dev extra). Not run by the application, which only reads the results.

What it does, and why:
- Noto Sans Arabic, Hebrew, Devanagari, Thai and Georgian (Regular and Bold): subset to their
  script's blocks plus the marks and punctuation they use, hinting dropped (badges are printed,
  not shown on low-resolution screens): about a third of the original size. Their layout
  features are kept for shaping, except the discretionary ligatures (``_shaping_features``).
- Noto Sans CJK is PostScript-flavoured OpenType (CFF), which ReportLab cannot embed; the Bold
  face of the Simplified Chinese instance is subset to the characters names are written with
  (the hanzi, kanji, hanja and Hangul syllables of GB 2312, Big5 level 1, JIS X 0208 and
  KS X 1001: 10,925 ideographs and 2,350 syllables; kana, CJK punctuation, full-width forms)
  and converted to TrueType outlines with fontTools' cu2qu: 3.6 MB instead of 20 MB.
  One weight only: one CJK face is already the largest file, and a bold ideograph is what
  the names need. Characters outside the subset are reported by ``badges.fonts`` as
  unprintable before a badge is printed.
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

HERE = Path(__file__).resolve().parent

# Blocks each script font keeps (plus the shared punctuation below).
_SCRIPTS = {
    "NotoSansArabic": [
        (0x0600, 0x06FF),
        (0x0750, 0x077F),
        (0x08A0, 0x08FF),
        (0xFB50, 0xFDFF),
        (0xFE70, 0xFEFF),
    ],
    "NotoSansHebrew": [(0x0590, 0x05FF), (0xFB1D, 0xFB4F)],
    "NotoSansDevanagari": [(0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF)],
    "NotoSansThai": [(0x0E00, 0x0E7F)],
    "NotoSansGeorgian": [(0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F)],
}
_SHARED = [(0x0020, 0x007E), (0x00A0, 0x00BF), (0x200B, 0x206F), (0x25CC, 0x25CC)]


def _codepoints(ranges: list[tuple[int, int]]) -> set[int]:
    return {code for start, end in ranges for code in range(start, end + 1)}


def _shaping_features(font: TTFont) -> list[str]:
    """The font's layout features but its discretionary ligatures (dlig): ReportLab shapes
    with them switched on, and Noto's are historic forms no one writes a name with (Hebrew
    alef-lamed and yod-vav, Arabic sad-reh)."""
    tags = {
        record.FeatureTag
        for table in ("GSUB", "GPOS")
        if table in font
        for record in font[table].table.FeatureList.FeatureRecord
    }
    return sorted(tags - {"dlig"})


def _subset(font: TTFont, codepoints: set[int], *, features: list[str]) -> None:
    options = subset.Options()
    options.hinting = False
    options.layout_features = features
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)


def _cjk_codepoints() -> set[int]:
    codes: set[int] = set()

    def decode_all(encoding: str, first: range, second: range) -> None:
        for lead in first:
            for trail in second:
                try:
                    text = bytes([lead, trail]).decode(encoding)
                except UnicodeDecodeError:
                    continue
                codes.update(ord(char) for char in text)

    decode_all("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF))  # GB 2312 hanzi
    decode_all("big5", range(0xA4, 0xC7), range(0x40, 0xFF))  # Big5 level 1 hanzi
    decode_all("euc_jp", range(0xB0, 0xF5), range(0xA1, 0xFF))  # JIS X 0208 kanji
    decode_all("euc_kr", range(0xCA, 0xFE), range(0xA1, 0xFF))  # KS X 1001 hanja
    decode_all("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF))  # KS X 1001 Hangul syllables
    codes |= _codepoints(
        [
            (0x3000, 0x303F),  # CJK symbols and punctuation
            (0x3040, 0x30FF),  # hiragana, katakana
            (0x31F0, 0x31FF),  # katakana phonetic extensions
            (0x3130, 0x318F),  # Hangul compatibility jamo
            (0xFF00, 0xFFEF),  # half- and full-width forms
            (0x0020, 0x007E),
            (0x00B7, 0x00B7),
        ]
    )
    return {code for code in codes if code >= 0x20}


def _to_truetype(font: TTFont) -> None:
    """CFF outlines → quadratic TrueType outlines (what fontTools' otf2ttf snippet does)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    for table in ("VORG", "vhea", "vmtx"):
        if table in font:
            del font[table]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attribute in ("maxZones",):
        setattr(maxp, attribute, 1)
    for attribute in (
        "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
        "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
    ):  # fmt: skip
        setattr(maxp, attribute, 0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 3.0  # no glyph names: ReportLab and HarfBuzz do not need them
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def main(source: Path) -> None:
    truetype = next(source.rglob("NotoSansArabic-Bold.ttf")).parent
    for family, ranges in _SCRIPTS.items():
        for weight in ("Regular", "Bold"):
            font = TTFont(truetype / f"{family}-{weight}.ttf")
            _subset(font, _codepoints(ranges + _SHARED), features=_shaping_features(font))
            font.save(HERE / f"{family}-{weight}.ttf")
    collection = TTCollection(next(source.rglob("NotoSansCJK-Bold.ttc")))
    cjk = next(font for font in collection if "SC" in font["name"].getDebugName(1))
    # No layout features: ideographs, kana and Hangul syllables need no shaping, and the
    # regional (locl) and vertical alternates would double the glyph count.
    _subset(cjk, _cjk_codepoints(), features=[])
    _to_truetype(cjk)
    cjk.save(HERE / "NotoSansCJKsc-Bold.ttf")
    for path in sorted(HERE.glob("*.ttf")):
        print(f"{path.name}: {path.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
