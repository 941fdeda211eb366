"""Next week's plan: hours per segment and seller, placed as sessions with a reason each.

A manager states how many hours of seller time the week has. Those hours split over the
segments by the policy, then over the sellers (see `planning_hours`), and land as slots
in the free working time (see `placement`). Every slot says what it is for in words the
manager uses; what does not fit is listed, and the plan warns when the hours are too few
to matter (the guideline of 3–5 hours of coaching per seller a month).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

from krutt.domain.activities import Activity
from krutt.domain.errors import InvalidInput
from krutt.domain.messages import Message, gettext_noop
from krutt.domain.periods import Period, iso_week_label
from krutt.domain.placement import Leftover, SessionRequest, Shortfall, place_sessions
from krutt.domain.plan_warnings import LeftOut, PlanWarning, plan_warnings
from krutt.domain.planning_hours import DEFAULT_SESSION_RULES, SellerNeed, SessionRules, share_week
from krutt.domain.policy import AllocationPolicy, Band
from krutt.domain.purposes import purpose_of
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.domain.sellers import SellerId
from krutt.domain.team import TeamSeller, last_four_weeks, share_of_window
from krutt.domain.workweek import WorkDay, WorkingHours


@dataclass(frozen=True, kw_only=True, slots=True)
class Slot:
    seller_id: SellerId
    start: datetime
    end: datetime
    activity: Activity
    reason: Message

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True, kw_only=True, slots=True)
class SellerPlan:
    """A seller's minutes this week and the slots they landed in (in the organisation's zone)."""

    seller_id: SellerId
    email: str
    name: str
    segment: Segment
    minutes: int
    slots: tuple[Slot, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class SegmentPlan:
    segment: Segment
    band: Band
    target: Fraction
    minutes: int
    sellers: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Unplaced:
    """Minutes planned for a seller that found no place in the free time, and why."""

    seller_id: SellerId
    email: str
    name: str
    segment: Segment
    minutes: int
    reason: Message


@dataclass(frozen=True, kw_only=True, slots=True)
class WeekPlan:
    week: Period
    available_minutes: int
    policy: AllocationPolicy
    zone: ZoneInfo
    segments: dict[Segment, SegmentPlan]
    sellers: list[SellerPlan]
    unplaced: list[Unplaced]
    warnings: list[PlanWarning]

    @property
    def label(self) -> str:
        """The ISO week, like `2026-W49`."""
        return iso_week_label(self.week.first)

    @property
    def planned_minutes(self) -> int:
        return sum(s.minutes for s in self.sellers)

    @property
    def placed_minutes(self) -> int:
        return sum(slot.minutes for s in self.sellers for slot in s.slots)

    def slots(self) -> list[Slot]:
        return sorted(
            (slot for s in self.sellers for slot in s.slots), key=lambda s: (s.start, s.seller_id)
        )


def plan_sessions(
    *,
    week: Period,
    available_minutes: int,
    team: Sequence[TeamSeller],
    policy: AllocationPolicy,
    workdays: Sequence[WorkDay],
    zone: ZoneInfo,
    rules: SessionRules = DEFAULT_SESSION_RULES,
) -> WeekPlan:
    """The week's plan for `team`: hours by policy and carry-over, placed in the free time."""
    if len({s.seller_id for s in team}) != len(team):
        raise ValueError("each seller may appear in the team only once")
    purposes = {s.seller_id: purpose_of(s, week=week) for s in team}
    # One session a day at most: the working days bound how many a seller can have. Busy
    # events do not, so a week full of meetings shows what did not fit instead of hiding it.
    days = len(workdays)
    usable_days = sum(1 for d in workdays if any(gap.minutes >= rules.minimum for gap in d.free))
    received = _comparable_received(team, week=week)
    needs = [
        SellerNeed(
            seller_id=s.seller_id,
            segment=s.segment,
            received=received[s.seller_id],
            sessions=min(days, purposes[s.seller_id].sessions or days),
        )
        for s in team
    ]
    hours = share_week(available=available_minutes, needs=needs, policy=policy, rules=rules)
    requests = [
        SessionRequest(
            seller_id=s.seller_id,
            segment=s.segment,
            lengths=tuple(rules.split(hours.sellers[s.seller_id])),
        )
        for s in team
        if hours.sellers[s.seller_id] > 0
    ]
    placement = place_sessions(
        requests=requests, week=workdays, planned=hours.segments, rules=rules
    )

    slots: dict[SellerId, list[Slot]] = {s.seller_id: [] for s in team}
    for session in placement.sessions:
        purpose = purposes[session.seller_id]
        slots[session.seller_id].append(
            Slot(
                seller_id=session.seller_id,
                start=session.span.start.astimezone(zone),
                end=session.span.end.astimezone(zone),
                activity=purpose.activity,
                reason=purpose.reason,
            )
        )
    ordered = sorted(team, key=lambda s: (SEGMENT_ORDER.index(s.segment), s.name, s.email))
    sellers = [
        SellerPlan(
            seller_id=s.seller_id,
            email=s.email,
            name=s.name,
            segment=s.segment,
            minutes=hours.sellers[s.seller_id],
            slots=tuple(slots[s.seller_id]),
        )
        for s in ordered
    ]
    by_id = {s.seller_id: s for s in team}
    unplaced = [_unplaced(by_id[left.seller_id], left) for left in placement.leftovers]
    unplaced.sort(key=lambda u: (SEGMENT_ORDER.index(u.segment), u.name, u.email))
    segments = {
        segment: SegmentPlan(
            segment=segment,
            band=policy.band(segment),
            target=hours.targets.share(segment),
            minutes=hours.segments[segment],
            sellers=sum(1 for s in team if s.segment is segment),
        )
        for segment in SEGMENT_ORDER
    }
    warnings = plan_warnings(
        week=week,
        available_minutes=available_minutes,
        team_size=len(team),
        within_bands=hours.targets.within_bands,
        unassigned=hours.unassigned,
        left_out=_left_out(sellers, needs=needs, shares=hours.targets.share, usable=usable_days),
        usable_days=usable_days,
        unplaced_minutes=sum(u.minutes for u in unplaced),
        rules=rules,
    )
    return WeekPlan(
        week=week,
        available_minutes=available_minutes,
        policy=policy,
        zone=zone,
        segments=segments,
        sellers=sellers,
        unplaced=unplaced,
        warnings=warnings,
    )


def _left_out(
    sellers: Sequence[SellerPlan],
    *,
    needs: Sequence[SellerNeed],
    shares: Callable[[Segment], Fraction],
    usable: int,
) -> dict[LeftOut, list[str]]:
    """The names of the sellers without a session, by why (in the plan's order)."""
    sessions = {n.seller_id: n.sessions for n in needs}
    left: dict[LeftOut, list[str]] = {}
    for seller in sellers:
        if seller.slots:
            continue
        if seller.minutes:
            cause = LeftOut.NO_SLOT
        elif shares(seller.segment) == 0:
            cause = LeftOut.NO_SHARE
        elif usable == 0 or sessions[seller.seller_id] == 0:
            cause = LeftOut.NO_SLOT
        else:
            cause = LeftOut.HOURS
        left.setdefault(cause, []).append(seller.name or seller.email)
    return left


def _comparable_received(team: Sequence[TeamSeller], *, week: Period) -> dict[SellerId, Fraction]:
    """Minutes received over the four weeks, scaled up for sellers who joined during them;
    a seller who joins this week counts as average for their segment."""
    window = last_four_weeks(week.first)
    scaled: dict[SellerId, Fraction | None] = {}
    for seller in team:
        present = share_of_window(seller.started_on, window)
        scaled[seller.seller_id] = seller.received_minutes / present if present else None
    result: dict[SellerId, Fraction] = {}
    for seller in team:
        value = scaled[seller.seller_id]
        if value is None:
            known = [
                v
                for s in team
                if s.segment is seller.segment and (v := scaled[s.seller_id]) is not None
            ]
            value = sum(known, Fraction(0)) / len(known) if known else Fraction(0)
        result[seller.seller_id] = value
    return result


def _unplaced(seller: TeamSeller, left: Leftover) -> Unplaced:
    if left.cause is Shortfall.SELLER_DAYS_TAKEN:
        text = gettext_noop(
            "The free time left is on days that already have a session with this seller "
            "(one a day at most)."
        )
    else:
        text = gettext_noop("Your working hours this week have no free time left for a session.")
    return Unplaced(
        seller_id=seller.seller_id,
        email=seller.email,
        name=seller.name,
        segment=seller.segment,
        minutes=left.minutes,
        reason=Message(text),
    )


def check_session_time(
    *,
    start: datetime,
    end: datetime,
    hours: WorkingHours,
    holidays: Collection[date],
    zone: ZoneInfo,
) -> None:
    """Refuse a session (moved or added by the manager) outside their working time:
    on a day off, on a public holiday, or outside the working hours of the day."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("session times must be timezone-aware")
    if end <= start:
        raise InvalidInput(gettext_noop("A session must end after it starts."))
    first, last = start.astimezone(zone), end.astimezone(zone)
    day = first.date()
    if day.weekday() not in hours.weekdays:
        raise InvalidInput(gettext_noop("{day} is not one of your working days."), day=day)
    if day in holidays:
        raise InvalidInput(
            gettext_noop("{day} is a public holiday; choose a working day."), day=day
        )
    if last.date() != day or first.time() < hours.start or last.time() > hours.end:
        raise InvalidInput(
            gettext_noop("A session must lie within your working hours, {start} to {end}."),
            start=hours.start.strftime("%H:%M"),
            end=hours.end.strftime("%H:%M"),
        )
