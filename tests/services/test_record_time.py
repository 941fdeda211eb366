"""The one write path for time: every source's entry passes the same rule, audited, in one transaction."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from krutt.domain.activities import Activity
from krutt.domain.errors import InvalidInput
from krutt.domain.messages import render_plain
from krutt.domain.sellers import SellerId
from krutt.services.record_time import (
    MAX_ENTRY_MINUTES,
    Employment,
    Source,
    TimeRecord,
    admit,
    admit_calendar,
    delete_time,
    edit_time,
    record_time,
)
from tests.services.fakes import FakeTimeLog

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def employed(seller_id: int, started: date = date(2020, 1, 1), **overrides) -> Employment:
    values = {
        "seller_id": SellerId(seller_id),
        "name": f"Seller {seller_id}",
        "started_on": started,
        "ended_on": None,
        "on_team": True,
    }
    values.update(overrides)
    return Employment(**values)


TEAM = {
    SellerId(1): employed(1),
    SellerId(2): employed(2, started=date(2026, 12, 1)),
    SellerId(3): employed(3, ended_on=date(2026, 11, 10)),
    SellerId(4): employed(4, on_team=False),
}


def record(**overrides) -> TimeRecord:
    values = {
        "seller_ids": (SellerId(1),),
        "started_at": datetime(2026, 11, 17, 8, tzinfo=UTC),
        "minutes": 45,
        "activity": Activity.COACHING,
    }
    values.update(overrides)
    return TimeRecord(**values)


def _record(log: FakeTimeLog, **overrides):
    return record_time(log=log, record=record(**overrides), manager_id=7, zone=OSLO, now=NOW)


def test_an_entry_is_stored_once_per_seller_with_its_local_day_end_and_an_audit_row():
    log = FakeTimeLog(team=dict(TEAM))
    # 23:30 UTC on Sunday 15 November is Monday the 16th in Oslo.
    recorded = _record(
        log,
        seller_ids=(SellerId(1), SellerId(1)),
        started_at=datetime(2026, 11, 15, 23, 30, tzinfo=UTC),
        note="  Deal review  ",
        energy=4,
    )
    entry = log.entries[recorded.entry_id]
    assert entry.seller_ids == (SellerId(1),)
    assert entry.day == date(2026, 11, 16)
    assert entry.ended_at == datetime(2026, 11, 16, 0, 15, tzinfo=UTC)
    assert (entry.note, entry.energy, entry.minutes, entry.source) == (
        "Deal review",
        4,
        45,
        Source.MANUAL,
    )
    assert log.audits == [
        (
            "time_entry.create",
            recorded.entry_id,
            {
                "minutes": 45,
                "activity": "coaching",
                "day": "2026-11-16",
                "sellers": 1,
                "source": "manual",
            },
        )
    ]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"minutes": 0}, "Minutes must be between 1 and 1440."),
        ({"minutes": 1441}, "Minutes must be between 1 and 1440."),
        ({"energy": 6}, "Energy is rated from 1 (easy) to 5 (draining)."),
        ({"seller_ids": ()}, "Name at least one seller."),
        (
            {"started_at": datetime(2026, 11, 28, 12, tzinfo=UTC)},
            "Time can be logged when it has been spent, not more than a day ahead.",
        ),
        (
            {"seller_ids": (SellerId(2),)},
            "Seller 2 started 2026-12-01; time on 2026-11-17 cannot be logged for them.",
        ),
        (
            {"seller_ids": (SellerId(1), SellerId(3))},
            "Seller 3 left 2026-11-10; time on 2026-11-17 cannot be logged for them.",
        ),
        ({"seller_ids": (SellerId(4),)}, "Seller 4 is not on your team on 2026-11-17."),
        ({"seller_ids": (SellerId(9),)}, "No such seller in your organisation."),
    ],
)
def test_bad_entries_are_refused_with_a_reason_and_nothing_is_stored_or_audited(overrides, message):
    log = FakeTimeLog(team=dict(TEAM))
    with pytest.raises(InvalidInput) as error:
        _record(log, **overrides)
    assert render_plain(error.value.message) == message
    assert (log.entries, log.audits) == ({}, [])


def test_a_correction_keeps_the_source_and_audits_before_and_after():
    log = FakeTimeLog(team=dict(TEAM))
    first = record_time(
        log=log, record=record(), manager_id=7, zone=OSLO, now=NOW, source=Source.TIMER
    )
    edit_time(
        log=log,
        entry_id=first.entry_id,
        record=record(minutes=30, activity=Activity.ONE_ON_ONE),
        manager_id=7,
        zone=OSLO,
        now=NOW,
    )
    entry = log.entries[first.entry_id]
    assert (entry.minutes, entry.activity, entry.source) == (30, Activity.ONE_ON_ONE, Source.TIMER)
    action, entry_id, changes = log.audits[-1]
    assert (action, entry_id, changes["before"]["minutes"], changes["minutes"]) == (
        "time_entry.update",
        first.entry_id,
        45,
        30,
    )


def test_a_correction_under_the_rules_of_a_new_entry_changes_nothing_when_refused():
    log = FakeTimeLog(team=dict(TEAM))
    first = _record(log)
    with pytest.raises(InvalidInput):
        edit_time(
            log=log,
            entry_id=first.entry_id,
            record=record(seller_ids=(SellerId(2),)),
            manager_id=7,
            zone=OSLO,
            now=NOW,
        )
    assert log.entries[first.entry_id].seller_ids == (SellerId(1),)
    assert [a[0] for a in log.audits] == ["time_entry.create"]


def test_another_managers_entry_cannot_be_corrected_or_deleted():
    log = FakeTimeLog(team=dict(TEAM))
    first = _record(log)
    with pytest.raises(InvalidInput):
        delete_time(log=log, entry_id=first.entry_id, manager_id=8)
    with pytest.raises(InvalidInput):
        edit_time(
            log=log, entry_id=first.entry_id, record=record(), manager_id=8, zone=OSLO, now=NOW
        )
    assert list(log.entries) == [first.entry_id]


def test_a_deletion_is_audited_with_what_the_entry_was():
    log = FakeTimeLog(team=dict(TEAM))
    first = _record(log)
    delete_time(log=log, entry_id=first.entry_id, manager_id=7)
    assert log.entries == {}
    assert log.audits[-1][:2] == ("time_entry.delete", first.entry_id)
    assert log.audits[-1][2]["minutes"] == 45


def test_a_calendar_meeting_counts_for_the_sellers_on_the_team_and_lists_the_others():
    admitted = admit_calendar(
        [
            record(seller_ids=(SellerId(1), SellerId(2)), key="u1|"),
            record(seller_ids=(SellerId(2),), key="u2|"),
        ],
        manager_id=7,
        calendar="ingrid@x.no",
        zone=OSLO,
        employment=TEAM,
        now=NOW,
    )
    assert [(e.key, e.seller_ids, e.calendar) for e in admitted.entries] == [
        ("u1|", (SellerId(1),), "ingrid@x.no")
    ]
    assert [(r.key, render_plain(refusal.message)) for r, refusal in admitted.refused] == [
        ("u1|", "Seller 2 started 2026-12-01; the meeting on 2026-11-17 is not counted for them."),
        ("u2|", "Seller 2 started 2026-12-01; the meeting on 2026-11-17 is not counted for them."),
    ]


def test_a_calendar_meeting_ahead_is_kept_as_planned_time():
    ahead = NOW + timedelta(days=20)
    admission = admit(
        record(started_at=ahead),
        manager_id=7,
        source=Source.CALENDAR,
        zone=OSLO,
        employment=TEAM,
        now=NOW,
    )
    assert admission.entry is not None
    assert not admission.entry.happened_by(NOW)
    assert admission.entry.happened_by(ahead + timedelta(minutes=45))


@given(
    start=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
    ),
    minutes=st.integers(min_value=-10, max_value=MAX_ENTRY_MINUTES + 10),
    sellers=st.lists(st.integers(min_value=1, max_value=5), max_size=4),
)
def test_every_admitted_entry_obeys_the_rules(start, minutes, sellers):
    assume(sellers)
    assume(1 <= minutes <= MAX_ENTRY_MINUTES)
    admission = admit(
        record(started_at=start, minutes=minutes, seller_ids=tuple(SellerId(s) for s in sellers)),
        manager_id=7,
        source=Source.CALENDAR,
        zone=OSLO,
        employment=TEAM,
        now=NOW,
    )
    day = start.astimezone(OSLO).date()
    refused = {r.seller_id for r in admission.refused}
    kept = set(admission.entry.seller_ids) if admission.entry else set()
    # Every seller is either counted or listed, never both, never lost.
    assert kept | refused == {SellerId(s) for s in sellers}
    assert not kept & refused
    for seller_id in kept:
        employment = TEAM[seller_id]
        assert employment.on_team and employment.started_on <= day
        assert employment.ended_on is None or day <= employment.ended_on
    if admission.entry is not None:
        assert admission.entry.day == day
        assert admission.entry.ended_at - admission.entry.started_at == timedelta(minutes=minutes)
