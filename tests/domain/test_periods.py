from datetime import date

import pytest

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import render_plain
from krutt.domain.periods import Period, calendar_month, iso_week, iso_week_label, parse_day


def test_an_iso_week_runs_monday_to_sunday():
    assert iso_week("2026-W47") == Period(first=date(2026, 11, 16), last=date(2026, 11, 22))
    # ISO week 1 of 2027 starts on Monday 4 January; week 53 of 2026 holds New Year's Day.
    assert iso_week("2027-W01").first == date(2027, 1, 4)
    assert iso_week("2026-W53") == Period(first=date(2026, 12, 28), last=date(2027, 1, 3))
    assert iso_week_label(date(2027, 1, 1)) == "2026-W53"


def test_a_week_that_does_not_exist_is_refused():
    with pytest.raises(InvalidInput) as error:
        iso_week("2025-W53")
    assert render_plain(error.value.message) == "2025 has no week 53."


def test_a_calendar_month_covers_all_its_days():
    assert calendar_month("2026-02") == Period(first=date(2026, 2, 1), last=date(2026, 2, 28))


def test_an_impossible_date_is_a_readable_error():
    with pytest.raises(InvalidInput) as error:
        parse_day("2026-02-30")
    assert render_plain(error.value.message) == "2026-02-30 is not a valid date (YYYY-MM-DD)."


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(InvalidInput):
        Period(first=date(2026, 11, 22), last=date(2026, 11, 16))
