"""When a connected calendar syncs next: its schedule, or a backoff after failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from krutt.domain.sync_schedule import full_sync_due, is_stale, next_sync_at

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_after_a_success_the_next_sync_is_on_schedule() -> None:
    assert next_sync_at(now=NOW, every_minutes=60, failures=0) == NOW + timedelta(minutes=60)


def test_failures_back_off_5_10_20_minutes() -> None:
    waits = [next_sync_at(now=NOW, every_minutes=60, failures=n) - NOW for n in (1, 2, 3, 4)]
    assert waits == [timedelta(minutes=m) for m in (5, 10, 20, 40)]


def test_the_backoff_stops_at_six_hours_or_the_schedule() -> None:
    assert next_sync_at(now=NOW, every_minutes=60, failures=30) == NOW + timedelta(hours=6)
    assert next_sync_at(now=NOW, every_minutes=1440, failures=30) == NOW + timedelta(days=1)


def test_a_server_asking_to_wait_is_honoured() -> None:
    assert next_sync_at(
        now=NOW, every_minutes=60, failures=1, retry_after_seconds=900
    ) == NOW + timedelta(minutes=15)


@given(
    every=st.integers(min_value=5, max_value=7 * 24 * 60),
    failures=st.integers(min_value=1, max_value=100),
)
def test_more_failures_never_mean_an_earlier_retry(every: int, failures: int) -> None:
    assume(failures < 100)
    sooner = next_sync_at(now=NOW, every_minutes=every, failures=failures)
    later = next_sync_at(now=NOW, every_minutes=every, failures=failures + 1)
    assert NOW + timedelta(minutes=5) <= sooner <= later
    assert later <= NOW + timedelta(minutes=max(every, 360))


def test_a_day_without_a_successful_sync_is_stale() -> None:
    created = NOW - timedelta(days=3)
    assert is_stale(now=NOW, last_success_at=NOW - timedelta(hours=25), created_at=created)
    assert not is_stale(now=NOW, last_success_at=NOW - timedelta(hours=23), created_at=created)
    assert is_stale(now=NOW, last_success_at=None, created_at=created)


def test_a_crm_is_read_in_full_at_first_and_again_a_week_after_the_last_full_read() -> None:
    last = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)

    assert full_sync_due(now=last, last_full_at=None)
    assert not full_sync_due(now=last + timedelta(days=6, hours=23), last_full_at=last)
    assert full_sync_due(now=last + timedelta(days=7), last_full_at=last)
