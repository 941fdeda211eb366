"""The support ledger: a plan, the support given, the response, and the manager's decision."""

from datetime import date
from fractions import Fraction
from typing import TypeVar

import pytest

from krutt.domain.activities import Activity
from krutt.domain.errors import InvalidInput
from krutt.domain.messages import render_plain
from krutt.domain.months import Month
from krutt.domain.response import Response, ResponseRule, check_response, first_full_month
from krutt.domain.sellers import MonthlyResult, SellerId
from krutt.domain.support import (
    Decision,
    EntrySource,
    ManagerDecision,
    SupportAction,
    SupportCriteria,
    SupportEntry,
    SupportKind,
    SupportPlan,
    SupportState,
    evaluate_support,
    record_decision,
    support_entry_from_time,
)
from tests.builders import monthly

T = TypeVar("T")
SELLER = SellerId(7)
PLAN = SupportPlan(
    seller_id=SELLER,
    goal="Back to 70 % attainment by summer",
    started_on=date(2026, 3, 1),
    review_on=date(2026, 6, 1),
    actions=(
        SupportAction(kind=SupportKind.COACHING, description="Weekly call review", minutes=6 * 60),
        SupportAction(kind=SupportKind.TRAINING, description="Negotiation course", minutes=4 * 60),
    ),
)
BEFORE = {"2025-12": (100_000, 52_000), "2026-01": (100_000, 52_000), "2026-02": (100_000, 52_000)}
EIGHT_HOURS = [
    SupportEntry(day=date(2026, 3, 10), kind=SupportKind.COACHING, minutes=300),
    SupportEntry(
        day=date(2026, 4, 20), kind=SupportKind.TRAINING, minutes=180, source=EntrySource.TIME_ENTRY
    ),
    SupportEntry(
        day=date(2026, 4, 21), kind=SupportKind.MENTOR, minutes=600
    ),  # mentoring does not count
]


def present(value: T | None) -> T:
    assert value is not None
    return value


def results(since: int) -> list[MonthlyResult]:
    after = dict.fromkeys(("2026-03", "2026-04", "2026-05"), (100000, since))
    return monthly({**BEFORE, **after})


def test_a_seller_without_a_plan_needs_one_first() -> None:
    status = evaluate_support(seller_id=SELLER, plan=None, on=date(2026, 6, 10))
    assert status.state is SupportState.NEEDS_PLAN
    assert render_plain(status.explanation) == (
        "No support plan yet, so the 5–10 % rule does not apply to this seller yet."
    )
    assert render_plain(present(status.suggestion)) == (
        "Agree a written support plan: a goal, actions with hours, and a review date."
    )


def test_attainment_rising_from_52_to_71_percent_is_a_response() -> None:
    status = evaluate_support(
        seller_id=SELLER, plan=PLAN, results=results(71_000), on=date(2026, 6, 10)
    )
    assert status.state is SupportState.RESPONDED
    assert render_plain(status.explanation) == "From 52% to 71%: responding."
    assert (present(status.response).before, present(status.response).since) == (
        Fraction(52, 100),
        Fraction(71, 100),
    )
    assert (present(status.response).months_before, present(status.response).months_since) == (3, 3)
    assert status.suggestion is None


def test_a_gain_of_ten_points_responds_even_below_the_line() -> None:
    status = evaluate_support(
        seller_id=SELLER, plan=PLAN, results=results(62_000), on=date(2026, 6, 10)
    )
    assert (status.state, render_plain(status.explanation)) == (
        SupportState.RESPONDED,
        "From 52% to 62%: responding.",
    )


def test_sufficient_support_without_response_suggests_a_transition_conversation() -> None:
    status = evaluate_support(
        seller_id=SELLER,
        plan=PLAN,
        entries=EIGHT_HOURS,
        results=results(55_000),
        on=date(2026, 6, 10),
    )
    assert status.state is SupportState.NOT_RESPONDING
    assert status.awaiting_decision
    assert render_plain(status.explanation) == "From 52% to 55%: not responding."
    assert render_plain(present(status.sufficiency).message) == (
        "Sufficient support: a written plan, 101 days (at least 90) and 8.0 h of coaching and "
        "training (at least 8.0 h)."
    )
    assert render_plain(present(status.suggestion)) == (
        "Support has been sufficient and the numbers have not followed: consider a career or "
        "transition conversation. The decision is yours."
    )
    assert PLAN.planned == {SupportKind.COACHING: 360, SupportKind.TRAINING: 240}
    assert status.delivered == {
        SupportKind.COACHING: 300,
        SupportKind.TRAINING: 180,
        SupportKind.MENTOR: 600,
    }


def test_no_response_before_the_support_is_sufficient_stays_in_support() -> None:
    status = evaluate_support(
        seller_id=SELLER,
        plan=PLAN,
        entries=EIGHT_HOURS[:1],
        results=results(55_000),
        on=date(2026, 6, 10),
    )
    assert status.state is SupportState.IN_SUPPORT
    assert render_plain(status.explanation) == (
        "Not yet sufficient: 101 days (at least 90) and 5.0 h of coaching and training (at least 8.0 h)."
    )
    assert status.suggestion is None


def test_too_early_to_judge_with_fewer_than_two_full_months() -> None:
    status = evaluate_support(
        seller_id=SELLER, plan=PLAN, results=results(71_000), on=date(2026, 4, 20)
    )
    assert status.state is SupportState.IN_SUPPORT
    assert present(status.response).response is Response.TOO_EARLY
    assert render_plain(status.explanation) == (
        "Too early to judge: full months with numbers since the plan started: 1 of the 2 needed."
    )


def test_a_plan_without_agreed_actions_is_not_yet_a_written_plan() -> None:
    draft = SupportPlan(
        seller_id=SELLER, goal="Improve", started_on=date(2026, 3, 1), review_on=date(2026, 6, 1)
    )
    status = evaluate_support(
        seller_id=SELLER,
        plan=draft,
        entries=EIGHT_HOURS,
        results=results(55_000),
        on=date(2026, 6, 10),
    )
    assert (draft.written, status.state) == (False, SupportState.IN_SUPPORT)
    assert render_plain(status.explanation) == (
        "Not yet sufficient: the plan has no agreed actions yet; 101 days (at least 90) and 8.0 h "
        "of coaching and training (at least 8.0 h)."
    )


def test_the_criteria_are_configurable() -> None:
    strict = SupportCriteria(min_days=120, min_minutes=10 * 60)
    status = evaluate_support(
        seller_id=SELLER,
        plan=PLAN,
        entries=EIGHT_HOURS,
        results=results(55_000),
        criteria=strict,
        on=date(2026, 6, 10),
    )
    assert (status.state, present(status.sufficiency).sufficient) == (
        SupportState.IN_SUPPORT,
        False,
    )


def test_a_recorded_decision_answers_the_suggestion() -> None:
    status = evaluate_support(
        seller_id=SELLER,
        plan=PLAN,
        entries=EIGHT_HOURS,
        results=results(55_000),
        on=date(2026, 6, 10),
    )
    decision = record_decision(
        status=status,
        decision=Decision.TRANSITION,
        decided_on=date(2026, 6, 12),
        reason="  Agreed in 1:1  ",
    )
    assert decision == ManagerDecision(
        decision=Decision.TRANSITION, decided_on=date(2026, 6, 12), reason="Agreed in 1:1"
    )
    later = evaluate_support(
        seller_id=SELLER,
        plan=PLAN,
        entries=EIGHT_HOURS,
        results=results(55_000),
        decisions=[
            decision,
            ManagerDecision(decision=Decision.CONTINUE, decided_on=date(2025, 1, 5), reason="old"),
        ],
        on=date(2026, 6, 15),
    )
    assert (later.state, later.decision, later.suggestion) == (
        SupportState.NOT_RESPONDING,
        decision,
        None,
    )
    assert not later.awaiting_decision


def test_a_decision_needs_a_plan_a_reason_and_a_date_after_the_start() -> None:
    no_plan = evaluate_support(seller_id=SELLER, plan=None, on=date(2026, 6, 10))
    with pytest.raises(InvalidInput) as error:
        record_decision(
            status=no_plan, decision=Decision.CONTINUE, decided_on=date(2026, 6, 10), reason="x"
        )
    assert render_plain(error.value.message) == "Agree a support plan before recording a decision."
    status = evaluate_support(seller_id=SELLER, plan=PLAN, on=date(2026, 6, 10))
    with pytest.raises(InvalidInput) as error:
        record_decision(
            status=status, decision=Decision.CONTINUE, decided_on=date(2026, 6, 10), reason=" "
        )
    assert (
        render_plain(error.value.message) == "Give the reason for the decision; it is kept with it."
    )
    with pytest.raises(InvalidInput) as error:
        record_decision(
            status=status, decision=Decision.CONTINUE, decided_on=date(2026, 2, 1), reason="x"
        )
    assert render_plain(error.value.message) == (
        "The decision (2026-02-01) cannot come before the plan started (2026-03-01)."
    )


def test_a_plan_needs_a_goal_and_a_review_after_its_start() -> None:
    with pytest.raises(InvalidInput) as error:
        SupportPlan(
            seller_id=SELLER, goal=" ", started_on=date(2026, 3, 1), review_on=date(2026, 6, 1)
        )
    assert render_plain(error.value.message) == "A support plan needs a goal."
    with pytest.raises(InvalidInput) as error:
        SupportPlan(
            seller_id=SELLER, goal="g", started_on=date(2026, 3, 1), review_on=date(2026, 3, 1)
        )
    assert render_plain(error.value.message) == (
        "The review date (2026-03-01) must come after the start (2026-03-01)."
    )


def test_coaching_and_training_time_entries_count_as_support() -> None:
    assert support_entry_from_time(
        activity=Activity.COACHING, day=date(2026, 4, 2), minutes=45
    ) == SupportEntry(
        day=date(2026, 4, 2), kind=SupportKind.COACHING, minutes=45, source=EntrySource.TIME_ENTRY
    )
    training = support_entry_from_time(activity=Activity.TRAINING, day=date(2026, 4, 2), minutes=30)
    assert present(training).kind is SupportKind.TRAINING
    assert (
        support_entry_from_time(activity=Activity.ADMIN, day=date(2026, 4, 2), minutes=30) is None
    )


def test_the_response_window_starts_with_the_first_full_month_of_support() -> None:
    assert first_full_month(date(2026, 3, 1)) == Month(2026, 3)
    assert first_full_month(date(2026, 3, 15)) == Month(2026, 4)
    # Started mid-March: March counts neither before nor after; April and May after.
    check = check_response(
        started_on=date(2026, 3, 15),
        results=monthly(
            {
                **BEFORE,
                "2026-03": (100_000, 90_000),
                "2026-04": (100_000, 60_000),
                "2026-05": (100_000, 64_000),
            }
        ),
        rule=ResponseRule(),
        on=date(2026, 6, 1),
    )
    assert (check.response, check.since, check.months_since) == (
        Response.RESPONDING,
        Fraction(62, 100),
        2,
    )


def test_without_numbers_before_the_plan_only_the_line_counts() -> None:
    check = check_response(
        started_on=date(2026, 3, 1),
        results=monthly({"2026-03": (100_000, 65_000), "2026-04": (100_000, 65_000)}),
        rule=ResponseRule(),
        on=date(2026, 5, 2),
    )
    assert check.response is Response.NOT_RESPONDING
    assert (
        render_plain(check.message)
        == "65% since the plan started (no numbers before it): not responding."
    )
