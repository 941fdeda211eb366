"""Which segment a seller is in on a given day, and why.

New sellers are judged by tenure; established sellers by attainment over the last
complete months, with hysteresis so that one good or bad month does not flip them.
A manager's override beats the rule until it expires. The result is a pure function
of the data, so a past day's segment is the same whenever it is asked for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import (
    Hours,
    Label,
    Message,
    Param,
    Percent,
    gettext_noop,
    plural_noop,
)
from krutt.domain.months import Month, add_months, months_from
from krutt.domain.segments import Segment
from krutt.domain.sellers import MonthlyResult, SellerProfile


@dataclass(frozen=True, kw_only=True, slots=True)
class SegmentationRules:
    """The thresholds a team can tune; the defaults are the product's rule."""

    ramp_months: int = 6
    window_months: int = 6
    under_below: Fraction = Fraction(7, 10)
    top_from: Fraction = Fraction(1)
    min_months_for_under: int = 3
    hysteresis_months: int = 2

    def __post_init__(self) -> None:
        if self.ramp_months < 0 or self.window_months < 1 or self.hysteresis_months < 1:
            raise InvalidInput(
                gettext_noop("Ramp, window and hysteresis must be whole months ≥ 0, ≥ 1 and ≥ 1.")
            )
        if not 1 <= self.min_months_for_under <= self.window_months:
            raise InvalidInput(
                gettext_noop(
                    "Months of data needed for «not delivering» must be between 1 and {window}."
                ),
                window=self.window_months,
            )
        if not 0 < self.under_below <= self.top_from:
            raise InvalidInput(
                gettext_noop(
                    "The «not delivering» line ({under}) must be above 0 and at most the top line ({top})."
                ),
                under=Percent(self.under_below),
                top=Percent(self.top_from),
            )


class Source(StrEnum):
    RULE = "rule"
    OVERRIDE = "override"


@dataclass(frozen=True, kw_only=True, slots=True)
class SegmentOverride:
    """A manager's decision that beats the rule from `starts_on` until (not including) `expires_on`."""

    segment: Segment
    reason: str
    starts_on: date
    expires_on: date | None = None

    def active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.expires_on is None or day < self.expires_on)


@dataclass(frozen=True, kw_only=True, slots=True)
class Attainment:
    """Actual ÷ target over the months of a window that have both.

    `relative`: no month had a target, so the benchmark is the team's median actual.
    """

    value: Fraction
    months: int
    relative: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class SegmentAssessment:
    """A seller's segment from `valid_from` on, with the reason a manager reads."""

    segment: Segment
    reason: Message
    attainment: Fraction | None
    months_of_data: int
    source: Source
    valid_from: date


def measure_attainment(
    results: Mapping[Month, MonthlyResult],
    *,
    before: Month,
    rules: SegmentationRules,
    team_medians: Mapping[Month, Decimal] | None = None,
) -> Attainment | None:
    """Attainment over the complete months before `before`; None when no month has a target and an actual."""
    counted = _Counted.of(results.values(), team_medians)
    return _window_attainment(counted, before=before, rules=rules)


@dataclass(frozen=True, slots=True)
class _Counted:
    """A seller's countable months: against targets, and against the team median where no target."""

    targets: dict[int, tuple[int, int]]
    relative: dict[int, tuple[int, int]]

    @classmethod
    def of(
        cls, results: Iterable[MonthlyResult], team_medians: Mapping[Month, Decimal] | None
    ) -> _Counted:
        results = list(results)
        relative: list[tuple[int, Decimal, Decimal]] = []
        if team_medians:
            for r in results:
                median = team_medians.get(r.month)
                if r.actual is not None and not r.target and median is not None:
                    relative.append((r.month.index, median, r.actual))
        return cls(_countable(results), _scaled(relative))

    def __bool__(self) -> bool:
        return bool(self.targets or self.relative)

    def first_index(self) -> int:
        return min((*self.targets, *self.relative))


def _countable(results: Iterable[MonthlyResult]) -> dict[int, tuple[int, int]]:
    """Months (by index) that count, with target and actual as exact integers on a common scale.

    A month counts only when both numbers are known: a missing actual is "not reported
    yet", not zero sales, and must never push a seller into `under`.
    """
    known: list[tuple[int, Decimal, Decimal]] = []
    for r in results:
        if r.target is not None and r.actual is not None and r.target > 0:
            known.append((r.month.index, r.target, r.actual))
    return _scaled(known)


def _scaled(known: Sequence[tuple[int, Decimal, Decimal]]) -> dict[int, tuple[int, int]]:
    # Integers on the scale of the finest decimal in the data keep every window sum exact
    # and cheap; a ratio of two sums is all attainment needs.
    places = max(
        (max(0, -int(n.as_tuple().exponent)) for _, t, a in known for n in (t, a)), default=0
    )
    scale = 10**places
    return {index: (int(target * scale), int(actual * scale)) for index, target, actual in known}


def _window_sums(
    counted: Mapping[int, tuple[int, int]], first: int, stop: int
) -> tuple[int, int, int]:
    target = actual = months = 0
    for index in range(first, stop):
        numbers = counted.get(index)
        if numbers is not None:
            target += numbers[0]
            actual += numbers[1]
            months += 1
    return target, actual, months


def _window_attainment(
    counted: _Counted, *, before: Month, rules: SegmentationRules
) -> Attainment | None:
    first = before.index - rules.window_months
    target, actual, months = _window_sums(counted.targets, first, before.index)
    if months:
        return Attainment(value=Fraction(actual, target), months=months)
    # Only a window without any target falls back to the team: targets, where they
    # exist, are the manager's own yardstick.
    target, actual, months = _window_sums(counted.relative, first, before.index)
    if months:
        return Attainment(value=Fraction(actual, target), months=months, relative=True)
    return None


def rule_segment(attainment: Attainment | None, rules: SegmentationRules) -> Segment | None:
    """The segment the numbers alone point to for an established seller (None: no data)."""
    if attainment is None:
        return None
    if attainment.value < rules.under_below and attainment.months >= rules.min_months_for_under:
        return Segment.UNDER
    if attainment.value >= rules.top_from:
        return Segment.TOP
    return Segment.CORE


def established_on(profile: SellerProfile, rules: SegmentationRules) -> date:
    """The first day the seller is past the ramp period and judged by numbers."""
    return add_months(profile.started_on, rules.ramp_months)


@dataclass(frozen=True, kw_only=True, slots=True)
class _Evaluation:
    segment: Segment
    reason: Message
    attainment: Fraction | None
    months: int


def _rule_reason(segment: Segment, attainment: Attainment, rules: SegmentationRules) -> Message:
    value = Percent(attainment.value)
    if attainment.relative:
        return _relative_reason(segment, attainment, rules)
    if segment is Segment.TOP:
        return Message.counted(
            plural_noop(
                "Attainment {attainment} over {months} month (top from {threshold}).",
                "Attainment {attainment} over {months} months (top from {threshold}).",
            ),
            "months",
            {
                "attainment": value,
                "months": attainment.months,
                "threshold": Percent(rules.top_from),
            },
        )
    if segment is Segment.UNDER:
        return Message.counted(
            plural_noop(
                "Attainment {attainment} over {months} month (below {threshold}).",
                "Attainment {attainment} over {months} months (below {threshold}).",
            ),
            "months",
            {
                "attainment": value,
                "months": attainment.months,
                "threshold": Percent(rules.under_below),
            },
        )
    if attainment.value < rules.under_below:
        return Message.counted(
            plural_noop(
                "Attainment {attainment} over only {months} month; {needed} months are needed before a seller counts as not delivering.",
                "Attainment {attainment} over only {months} months; {needed} months are needed before a seller counts as not delivering.",
            ),
            "months",
            {
                "attainment": value,
                "months": attainment.months,
                "needed": rules.min_months_for_under,
            },
        )
    return Message.counted(
        plural_noop(
            "Attainment {attainment} over {months} month.",
            "Attainment {attainment} over {months} months.",
        ),
        "months",
        {"attainment": value, "months": attainment.months},
    )


def _relative_reason(segment: Segment, attainment: Attainment, rules: SegmentationRules) -> Message:
    params: dict[str, Param] = {
        "attainment": Percent(attainment.value),
        "months": attainment.months,
    }
    if segment is Segment.TOP:
        params["threshold"] = Percent(rules.top_from)
        forms = plural_noop(
            "No targets: sales {attainment} of the team median over {months} month "
            "(top from {threshold}).",
            "No targets: sales {attainment} of the team median over {months} months "
            "(top from {threshold}).",
        )
    elif segment is Segment.UNDER:
        params["threshold"] = Percent(rules.under_below)
        forms = plural_noop(
            "No targets: sales {attainment} of the team median over {months} month "
            "(below {threshold}).",
            "No targets: sales {attainment} of the team median over {months} months "
            "(below {threshold}).",
        )
    else:
        forms = plural_noop(
            "No targets: sales {attainment} of the team median over {months} month.",
            "No targets: sales {attainment} of the team median over {months} months.",
        )
    return Message.counted(forms, "months", params)


def _no_data_reason(rules: SegmentationRules) -> Message:
    # No dates in the text: months without data in a row are one period, not one per month.
    return Message(
        gettext_noop(
            "No performance data (a target and an actual) in the last {window} complete months."
        ),
        {"window": rules.window_months},
    )


def _walk_months(
    counted: _Counted,
    *,
    first: Month,
    last: Month,
    rules: SegmentationRules,
) -> dict[Month, _Evaluation]:
    """Monthly evaluations of an established seller, applying hysteresis between them."""
    evaluations: dict[Month, _Evaluation] = {}
    current: Segment | None = None
    outcomes: list[Segment | None] = []
    held = rules.hysteresis_months
    window = rules.window_months
    # The thresholds as integer ratios: a refresh judges tens of thousands of windows, and
    # comparing cross-products of integers is exact and much cheaper than Fractions.
    under_n, under_d = rules.under_below.numerator, rules.under_below.denominator
    top_n, top_d = rules.top_from.numerator, rules.top_from.denominator
    targets, relative = counted.targets, counted.relative
    for month in months_from(first, last):
        target = actual = months = 0
        for index in range(month.index - window, month.index):
            numbers = targets.get(index)
            if numbers is not None:
                target += numbers[0]
                actual += numbers[1]
                months += 1
        is_relative = False
        if not months and relative:
            target, actual, months = _window_sums(relative, month.index - window, month.index)
            is_relative = True
        attainment: Attainment | None = None
        outcome: Segment | None = None
        if months:
            attainment = Attainment(
                value=Fraction(actual, target), months=months, relative=is_relative
            )
            if actual * under_d < under_n * target and months >= rules.min_months_for_under:
                outcome = Segment.UNDER
            elif actual * top_d >= top_n * target:
                outcome = Segment.TOP
            else:
                outcome = Segment.CORE
        outcomes.append(outcome)
        if outcome is None or attainment is None:
            current = None
            evaluations[month] = _Evaluation(
                segment=Segment.CORE, reason=_no_data_reason(rules), attainment=None, months=0
            )
            continue
        value = Percent(attainment.value)
        if current is None or outcome is current:
            current = outcome
            reason = _rule_reason(outcome, attainment, rules)
        elif len(outcomes) >= held and all(o is outcome for o in outcomes[-held:]):
            current = outcome
            reason = Message.counted(
                plural_noop(
                    "Attainment {attainment} over {months} month: {segment} for {held} months in a row.",
                    "Attainment {attainment} over {months} months: {segment} for {held} months in a row.",
                ),
                "months",
                {
                    "attainment": value,
                    "months": attainment.months,
                    "segment": outcome.label,
                    "held": held,
                },
            )
        else:
            reason = Message.counted(
                plural_noop(
                    "Attainment {attainment} over {months} month points to {candidate}; stays {segment} until that holds for {held} months in a row.",
                    "Attainment {attainment} over {months} months points to {candidate}; stays {segment} until that holds for {held} months in a row.",
                ),
                "months",
                {
                    "attainment": value,
                    "months": attainment.months,
                    "candidate": outcome.label,
                    "segment": current.label,
                    "held": held,
                },
            )
        evaluations[month] = _Evaluation(
            segment=current, reason=reason, attainment=attainment.value, months=attainment.months
        )
    return evaluations


def segment_history(
    *,
    profile: SellerProfile,
    results: Iterable[MonthlyResult],
    overrides: Sequence[SegmentOverride] = (),
    rules: SegmentationRules,
    through: date,
    team_medians: Mapping[Month, Decimal] | None = None,
) -> list[SegmentAssessment]:
    """Every change of the seller's segment (or its reason) from their start up to `through`.

    `team_medians` (see `relative.team_medians`) judge the months with sales but no target.
    Empty when `through` is before the seller's first day.
    """
    counted = _Counted.of(results, team_medians)
    established = established_on(profile, rules)
    first_walk = Month.of(established)
    if counted:
        # Before the month after the first data, every window is empty: skip the walk there.
        first_walk = max(first_walk, Month.from_index(counted.first_index() + 1))
    last_walk = Month.of(through)
    if not counted:
        # Without any numbers every month says "no data", which the established day already
        # says: a roster of tens of thousands of new rows is judged without walking months.
        first_walk = last_walk.plus(1)
    walk = (
        _walk_months(counted, first=first_walk, last=last_walk, rules=rules)
        if first_walk <= last_walk
        else {}
    )

    candidates = {profile.started_on, established}
    if counted:
        # During the ramp the segment stays new, but the attainment so far is shown: it
        # changes each month data arrives.
        ramp_from = max(Month.of(profile.started_on), Month.from_index(counted.first_index() + 1))
        candidates.update(
            m.first_day() for m in months_from(ramp_from, min(last_walk, Month.of(established)))
        )
    # Before the walk starts every day says "no data", which the established day already says.
    candidates.update(
        m.first_day() for m in months_from(max(Month.of(established), first_walk), last_walk)
    )
    for override in overrides:
        candidates.add(override.starts_on)
        if override.expires_on is not None:
            candidates.add(override.expires_on)
    days = sorted(d for d in candidates if profile.started_on <= d <= through)

    history: list[SegmentAssessment] = []
    for day in days:
        assessment = _assess_on(
            day,
            profile=profile,
            established=established,
            counted=counted,
            walk=walk,
            overrides=overrides,
            rules=rules,
        )
        if history and _same(history[-1], assessment):
            continue
        history.append(assessment)
    return history


def assess_segment(
    *,
    profile: SellerProfile,
    results: Iterable[MonthlyResult],
    overrides: Sequence[SegmentOverride] = (),
    rules: SegmentationRules,
    on: date,
    team_medians: Mapping[Month, Decimal] | None = None,
) -> SegmentAssessment:
    """The seller's segment on `on`, with its reason (before their first day: the segment they start in)."""
    results = list(results)
    history = segment_history(
        profile=profile,
        results=results,
        overrides=overrides,
        rules=rules,
        through=on,
        team_medians=team_medians,
    )
    if not history:
        history = segment_history(
            profile=profile,
            results=results,
            overrides=overrides,
            rules=rules,
            through=profile.started_on,
            team_medians=team_medians,
        )
    return history[-1]


def _assess_on(
    day: date,
    *,
    profile: SellerProfile,
    established: date,
    counted: _Counted,
    walk: Mapping[Month, _Evaluation],
    overrides: Sequence[SegmentOverride],
    rules: SegmentationRules,
) -> SegmentAssessment:
    if day < established:
        so_far = _window_attainment(counted, before=Month.of(day), rules=rules)
        rule = _Evaluation(
            segment=Segment.NEW,
            reason=Message(
                gettext_noop("New seller: started {start}, ramp period until {until}."),
                {"start": profile.started_on, "until": established},
            ),
            attainment=so_far.value if so_far else None,
            months=so_far.months if so_far else 0,
        )
    else:
        rule = walk.get(Month(day.year, day.month)) or _Evaluation(
            segment=Segment.CORE, reason=_no_data_reason(rules), attainment=None, months=0
        )
    active = [o for o in overrides if o.active_on(day)]
    if active:
        override = max(active, key=lambda o: o.starts_on)
        reason = (
            Message(gettext_noop("Set by the manager: {reason}"), {"reason": override.reason})
            if override.expires_on is None
            else Message(
                gettext_noop("Set by the manager until {until}: {reason}"),
                {"reason": override.reason, "until": override.expires_on},
            )
        )
        return SegmentAssessment(
            segment=override.segment,
            reason=reason,
            attainment=rule.attainment,
            months_of_data=rule.months,
            source=Source.OVERRIDE,
            valid_from=day,
        )
    return SegmentAssessment(
        segment=rule.segment,
        reason=rule.reason,
        attainment=rule.attainment,
        months_of_data=rule.months,
        source=Source.RULE,
        valid_from=day,
    )


def history_digest(history: Sequence[SegmentAssessment]) -> str:
    """A fingerprint of a history, so a refresh can tell "unchanged" without reading it back."""
    parts: list[str] = []
    for a in history:
        parts.append(
            f"{a.valid_from}|{a.segment}|{a.source}|{a.attainment}|{a.months_of_data}|{a.reason.text}|{a.reason.plural}"
        )
        parts.extend(f"|{k}={_token(v)}" for k, v in sorted(a.reason.params.items()))
        parts.append("\n")
    return hashlib.sha256("".join(parts).encode()).hexdigest()


def _token(value: Param) -> str:
    # Cheaper than repr() of the wrapper dataclasses, and as unambiguous.
    if isinstance(value, Percent | Hours):
        return f"{type(value).__name__}:{value.value}"
    if isinstance(value, Label):
        return f"Label:{value.text}"
    return f"{type(value).__name__}:{value}"


def _same(a: SegmentAssessment, b: SegmentAssessment) -> bool:
    return (a.segment, a.reason, a.attainment, a.months_of_data, a.source) == (
        b.segment,
        b.reason,
        b.attainment,
        b.months_of_data,
        b.source,
    )
