"""Importing a calendar: the period's entries from the calendar are replaced exactly, by key."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from krutt.domain.activities import Activity
from krutt.domain.messages import Message, render_plain
from krutt.domain.sellers import SellerId
from krutt.domain.workweek import Busy
from krutt.importers.calendar import (
    Attendee,
    CalendarOccurrence,
    CalendarRead,
    EventStatus,
    ReviewItem,
    Transparency,
)
from krutt.importers.problems import Problem
from krutt.services.deal_actuals import SellerDirectoryEntry
from krutt.services.import_calendar import CalendarRejected, StoredBusy, import_calendar
from krutt.services.record_time import Employment, Source, StoredEntry, TimeEntry
from tests.services.fakes_imports import FakeCalendarStore

OSLO = ZoneInfo("Europe/Oslo")
MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=OSLO)
KARI = Attendee(email="kari@x.no", name="Kari", partstat="ACCEPTED", kind="INDIVIDUAL")
ME = Attendee(email="boss@x.no", name="Boss", partstat="ACCEPTED", kind="INDIVIDUAL")
DIRECTORY = [
    SellerDirectoryEntry(seller_id=SellerId(1), email="kari@x.no", name="Kari Nordmann"),
]
NOW = datetime(2026, 11, 20, 12, tzinfo=OSLO)
TEAM = {
    SellerId(1): Employment(
        seller_id=SellerId(1),
        name="Kari Nordmann",
        started_on=date(2020, 1, 1),
        ended_on=None,
        on_team=True,
    )
}


def occurrence(**overrides: Any) -> CalendarOccurrence:
    start = overrides.pop("start", MONDAY)
    fields: dict[str, Any] = {
        "line": 3,
        "uid": "u1",
        "recurrence_id": None,
        "start": start,
        "end": start + timedelta(hours=1),
        "all_day": False,
        "floating": False,
        "summary": "1:1 Kari",
        "status": EventStatus.CONFIRMED,
        "transparency": Transparency.BUSY,
        "private": False,
        "organizer_email": "boss@x.no",
        "attendees": (KARI, ME),
        "manager_partstat": None,
    }
    fields.update(overrides)
    return CalendarOccurrence(**fields)


def read(
    *occurrences: CalendarOccurrence,
    problems: list[Problem] | None = None,
    review: list[ReviewItem] | None = None,
) -> CalendarRead:
    return CalendarRead(
        zone=OSLO,
        start=datetime(2026, 11, 16, tzinfo=OSLO),
        end=datetime(2026, 11, 23, tzinfo=OSLO),
        occurrences=list(occurrences),
        problems=problems or [],
        review=review or [],
        repairs=[],
        events=len(occurrences) + len(review or []),
    )


def run(store: FakeCalendarStore, calendar: CalendarRead):
    store.team = store.team or dict(TEAM)
    return import_calendar(
        calendar=calendar,
        manager_id=7,
        manager_email="boss@x.no",
        directory=DIRECTORY,
        store=store,
        now=NOW,
    )


def entry(key: str, start: datetime = MONDAY, minutes: int = 60) -> TimeEntry:
    return TimeEntry(
        manager_id=7,
        key=key,
        started_at=start,
        ended_at=start + timedelta(minutes=minutes),
        day=start.date(),
        minutes=minutes,
        activity=Activity.ONE_ON_ONE,
        source=Source.CALENDAR,
        seller_ids=(SellerId(1),),
    )


def test_each_counted_occurrence_becomes_an_entry_keyed_by_uid_and_recurrence_id():
    store = FakeCalendarStore()

    result = run(store, read(occurrence(recurrence_id="20261116T080000Z")))

    assert [e.entry for e in store.entries] == [entry("u1|20261116T080000Z")]
    assert [b.busy for b in store.busy] == [
        Busy(key="u1|20261116T080000Z", start=MONDAY, end=MONDAY + timedelta(hours=1))
    ]
    assert (result.summary.created, result.busy.created) == (1, 1)


def test_a_reimport_is_unchanged_a_moved_meeting_updated_and_a_dropped_one_removed():
    outside = StoredEntry(row_id=9, batch_id=1, entry=entry("old", MONDAY + timedelta(days=9)))
    store = FakeCalendarStore(
        entries=[
            StoredEntry(row_id=1, batch_id=1, entry=entry("u1|")),
            StoredEntry(row_id=2, batch_id=1, entry=entry("u2|")),
            StoredEntry(row_id=3, batch_id=1, entry=entry("gone|")),
            outside,
        ]
    )

    result = run(
        store,
        read(
            occurrence(),
            occurrence(uid="u2", end=MONDAY + timedelta(minutes=90)),
        ),
    )

    summary = result.summary
    assert (summary.created, summary.updated, summary.unchanged, summary.removed) == (0, 1, 1, 1)
    assert [(e.row_id, e.entry.key, e.entry.minutes) for e in store.entries] == [
        (1, "u1|", 60),
        (2, "u2|", 90),
        (9, "old", 60),
    ]


def test_an_occurrence_twice_in_a_file_gets_a_second_key_not_a_merge():
    store = FakeCalendarStore()

    run(store, read(occurrence(), occurrence(start=MONDAY + timedelta(hours=2))))

    assert [e.entry.key for e in store.entries] == ["u1|", "u1|#2"]


def test_a_meeting_longer_than_a_day_is_listed_for_review_not_counted():
    store = FakeCalendarStore()

    result = run(store, read(occurrence(end=MONDAY + timedelta(hours=30))))

    assert store.entries == []
    assert [(r.line, r.start, render_plain(r.reason)) for r in result.review] == [
        (3, MONDAY, "The event lasts 30 hours; it was not counted as time with sellers.")
    ]
    assert result.skipped == {"too_long": 1}
    assert len(store.busy) == 1


def test_occurrences_that_are_not_time_with_sellers_are_counted_by_reason():
    store = FakeCalendarStore()

    result = run(
        store,
        read(
            occurrence(status=EventStatus.CANCELLED),
            occurrence(uid="u2", attendees=(ME,), summary="Lunsj"),
            occurrence(uid="u3"),
        ),
    )

    assert result.skipped == {"cancelled": 1, "no_seller": 1}
    assert result.summary.skipped == 2


def test_a_file_with_problems_or_without_events_changes_nothing():
    broken = Problem(0, Message("The file is not an iCalendar (.ics) file."))
    store = FakeCalendarStore(entries=[StoredEntry(row_id=1, batch_id=1, entry=entry("u1|"))])

    with pytest.raises(CalendarRejected) as rejected:
        run(store, read(occurrence(), problems=[broken]))
    with pytest.raises(CalendarRejected) as empty:
        run(store, read())

    assert rejected.value.result.summary.problems == [broken]
    assert [render_plain(p.message) for p in empty.value.result.summary.problems] == [
        "The calendar has no events."
    ]
    assert store.calls == []


def test_busy_time_is_replaced_for_the_period_like_the_entries():
    store = FakeCalendarStore(
        busy=[
            StoredBusy(
                row_id=5,
                batch_id=None,
                busy=Busy(key="demo-1", start=MONDAY, end=MONDAY + timedelta(hours=1)),
            )
        ]
    )

    result = run(store, read(occurrence(transparency=Transparency.FREE), occurrence(uid="u2")))

    assert (result.busy.created, result.busy.removed) == (1, 1)
    assert [b.busy.key for b in store.busy] == ["u2|"]
    assert date(2026, 11, 16) == store.entries[0].entry.day


def test_an_event_left_out_as_unreadable_keeps_what_an_earlier_import_took_from_it():
    # Given entries and busy time of a weekly series and of a meeting that is gone
    stored = [
        StoredEntry(row_id=1, batch_id=1, entry=entry("weekly|20261116T080000Z")),
        StoredEntry(row_id=2, batch_id=1, entry=entry("gone|")),
    ]
    store = FakeCalendarStore(
        entries=stored,
        busy=[
            StoredBusy(
                row_id=3,
                batch_id=1,
                busy=Busy(key="weekly|20261116T080000Z", start=MONDAY, end=MONDAY),
            )
        ],
    )
    unreadable = ReviewItem(
        line=12,
        uid="weekly",
        summary="Coaching",
        start=None,
        reason=Message("The event's RRULE cannot be read, so the event was not read."),
        not_read=True,
    )

    # When the series can no longer be read
    result = run(store, read(occurrence(uid="new"), review=[unreadable]))

    # Then it is listed, its rows are left alone, and only what is really gone is removed
    assert result.review == [unreadable]
    assert (result.summary.created, result.summary.removed) == (1, 1)
    assert [e.entry.key for e in store.entries] == ["weekly|20261116T080000Z", "new|"]
    assert [b.busy.key for b in store.busy] == ["weekly|20261116T080000Z", "new|"]
