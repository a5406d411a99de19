"""Reading a CSV file as people's tools save it: the bytes to text, and its separator. Used by
every CSV import (attendees in badges.importer, stand plans in exhibitors.stand_import).

- Encoding: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), else
  detected with charset-normalizer. Windows-1252 (German Excel's "CSV") is taken whenever the
  detector finds it as likely as its best guess (cp1250 and cp1252 agree on German letters,
  so the detector often names the wrong one of a pair that decode the same). Another guess is
  taken when the detector finds it clean; otherwise the file is refused, naming the guess.
  The encoding used is reported (a label such as "Windows-1252"), so a preview can show it.
- Separator: comma, semicolon or tab, sniffed from the first lines.
- Text is normalized to NFC (``fair.text.text_normalize``) before anything compares it.
"""

import codecs
import csv

import charset_normalizer
from django.utils.translation import gettext as _

from fair.text import text_normalize

MAX_BYTES = 5 * 1024 * 1024

_ENCODING_LABELS = {
    "utf_8": "UTF-8",
    "utf_8_sig": "UTF-8 (BOM)",
    "utf_16": "UTF-16",
    "cp1252": "Windows-1252",
}
_SINGLE_BYTE = frozenset(
    [f"cp{number}" for number in range(1250, 1259)]
    + [f"iso8859_{number}" for number in range(1, 17)]
    + ["latin_1", "mac_roman", "cp850", "cp437"]
)


class CsvFileError(ValueError):
    """The file as a whole cannot be read; ``str(error)`` says why, for people."""


def _encoding_label(codec: str) -> str:
    name = codecs.lookup(codec).name.replace("-", "_")
    if name in _ENCODING_LABELS:
        return _ENCODING_LABELS[name]
    if name.startswith("cp"):
        return f"Windows-{name[2:]}" if name[2:].startswith("12") else f"CP{name[2:]}"
    return name.upper().replace("_", "-")


def _guess(content: bytes) -> tuple[str | None, str | None]:
    """(codec to decode with, or None; the detector's best guess for the message)."""
    results = charset_normalizer.from_bytes(content[:400_000])
    best = results.best()
    if best is None:
        return None, None
    # German letters decode the same in cp1250 and cp1252 (and the ISO-8859 relatives):
    # the detector then names any of them. Windows-1252 is what German Excel writes.
    for match in results:
        if match.chaos <= best.chaos and "cp1252" in match.could_be_from_charset:
            return "cp1252", best.encoding
    # Another guess only when it reads cleanly and is a code page office tools write, or the
    # detector recognizes a language in it (random bytes read "cleanly" as Korean, too).
    plausible = best.encoding in _SINGLE_BYTE or best.coherence >= 0.2
    return (best.encoding if best.chaos < 0.1 and plausible else None), best.encoding


def csv_decode(content: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding label); raises CsvFileError."""
    if len(content) > MAX_BYTES:
        raise CsvFileError(
            _("The file is %(size)s MB; at most %(limit)s MB can be imported at once. Split it.")
            % {"size": f"{len(content) / 1048576:.1f}", "limit": MAX_BYTES // 1048576}
        )
    if encoding is not None:
        codec = encoding
    elif content.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    else:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError as exc:
            if b"\x00" in content:
                raise CsvFileError(
                    _(
                        "The file is not UTF-8 text and contains binary data (byte "
                        "%(position)d): it is not a CSV file."
                    )
                    % {"position": content.index(b"\x00") + 1}
                ) from exc
            codec_or_none, guess = _guess(content)
            if codec_or_none is None:
                raise CsvFileError(
                    _(
                        "The file is not UTF-8 text (byte %(position)d), and its encoding "
                        "cannot be told for sure (it may be %(guess)s). Export it as "
                        "“CSV UTF-8”."
                    )
                    % {
                        "position": exc.start + 1,
                        "guess": _encoding_label(guess) if guess else _("unknown"),
                    }
                ) from exc
            codec = codec_or_none
        else:
            return _text_checked(text), "UTF-8"
    try:
        text = content.decode(codec)
    except (UnicodeDecodeError, LookupError) as exc:
        raise CsvFileError(
            _("The file cannot be read as %(encoding)s. Export it as “CSV UTF-8”.")
            % {"encoding": codec}
        ) from exc
    return _text_checked(text.lstrip("\ufeff")), _encoding_label(codec)


def _text_checked(text: str) -> str:
    # PostgreSQL text cannot hold NUL, and no CSV export of names contains one.
    if "\x00" in text:
        raise CsvFileError(
            _(
                "The file contains a NUL character (character %(position)d); "
                "it is not a plain CSV text file."
            )
            % {"position": text.index("\x00") + 1}
        )
    return text_normalize(text)


def csv_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        header = text.splitlines()[0]
        return max(";,\t", key=header.count)
