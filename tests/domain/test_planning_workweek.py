"""The working week: working hours, minus holidays, busy events and time already past."""

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import render_plain
from krutt.domain.periods import iso_week
from krutt.domain.workweek import Busy, Span, WorkingHours, free_time, subtract, working_days

OSLO = ZoneInfo("Europe/Oslo")
W49 = iso_week("2026-W49")  # Monday 30 November to Sunday 6 December 2026


def oslo(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=OSLO)


def local(spans: Iterable[Span]) -> list[tuple[str, str]]:
    return [
        (s.start.astimezone(OSLO).strftime("%a %H:%M"), s.end.astimezone(OSLO).strftime("%H:%M"))
        for s in spans
    ]


def test_the_default_week_is_monday_to_friday_eight_to_four() -> None:
    hours = WorkingHours()
    assert (hours.start, hours.end, hours.weekdays) == (time(8), time(16), frozenset(range(5)))
    assert working_days(W49, hours, holidays=set()) == [
        date(2026, 11, 30),
        *(date(2026, 12, d) for d in range(1, 5)),
    ]


def test_working_hours_are_read_as_a_manager_writes_them() -> None:
    assert WorkingHours.parse("Mon-Thu 09:00-15:30") == WorkingHours(
        start=time(9), end=time(15, 30), weekdays=frozenset(range(4))
    )
    assert WorkingHours.parse("8:00-16:00") == WorkingHours()
    assert WorkingHours.parse("fri 10:00-12:00") == WorkingHours(
        start=time(10), end=time(12), weekdays=frozenset({4})
    )


@pytest.mark.parametrize(
    "text", ["Mon-Fri", "Fri-Mon 08:00-16:00", "Mon-Fri 25:00-26:00", "Xyz 08:00-09:00"]
)
def test_a_working_week_that_cannot_be_read_is_refused_with_an_example(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        WorkingHours.parse(text)
    assert (
        render_plain(error.value.message)
        == f"{text} is not a working week (like Mon-Fri 08:00-16:00)."
    )


def test_working_hours_must_end_after_they_start() -> None:
    with pytest.raises(InvalidInput) as error:
        WorkingHours(start=time(16), end=time(8))
    assert (
        render_plain(error.value.message)
        == "Working hours must end (08:00) after they start (16:00)."
    )


def test_busy_events_are_taken_out_of_the_working_day() -> None:
    busy = [
        Busy(start=oslo(1, 9), end=oslo(1, 10)),
        Busy(start=oslo(1, 9, 30), end=oslo(1, 11)),  # overlaps the first
        Busy(start=oslo(1, 7), end=oslo(1, 8)),  # ends as the day starts
        Busy(start=oslo(1, 15, 10), end=oslo(1, 18)),  # runs past the end of the day
    ]
    week = free_time(period=W49, hours=WorkingHours(), busy=busy, holidays=set(), zone=OSLO)
    tuesday = week[1]
    assert tuesday.day == date(2026, 12, 1)
    assert local(tuesday.free) == [("Tue 08:00", "09:00"), ("Tue 11:00", "15:10")]
    assert tuesday.free_minutes == 310
    assert [d.free_minutes for d in week] == [480, 310, 480, 480, 480]


def test_an_all_day_event_leaves_no_free_time_that_day() -> None:
    busy = [Busy(start=oslo(30, 0, month=11), end=oslo(1, 0))]
    week = free_time(period=W49, hours=WorkingHours(), busy=busy, holidays=set(), zone=OSLO)
    assert (week[0].day, week[0].free) == (date(2026, 11, 30), ())


def test_public_holidays_are_not_working_days() -> None:
    easter_2027 = iso_week("2027-W12")
    holidays = {date(2027, 3, 25), date(2027, 3, 26), date(2027, 3, 28)}
    week = free_time(
        period=easter_2027, hours=WorkingHours(), busy=[], holidays=holidays, zone=OSLO
    )
    assert [d.day for d in week] == [date(2027, 3, 22), date(2027, 3, 23), date(2027, 3, 24)]


def test_working_hours_are_local_time_in_summer_and_winter() -> None:
    summer = free_time(
        period=iso_week("2026-W25"), hours=WorkingHours(), busy=[], holidays=set(), zone=OSLO
    )
    winter = free_time(period=W49, hours=WorkingHours(), busy=[], holidays=set(), zone=OSLO)
    assert summer[0].hours.start == datetime(2026, 6, 15, 6, tzinfo=UTC)
    assert winter[0].hours.start == datetime(2026, 11, 30, 7, tzinfo=UTC)


def test_time_already_past_is_not_free() -> None:
    week = free_time(
        period=W49,
        hours=WorkingHours(),
        busy=[],
        holidays=set(),
        zone=OSLO,
        not_before=oslo(2, 10, 20),
    )
    assert [(d.day.day, d.free_minutes) for d in week] == [(2, 340), (3, 480), (4, 480)]
    assert local(week[0].free) == [("Wed 10:20", "16:00")]


def test_subtracting_nothing_leaves_the_span_whole() -> None:
    span = Span(datetime(2026, 12, 1, 7, tzinfo=UTC), datetime(2026, 12, 1, 15, tzinfo=UTC))
    assert subtract(span, []) == [span]
    assert subtract(span, [span]) == []


def test_busy_times_must_be_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Busy(start=datetime(2026, 12, 1, 9), end=datetime(2026, 12, 1, 10))
