"""Connection secrets encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256).

Keys come from `KRUTT_SECRET_KEYS`: comma-separated Fernet keys, the first encrypts and
all of them decrypt (MultiFernet). To rotate: put a new key first, keep the old ones,
run `krutt calendar sync --all` (every sync re-encrypts its secret with the first key),
then drop the old keys. Without the variable (development only) a key is derived from
Django's SECRET_KEY; production refuses to store a secret without it.
"""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import gettext_noop


def _fernet() -> MultiFernet:
    raw = [k.strip() for k in os.environ.get("KRUTT_SECRET_KEYS", "").split(",") if k.strip()]
    if not raw:
        if getattr(settings, "PRODUCTION", False):
            raise InvalidInput(NO_KEYS)
        digest = hashlib.sha256(b"krutt connection secrets|" + settings.SECRET_KEY.encode())
        raw = [base64.urlsafe_b64encode(digest.digest()).decode()]
    try:
        return MultiFernet([Fernet(key) for key in raw])
    except ValueError:
        raise InvalidInput(BAD_KEYS) from None


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise InvalidInput(UNREADABLE) from None


def rotate(token: str) -> str:
    """The token encrypted with the first key (the same when it already is)."""
    if not token:
        return ""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise InvalidInput(UNREADABLE) from None


def new_key() -> str:
    return Fernet.generate_key().decode()


NO_KEYS = gettext_noop(
    "KRUTT_SECRET_KEYS is not set; krutt does not store calendar passwords without it."
)
BAD_KEYS = gettext_noop("KRUTT_SECRET_KEYS holds a key that is not a Fernet key.")
UNREADABLE = gettext_noop(
    "The calendar's password cannot be decrypted with KRUTT_SECRET_KEYS; connect it again."
)
