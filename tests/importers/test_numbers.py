"""Amounts as exports write them, read exactly, and nothing else read at all."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krutt.importers.numbers import (
    AmbiguousAmount,
    NotANumber,
    guess_decimal_mark,
    parse_amount,
)


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


def test_a_lone_separator_before_three_digits_groups_thousands_where_the_other_is_the_mark():
    assert parse_amount("1,234", decimal_mark=".") == Decimal("1234")
    assert parse_amount("250,000", decimal_mark=".") == Decimal("250000")
    assert parse_amount("1.234", decimal_mark=",") == Decimal("1234")
    assert parse_amount("12.500-", decimal_mark=",") == Decimal("-12500")
    assert parse_amount("\u22121.234", decimal_mark=",") == Decimal("-1234")


@pytest.mark.parametrize("mark", [None, ",", "."])
@pytest.mark.parametrize(
    "text",
    ["1.234", "250.000", "-1.234", "1.234-", "(12.500)", "kr 1.234", "1,234", "\u2212250,000"],
)
def test_a_lone_separator_before_three_digits_is_ambiguous_unless_the_column_says(text, mark):
    """Money has no third decimal, but 1.234 may still be 1234 or 1,234: refused, not guessed."""
    separator = "," if "," in text else "."
    if mark is not None and mark != separator:
        return  # the column says: read above
    with pytest.raises(AmbiguousAmount):
        parse_amount(text, decimal_mark=mark)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234.567", Decimal("1234567")),
        ("1,234,567", Decimal("1234567")),
        ("-1.234.567", Decimal("-1234567")),
        ("1.234.567-", Decimal("-1234567")),
        ("0.125", Decimal("0.125")),
        ("0,125", Decimal("0.125")),
        ("1234.567", Decimal("1234.567")),
        ("1 234,567", Decimal("1234.567")),
        ("1,5", Decimal("1.5")),
        ("12.50", Decimal("12.50")),
        ("1.2345", Decimal("1.2345")),
    ],
)
def test_three_digits_after_a_separator_that_can_only_be_read_one_way_are_read(text, expected):
    assert parse_amount(text) == expected


def test_a_leading_zero_never_starts_a_thousands_group():
    with pytest.raises(NotANumber) as refused:
        parse_amount("0.125", decimal_mark=",")
    assert not isinstance(refused.value, AmbiguousAmount)
    with pytest.raises(NotANumber):
        parse_amount("0,500", decimal_mark=".")


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
    assert guess_decimal_mark(["1.234.567", "1,5"]) == ","
    assert guess_decimal_mark(["1,234,567", "2,000"]) == "."
    assert guess_decimal_mark(["12.50", "1.234"]) == "."


@pytest.mark.parametrize(
    ("column", "mark"),
    [
        (["250.000", "1.234", "12.500", "17"], ","),  # SuperOffice: dots group thousands
        (["250,000", "1,234", "3100"], "."),  # HubSpot: commas group thousands
        (["-1.234", "12.500-", "(2.000)", "kr 4.000"], ","),
        (["\u22121,234", "1,234-"], "."),
    ],
)
def test_a_column_whose_separators_all_stand_before_groups_of_three_groups_thousands(column, mark):
    assert guess_decimal_mark(column) == mark


@pytest.mark.parametrize(
    "column",
    [
        ["1,234", "1.234"],  # one of each: either could be the mark
        ["1,5", "2.5"],  # as many of each
        ["\u22121 234", "1234-", "17"],  # no separator at all
        ["0.125", "1234.567"],  # three decimals that cannot be thousands prove nothing
        ["two million", "=1+2", ""],
    ],
)
def test_a_column_that_does_not_show_its_mark_stays_undecided(column):
    assert guess_decimal_mark(column) is None


def test_values_of_an_undecided_column_that_could_be_either_are_refused_one_by_one():
    column = ["1,234", "1.234", "1,5", "2.5", "17"]
    mark = guess_decimal_mark(column)
    read: list[Decimal | str] = []
    for text in column:
        try:
            read.append(parse_amount(text, decimal_mark=mark))
        except AmbiguousAmount:
            read.append("ambiguous")
    assert (mark, read) == (
        None,
        ["ambiguous", "ambiguous", Decimal("1.5"), Decimal("2.5"), Decimal("17")],
    )


GROUPS = ["", " ", "\u00a0", "\u202f", ".", ","]
SIGNS = ["-{}", "\u2212{}", "{}-"]


@st.composite
def formatted_amounts(
    draw: st.DrawFn, places: st.SearchStrategy[int] | None = None
) -> tuple[str, str, Decimal]:
    """(text, decimal mark, value) for a Decimal written in one of the export styles."""
    mark = draw(st.sampled_from([",", "."]))
    group = draw(st.sampled_from([g for g in GROUPS if g != mark]))
    return draw(amounts_in(mark, group, places))


@st.composite
def amounts_in(
    draw: st.DrawFn, mark: str, group: str, places: st.SearchStrategy[int] | None = None
) -> tuple[str, str, Decimal]:
    """(text, mark, value) for a Decimal written with this decimal mark and thousands group."""
    shift = draw(places if places is not None else st.sampled_from([0, 1, 2, 4]))
    units = draw(st.integers(min_value=0, max_value=10**13))
    value = Decimal(units).scaleb(-shift)
    whole, _, fraction = f"{abs(value):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", group) if group else whole
    text = grouped + (mark + fraction if fraction else "")
    if value < 0 or draw(st.booleans()):
        value = -value
        text = draw(st.sampled_from(SIGNS)).format(text)
    return text, mark, value


@given(formatted_amounts())
def test_every_export_style_round_trips_when_the_decimal_mark_is_known(case):
    text, mark, value = case
    assert parse_amount(text, decimal_mark=mark) == value


@given(formatted_amounts(places=st.just(3)), st.booleans())
def test_three_decimals_are_read_exactly_or_refused_as_ambiguous_never_misread(case, known):
    text, mark, value = case
    whole = int(abs(value))
    try:
        result = parse_amount(text, decimal_mark=mark if known else None)
    except AmbiguousAmount:
        # Only a short whole part can pass for the first group of thousands.
        assert 1 <= whole <= 999
        return
    assert result == value
    assert not 1 <= whole <= 999


@st.composite
def columns(draw: st.DrawFn) -> tuple[str, list[tuple[str, str, Decimal]]]:
    """A column of amounts as one export writes them: one decimal mark, one thousands group."""
    mark = draw(st.sampled_from([",", "."]))
    group = draw(st.sampled_from([g for g in GROUPS if g != mark]))
    places = st.sampled_from([0, 0, 2]) if draw(st.booleans()) else st.just(0)
    cells = draw(st.lists(amounts_in(mark, group, places), min_size=1, max_size=12))
    return mark, cells


@given(columns())
def test_a_column_is_never_given_the_wrong_decimal_mark_and_then_reads_exactly(column):
    mark, cells = column
    guessed = guess_decimal_mark(text for text, _, _ in cells)
    assert guessed in (mark, None)
    for text, _, value in cells:
        assert parse_amount(text, decimal_mark=guessed) == value


@given(
    st.sampled_from([",", "."]),
    st.lists(st.integers(min_value=1000, max_value=10**12), min_size=1, max_size=12),
    st.lists(st.integers(min_value=0, max_value=999), max_size=4),
)
def test_whole_amounts_grouped_in_thousands_are_read_whole(separator, grouped, small):
    """SuperOffice's 250.000 and HubSpot's 250,000: the column proves the separator groups."""
    cells = [f"{n:,}".replace(",", separator) for n in grouped] + [str(n) for n in small]

    mark = guess_decimal_mark(cells)

    assert mark == ("." if separator == "," else ",")
    assert [parse_amount(text, decimal_mark=mark) for text in cells] == [
        Decimal(n) for n in grouped + small
    ]


@given(st.text(max_size=40), st.sampled_from([None, ",", "."]))
def test_any_text_gives_an_amount_or_not_a_number_and_nothing_else(text, mark):
    try:
        result = parse_amount(text, decimal_mark=mark)
    except NotANumber:
        return
    assert isinstance(result, Decimal)
    assert result.is_finite()


@given(st.lists(st.text(max_size=20), max_size=10))
def test_any_column_gives_a_mark_or_none(column):
    assert guess_decimal_mark(column) in (",", ".", None)
