"""Dates as exports write them: ISO, or Norwegian day-first with dots, with or without a time."""

from __future__ import annotations

import re
from datetime import date, datetime

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})(?:[ T,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$")


class NotADate(ValueError):
    """The text is not a date krutt can read, or names a day that does not exist."""


def parse_day(text: str) -> date:
    """The calendar day written in `text` (a time part, if any, is read and dropped)."""
    return parse_local_datetime(text).date()


def parse_local_datetime(text: str) -> datetime:
    """A naive date-time as written (time 00:00 when only a date is given)."""
    raw = text.strip()
    match = _ISO.match(raw)
    if match:
        year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    else:
        match = _DAY_FIRST.match(raw)
        if match is None:
            raise NotADate(raw)
        day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
    hour, minute, second = (int(g) if g else 0 for g in match.groups()[3:6])
    try:
        return datetime(year, month, day, hour, minute, second)  # noqa: DTZ001 - the caller applies the zone
    except ValueError:
        raise NotADate(raw) from None
