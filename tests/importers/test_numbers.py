"""Amounts as exports write them, read exactly, and nothing else read at all."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krutt.importers.numbers import NotANumber, guess_decimal_mark, parse_amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,50", Decimal("1234.50")),
        ("1\u00a0234,50", Decimal("1234.50")),
        ("1\u202f234\u202f567,5", Decimal("1234567.5")),
        ("1.234,50", Decimal("1234.50")),
        ("1,234.50", Decimal("1234.50")),
        ("1234.5", Decimal("1234.5")),
        ("1234", Decimal("1234")),
        ("\u22121\u00a0234", Decimal("-1234")),
        ("1 234-", Decimal("-1234")),
        ("(1 234,00)", Decimal("-1234.00")),
        ("kr 1 234,-", Decimal("1234")),
        ("NOK 450 900,00", Decimal("450900.00")),
        ("1 234,50 kr", Decimal("1234.50")),
        ("1,5", Decimal("1.5")),
    ],
)
def test_amounts_in_norwegian_and_english_forms_are_read_exactly(text, expected):
    assert parse_amount(text) == expected


def test_a_lone_comma_is_a_thousands_separator_in_a_column_that_uses_a_decimal_point():
    assert parse_amount("1,234", decimal_mark=".") == Decimal("1234")
    assert parse_amount("1,234", decimal_mark=",") == Decimal("1.234")
    assert parse_amount("1.234", decimal_mark=",") == Decimal("1234")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "12 34",
        "1,2,3",
        "1.234.5",
        "1e5",
        "2,19E+10",
        "NaN",
        "=1+2",
        "1..2",
        "--5",
        "9" * 65,
    ],
)
def test_text_that_is_not_an_unambiguous_amount_is_refused(text):
    with pytest.raises(NotANumber):
        parse_amount(text)


def test_a_column_of_the_other_decimal_mark_is_refused_rather_than_guessed():
    with pytest.raises(NotANumber):
        parse_amount("1,234.50", decimal_mark=",")
    with pytest.raises(NotANumber):
        parse_amount("1234,5", decimal_mark=".")


def test_the_decimal_mark_is_learnt_from_values_that_show_it():
    assert guess_decimal_mark(["450 900,00", "1 700,00", "12"]) == ","
    assert guess_decimal_mark(["1,234.50", "17.5", "1,234"]) == "."
    assert guess_decimal_mark(["1,234", "2,000", "17"]) is None


GROUPS = ["", " ", "\u00a0", "\u202f", ".", ","]


@st.composite
def formatted_amounts(draw: st.DrawFn) -> tuple[str, str, Decimal]:
    """(text, decimal mark, value) for a Decimal written in one of the export styles."""
    mark = draw(st.sampled_from([",", "."]))
    group = draw(st.sampled_from([g for g in GROUPS if g != mark]))
    places = draw(st.integers(min_value=0, max_value=4))
    units = draw(st.integers(min_value=0, max_value=10**13))
    value = Decimal(units).scaleb(-places)
    whole, _, fraction = f"{abs(value):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", group) if group else whole
    text = grouped + (mark + fraction if fraction else "")
    if value < 0 or draw(st.booleans()):
        value = -value
        text = draw(st.sampled_from(["-{}", "\u2212{}", "{}-"])).format(text)
    return text, mark, value


@given(formatted_amounts())
def test_every_export_style_round_trips_when_the_decimal_mark_is_known(case):
    text, mark, value = case
    assert parse_amount(text, decimal_mark=mark) == value


@given(st.text(max_size=40), st.sampled_from([None, ",", "."]))
def test_any_text_gives_an_amount_or_not_a_number_and_nothing_else(text, mark):
    try:
        result = parse_amount(text, decimal_mark=mark)
    except NotANumber:
        return
    assert isinstance(result, Decimal)
    assert result.is_finite()
