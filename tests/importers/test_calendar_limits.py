"""Hostile calendars: rules that would expand forever, and the caps that stop big ones."""

import time
from datetime import date, datetime

import pytest

from tests.importers.ics_files import OSLO, ics, problems, read, review


def test_a_billion_count_is_expanded_only_inside_the_window():
    data = ics(
        "UID:d\r\nDTSTART:20200106T090000Z\r\nDURATION:PT15M\r\nRRULE:FREQ=DAILY;COUNT=1000000000"
    )
    started = time.perf_counter()
    result = read(data, "2026-01-05", "2026-01-11")
    assert time.perf_counter() - started < 2
    assert len(result.occurrences) == 7
    assert result.problems == []


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=SECONDLY", "The event repeats more often than every hour; it was not read."),
        (
            "FREQ=MINUTELY;COUNT=1000000000",
            "The event repeats more often than every hour; it was not read.",
        ),
        (
            "FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYMONTHDAY=1,2,3,4,5,6,7,8,9,10;"
            "BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;BYMINUTE=0,5,10,15,20,25,30",
            "The event's repeat rule is too large to expand; it was not read.",
        ),
        ("FREQ=HOURLY", "The event's repeat rule is too large to expand; it was not read."),
        ("FREQ=FORTNIGHTLY", "The event's RRULE cannot be read, so the event was not read."),
    ],
)
def test_rules_too_dense_or_too_frequent_are_refused_quickly_for_their_series_alone(rule, message):
    data = ics(
        f"UID:bomb\r\nDTSTART:19700105T090000Z\r\nDURATION:PT1M\r\nRRULE:{rule}",
        "UID:fine\r\nDTSTART:20260105T090000Z\r\nDURATION:PT1H\r\nSUMMARY:fine",
    )
    started = time.perf_counter()
    result = read(data, "2026-01-05", "2026-01-11")
    assert time.perf_counter() - started < 2
    assert [o.summary for o in result.occurrences] == ["fine"]
    assert result.problems == []
    assert review(result) == [(3, message, True)]


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=5",
        "FREQ=HOURLY;BYMONTH=4;BYMONTHDAY=31",
        "FREQ=DAILY;INTERVAL=7;BYDAY=TU",
        "FREQ=HOURLY;INTERVAL=2;BYHOUR=10",
        "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2",
        "FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=20",
        "FREQ=YEARLY;BYWEEKNO=30;BYMONTH=1",
        "FREQ=MONTHLY;BYMONTHDAY=45",
    ],
)
def test_a_rule_that_never_occurs_is_dropped_without_walking_it(rule):
    # 2020-01-06 is a Monday at 09:00 UTC: the start itself is the event's only date.
    data = ics(f"UID:never\r\nDTSTART:20200106T090000Z\r\nDURATION:PT1H\r\nRRULE:{rule}")
    started = time.perf_counter()
    result = read(data, "2020-01-06", "2020-03-31")
    assert time.perf_counter() - started < 2
    assert [o.start for o in result.occurrences] == [datetime(2020, 1, 6, 10, 0, tzinfo=OSLO)]
    assert result.problems == []
    assert review(result) == [
        (3, "The event's repeat rule gives no dates; only its first date was read.", False)
    ]


def test_rare_but_possible_rules_are_kept():
    data = ics(
        "UID:f13\r\nDTSTART:20260101T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13"
    )
    result = read(data, "2026-01-01", "2026-12-31")
    assert [o.start.date() for o in result.occurrences][1:] == [
        date(2026, 2, 13),
        date(2026, 3, 13),
        date(2026, 11, 13),
    ]
    assert result.problems == []


def test_an_override_moved_by_years_or_a_year_long_series_cannot_widen_the_search():
    master = (
        "UID:m\r\nDTSTART:20200106T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY\r\nSUMMARY:daily"
    )
    far = "UID:m\r\nRECURRENCE-ID:99990101T090000Z\r\nDTSTART:20260106T120000Z\r\nDURATION:PT1H\r\nSUMMARY:moved"
    started = time.perf_counter()
    result = read(ics(master, far), "2026-01-06", "2026-01-06")
    assert time.perf_counter() - started < 2
    assert [o.summary for o in result.occurrences] == ["daily"]
    assert review(result) == [
        (
            3,
            "A change to one occurrence moves it by more than a year; the change was ignored.",
            False,
        )
    ]
    long = "UID:l\r\nDTSTART:20200106T090000Z\r\nDURATION:P1000D\r\nRRULE:FREQ=DAILY"
    result = read(ics(long), "2026-01-06", "2026-01-06")
    assert result.occurrences == []
    assert review(result) == [
        (3, "The repeating event lasts more than a year; it was not read.", True)
    ]
    # Its only event unreadable, the file has nothing to import.
    assert problems(result) == [(0, "None of the calendar's events can be read.")]


def test_the_per_series_and_overall_caps_are_reported():
    daily = "UID:{0}\r\nDTSTART:20260101T090000Z\r\nDURATION:PT15M\r\nRRULE:FREQ=DAILY"
    result = read(ics(daily.format("a")), "2026-01-01", "2026-01-31", max_per_series=10)
    assert len(result.occurrences) == 10
    assert result.problems == []
    assert review(result) == [
        (3, "The event repeats more than 10 times in the period; only 10 were read.", False)
    ]
    result = read(
        ics(daily.format("a"), daily.format("b")), "2026-01-01", "2026-01-31", max_occurrences=40
    )
    assert len(result.occurrences) == 40
    assert problems(result) == [
        (0, "The period has more than 40 event occurrences; the rest were not read.")
    ]


def test_a_file_over_the_size_limit_is_refused_before_reading():
    result = read(b"x" * (3 * 1024 * 1024), "2026-01-01", "2026-01-31", max_bytes=2 * 1024 * 1024)
    assert problems(result) == [(0, "The file is 3 MB; at most 2 MB can be read.")]
