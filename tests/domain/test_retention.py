"""Retention periods in whole months, and the § 9-2 notice's state."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from krutt.domain.measurement import Notice, NoticeState, measurement_announced, notice_state
from krutt.domain.retention import kept_from

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


def test_a_year_back_from_a_leap_day_is_the_last_of_february():
    assert kept_from(date(2028, 2, 29), 12) == date(2027, 2, 28)
    assert kept_from(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert kept_from(date(2026, 1, 15), 13) == date(2024, 12, 15)


@given(today=days, months=st.integers(min_value=0, max_value=120))
def test_the_kept_period_is_between_the_months_counted_short_and_long(today, months):
    start = kept_from(today, months)
    assert start <= today
    assert today - start <= timedelta(days=31 * months)
    assert today - start >= timedelta(days=28 * months)


@given(today=days, months=st.integers(min_value=0, max_value=119))
def test_keeping_a_month_longer_never_keeps_less(today, months):
    assert kept_from(today, months + 1) < kept_from(today, months)


@given(today=days, informed=days, discussed=days)
def test_a_notice_dated_after_today_is_no_notice(today, informed, discussed):
    assume(informed > today or discussed > today)
    notice = Notice(informed_on=informed, discussed_on=discussed)
    state = notice_state(notice, today=today, review_from=kept_from(today, 12))
    assert state is NoticeState.MISSING
    assert not measurement_announced(state)


def test_a_notice_over_a_year_old_asks_for_review_and_still_lets_measurement_run():
    today = date(2026, 12, 2)
    old = Notice(informed_on=date(2025, 12, 1), discussed_on=date(2025, 11, 20))
    state = notice_state(old, today=today, review_from=kept_from(today, 12))
    assert state is NoticeState.REVIEW_DUE
    assert measurement_announced(state)
    fresh = Notice(informed_on=date(2025, 12, 2), discussed_on=date(2025, 11, 20))
    assert notice_state(fresh, today=today, review_from=kept_from(today, 12)) is (
        NoticeState.CURRENT
    )


def test_a_notice_whose_end_has_passed_stops_measurement():
    today = date(2026, 12, 2)
    ended = Notice(
        informed_on=date(2026, 1, 5), discussed_on=date(2026, 1, 2), until=date(2026, 12, 1)
    )
    state = notice_state(ended, today=today, review_from=kept_from(today, 12))
    assert state is NoticeState.ENDED
    assert not measurement_announced(state)
    assert notice_state(None, today=today, review_from=today) is NoticeState.MISSING
