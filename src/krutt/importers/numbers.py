"""Amounts as CRM exports and Norwegian spreadsheets write them, read as exact Decimals.

Accepts `1 234,50` (space, no-break or narrow no-break space as thousands separator),
`1.234,50`, `1,234.50`, `1234.5`, `1.234.567`, a leading `-` or `−` (U+2212), a trailing
minus, parentheses for negatives and a currency code or `kr` before or after the number.
Money never has three decimals, so a lone separator followed by three digits (`1,234`,
`250.000`) is read as a thousands separator where the column's decimal mark is the other
one, and refused as ambiguous anywhere else. `guess_decimal_mark` learns a column's mark
from a sample of its cells.
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


class AmbiguousAmount(NotANumber):
    """A lone separator before three digits (`1,234`) where the column does not tell
    whether it groups thousands or starts decimals."""


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
            # The dot is the column's decimal mark or nothing says: 1.234 is refused.
            if len(tail) == 3 and _could_group(head):
                raise AmbiguousAmount(raw)
            return Decimal(raw)
    if decimal_mark != ".":
        # The Norwegian form, `-1 234 567,50`, in one match.
        match = _NORWEGIAN.match(raw)
        if match:
            sign, whole, fraction = match.groups()
            if fraction and len(fraction) == 3 and _could_group(whole):
                raise AmbiguousAmount(raw)
            number = whole.translate(_NO_SPACES) + ("." + fraction if fraction else "")
            return -Decimal(number) if sign else Decimal(number)
    return _parse_general(raw, decimal_mark)


def _parse_general(raw: str, decimal_mark: str | None) -> Decimal:
    negative, value, spaced = _core(raw)
    number = _normalise_separators(value, raw, decimal_mark, spaced=spaced)
    try:
        amount = Decimal(number)
    except InvalidOperation:  # pragma: no cover - _DIGITS admits only what Decimal reads
        raise NotANumber(raw) from None
    return -amount if negative else amount


def _core(raw: str) -> tuple[bool, str, bool]:
    """(negative, the digits and separators, whether spaces grouped the thousands)."""
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
    spaced = False
    if _GROUP_SPACES.search(value):
        # Spaces group thousands only in threes: `12 34` is two numbers, not one.
        if not _SPACE_GROUPED.match(value):
            raise NotANumber(raw)
        value, spaced = _GROUP_SPACES.sub("", value), True
    if not _DIGITS.match(value):
        raise NotANumber(raw)
    return negative, value, spaced


def _normalise_separators(value: str, raw: str, decimal_mark: str | None, *, spaced: bool) -> str:
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
        if sep == decimal_mark or spaced or not _grouped(value, sep):
            raise NotANumber(raw)
        return value.replace(sep, "")
    head, tail = parts
    # The column's decimal mark, or nothing says: 1,5 and 12.50 are decimals, but three
    # digits after a short head may as well be thousands (money has no third decimal).
    if len(tail) == 3 and not spaced and _could_group(head):
        raise AmbiguousAmount(raw)
    return head + "." + tail


def _could_group(head: str) -> bool:
    """Whether digits before a separator could be the first group of a thousands grouping."""
    return len(head) <= 3 and head[:1] != "0"


def _grouped(value: str, sep: str) -> bool:
    groups = value.split(sep)
    if len(groups) == 1:
        return True
    first = groups[0]
    return 1 <= len(first) <= 3 and first[0] != "0" and all(len(g) == 3 for g in groups[1:])


def guess_decimal_mark(samples: Iterable[str]) -> str | None:
    """ "," or "." when the sample shows which the column uses; None when it cannot tell.

    Evidence is a separator followed by other than three digits (`450,00`, `12.5`), both
    separators in one value, or one repeated (`1.234.567`: the other is the mark). When
    nothing else tells, a column whose separated values all use one separator before
    groups of three (`250.000`, `1.234`) groups thousands with it: money has no third
    decimal. Values of both kinds (`1,234` and `1.234`) leave the column undecided.
    """
    evidence = {",": 0, ".": 0}
    lone: set[str] = set()
    for text in samples:
        raw = text.strip()
        if not raw or len(raw) > MAX_LENGTH:
            continue
        try:
            _, value, spaced = _core(raw)
        except NotANumber:
            continue
        commas, dots = value.count(","), value.count(".")
        if commas and dots:
            evidence["," if value.rfind(",") > value.rfind(".") else "."] += 1
            continue
        if not commas and not dots:
            continue
        sep, other = (",", ".") if commas else (".", ",")
        head, _, tail = value.partition(sep)
        if commas + dots > 1:
            evidence[other] += 1
        elif spaced or len(tail) != 3:
            evidence[sep] += 1
        elif _could_group(head):
            lone.add(sep)
        # Else three decimals after 0 or four digits: odd for money, and no evidence.
    if evidence[","] != evidence["."]:
        return "," if evidence[","] > evidence["."] else "."
    if not evidence[","] and len(lone) == 1:
        return "." if "," in lone else ","
    return None
