from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krutt.domain.months import Month, add_months, months_from, whole_months_between


def test_a_month_reads_and_writes_as_yyyy_mm():
    assert Month.parse("2026-11") == Month(2026, 11)
    assert str(Month(2026, 3)) == "2026-03"


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "26-11", "2026/11", "", "november"])
def test_a_malformed_month_is_refused(text):
    with pytest.raises(ValueError):
        Month.parse(text)


def test_month_arithmetic_crosses_years():
    assert Month(2026, 11).plus(3) == Month(2027, 2)
    assert Month(2026, 1).plus(-1) == Month(2025, 12)
    assert Month(2024, 2).last_day() == date(2024, 2, 29)
    assert months_from(Month(2026, 11), Month(2027, 1)) == [
        Month(2026, 11),
        Month(2026, 12),
        Month(2027, 1),
    ]


def test_adding_months_clamps_to_the_end_of_a_short_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_tenure_counts_completed_months_only():
    started = date(2026, 9, 1)
    assert whole_months_between(started, date(2026, 11, 2)) == 2
    assert whole_months_between(started, date(2027, 2, 28)) == 5
    assert whole_months_between(started, date(2027, 3, 1)) == 6
    assert whole_months_between(date(2026, 1, 31), date(2026, 2, 28)) == 1
    assert whole_months_between(started, date(2026, 8, 1)) == 0


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1)), st.integers(0, 400))
def test_tenure_after_adding_n_months_is_n(start, months):
    assert whole_months_between(start, add_months(start, months)) == months
