"""Badge codes: a 130-bit secret for the QR and a short, typeable code with a check character.

QR content:  ``FL1:`` + 26 Crockford base32 characters (26 × 5 = 130 random bits from
             ``secrets``). The prefix names the format version, so a later format can be told
             apart; every character is in the QR alphanumeric set, which keeps the symbol small
             (version 2, 25 × 25 modules at error correction M).
Short code:  10 Crockford base32 characters (50 random bits) + 1 check character, printed as
             ``XXXX-XXXX-XXX``. Crockford's alphabet has no I, L, O or U, and reading maps
             O→0 and I/L→1, so the ambiguous characters cannot be mistyped into another valid
             code.
Check:       a Damm-style check over the quasigroup x∘y = 2·x + y in GF(32). It is totally
             anti-symmetric, so it detects every single-character substitution and every
             transposition of two adjacent characters (the check character included) — unlike
             Luhn mod 32, which misses 0Z↔Z0 just as Luhn mod 10 misses 09↔90.
Neither code holds personal data: both are random and only mean something to our database.

Why neither code can be guessed while its badge is valid (see SECURITY.md):
  * A code is only ever looked up through the scan API, by a paired device of an approved
    exhibitor (the scanner page's typed codes go the same way).
  * Short code: 2**50 ≈ 1.13e15 bodies (the check character is computable, so it adds no
    secrecy). With B = 100 000 badges at a fair, one guess hits with B / 2**50 ≈ 8.9e-11.
  * Each device may send 3000 scans per 10 minutes, and a well-formed code that matches no
    badge costs ``fair.ratelimit.SCAN_MISS_COST`` = 100 more, charged before the answer: at
    most 30 guesses per 10 minutes, 4320 per day; at most 25 devices per exhibitor.
  * A badge lives from its issue until the fair ends; take 180 days: ≈ 780 000 guesses per
    device, ≈ 6.9e-5 expected successes per device; 25 devices of one exhibitor: ≈ 0.0017.
    A hit would yield one random visitor's lead (contact details only with their consent),
    recorded with the device and time like any scan.
  * The QR secret (130 bits): B / 2**130 ≈ 7e-35 per guess, out of reach whatever the rate.
"""

import secrets

QR_PREFIX = "FL1:"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
SECRET_LENGTH = 26
SHORT_BODY_LENGTH = 10
SHORT_LENGTH = SHORT_BODY_LENGTH + 1
# x^5 + x^2 + 1, a primitive polynomial of GF(32).
_GF32_MODULUS = 0b100101


class CodeFormatError(ValueError):
    """The text is not a badge code of any format we issue."""


def _random_chars(count: int) -> str:
    # 32 characters: the low five bits of a random byte pick one without bias (and an import
    # of 50,000 badges does not call the system's random source a million times).
    return "".join(ALPHABET[byte & 31] for byte in secrets.token_bytes(count))


def _times_two(value: int) -> int:
    """Multiply by x in GF(32)."""
    value <<= 1
    return value ^ _GF32_MODULUS if value & 0b100000 else value


def _interim(text: str) -> int:
    interim = 0
    for char in text:
        interim = _times_two(interim) ^ _VALUE[char]
    return interim


def check_char(body: str) -> str:
    """The check character that brings ``body`` + it to interim 0 (Crockford base32 input)."""
    return ALPHABET[_times_two(_interim(body))]


def check_valid(code: str) -> bool:
    return _interim(code) == 0


def secret_generate() -> str:
    return _random_chars(SECRET_LENGTH)


def short_code_generate() -> str:
    body = _random_chars(SHORT_BODY_LENGTH)
    return body + check_char(body)


def qr_content(secret: str) -> str:
    return QR_PREFIX + secret


def short_code_display(short_code: str) -> str:
    return f"{short_code[:4]}-{short_code[4:8]}-{short_code[8:]}"


def short_code_normalize(text: str) -> str:
    """Canonical form of a typed short code; raises CodeFormatError for typos."""
    cleaned = text.upper().replace("-", "").replace(" ", "").translate(_READ_AS)
    if len(cleaned) != SHORT_LENGTH or any(char not in _VALUE for char in cleaned):
        raise CodeFormatError("not a short badge code")
    if not check_valid(cleaned):
        raise CodeFormatError("check character does not match")
    return cleaned


def code_parse(text: str) -> tuple[str, str]:
    """Tell scanned QR content from a typed short code: ("secret" | "short", canonical value)."""
    text = text.strip()
    if text.upper().startswith(QR_PREFIX):
        secret = text[len(QR_PREFIX) :].upper()
        if len(secret) != SECRET_LENGTH or any(char not in _VALUE for char in secret):
            raise CodeFormatError("not a badge QR code")
        return "secret", secret
    return "short", short_code_normalize(text)
