"""Secrets for scanner devices: pairing codes a person types, bearer tokens a device keeps.

Both come from ``secrets`` and are stored only as SHA-256 hex digests (``fair.hashing``), so
a database dump reveals neither. A pairing code is short-lived (15 minutes) and typeable: 12
Crockford base32 characters (60 random bits) printed as ``XXXX-XXXX-XXXX``; typing O for 0 and
I or L for 1 is forgiven. A device token is 256 random bits, URL-safe base64, prefixed
``fl_dev_`` so that a leaked token is recognizable in logs and secret scanners.

Why a pairing code cannot be guessed within its lifetime (see SECURITY.md):
  * 12 characters of 32 = 2**60 ≈ 1.15e18 codes. Even with L = 1000 codes open at the same
    moment (each device has at most one, each lives 15 minutes), one guess hits some open code
    with probability L / 2**60 ≈ 8.7e-16. A code that is used once is spent.
  * ``POST /api/scan/pair`` refuses an address after 10 wrong codes in 10 minutes
    (``fair.ratelimit.pairing_per_ip``; an IPv6 address counts as its /64): at most
    1440 guesses per address and day, at most 30 within the 15 minutes one code lives.
  * A botnet of N = 1 000 000 addresses guessing without pause for a whole year:
    1e6 × 1440 × 365 ≈ 5.3e11 guesses × 8.7e-16 ≈ 0.0005 expected successes — and a hit
    would only pair a phone that its exhibitor sees in the device list and can revoke.
  * A limit per code would add nothing: every guess is a different code.
"""

import secrets

PAIRING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PAIRING_CODE_LENGTH = 12
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
TOKEN_PREFIX = "fl_dev_"


def device_token_generate() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def pairing_code_generate() -> str:
    """A fresh pairing code in canonical form (no dashes)."""
    return "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(PAIRING_CODE_LENGTH))


def pairing_code_normalize(text: str) -> str:
    """Canonical form of a typed pairing code (any case, dashes and spaces ignored)."""
    return text.upper().replace("-", "").replace(" ", "").strip().translate(_READ_AS)


def pairing_code_display(code: str) -> str:
    return "-".join(code[index : index + 4] for index in range(0, len(code), 4))
