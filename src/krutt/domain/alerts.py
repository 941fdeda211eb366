"""The judgement calls a manager should see, each as a plain sentence with its numbers.

Allocation out of band; a top seller neglected (a retention risk); a new seller left to
sink or swim; a seller behind the team's ramp curve; a non-deliverer without a support
plan (the precondition of the rule); support exhausted without response; stale data.
Each alert carries an English msgid and the numbers behind it; the shell translates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

from krutt.domain.allocation import Allocation, Status
from krutt.domain.messages import (
    Hours,
    Message,
    Param,
    Percent,
    gettext_noop,
    half_up,
    percent_step,
)
from krutt.domain.months import Month
from krutt.domain.periods import Period
from krutt.domain.policy import AllocationPolicy
from krutt.domain.ramp import DEFAULT_RAMP_RULES, RampHistory, RampRules, check_ramp
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.domain.sellers import SellerId
from krutt.domain.support import SupportState
from krutt.domain.targets import fair_minutes, target_shares
from krutt.domain.team import TeamSeller, days_in_window, judged_since, share_of_window


class AlertCode(StrEnum):
    ALLOCATION_BELOW = "allocation_below"
    ALLOCATION_ABOVE = "allocation_above"
    NO_TIME_RECORDED = "no_time_recorded"
    TOP_NEGLECTED = "top_neglected"
    SINK_OR_SWIM = "sink_or_swim"
    # In the segment for too few days to judge their share yet (says when it will be).
    JUDGED_LATER = "judged_later"
    SLOW_RAMP = "slow_ramp"
    PRECONDITION_NOT_MET = "precondition_not_met"
    SUPPORT_EXHAUSTED = "support_exhausted"
    STALE_DATA = "stale_data"


@dataclass(frozen=True, kw_only=True, slots=True)
class Alert:
    code: AlertCode
    message: Message
    segment: Segment | None = None
    seller_email: str | None = None
    seller_id: SellerId | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class AttentionRules:
    """When a seller counts as neglected: under `neglect_below` of their fair share over
    the four weeks, or (top sellers) no 1:1 for `one_on_one_days` days."""

    neglect_below: Fraction = Fraction(1, 2)
    one_on_one_days: int = 30
    quiet_days: int = 7
    # A share of time is judged over at least this many days in the segment.
    min_segment_days: int = 7


DEFAULT_ATTENTION_RULES = AttentionRules()


def allocation_alerts(allocation: Allocation) -> list[Alert]:
    """A segment outside its band is worth a sentence; no time at all is worth one more."""
    if allocation.seller_minutes == 0:
        return [
            Alert(
                code=AlertCode.NO_TIME_RECORDED,
                message=Message(gettext_noop("No seller time is recorded for this period.")),
            )
        ]
    alerts: list[Alert] = []
    for segment in SEGMENT_ORDER:
        a = allocation.segments[segment]
        hours = Hours(a.minutes / 60)
        if a.status is Status.BELOW:
            alerts.append(
                Alert(
                    code=AlertCode.ALLOCATION_BELOW,
                    segment=segment,
                    message=Message(
                        gettext_noop(
                            "{segment} got {share} of your seller time ({hours}); "
                            "the policy says at least {minimum}."
                        ),
                        {
                            "segment": segment.label,
                            "share": Percent(a.share, _places(a.share, a.band.minimum)),
                            "hours": hours,
                            "minimum": Percent(a.band.minimum),
                        },
                    ),
                )
            )
        elif a.status is Status.ABOVE and a.band.maximum is not None:
            alerts.append(
                Alert(
                    code=AlertCode.ALLOCATION_ABOVE,
                    segment=segment,
                    message=Message(
                        gettext_noop(
                            "{segment} got {share} of your seller time ({hours}); "
                            "the policy says at most {maximum}."
                        ),
                        {
                            "segment": segment.label,
                            "share": Percent(a.share, _places(a.share, a.band.maximum)),
                            "hours": hours,
                            "maximum": Percent(a.band.maximum),
                        },
                    ),
                )
            )
    return alerts


def neglect_alerts(
    *,
    team: Sequence[TeamSeller],
    policy: AllocationPolicy,
    window: Period,
    on: date,
    rules: AttentionRules = DEFAULT_ATTENTION_RULES,
) -> list[Alert]:
    """Top sellers neglected and new sellers left to sink or swim over `window`.

    A seller's fair share is their segment's target share of all seller time in the
    window, split evenly over the segment's sellers, pro rata for the days they were in
    the segment (a seller who joined, or moved segment, during it). Under half of it is
    neglect; with fewer than `min_segment_days` such days it is not judged yet. For a top
    seller, no 1:1 for 30 days is neglect too.
    """
    targets = target_shares(policy, {s.segment for s in team})
    total = sum((s.received_minutes for s in team), Fraction(0))
    members = Counter(s.segment for s in team)
    alerts: list[Alert] = []
    for seller in team:
        if seller.segment not in (Segment.TOP, Segment.NEW):
            continue
        since = judged_since(seller)
        days = days_in_window(since, window)
        fair = fair_minutes(
            targets=targets,
            segment=seller.segment,
            members=members[seller.segment],
            total_minutes=total,
        ) * share_of_window(since, window)
        judged = days >= rules.min_segment_days
        short = judged and fair > 0 and seller.received_minutes < fair * rules.neglect_below
        if not judged and since > seller.started_on and since > window.first:
            alerts.append(_judged_later(seller, since, days, rules))
        numbers: dict[str, Param] = {
            "seller": seller.name,
            "hours": Hours(seller.received_minutes / 60),
            "fair": Hours(fair / 60),
        }
        if seller.segment is Segment.NEW:
            if short:
                alerts.append(
                    _seller_alert(
                        AlertCode.SINK_OR_SWIM,
                        seller,
                        gettext_noop(
                            "{seller} is new and got {hours} of your time in the last four "
                            "weeks, under half their fair share of the new sellers' band "
                            "({fair}): sink or swim."
                        ),
                        numbers,
                    )
                )
            continue
        alert = _top_alert(seller, short=short, numbers=numbers, on=on, rules=rules)
        if alert is not None:
            alerts.append(alert)
    return alerts


def _judged_later(seller: TeamSeller, since: date, days: int, rules: AttentionRules) -> Alert:
    """Just moved into the segment: say why their share is not judged yet, and from when."""
    return _seller_alert(
        AlertCode.JUDGED_LATER,
        seller,
        gettext_noop(
            "{seller} has been in {segment} since {since} ({days} days): their share of your "
            "time is judged from {from_day}."
        ),
        {
            "seller": seller.name,
            "segment": seller.segment.label,
            "since": since,
            "days": days,
            "from_day": since + timedelta(days=rules.min_segment_days - 1),
        },
    )


def _top_alert(
    seller: TeamSeller, *, short: bool, numbers: dict[str, Param], on: date, rules: AttentionRules
) -> Alert | None:
    """Under half the fair share, no 1:1 for 30 days, or both, in one sentence."""
    if seller.last_one_on_one is None:
        # No 1:1 on record: counted from the seller's start, as krutt cannot know before.
        quiet = (on - seller.started_on).days >= rules.one_on_one_days
        never = True
    else:
        quiet = (on - seller.last_one_on_one).days >= rules.one_on_one_days
        never = False
        if quiet:
            numbers["days"] = (on - seller.last_one_on_one).days
    if short and quiet and never:
        text = gettext_noop(
            "{seller} is a top seller and got {hours} of your time in the last four weeks, "
            "under half their fair share ({fair}), and has no 1:1 on record: a retention risk."
        )
    elif short and quiet:
        text = gettext_noop(
            "{seller} is a top seller and got {hours} of your time in the last four weeks, "
            "under half their fair share ({fair}), and no 1:1 for {days} days: a retention "
            "risk."
        )
    elif short:
        text = gettext_noop(
            "{seller} is a top seller and got {hours} of your time in the last four weeks, "
            "under half their fair share ({fair}): a retention risk."
        )
    elif quiet:
        numbers = {k: v for k, v in numbers.items() if k in ("seller", "days")}
        text = (
            gettext_noop("{seller} is a top seller and has no 1:1 on record: a retention risk.")
            if never
            else gettext_noop(
                "{seller} is a top seller and has had no 1:1 for {days} days: a retention risk."
            )
        )
    else:
        return None
    return _seller_alert(AlertCode.TOP_NEGLECTED, seller, text, numbers)


def support_alerts(team: Iterable[TeamSeller]) -> list[Alert]:
    """Non-deliverers without a support plan, and those whose sufficient support got no response."""
    alerts: list[Alert] = []
    for seller in team:
        status = seller.support
        if seller.segment is Segment.UNDER and (
            status is None or status.state is SupportState.NEEDS_PLAN
        ):
            alerts.append(
                _seller_alert(
                    AlertCode.PRECONDITION_NOT_MET,
                    seller,
                    gettext_noop(
                        "{seller} is not delivering but has no support plan. The 5–10 % rule "
                        "assumes sufficient support first: agree a plan with a goal, actions and "
                        "a review date."
                    ),
                    {"seller": seller.name},
                )
            )
        elif (
            status is not None
            and status.awaiting_decision
            and status.sufficiency
            and status.response
        ):
            response, sufficiency = status.response, status.sufficiency
            numbers: dict[str, Param] = {
                "seller": seller.name,
                "days": sufficiency.days,
                "hours": Hours(Fraction(sufficiency.minutes, 60)),
                "since": Percent(response.since or Fraction(0)),
            }
            if response.before is not None:
                numbers["before"] = Percent(response.before)
                text = gettext_noop(
                    "{seller} has had sufficient support ({days} days, {hours} of coaching and "
                    "training) and went from {before} to {since}: consider a career or transition "
                    "conversation. The decision is yours."
                )
            else:
                text = gettext_noop(
                    "{seller} has had sufficient support ({days} days, {hours} of coaching and "
                    "training) and is at {since}: consider a career or transition conversation. "
                    "The decision is yours."
                )
            alerts.append(_seller_alert(AlertCode.SUPPORT_EXHAUSTED, seller, text, numbers))
    return alerts


def ramp_alerts(
    *,
    team: Iterable[TeamSeller],
    histories: Sequence[RampHistory],
    on: date,
    rules: RampRules = DEFAULT_RAMP_RULES,
) -> list[Alert]:
    """New sellers behind the team's historical ramp curve (see `ramp`)."""
    by_id = {h.seller_id: h for h in histories}
    alerts: list[Alert] = []
    for seller in team:
        history = by_id.get(seller.seller_id)
        if seller.segment is not Segment.NEW or history is None:
            continue
        check = check_ramp(seller=history, peers=histories, on=on, rules=rules)
        if check is None or not check.behind:
            continue
        alerts.append(
            _seller_alert(
                AlertCode.SLOW_RAMP,
                seller,
                gettext_noop(
                    "{seller} is at {attainment} of target over their first {months} months; the "
                    "team's ramp curve is at {median} at the same point (the median of {peers} "
                    "earlier hires with a full first year)."
                ),
                {
                    "seller": seller.name,
                    "attainment": Percent(check.attainment),
                    "months": check.months,
                    "median": Percent(check.median),
                    "peers": check.peers,
                },
            )
        )
    return alerts


def stale_data_alerts(
    *,
    on: date,
    latest_performance: Month | None,
    last_time_recorded: date | None,
    rules: AttentionRules = DEFAULT_ATTENTION_RULES,
) -> list[Alert]:
    """No performance numbers for the last complete month; no time recorded for a week."""
    alerts: list[Alert] = []
    last_month = Month.of(on).plus(-1)
    if latest_performance is None or latest_performance < last_month:
        alerts.append(
            Alert(
                code=AlertCode.STALE_DATA,
                message=Message(
                    gettext_noop(
                        "No performance numbers for {month} yet: segments are judged on older data."
                    ),
                    {"month": str(last_month)},
                ),
            )
        )
    if last_time_recorded is None:
        alerts.append(
            Alert(
                code=AlertCode.STALE_DATA,
                message=Message(
                    gettext_noop("No time has been recorded yet: log time or import your calendar.")
                ),
            )
        )
    elif (on - last_time_recorded).days >= rules.quiet_days:
        alerts.append(
            Alert(
                code=AlertCode.STALE_DATA,
                message=Message(
                    gettext_noop(
                        "No time recorded for {days} days (last on {day}): log time or import "
                        "your calendar."
                    ),
                    {"days": (on - last_time_recorded).days, "day": last_time_recorded},
                ),
            )
        )
    return alerts


def team_alerts(
    *,
    team: Sequence[TeamSeller],
    policy: AllocationPolicy,
    window: Period,
    on: date,
    latest_performance: Month | None,
    last_time_recorded: date | None,
    histories: Sequence[RampHistory] = (),
    allocation: Allocation | None = None,
    rules: AttentionRules = DEFAULT_ATTENTION_RULES,
    ramp_rules: RampRules = DEFAULT_RAMP_RULES,
) -> list[Alert]:
    """Every alert for a manager's team on `on`, data problems first, then by severity."""
    alerts = stale_data_alerts(
        on=on,
        latest_performance=latest_performance,
        last_time_recorded=last_time_recorded,
        rules=rules,
    )
    if allocation is not None:
        alerts += [
            a for a in allocation_alerts(allocation) if a.code is not AlertCode.NO_TIME_RECORDED
        ]
    per_seller = (
        support_alerts(team)
        + neglect_alerts(team=team, policy=policy, window=window, on=on, rules=rules)
        + ramp_alerts(team=team, histories=histories, on=on, rules=ramp_rules)
    )
    per_seller.sort(key=lambda a: _SEVERITY.index(a.code))
    return alerts + per_seller


_SEVERITY = (
    AlertCode.SUPPORT_EXHAUSTED,
    AlertCode.TOP_NEGLECTED,
    AlertCode.SINK_OR_SWIM,
    AlertCode.SLOW_RAMP,
    AlertCode.PRECONDITION_NOT_MET,
    AlertCode.JUDGED_LATER,
)


def _seller_alert(
    code: AlertCode, seller: TeamSeller, text: str, params: Mapping[str, Param]
) -> Alert:
    return Alert(
        code=code,
        message=Message(text, params),
        segment=seller.segment,
        seller_email=seller.email,
        seller_id=seller.seller_id,
    )


def _places(share: Fraction, bound: Fraction) -> int:
    """Decimals the share needs so it does not read as equal to the bound it missed."""
    places = 0
    while places < 2 and half_up(share * 100, percent_step(places)) == half_up(
        bound * 100, percent_step(places)
    ):
        places += 1
    return places
