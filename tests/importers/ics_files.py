"""Small .ics files written in tests, and reading them for a few days in Oslo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from krutt.domain.messages import render_plain
from krutt.importers.calendar import CalendarRead, read_calendar

OSLO = ZoneInfo("Europe/Oslo")


def read(data: bytes, first: str, last: str, **options: Any) -> CalendarRead:
    """The occurrences from day `first` up to and including day `last`, in Oslo."""
    start = datetime.fromisoformat(first).replace(tzinfo=OSLO)
    end = datetime.fromisoformat(last).replace(tzinfo=OSLO) + timedelta(days=1)
    return read_calendar(data, zone=OSLO, start=start, end=end, **options)


def ics(*events: str, head: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{head}{body}END:VCALENDAR\r\n".encode()


def problems(result: CalendarRead) -> list[tuple[int, str]]:
    return [(p.line, render_plain(p.message)) for p in result.problems]


def review(result: CalendarRead) -> list[tuple[int, str, bool]]:
    """(line, reason, left out as unreadable) per item to review."""
    return [(r.line, render_plain(r.reason), r.not_read) for r in result.review]


def slots(result: CalendarRead) -> list[tuple[str, int, str]]:
    """(start in UTC, minutes, summary) per occurrence."""
    return [
        (
            o.start.astimezone(UTC).strftime("%m-%d %H:%M"),
            int((o.end - o.start).total_seconds() // 60),
            o.summary,
        )
        for o in result.occurrences
    ]
