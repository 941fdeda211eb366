"""Dates as exports write them: ISO, or day-first with dots, with or without a time.

`31.12.2026`, `3.2.2026`, `2026-12-31`, `2026-12-31T14:05:00Z`, `31.12.2026 14:05`; a slash
date is day-first too (`31/12/2026`) unless the column is known to be month-first
(`12/31/2026 2:05 PM`, as US English CRMs write it). Spreadsheet cells may hold Excel
serial day numbers instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta

_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_NUMERIC = re.compile(
    r"^(\d{1,2})([./])(\d{1,2})\2(\d{4})"
    r"(?:[ T,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*([AaPp][Mm])?)?$"
)
_SLASHED = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/\d{4}")
# Day 1 of Excel's (1900) date system is 1900-01-01; counting from 1899-12-30 absorbs
# its fictional 29 February 1900, which is right for every date after it.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_LAST = 2_958_465  # 9999-12-31


class NotADate(ValueError):
    """The text is not a date krutt can read, or names a day that does not exist."""


def parse_day(text: str, *, month_first: bool = False) -> date:
    """The calendar day written in `text` (a time part, if any, is read and dropped)."""
    return parse_local_datetime(text, month_first=month_first).date()


def parse_local_datetime(text: str, *, month_first: bool = False) -> datetime:
    """A naive date-time as written (time 00:00 when only a date is given).

    An offset or `Z` is read and dropped: exports render times in the exporting
    user's zone, and only the day is used.
    """
    raw = text.strip()
    meridiem = None
    match = _ISO.match(raw)
    if match:
        year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
        time_parts = match.group(4, 5, 6)
    else:
        match = _NUMERIC.match(raw)
        if match is None:
            raise NotADate(raw)
        first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        day, month = (second, first) if month_first and match.group(2) == "/" else (first, second)
        time_parts = match.group(5, 6, 7)
        meridiem = match.group(8)
    hour, minute, second_ = (int(g) if g else 0 for g in time_parts)
    if meridiem:
        if not 1 <= hour <= 12:
            raise NotADate(raw)
        hour = hour % 12 + (12 if meridiem.lower() == "pm" else 0)
    try:
        return datetime(year, month, day, hour, minute, second_)  # naive: the day as written
    except ValueError:
        raise NotADate(raw) from None


def day_from_serial(serial: float) -> date:
    """The day an Excel serial number stands for (the fraction is the time of day)."""
    if not 1 <= serial <= _EXCEL_LAST:
        raise NotADate(str(serial))
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def guess_month_first(samples: Iterable[str]) -> bool:
    """Whether the column's slash dates are month-first: some second part above 12, none first."""
    day_first = month_first = False
    for text in samples:
        match = _SLASHED.match(text)
        if match is None:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        day_first = day_first or first > 12
        month_first = month_first or second > 12
    return month_first and not day_first
