"""Secrets in links: the visitor's badge link and the signed confirmation link."""

import hashlib

CONFIRM_SALT = "badges.visitor-confirm"


def token_hash(token: str) -> str:
    """What we store of a link secret: its SHA-256 hex digest."""
    return hashlib.sha256(token.encode()).hexdigest()
