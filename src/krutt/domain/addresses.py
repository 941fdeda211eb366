"""E-mail addresses as krutt compares them: one normal form for every way an address arrives.

A roster, the CLI, the sign-in form and the login throttle all use `normalise_email`,
so `PER.AASEN@Firma.no` and `per.aasen@firma.no` are one person everywhere (and one
lockout counter). Unicode is put in NFC so that a decomposed «å» is the same letter.
"""

from __future__ import annotations

import unicodedata


def normalise_email(text: str) -> str:
    """The address trimmed, in NFC and lower case (the local part too, as every mail host treats it)."""
    return unicodedata.normalize("NFC", text.strip()).lower()
