"""Reporting periods: an ISO week, a calendar month or a date range, days inclusive."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import gettext_noop
from krutt.domain.months import Month

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
MAX_PERIOD_DAYS = 3 * 366


@dataclass(frozen=True, kw_only=True, slots=True)
class Period:
    """Days `first` to `last`, both included, in the organisation's time zone."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise InvalidInput(
                gettext_noop("The period ends ({last}) before it starts ({first})."),
                first=self.first,
                last=self.last,
            )
        if (self.last - self.first).days >= MAX_PERIOD_DAYS:
            raise InvalidInput(gettext_noop("A period can be at most three years long."))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last


def iso_week(text: str) -> Period:
    """`2026-W47` → Monday 16 to Sunday 22 November 2026."""
    match = _WEEK.match(text.strip())
    if match is None:
        raise InvalidInput(gettext_noop("{value} is not an ISO week (like 2026-W47)."), value=text)
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise InvalidInput(
            gettext_noop("{year} has no week {week}."), year=year, week=week
        ) from None
    return Period(first=monday, last=monday + timedelta(days=6))


def week_containing(day: date) -> Period:
    monday = day - timedelta(days=day.weekday())
    return Period(first=monday, last=monday + timedelta(days=6))


def calendar_month(text: str) -> Period:
    try:
        month = Month.parse(text)
    except ValueError:
        raise InvalidInput(
            gettext_noop("{value} is not a month (like 2026-11)."), value=text
        ) from None
    return Period(first=month.first_day(), last=month.last_day())


def parse_day(text: str) -> date:
    """An ISO date, with a readable error for impossible ones such as 2026-02-30."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            gettext_noop("{value} is not a valid date (YYYY-MM-DD)."), value=text
        ) from None


def iso_week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
