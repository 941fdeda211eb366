"""The manager's working week: the free time a plan may fill.

Working hours (by default Monday to Friday, 08:00 to 16:00 in the organisation's zone),
minus public holidays, minus busy calendar events, minus time already past, is free.
Holidays arrive as a set of dates: the shell knows the calendar, the domain does not.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import gettext_noop
from krutt.domain.periods import Period

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(
    r"^\s*(?:(?P<first>[a-z]{3})(?:\s*-\s*(?P<last>[a-z]{3}))?\s+)?"
    r"(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, kw_only=True, slots=True)
class WorkingHours:
    """When the manager works: the same hours on each of `weekdays` (Monday = 0)."""

    start: time = time(8)
    end: time = time(16)
    weekdays: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise InvalidInput(
                gettext_noop("Working hours must end ({end}) after they start ({start})."),
                start=self.start.strftime("%H:%M"),
                end=self.end.strftime("%H:%M"),
            )
        if not self.weekdays or not self.weekdays <= set(range(7)):
            raise InvalidInput(gettext_noop("Working hours need at least one weekday."))

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        """Read `Mon-Fri 08:00-16:00`, `Mon-Thu 09:00-15:30` or `08:00-16:00` (Mon-Fri)."""
        match = _HOURS.match(text)
        if match is None:
            raise InvalidInput(
                gettext_noop("{value} is not a working week (like Mon-Fri 08:00-16:00)."),
                value=text,
            )
        first, last = match.group("first"), match.group("last")
        try:
            start = time.fromisoformat(match.group("start").zfill(5))
            end = time.fromisoformat(match.group("end").zfill(5))
            days = _day_range(first or "mon", last or first or "fri")
        except ValueError:
            raise InvalidInput(
                gettext_noop("{value} is not a working week (like Mon-Fri 08:00-16:00)."),
                value=text,
            ) from None
        return cls(start=start, end=end, weekdays=days)


def _day_range(first: str, last: str) -> frozenset[int]:
    a, b = WEEKDAYS.index(first.lower()), WEEKDAYS.index(last.lower())
    if b < a:
        raise ValueError("the week runs Monday to Sunday")
    return frozenset(range(a, b + 1))


DEFAULT_WORKING_HOURS = WorkingHours()


@dataclass(frozen=True, kw_only=True, slots=True)
class Busy:
    """A calendar event that blocks the manager's time, from `start` to `end` (aware).

    `key` is the event's identity in its calendar (UID and recurrence id), so a re-import
    replaces what it covers; the planner reads only the times.
    """

    start: datetime
    end: datetime
    key: str = ""

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("busy times must be timezone-aware")


@dataclass(frozen=True, order=True, slots=True)
class Span:
    """A stretch of time, `start` included and `end` not, both aware and in UTC."""

    start: datetime
    end: datetime

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, kw_only=True, slots=True)
class WorkDay:
    """One working day of the week: its hours and the free stretches left in them."""

    day: date
    hours: Span
    free: tuple[Span, ...]

    @property
    def free_minutes(self) -> int:
        return sum(s.minutes for s in self.free)


def working_days(period: Period, hours: WorkingHours, holidays: Collection[date]) -> list[date]:
    """The days of `period` the manager works: their weekdays, public holidays excluded."""
    days = (period.first + timedelta(days=i) for i in range(period.days))
    return [d for d in days if d.weekday() in hours.weekdays and d not in holidays]


def free_time(
    *,
    period: Period,
    hours: WorkingHours,
    busy: Iterable[Busy],
    holidays: Collection[date],
    zone: ZoneInfo,
    not_before: datetime | None = None,
) -> list[WorkDay]:
    """Each working day of `period` with what is left of its hours after busy events.

    Events touching the working hours only at an edge (a meeting ending at 08:00) leave
    them whole; time before `not_before` (the moment the plan is made) is not free, and
    days already over are left out.
    """
    blocks = sorted(
        Span(b.start.astimezone(UTC), b.end.astimezone(UTC)) for b in busy if b.end > b.start
    )
    if not_before is not None:
        blocks.append(Span(datetime.min.replace(tzinfo=UTC), not_before.astimezone(UTC)))
        blocks.sort()
    week: list[WorkDay] = []
    for day in working_days(period, hours, holidays):
        span = Span(
            datetime.combine(day, hours.start, tzinfo=zone).astimezone(UTC),
            datetime.combine(day, hours.end, tzinfo=zone).astimezone(UTC),
        )
        if not_before is not None and span.end <= not_before:
            continue
        week.append(WorkDay(day=day, hours=span, free=tuple(subtract(span, blocks))))
    return week


def subtract(span: Span, blocks: Sequence[Span]) -> list[Span]:
    """What is left of `span` once the (start-sorted) `blocks` are taken out."""
    free: list[Span] = []
    cursor = span.start
    for block in blocks:
        if block.end <= cursor:
            continue
        if block.start >= span.end:
            break
        if block.start > cursor:
            free.append(Span(cursor, block.start))
        cursor = max(cursor, block.end)
        if cursor >= span.end:
            break
    if cursor < span.end:
        free.append(Span(cursor, span.end))
    return free
