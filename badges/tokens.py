"""Secrets in links: the visitor's badge link and the confirmation link.

Both carry only random secrets, never personal data; the database keeps only their SHA-256
digest. The confirmation link's secret is also signed with a timestamp, so an expired link
is recognized (and named as such) without a database lookup.
"""

import secrets

from django.core import signing

from fair.hashing import secret_hash

CONFIRM_SALT = "badges.visitor-confirm"


class ConfirmationTokenExpired(Exception):
    pass


class ConfirmationTokenInvalid(Exception):
    pass


def confirmation_token_new() -> tuple[str, str]:
    """A fresh confirmation link token and the digest to store (of its random part)."""
    secret = secrets.token_urlsafe(24)
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(secret), secret_hash(secret)


def confirmation_token_digest(*, token: str, max_age: int) -> str:
    """The stored digest a confirmation token stands for; raises ConfirmationTokenExpired or
    ConfirmationTokenInvalid."""
    if not token or len(token) > 200:
        raise ConfirmationTokenInvalid()
    try:
        secret = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ConfirmationTokenExpired() from exc
    except signing.BadSignature as exc:
        raise ConfirmationTokenInvalid() from exc
    return secret_hash(secret)
