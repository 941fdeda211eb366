"""Does the policy pay? The team's own history, with honest uncertainty.

Five views of one team over its months (24 by default), from three things krutt keeps:
segments over time, the manager's minutes per seller, and results per month.

1. **Team outcome by month**: team attainment (Σ actual ÷ Σ target of the sellers with a
   target and an actual that month), the share of seller time per segment, whether every
   segment with sellers was within its band; and the correlation over the months between
   the share on top + new and team attainment, with a Fisher z interval, from 12 months.
2. **Coaching against later results**: per seller-month, coaching-type hours (coaching,
   1:1 follow-up, training and joint customer meetings — the activities where the manager
   works on the seller's selling) against the change in attainment from that month to the
   mean of the next three; the least-squares slope per hour in each segment (the seller's
   segment on the month's first day) with a seeded bootstrap interval, from 24 seller-months.
3. **Ramp**: each new seller's attainment by month of tenure against the team's ramp curve
   (`ramp.ramp_curve`, the same curve the slow-ramp alert reads).
4. **Wear**: by week, each segment's share of the manager's seller time against its share
   of the drained energy (minutes × the 1–5 rating, rated entries only); an indicator when
   Not delivering takes more than 30 % of the drained energy over the last 4 weeks.
5. **Retention**: top sellers who left and the hours they got in their last 3 full months,
   against the top sellers who stayed over the same months (compared from 3 leavers).

These are associations in one team's history, never proof: the sentences say "had",
"went with", never "causes".

Time is split the way the report splits it: an entry with k sellers gives each 1/k, a
meeting with more sellers than the team-wide limit is left out; each minute counts in the
segment the seller had on the entry's day.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from krutt.domain.activities import Activity
from krutt.domain.allocation import DEFAULT_TEAM_WIDE_ABOVE
from krutt.domain.errors import InvalidInput
from krutt.domain.messages import Hours, Message, Percent, gettext_noop, plural_noop
from krutt.domain.months import Month, months_from
from krutt.domain.outcome_stats import (
    DEFAULT_LEVEL,
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    Estimate,
    bootstrap_slope,
    correlation_interval,
)
from krutt.domain.policy import AllocationPolicy
from krutt.domain.ramp import DEFAULT_RAMP_RULES, RampHistory, RampRules, ramp_curve
from krutt.domain.response import first_full_month
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.domain.sellers import MonthlyResult, SellerId

# The activities counted as coaching-type: the manager working on how the seller sells.
COACHING_ACTIVITIES: frozenset[Activity] = frozenset(
    {Activity.COACHING, Activity.ONE_ON_ONE, Activity.TRAINING, Activity.JOINT_MEETING}
)

# The published finding shown beside the team's own coaching figures.
PUBLISHED_FINDING = gettext_noop(
    "Published research (CEB; Dixon & Adamson, The Challenger Sale, 2011) found that "
    "coaching pays most in the core: the middle 60 percent of sellers gained most from it, the "
    "best and the weakest least."
)


@dataclass(frozen=True, kw_only=True, slots=True)
class OutcomeRules:
    """The thresholds of the five views; the defaults are the product's."""

    months: int = 24
    min_months: int = 12
    min_seller_months: int = 24
    resamples: int = DEFAULT_RESAMPLES
    seed: int = DEFAULT_SEED
    level: float = DEFAULT_LEVEL
    later_months: int = 3
    wear_weeks: int = 12
    drain_weeks: int = 4
    drain_share: Fraction = Fraction(3, 10)
    leaver_months: int = 3
    min_leavers: int = 3
    team_wide_above: int = DEFAULT_TEAM_WIDE_ABOVE

    def __post_init__(self) -> None:
        if (
            min(self.months, self.min_months, self.min_seller_months, self.resamples) < 1
            or min(self.later_months, self.wear_weeks, self.drain_weeks, self.leaver_months) < 1
            or self.min_leavers < 1
            or not 0 < self.level < 1
            or not 0 < self.drain_share <= 1
        ):
            raise InvalidInput(gettext_noop("The outcome thresholds must be positive."))


DEFAULT_OUTCOME_RULES = OutcomeRules()


# --- what the views read ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class OutcomeSeller:
    seller_id: SellerId
    email: str
    name: str
    started_on: date
    ended_on: date | None


@dataclass(frozen=True, kw_only=True, slots=True)
class SegmentSpan:
    """The seller's segment from `valid_from` until the seller's next span."""

    seller_id: SellerId
    valid_from: date
    segment: Segment


@dataclass(frozen=True, kw_only=True, slots=True)
class MonthTime:
    """Minutes of entries with `sellers_in_entry` sellers, one of them this seller, in a month,
    in the segment the seller had on the entries' days; coaching-type or not."""

    seller_id: SellerId
    month: Month
    segment: Segment
    coaching: bool
    sellers_in_entry: int
    minutes: int


@dataclass(frozen=True, kw_only=True, slots=True)
class WeekEnergy:
    """Minutes in a week (its Monday) for one segment, entry size and rating (None: unrated)."""

    week: date
    segment: Segment
    sellers_in_entry: int
    energy: int | None
    minutes: int


@dataclass(frozen=True, kw_only=True, slots=True)
class OutcomeData:
    sellers: Sequence[OutcomeSeller]
    spans: Sequence[SegmentSpan]
    results: Mapping[SellerId, Sequence[MonthlyResult]]
    time: Sequence[MonthTime]
    energy: Sequence[WeekEnergy]
    # Everyone who has been on the manager's teams, for the ramp curve (may include the above).
    ramp_histories: Sequence[RampHistory] = ()


# --- what the views show ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class MonthOutcome:
    month: Month
    attainment: Fraction | None
    shares: Mapping[Segment, Fraction] | None
    within_policy: bool | None


@dataclass(frozen=True, kw_only=True, slots=True)
class TeamOutcome:
    months: tuple[MonthOutcome, ...]
    correlation: Estimate | None
    message: Message


@dataclass(frozen=True, kw_only=True, slots=True)
class CoachingEffect:
    segment: Segment
    estimate: Estimate | None  # slope per coaching hour in attainment points (fraction)
    seller_months: int
    message: Message


@dataclass(frozen=True, kw_only=True, slots=True)
class RampRow:
    seller_id: SellerId
    email: str
    name: str
    tenure_month: int
    attainment: Fraction
    cohort_median: Fraction | None
    cohort_q1: Fraction | None
    cohort_q3: Fraction | None
    cohort_size: int


@dataclass(frozen=True, kw_only=True, slots=True)
class WearWeek:
    week: date
    shares_time: Mapping[Segment, Fraction] | None
    shares_energy: Mapping[Segment, Fraction] | None
    rated_share: Fraction | None


@dataclass(frozen=True, kw_only=True, slots=True)
class Wear:
    weeks: tuple[WearWeek, ...]
    # Over the last `drain_weeks`: Not delivering's share of time and of drained energy.
    under_time_share: Fraction | None
    under_energy_share: Fraction | None
    rated_share: Fraction | None
    drained: bool
    message: Message


@dataclass(frozen=True, kw_only=True, slots=True)
class Leaver:
    seller_id: SellerId
    email: str
    name: str
    left_on: date
    hours_per_month: Fraction
    stayers_hours_per_month: Fraction | None


@dataclass(frozen=True, kw_only=True, slots=True)
class Retention:
    leavers: tuple[Leaver, ...]
    leavers_hours_per_month: Fraction | None
    stayers_hours_per_month: Fraction | None
    message: Message


@dataclass(frozen=True, kw_only=True, slots=True)
class Outcome:
    first: Month
    last: Month
    team: TeamOutcome
    coaching: Mapping[Segment, CoachingEffect]
    ramp: tuple[RampRow, ...]
    wear: Wear
    retention: Retention | None


# --- the pieces ---------------------------------------------------------------------------------


def outcome_window(*, today: date, months: int) -> tuple[Month, Month]:
    """The last `months` complete months before today's."""
    last = Month.of(today).plus(-1)
    return last.plus(-(months - 1)), last


def segment_on(spans: Sequence[SegmentSpan], day: date) -> Segment | None:
    """The segment of the latest span starting on or before `day` (spans sorted by start)."""
    found: Segment | None = None
    for span in spans:
        if span.valid_from > day:
            break
        found = span.segment
    return found


def _spans_by_seller(spans: Iterable[SegmentSpan]) -> dict[SellerId, list[SegmentSpan]]:
    by: dict[SellerId, list[SegmentSpan]] = defaultdict(list)
    for span in spans:
        by[span.seller_id].append(span)
    for rows in by.values():
        rows.sort(key=lambda s: s.valid_from)
    return by


def _employed(seller: OutcomeSeller, first: date, last: date) -> bool:
    return seller.started_on <= last and (seller.ended_on is None or seller.ended_on >= first)


def _share_minutes(minutes: int, size: int, team_wide_above: int) -> Fraction:
    return Fraction(0) if size > team_wide_above or size < 1 else Fraction(minutes, size)


def seller_attainment(results: Iterable[MonthlyResult]) -> dict[Month, Fraction]:
    """Each month's attainment where the month has a target above 0 and an actual."""
    return {
        r.month: Fraction(r.actual) / Fraction(r.target)
        for r in results
        if r.target is not None and r.target > 0 and r.actual is not None
    }


def team_attainment(
    results: Mapping[SellerId, Sequence[MonthlyResult]], month: Month
) -> Fraction | None:
    target = actual = Fraction(0)
    for rows in results.values():
        for r in rows:
            if r.month == month and r.target is not None and r.target > 0 and r.actual is not None:
                target += Fraction(r.target)
                actual += Fraction(r.actual)
    return actual / target if target else None


def segment_shares(minutes: Mapping[Segment, Fraction]) -> dict[Segment, Fraction] | None:
    """Each segment's share of the total, or None when there is no time at all."""
    total = sum(minutes.values(), Fraction(0))
    if not total:
        return None
    return {s: minutes.get(s, Fraction(0)) / total for s in SEGMENT_ORDER}


def team_outcome(
    *, data: OutcomeData, policy: AllocationPolicy, first: Month, last: Month, rules: OutcomeRules
) -> TeamOutcome:
    spans = _spans_by_seller(data.spans)
    minutes: dict[Month, dict[Segment, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    for row in data.time:
        minutes[row.month][row.segment] += _share_minutes(
            row.minutes, row.sellers_in_entry, rules.team_wide_above
        )
    months: list[MonthOutcome] = []
    for month in months_from(first, last):
        shares = segment_shares(minutes.get(month, {}))
        within: bool | None = None
        if shares is not None:
            present = {
                segment
                for s in data.sellers
                if _employed(s, month.first_day(), month.last_day())
                if (segment := segment_on(spans.get(s.seller_id, []), month.first_day()))
                is not None
            } | {s for s, share in shares.items() if share}
            within = all(policy.band(s).contains(shares[s]) for s in present)
        months.append(
            MonthOutcome(
                month=month,
                attainment=team_attainment(data.results, month),
                shares=shares,
                within_policy=within,
            )
        )
    paired = [
        (float(m.shares[Segment.TOP] + m.shares[Segment.NEW]), float(m.attainment))
        for m in months
        if m.shares is not None and m.attainment is not None
    ]
    correlation = None
    if len(paired) >= rules.min_months:
        correlation = correlation_interval(
            [x for x, _ in paired], [y for _, y in paired], level=rules.level
        )
    return TeamOutcome(
        months=tuple(months),
        correlation=correlation,
        message=_correlation_message(correlation, len(paired), rules),
    )


def _two(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _correlation_message(estimate: Estimate | None, months: int, rules: OutcomeRules) -> Message:
    if months < rules.min_months:
        return Message(
            gettext_noop("Not enough months yet ({months} of the {needed} needed)."),
            {"months": months, "needed": rules.min_months},
        )
    if estimate is None:
        return Message(
            gettext_noop(
                "The share on top and new sellers or the team's attainment did not vary over "
                "the {months} months, so there is nothing to compare."
            ),
            {"months": months},
        )
    text = (
        gettext_noop(
            "Months with more time on top and new sellers had higher team attainment: "
            "r = {r}, {level} interval {low} to {high}, {months} months."
        )
        if estimate.value >= 0
        else gettext_noop(
            "Months with more time on top and new sellers had lower team attainment: "
            "r = {r}, {level} interval {low} to {high}, {months} months."
        )
    )
    return Message(
        text,
        {
            "r": _two(estimate.value),
            "level": Percent(Fraction(rules.level).limit_denominator(1000)),
            "low": _two(estimate.low),
            "high": _two(estimate.high),
            "months": estimate.n,
        },
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class SellerMonth:
    """One observation of the coaching view: hours in month m and the change that followed."""

    seller_id: SellerId
    month: Month
    segment: Segment
    coaching_hours: Fraction
    change: Fraction


def seller_months(
    *, data: OutcomeData, first: Month, last: Month, rules: OutcomeRules
) -> list[SellerMonth]:
    """The seller-months with attainment in m and in each of the next `later_months` months."""
    spans = _spans_by_seller(data.spans)
    hours: dict[tuple[SellerId, Month], Fraction] = defaultdict(Fraction)
    for row in data.time:
        if row.coaching:
            hours[(row.seller_id, row.month)] += (
                _share_minutes(row.minutes, row.sellers_in_entry, rules.team_wide_above) / 60
            )
    observed: list[SellerMonth] = []
    for seller in sorted(data.sellers, key=lambda s: s.seller_id):
        attainment = seller_attainment(data.results.get(seller.seller_id, ()))
        for month in months_from(first, last):
            later = [month.plus(i) for i in range(1, rules.later_months + 1)]
            if later[-1] > last or month not in attainment:
                continue
            if not all(m in attainment for m in later):
                continue
            day = max(month.first_day(), seller.started_on)
            if day > month.last_day():
                continue
            segment = segment_on(spans.get(seller.seller_id, []), day)
            if segment is None:
                continue
            after = sum((attainment[m] for m in later), Fraction(0)) / len(later)
            observed.append(
                SellerMonth(
                    seller_id=seller.seller_id,
                    month=month,
                    segment=segment,
                    coaching_hours=hours.get((seller.seller_id, month), Fraction(0)),
                    change=after - attainment[month],
                )
            )
    return observed


def coaching_effects(
    observations: Sequence[SellerMonth], *, rules: OutcomeRules
) -> dict[Segment, CoachingEffect]:
    effects: dict[Segment, CoachingEffect] = {}
    for segment in SEGMENT_ORDER:
        rows = [o for o in observations if o.segment is segment]
        label = segment.label
        if len(rows) < rules.min_seller_months:
            effects[segment] = CoachingEffect(
                segment=segment,
                estimate=None,
                seller_months=len(rows),
                message=Message(
                    gettext_noop(
                        "{segment}: not enough seller-months yet ({count} of the {needed} needed)."
                    ),
                    {"segment": label, "count": len(rows), "needed": rules.min_seller_months},
                ),
            )
            continue
        estimate = bootstrap_slope(
            [float(o.coaching_hours) for o in rows],
            [float(o.change) for o in rows],
            resamples=rules.resamples,
            seed=rules.seed,
            level=rules.level,
        )
        if estimate is None:
            message = Message(
                gettext_noop(
                    "{segment}: the coaching hours did not vary over the {count} seller-months, "
                    "so there is no slope to show."
                ),
                {"segment": label, "count": len(rows)},
            )
        else:
            message = Message(
                gettext_noop(
                    "{segment}: each coaching hour in a month went with {slope} percentage points "
                    "of change in attainment over the next three months ({level} interval {low} "
                    "to {high}; {count} seller-months)."
                ),
                {
                    "segment": label,
                    "slope": _points(estimate.value),
                    "level": Percent(Fraction(rules.level).limit_denominator(1000)),
                    "low": _points(estimate.low),
                    "high": _points(estimate.high),
                    "count": len(rows),
                },
            )
        effects[segment] = CoachingEffect(
            segment=segment, estimate=estimate, seller_months=len(rows), message=message
        )
    return effects


def _points(value: float) -> Decimal:
    """A fraction of attainment as percentage points with one decimal (0.0123 → 1.2)."""
    return Decimal(str(value * 100)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def ramp_rows(
    *,
    data: OutcomeData,
    last: Month,
    rules: RampRules = DEFAULT_RAMP_RULES,
) -> list[RampRow]:
    """Sellers still within their first `curve_months` months at `last`, month by month of
    tenure, against the curve of the earlier hires."""
    histories = {h.seller_id: h for h in data.ramp_histories}
    rows: list[RampRow] = []
    for seller in sorted(data.sellers, key=lambda s: (s.started_on, s.seller_id)):
        history = histories.get(seller.seller_id) or RampHistory(
            seller_id=seller.seller_id,
            started_on=seller.started_on,
            results=data.results.get(seller.seller_id, ()),
        )
        rows.extend(
            seller_ramp(
                seller=seller,
                history=history,
                others=[h for h in histories.values() if h.seller_id != seller.seller_id],
                last=last,
                rules=rules,
            )
        )
    return rows


def seller_ramp(
    *,
    seller: OutcomeSeller,
    history: RampHistory,
    others: Sequence[RampHistory],
    last: Month,
    rules: RampRules = DEFAULT_RAMP_RULES,
) -> list[RampRow]:
    """One seller's attainment so far by month of tenure (cumulative, as the slow-ramp alert
    reads it) against the curve of those who started before them; empty once the seller is
    past their first `curve_months` months at `last`, or has left."""
    if seller.ended_on is not None and seller.ended_on < last.last_day():
        return []
    start = first_full_month(seller.started_on)
    if start > last or start.plus(rules.curve_months - 1) < last:
        return []
    curve = ramp_curve(others, started_before=seller.started_on, rules=rules)
    rows: list[RampRow] = []
    target = actual = Fraction(0)
    by_month = {r.month: r for r in history.results}
    for k, month in enumerate(months_from(start, last), start=1):
        r = by_month.get(month)
        if r is None or r.target is None or r.target <= 0 or r.actual is None:
            continue
        target += Fraction(r.target)
        actual += Fraction(r.actual)
        point = curve.at(k)
        rows.append(
            RampRow(
                seller_id=seller.seller_id,
                email=seller.email,
                name=seller.name,
                tenure_month=k,
                attainment=actual / target,
                cohort_median=point.median if point else None,
                cohort_q1=point.q1 if point else None,
                cohort_q3=point.q3 if point else None,
                cohort_size=point.size if point else 0,
            )
        )
    return rows


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def wear(*, energy: Sequence[WeekEnergy], today: date, rules: OutcomeRules) -> Wear:
    """The last `wear_weeks` full weeks before today's week."""
    this_monday = monday_of(today)
    weeks = [this_monday - timedelta(weeks=i) for i in range(rules.wear_weeks, 0, -1)]
    time: dict[date, dict[Segment, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    drained: dict[date, dict[Segment, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    rated: dict[date, Fraction] = defaultdict(Fraction)
    for row in energy:
        minutes = _share_minutes(row.minutes, row.sellers_in_entry, rules.team_wide_above)
        if not minutes:
            continue
        time[row.week][row.segment] += minutes
        if row.energy is not None:
            drained[row.week][row.segment] += minutes * row.energy
            rated[row.week] += minutes
    shown: list[WearWeek] = []
    for week in weeks:
        total = sum(time[week].values(), Fraction(0))
        shares_time = segment_shares(time[week])
        shown.append(
            WearWeek(
                week=week,
                shares_time=shares_time,
                shares_energy=segment_shares(drained[week]),
                rated_share=rated[week] / total if total else None,
            )
        )
    recent = weeks[-rules.drain_weeks :]
    sum_time = _sum_by_segment(time[w] for w in recent)
    sum_drained = _sum_by_segment(drained[w] for w in recent)
    time_total = sum(sum_time.values(), Fraction(0))
    rated_total = sum((rated[w] for w in recent), Fraction(0))
    time_shares = segment_shares(sum_time)
    energy_shares = segment_shares(sum_drained)
    under_time = time_shares[Segment.UNDER] if time_shares else None
    under_energy = energy_shares[Segment.UNDER] if energy_shares else None
    rated_share = rated_total / time_total if time_total else None
    is_drained = under_energy is not None and under_energy > rules.drain_share
    if time_total == 0:
        message = Message(
            gettext_noop("No seller time logged in the last {weeks} weeks."),
            {"weeks": rules.drain_weeks},
        )
    elif under_energy is None or under_time is None or rated_share is None:
        message = Message(
            gettext_noop(
                "None of the time in the last {weeks} weeks has an energy rating, so there "
                "is nothing to show yet."
            ),
            {"weeks": rules.drain_weeks},
        )
    elif is_drained:
        message = Message(
            gettext_noop(
                "You spend {time} of your time but {energy} of your drained energy on {segment} "
                "(last {weeks} weeks; {rated} of the time rated)."
            ),
            {
                "time": Percent(under_time),
                "energy": Percent(under_energy),
                "segment": Segment.UNDER.label,
                "weeks": rules.drain_weeks,
                "rated": Percent(rated_share),
            },
        )
    else:
        message = Message(
            gettext_noop(
                "{segment} took {time} of your time and {energy} of your drained energy "
                "(last {weeks} weeks; {rated} of the time rated)."
            ),
            {
                "time": Percent(under_time),
                "energy": Percent(under_energy),
                "segment": Segment.UNDER.label,
                "weeks": rules.drain_weeks,
                "rated": Percent(rated_share),
            },
        )
    return Wear(
        weeks=tuple(shown),
        under_time_share=under_time,
        under_energy_share=under_energy,
        rated_share=rated_share,
        drained=is_drained,
        message=message,
    )


def _sum_by_segment(rows: Iterable[Mapping[Segment, Fraction]]) -> dict[Segment, Fraction]:
    total: dict[Segment, Fraction] = defaultdict(Fraction)
    for row in rows:
        for segment, value in row.items():
            total[segment] += value
    return total


def retention(
    *, data: OutcomeData, first: Month, last: Month, rules: OutcomeRules
) -> Retention | None:
    """Top sellers who left within the window (top on their last day) and the hours per month
    they got in their last `leaver_months` full months; the stayers over the same months are
    those top at the end of them who were still on the team a month later."""
    spans = _spans_by_seller(data.spans)
    hours: dict[tuple[SellerId, Month], Fraction] = defaultdict(Fraction)
    for row in data.time:
        hours[(row.seller_id, row.month)] += (
            _share_minutes(row.minutes, row.sellers_in_entry, rules.team_wide_above) / 60
        )
    leavers: list[Leaver] = []
    for seller in sorted(data.sellers, key=lambda s: (s.ended_on or date.max, s.seller_id)):
        if seller.ended_on is None or not first.first_day() <= seller.ended_on <= last.last_day():
            continue
        if segment_on(spans.get(seller.seller_id, []), seller.ended_on) is not Segment.TOP:
            continue
        window = months_from(
            Month.of(seller.ended_on).plus(-rules.leaver_months), Month.of(seller.ended_on).plus(-1)
        )
        own = sum((hours.get((seller.seller_id, m), Fraction(0)) for m in window), Fraction(0))
        end = window[-1].last_day()
        stayers = [
            s
            for s in data.sellers
            if s.seller_id != seller.seller_id
            and s.started_on <= window[0].first_day()
            and (s.ended_on is None or s.ended_on > window[-1].plus(1).last_day())
            and segment_on(spans.get(s.seller_id, []), end) is Segment.TOP
        ]
        stayer_hours = (
            sum(
                (hours.get((s.seller_id, m), Fraction(0)) for s in stayers for m in window),
                Fraction(0),
            )
            / (len(stayers) * len(window))
            if stayers
            else None
        )
        leavers.append(
            Leaver(
                seller_id=seller.seller_id,
                email=seller.email,
                name=seller.name,
                left_on=seller.ended_on,
                hours_per_month=own / len(window),
                stayers_hours_per_month=stayer_hours,
            )
        )
    if not leavers:
        return None
    compared = [x for x in leavers if x.stayers_hours_per_month is not None]
    if len(leavers) < rules.min_leavers or not compared:
        return Retention(
            leavers=tuple(leavers),
            leavers_hours_per_month=None,
            stayers_hours_per_month=None,
            message=Message.counted(
                plural_noop(
                    "{count} top seller left; with fewer than {needed} leavers krutt lists "
                    "them without a comparison.",
                    "{count} top sellers left; with fewer than {needed} leavers krutt lists "
                    "them without a comparison.",
                ),
                "count",
                {"count": len(leavers), "needed": rules.min_leavers},
            ),
        )
    leaver_mean = Fraction(statistics.mean(x.hours_per_month for x in compared))
    stayer_mean = Fraction(
        statistics.mean(
            x.stayers_hours_per_month for x in compared if x.stayers_hours_per_month is not None
        )
    )
    return Retention(
        leavers=tuple(leavers),
        leavers_hours_per_month=leaver_mean,
        stayers_hours_per_month=stayer_mean,
        message=Message(
            gettext_noop(
                "In their last {months} months the {count} top sellers who left got {leavers} "
                "a month from you; the top sellers who stayed got {stayers} a month over the "
                "same months."
            ),
            {
                "months": rules.leaver_months,
                "count": len(compared),
                "leavers": Hours(leaver_mean),
                "stayers": Hours(stayer_mean),
            },
        ),
    )


def build_outcome(
    *,
    data: OutcomeData,
    policy: AllocationPolicy,
    today: date,
    rules: OutcomeRules = DEFAULT_OUTCOME_RULES,
    ramp_rules: RampRules = DEFAULT_RAMP_RULES,
) -> Outcome:
    """All five views over the last `rules.months` complete months before `today`."""
    first, last = outcome_window(today=today, months=rules.months)
    return Outcome(
        first=first,
        last=last,
        team=team_outcome(data=data, policy=policy, first=first, last=last, rules=rules),
        coaching=coaching_effects(
            seller_months(data=data, first=first, last=last, rules=rules), rules=rules
        ),
        ramp=tuple(ramp_rows(data=data, last=last, rules=ramp_rules)),
        wear=wear(energy=data.energy, today=today, rules=rules),
        retention=retention(data=data, first=first, last=last, rules=rules),
    )
