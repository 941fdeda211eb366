"""Did a seller respond to support? Attainment since it started against the months before.

The months counted are full calendar months: those before the month support started
(three by default) against those from the first full month with support up to the last
complete one. A gain of ten percentage points, or reaching the «not delivering» line
(70 %), is a response; fewer than two months with numbers is too early to say.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import Message, Percent, gettext_noop
from krutt.domain.months import Month, months_from
from krutt.domain.sellers import MonthlyResult


@dataclass(frozen=True, kw_only=True, slots=True)
class ResponseRule:
    """What counts as a response; the defaults are the product's."""

    before_months: int = 3
    min_months: int = 2
    gain: Fraction = Fraction(1, 10)
    level: Fraction = Fraction(7, 10)

    def __post_init__(self) -> None:
        if self.before_months < 1 or self.min_months < 1 or self.gain < 0 or self.level <= 0:
            raise InvalidInput(
                gettext_noop(
                    "A response needs at least one month before and after, and a gain ≥ 0."
                )
            )


DEFAULT_RESPONSE_RULE = ResponseRule()


class Response(StrEnum):
    RESPONDING = "responding"
    NOT_RESPONDING = "not_responding"
    TOO_EARLY = "too_early"


@dataclass(frozen=True, kw_only=True, slots=True)
class ResponseCheck:
    """Attainment in the full months with the plan against the months before it."""

    response: Response
    before: Fraction | None
    since: Fraction | None
    months_before: int
    months_since: int
    message: Message


def first_full_month(day: date) -> Month:
    """The first calendar month entirely on or after `day`."""
    month = Month.of(day)
    return month if day.day == 1 else month.plus(1)


def attainment_over(
    results: Iterable[MonthlyResult], months: Sequence[Month]
) -> tuple[Fraction | None, int]:
    """Actual ÷ target over those of `months` that have both numbers, and how many did."""
    wanted = set(months)
    target = actual = Fraction(0)
    counted = 0
    for result in results:
        if (
            result.month not in wanted
            or result.target is None
            or result.actual is None
            or result.target <= 0
        ):
            continue
        target += Fraction(result.target)
        actual += Fraction(result.actual)
        counted += 1
    return (actual / target if counted else None), counted


def check_response(
    *, started_on: date, results: Sequence[MonthlyResult], rule: ResponseRule, on: date
) -> ResponseCheck:
    """Responding when attainment since support started is `gain` above the months before
    it, or has reached `level` (no longer «not delivering»)."""
    first = first_full_month(started_on)
    last_complete = Month.of(on).plus(-1)
    since_months = months_from(first, last_complete) if first <= last_complete else []
    start_month = Month.of(started_on)
    before_months = months_from(start_month.plus(-rule.before_months), start_month.plus(-1))
    before, months_before = attainment_over(results, before_months)
    since, months_since = attainment_over(results, since_months)
    if since is None or months_since < rule.min_months:
        return ResponseCheck(
            response=Response.TOO_EARLY,
            before=before,
            since=since,
            months_before=months_before,
            months_since=months_since,
            message=Message(
                gettext_noop(
                    "Too early to judge: full months with numbers since the plan started: "
                    "{months} of the {needed} needed."
                ),
                {"months": months_since, "needed": rule.min_months},
            ),
        )
    gained = before is not None and since >= before + rule.gain
    responding = gained or since >= rule.level
    response = Response.RESPONDING if responding else Response.NOT_RESPONDING
    if before is None:
        text = (
            gettext_noop("{since} since the plan started (no numbers before it): responding.")
            if responding
            else gettext_noop(
                "{since} since the plan started (no numbers before it): not responding."
            )
        )
        message = Message(text, {"since": Percent(since)})
    else:
        text = (
            gettext_noop("From {before} to {since}: responding.")
            if responding
            else gettext_noop("From {before} to {since}: not responding.")
        )
        message = Message(text, {"before": Percent(before), "since": Percent(since)})
    return ResponseCheck(
        response=response,
        before=before,
        since=since,
        months_before=months_before,
        months_since=months_since,
        message=message,
    )
