"""Amounts as CRM exports and Norwegian spreadsheets write them, read as exact Decimals.

Accepts `1 234,50` (space, no-break or narrow no-break space as thousands separator),
`1.234,50`, `1,234.50`, `1234.5`, a leading `-` or `−` (U+2212), a trailing minus,
parentheses for negatives and a currency code or `kr` before or after the number.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']")
_CURRENCY = re.compile(r"^(?:NOK|SEK|DKK|EUR|USD|GBP|kr\.?|€|\$|£)\s*|\s*(?:NOK|SEK|DKK|EUR|USD|GBP|kr\.?|,-|€|\$|£)$", re.I)
_DIGITS = re.compile(r"^\d+(?:[.,]\d+)*$")


class NotANumber(ValueError):
    """The text is not an amount krutt can read without guessing."""


def parse_amount(text: str) -> Decimal:
    """The amount written in `text`; raises NotANumber when it cannot be read unambiguously."""
    raw = text.strip()
    if not raw:
        raise NotANumber("empty")
    value = raw.replace("\u2212", "-").replace("\u2013", "-")
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1].strip()
    for _ in range(2):
        value = _CURRENCY.sub("", value).strip()
    if value.startswith("-"):
        negative, value = not negative, value[1:].strip()
    elif value.endswith("-"):
        negative, value = not negative, value[:-1].strip()
    elif value.startswith("+"):
        value = value[1:].strip()
    value = _CURRENCY.sub("", value).strip()
    value = _SPACES.sub("", value)
    if not _DIGITS.match(value):
        raise NotANumber(raw)
    number = _normalise_separators(value, raw)
    try:
        amount = Decimal(number)
    except InvalidOperation:  # pragma: no cover - _DIGITS admits only what Decimal reads
        raise NotANumber(raw) from None
    return -amount if negative else amount


def _normalise_separators(value: str, raw: str) -> str:
    commas, dots = value.count(","), value.count(".")
    if commas and dots:
        # Whichever separator comes last is the decimal one: 1.234,50 and 1,234.50.
        decimal_sep = "," if value.rfind(",") > value.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        head, _, tail = value.rpartition(decimal_sep)
        if decimal_sep in head or not _grouped(head, thousands):
            raise NotANumber(raw)
        return head.replace(thousands, "") + "." + tail
    if commas or dots:
        sep = "," if commas else "."
        parts = value.split(sep)
        if len(parts) > 2:
            # Only a thousands separator repeats: 1.234.567 or 1,234,567.
            if not _grouped(value, sep):
                raise NotANumber(raw)
            return value.replace(sep, "")
        # One separator is a decimal one: Norwegian exports write 1,5 and English 1.5.
        head, tail = parts
        return head + "." + tail
    return value


def _grouped(value: str, sep: str) -> bool:
    groups = value.split(sep)
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]) if len(groups) > 1 else True
