"""Days as exports write them: ISO, Norwegian day-first, US month-first, Excel serials."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krutt.importers.dates import (
    NotADate,
    day_from_serial,
    guess_month_first,
    parse_day,
    parse_local_datetime,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-31", date(2026, 12, 31)),
        ("2026-01-26 12:00", date(2026, 1, 26)),
        ("2026-01-26T15:04:05Z", date(2026, 1, 26)),
        ("2026-01-26T15:04:05.123+01:00", date(2026, 1, 26)),
        ("31.12.2026", date(2026, 12, 31)),
        ("3.2.2026", date(2026, 2, 3)),
        ("03.02.2026 14:05", date(2026, 2, 3)),
        ("31/12/2026", date(2026, 12, 31)),
    ],
)
def test_days_in_iso_and_norwegian_forms_are_read(text, expected):
    assert parse_day(text) == expected


def test_a_month_first_column_reads_slash_dates_the_us_way_with_the_clock():
    assert parse_local_datetime("12/31/2026 2:05 PM", month_first=True) == datetime(
        2026, 12, 31, 14, 5
    )
    assert parse_local_datetime("1/2/2026 12:30 AM", month_first=True) == datetime(
        2026, 1, 2, 0, 30
    )
    # Dots are always day-first: no export writes month.day.year.
    assert parse_day("1.2.2026", month_first=True) == date(2026, 2, 1)


@pytest.mark.parametrize(
    "text", ["", "2026-13-01", "31.02.2026", "yesterday", "2026/01/02", "26.01.26"]
)
def test_text_that_is_not_a_real_day_is_refused(text):
    with pytest.raises(NotADate):
        parse_day(text)


def test_a_slash_column_is_month_first_only_when_its_values_prove_it():
    assert guess_month_first(["12/31/2026", "1/2/2026"]) is True
    assert guess_month_first(["31/12/2026", "12/31/2026"]) is False
    assert guess_month_first(["1/2/2026", "2026-01-02"]) is False


def test_excel_serials_count_days_from_the_end_of_1899():
    assert day_from_serial(46048) == date(2026, 1, 26)
    assert day_from_serial(46048.75) == date(2026, 1, 26)
    with pytest.raises(NotADate):
        day_from_serial(0)


STYLES = [
    "{d:%Y-%m-%d}",
    "{d:%d.%m.%Y}",
    "{d.day}.{d.month}.{d:%Y}",
    "{d:%Y-%m-%d} {d:%H:%M}",
    "{d:%Y-%m-%dT%H:%M:%S}",
    "{d:%d.%m.%Y %H:%M:%S}",
    "{d:%d/%m/%Y}",
]


@given(
    st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)),
    st.sampled_from(STYLES),
)
def test_every_written_form_gives_back_its_day(moment, style):
    assert parse_day(style.format(d=moment)) == moment.date()


@given(st.text(max_size=30), st.booleans())
def test_any_text_gives_a_date_or_not_a_date_and_nothing_else(text, month_first):
    try:
        result = parse_day(text, month_first=month_first)
    except NotADate:
        return
    assert isinstance(result, date)
