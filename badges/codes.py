"""Badge codes: a 128-bit secret for the QR and a short, typeable code with a check character.

QR content:  ``FL1:`` + 26 Crockford base32 characters (130 bits, 128 of them random).
Short code:  10 Crockford base32 characters (50 random bits) + 1 Luhn mod 32 check character,
             printed as ``XXXX-XXXX-XXX``. Crockford's alphabet has no I, L, O or U, and reading
             maps O→0 and I/L→1, so the ambiguous characters cannot be mistyped into another
             valid code. Luhn mod N detects every single-character substitution and every
             transposition of two adjacent characters.
Neither holds personal data: both are random and only mean something to our database.
"""

import secrets

QR_PREFIX = "FL1:"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
SECRET_LENGTH = 26
SHORT_BODY_LENGTH = 10
SHORT_LENGTH = SHORT_BODY_LENGTH + 1


class CodeFormatError(ValueError):
    """The text is not a badge code of any format we issue."""


def _random_chars(count: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(count))


def luhn_check_char(body: str) -> str:
    """Luhn mod 32 check character for ``body`` (Crockford base32 characters)."""
    factor = 2
    total = 0
    for char in reversed(body):
        addend = factor * _VALUE[char]
        factor = 1 if factor == 2 else 2
        total += addend // 32 + addend % 32
    return ALPHABET[(32 - total % 32) % 32]


def secret_generate() -> str:
    return _random_chars(SECRET_LENGTH)


def short_code_generate() -> str:
    body = _random_chars(SHORT_BODY_LENGTH)
    return body + luhn_check_char(body)


def qr_content(secret: str) -> str:
    return QR_PREFIX + secret


def short_code_display(short_code: str) -> str:
    return f"{short_code[:4]}-{short_code[4:8]}-{short_code[8:]}"


def short_code_normalise(text: str) -> str:
    """Canonical form of a typed short code; raises CodeFormatError for typos."""
    cleaned = text.upper().replace("-", "").replace(" ", "").translate(_READ_AS)
    if len(cleaned) != SHORT_LENGTH or any(char not in _VALUE for char in cleaned):
        raise CodeFormatError("not a short badge code")
    if luhn_check_char(cleaned[:-1]) != cleaned[-1]:
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
    return "short", short_code_normalise(text)
