"""The segment rule: tenure first, then attainment over the window, with hysteresis and overrides."""

from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from krutt.domain.messages import render_plain
from krutt.domain.months import Month
from krutt.domain.segmentation import (
    SegmentOverride,
    Source,
    assess_segment,
    measure_attainment,
    segment_history,
)
from krutt.domain.segments import Segment
from tests.builders import make_profile, make_rules, monthly, steady_results

RULES = make_rules()


def test_a_seller_is_new_for_the_whole_ramp_period_whatever_they_sell():
    profile = make_profile(started_on=date(2026, 9, 1))
    results = steady_results("2026-09", "2027-02", attainment="2")
    for day in (date(2026, 9, 1), date(2026, 11, 2), date(2027, 2, 28)):
        assessed = assess_segment(profile=profile, results=results, rules=RULES, on=day)
        assert assessed.segment is Segment.NEW
    assert (
        render_plain(assessed.reason)
        == "New seller: started 2026-09-01, ramp period until 2027-03-01."
    )


def test_after_the_ramp_the_numbers_decide_at_once_without_hysteresis():
    profile = make_profile(started_on=date(2026, 9, 1))
    results = steady_results("2026-09", "2027-02", attainment="0.5")
    assessed = assess_segment(profile=profile, results=results, rules=RULES, on=date(2027, 3, 1))
    assert assessed.segment is Segment.UNDER
    assert assessed.attainment == Fraction(1, 2)
    assert assessed.months_of_data == 6
    assert render_plain(assessed.reason) == "Attainment 50% over 6 months (below 70%)."


def test_attainment_is_total_actual_over_total_target_of_the_six_months_before():
    results = monthly(
        {
            "2026-04": (100, 1000),  # outside the window for November
            "2026-05": (100, 120),
            "2026-06": (200, 180),
            "2026-07": (None, 500),  # no target: does not count
            "2026-08": (100, None),  # no actual reported yet: does not count
            "2026-09": (100, 100),
            "2026-10": (100, 90),
            "2026-11": (100, 5000),  # the current month is never in the window
        }
    )
    attainment = measure_attainment(
        {r.month: r for r in results}, before=Month(2026, 11), rules=RULES
    )
    assert attainment is not None
    assert attainment.value == Fraction(120 + 180 + 100 + 90, 100 + 200 + 100 + 100)
    assert attainment.months == 4


def test_thresholds_are_inclusive_for_top_and_exclusive_for_under():
    profile = make_profile()
    at_top = assess_segment(
        profile=profile,
        results=steady_results("2026-05", "2026-10", attainment="1"),
        rules=RULES,
        on=date(2026, 11, 2),
    )
    at_line = assess_segment(
        profile=profile,
        results=steady_results("2026-05", "2026-10", attainment="0.7"),
        rules=RULES,
        on=date(2026, 11, 2),
    )
    assert at_top.segment is Segment.TOP
    assert at_line.segment is Segment.CORE


def test_a_low_attainment_needs_three_months_before_it_means_not_delivering():
    profile = make_profile()
    two_months = steady_results("2026-09", "2026-10", attainment="0.4")
    assessed = assess_segment(
        profile=profile, results=two_months, rules=RULES, on=date(2026, 11, 2)
    )
    assert assessed.segment is Segment.CORE
    assert render_plain(assessed.reason) == (
        "Attainment 40% over only 2 months; 3 months are needed before a seller counts as not delivering."
    )


def test_a_seller_without_data_past_the_ramp_is_core_and_says_so():
    assessed = assess_segment(profile=make_profile(), results=[], rules=RULES, on=date(2026, 11, 2))
    assert assessed.segment is Segment.CORE
    assert assessed.attainment is None
    assert (
        render_plain(assessed.reason)
        == "No performance data (a target and an actual) in the last 6 complete months."
    )


def test_targets_without_actuals_never_make_a_seller_under():
    results = monthly(
        dict.fromkeys(
            ("2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"), (100000, None)
        )
    )
    assessed = assess_segment(
        profile=make_profile(), results=results, rules=RULES, on=date(2026, 11, 2)
    )
    assert assessed.segment is Segment.CORE
    assert assessed.attainment is None


def _one_month_window(**overrides):
    # A one-month window makes each monthly evaluation read exactly the month before it.
    return make_rules(window_months=1, min_months_for_under=1, **overrides)


def test_one_bad_month_does_not_move_a_top_seller():
    rules = _one_month_window()
    results = steady_results("2025-01", "2026-08", attainment="1.2") + steady_results(
        "2026-09", "2026-09", attainment="0.5"
    )
    assessed = assess_segment(
        profile=make_profile(), results=results, rules=rules, on=date(2026, 10, 5)
    )
    assert assessed.segment is Segment.TOP
    assert render_plain(assessed.reason) == (
        "Attainment 50% over 1 month points to Not delivering; "
        "stays Top performers until that holds for 2 months in a row."
    )


def test_two_bad_months_in_a_row_move_a_top_seller_and_the_reason_says_so():
    rules = _one_month_window()
    results = steady_results("2025-01", "2026-08", attainment="1.2") + steady_results(
        "2026-09", "2026-10", attainment="0.5"
    )
    assessed = assess_segment(
        profile=make_profile(), results=results, rules=rules, on=date(2026, 11, 5)
    )
    assert assessed.segment is Segment.UNDER
    assert assessed.valid_from == date(2026, 11, 1)
    assert (
        render_plain(assessed.reason)
        == "Attainment 50% over 1 month: Not delivering for 2 months in a row."
    )


def test_alternating_months_never_flip_the_segment():
    rules = _one_month_window()
    results = steady_results("2025-01", "2025-12", attainment="1.1")
    for i, month in enumerate(["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]):
        results += steady_results(month, month, attainment="0.8" if i % 2 == 0 else "1.1")
    history = segment_history(
        profile=make_profile(), results=results, rules=rules, through=date(2026, 7, 31)
    )
    assert {a.segment for a in history if a.valid_from >= date(2025, 2, 1)} == {Segment.TOP}


def test_hysteresis_length_is_configurable():
    rules = _one_month_window(hysteresis_months=1)
    results = steady_results("2025-01", "2026-08", attainment="1.2") + steady_results(
        "2026-09", "2026-09", attainment="0.9"
    )
    assessed = assess_segment(
        profile=make_profile(), results=results, rules=rules, on=date(2026, 10, 5)
    )
    assert assessed.segment is Segment.CORE


def test_an_override_beats_the_rule_until_it_expires():
    results = steady_results("2025-01", "2026-12", attainment="0.5")
    override = SegmentOverride(
        segment=Segment.CORE,
        reason="Back from parental leave",
        starts_on=date(2026, 10, 10),
        expires_on=date(2026, 12, 1),
    )
    during = assess_segment(
        profile=make_profile(),
        results=results,
        overrides=[override],
        rules=RULES,
        on=date(2026, 11, 2),
    )
    after = assess_segment(
        profile=make_profile(),
        results=results,
        overrides=[override],
        rules=RULES,
        on=date(2026, 12, 1),
    )
    before = assess_segment(
        profile=make_profile(),
        results=results,
        overrides=[override],
        rules=RULES,
        on=date(2026, 10, 9),
    )
    assert (during.segment, during.source) == (Segment.CORE, Source.OVERRIDE)
    assert (
        render_plain(during.reason)
        == "Set by the manager until 2026-12-01: Back from parental leave"
    )
    assert during.attainment == Fraction(1, 2)
    assert (after.segment, after.source) == (Segment.UNDER, Source.RULE)
    assert (before.segment, before.source) == (Segment.UNDER, Source.RULE)


def test_the_latest_override_wins_when_two_are_active():
    older = SegmentOverride(segment=Segment.CORE, reason="a", starts_on=date(2026, 1, 1))
    newer = SegmentOverride(segment=Segment.TOP, reason="b", starts_on=date(2026, 6, 1))
    assessed = assess_segment(
        profile=make_profile(),
        results=[],
        overrides=[newer, older],
        rules=RULES,
        on=date(2026, 11, 2),
    )
    assert assessed.segment is Segment.TOP


def test_history_records_each_change_with_the_day_it_began():
    profile = make_profile(started_on=date(2026, 1, 1))
    results = steady_results("2026-01", "2026-12", attainment="1.3")
    history = segment_history(
        profile=profile, results=results, rules=RULES, through=date(2026, 9, 15)
    )
    changes = [h for i, h in enumerate(history) if i == 0 or history[i - 1].segment != h.segment]
    assert [(a.valid_from, a.segment) for a in changes] == [
        (date(2026, 1, 1), Segment.NEW),
        (date(2026, 7, 1), Segment.TOP),
    ]


def test_a_new_seller_shows_their_attainment_so_far_but_stays_new():
    profile = make_profile(started_on=date(2026, 9, 1))
    results = steady_results("2026-09", "2026-10", attainment="0.4")
    assessed = assess_segment(profile=profile, results=results, rules=RULES, on=date(2026, 11, 2))
    assert assessed.segment is Segment.NEW
    assert (assessed.attainment, assessed.months_of_data) == (Fraction(2, 5), 2)
    first_day = assess_segment(profile=profile, results=results, rules=RULES, on=date(2026, 9, 1))
    assert (first_day.attainment, first_day.months_of_data) == (None, 0)


# --- invariants -------------------------------------------------------------------------------

attainments = st.sampled_from(["0", "0.3", "0.69", "0.7", "0.85", "0.99", "1", "1.4", None])


@st.composite
def sellers_with_numbers(draw):
    started = draw(st.dates(min_value=date(2022, 1, 1), max_value=date(2026, 10, 1)))
    months = draw(st.lists(attainments, min_size=0, max_size=30))
    first = Month(2024, 1)
    results = []
    for i, value in enumerate(months):
        if value is not None:
            results += steady_results(str(first.plus(i)), str(first.plus(i)), attainment=value)
    overrides = []
    if draw(st.booleans()):
        starts = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 1)))
        expires = draw(
            st.one_of(st.none(), st.just(starts + timedelta(days=draw(st.integers(1, 200)))))
        )
        overrides.append(
            SegmentOverride(
                segment=draw(st.sampled_from(list(Segment))),
                reason="x",
                starts_on=starts,
                expires_on=expires,
            )
        )
    rules = make_rules(hysteresis_months=draw(st.integers(1, 3)))
    return make_profile(started_on=started), results, overrides, rules


@given(sellers_with_numbers(), st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 6, 1)))
def test_a_past_day_keeps_its_segment_however_much_later_history_is_computed(seller, day):
    profile, results, overrides, rules = seller
    short = segment_history(
        profile=profile, results=results, overrides=overrides, rules=rules, through=day
    )
    long = segment_history(
        profile=profile,
        results=results,
        overrides=overrides,
        rules=rules,
        through=day + timedelta(days=400),
    )
    assert [a for a in long if a.valid_from <= day] == short


@given(sellers_with_numbers(), st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 6, 1)))
def test_history_days_increase_and_its_last_entry_is_the_segment_of_the_day(seller, day):
    profile, results, overrides, rules = seller
    history = segment_history(
        profile=profile, results=results, overrides=overrides, rules=rules, through=day
    )
    if day < profile.started_on:
        assert history == []
        return
    days = [a.valid_from for a in history]
    assert days == sorted(set(days))
    assert history[-1] == assess_segment(
        profile=profile, results=results, overrides=overrides, rules=rules, on=day
    )
    # New exactly during the ramp, unless the manager overrode it.
    last = history[-1]
    if last.source is Source.RULE:
        assert (last.segment is Segment.NEW) == (day < date(*_ramp_end(profile.started_on)))


def _ramp_end(started):
    from krutt.domain.months import add_months

    end = add_months(started, 6)
    return end.year, end.month, end.day
