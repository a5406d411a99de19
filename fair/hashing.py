"""The one way Fairlead stores a secret it must recognize later: its SHA-256 hex digest.

Device tokens, pairing codes, API keys and visitors' badge links are random (at least 60 bits
from ``secrets``), so a fast unsalted digest is enough: nothing can be guessed from it, and it
can be looked up through a unique index. Passwords are not secrets of this kind (Django hashes
them slowly, with salt).
"""

import hashlib


def secret_hash(secret: str) -> str:
    """The 64-character hex digest under which ``secret`` is stored and looked up."""
    return hashlib.sha256(secret.encode()).hexdigest()
