"""Amounts as CRM exports and Norwegian spreadsheets write them, read as exact Decimals.

Accepts `1 234,50` (space, no-break or narrow no-break space as thousands separator),
`1.234,50`, `1,234.50`, `1234.5`, a leading `-` or `−` (U+2212), a trailing minus,
parentheses for negatives and a currency code or `kr` before or after the number.
A lone separator (`1,234`) is a decimal mark unless the column is known to use the
other one: `decimal_mark` says which, and `guess_decimal_mark` finds it from a sample.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

_GROUP_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']")
_CURRENCY = re.compile(
    r"^(?:NOK|SEK|DKK|EUR|USD|GBP|kr\.?|€|\$|£)\s*"
    r"|\s*(?:NOK|SEK|DKK|EUR|USD|GBP|kr\.?|,-|€|\$|£)$",
    re.I,
)
_DIGITS = re.compile(r"^\d+(?:[.,]\d+)*$")
_SPACE_GROUPED = re.compile(r"^\d{1,3}(?:[\s\u00a0\u202f\u2009\u2007']\d{3})+(?:[.,]\d+)?$")
_NORWEGIAN = re.compile(r"^([-\u2212]?)(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,(\d+))?$")
_NO_SPACES = str.maketrans("", "", " \u00a0\u202f")
# Longer text is not an amount anyone typed; refusing it early keeps Decimal cheap.
MAX_LENGTH = 64


class NotANumber(ValueError):
    """The text is not an amount krutt can read without guessing."""


def parse_amount(text: str, *, decimal_mark: str | None = None) -> Decimal:
    """The amount written in `text`; raises NotANumber when it cannot be read unambiguously.

    `decimal_mark` ("," or ".") is the column's decimal separator when known; the other
    character is then only accepted as a thousands separator in groups of three.
    """
    raw = text.strip()
    if not raw or len(raw) > MAX_LENGTH:
        raise NotANumber(raw[:MAX_LENGTH] or "empty")
    # Most cells are plain digits: read them without the general path below.
    if raw.isascii() and raw.isdigit():
        return Decimal(raw)
    if decimal_mark != "," and raw.isascii() and raw.count(".") == 1:
        head, _, tail = raw.partition(".")
        if head.isdigit() and tail.isdigit():
            return Decimal(raw)
    if decimal_mark != ".":
        # The Norwegian form, `-1 234 567,50`, in one match.
        match = _NORWEGIAN.match(raw)
        if match:
            sign, whole, fraction = match.groups()
            number = whole.translate(_NO_SPACES) + ("." + fraction if fraction else "")
            return -Decimal(number) if sign else Decimal(number)
    return _parse_general(raw, decimal_mark)


def _parse_general(raw: str, decimal_mark: str | None) -> Decimal:
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
    if _GROUP_SPACES.search(value):
        # Spaces group thousands only in threes: `12 34` is two numbers, not one.
        if not _SPACE_GROUPED.match(value):
            raise NotANumber(raw)
        value = _GROUP_SPACES.sub("", value)
    if not _DIGITS.match(value):
        raise NotANumber(raw)
    number = _normalise_separators(value, raw, decimal_mark)
    try:
        amount = Decimal(number)
    except InvalidOperation:  # pragma: no cover - _DIGITS admits only what Decimal reads
        raise NotANumber(raw) from None
    return -amount if negative else amount


def _normalise_separators(value: str, raw: str, decimal_mark: str | None) -> str:
    commas, dots = value.count(","), value.count(".")
    if commas and dots:
        # Whichever separator comes last is the decimal one: 1.234,50 and 1,234.50.
        mark = "," if value.rfind(",") > value.rfind(".") else "."
        if decimal_mark is not None and mark != decimal_mark:
            raise NotANumber(raw)
        thousands = "." if mark == "," else ","
        head, _, tail = value.rpartition(mark)
        if mark in head or not _grouped(head, thousands):
            raise NotANumber(raw)
        return head.replace(thousands, "") + "." + tail
    if not commas and not dots:
        return value
    sep = "," if commas else "."
    parts = value.split(sep)
    if len(parts) > 2 or (decimal_mark is not None and sep != decimal_mark):
        # Only a thousands separator repeats (1.234.567), or the column says it is one.
        if sep == decimal_mark or not _grouped(value, sep):
            raise NotANumber(raw)
        return value.replace(sep, "")
    # One separator is a decimal one: Norwegian exports write 1,5 and English 1.5.
    head, tail = parts
    return head + "." + tail


def _grouped(value: str, sep: str) -> bool:
    groups = value.split(sep)
    if len(groups) == 1:
        return True
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def guess_decimal_mark(samples: Iterable[str]) -> str | None:
    """ "," or "." when the sample shows which the column uses; None when it cannot tell.

    Evidence is a separator followed by other than three digits (`450,00`, `12.5`), or
    both separators in one value; `1,234` alone proves nothing.
    """
    commas = dots = 0
    for text in samples:
        value = text.strip().rstrip("-").rstrip()
        last_comma, last_dot = value.rfind(","), value.rfind(".")
        if last_comma < 0 and last_dot < 0:
            continue
        mark = "," if last_comma > last_dot else "."
        tail = value[max(last_comma, last_dot) + 1 :]
        digits = len(tail) - len(tail.lstrip("0123456789"))
        if (last_comma >= 0 and last_dot >= 0) or (digits and digits != 3):
            if mark == ",":
                commas += 1
            else:
                dots += 1
    if commas > dots:
        return ","
    if dots > commas:
        return "."
    return None
