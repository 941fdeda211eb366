"""Next week's plan in the shell: propose it from the team and the calendar, save it, adjust it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import holidays as public_holidays
from django.utils import timezone

from krutt.domain.activities import Activity
from krutt.domain.errors import InvalidInput
from krutt.domain.messages import gettext_noop
from krutt.domain.periods import Period, iso_week_label
from krutt.domain.plan_warnings import PlanWarning, PlanWarningCode
from krutt.domain.planning import (
    SegmentPlan,
    SellerPlan,
    Slot,
    Unplaced,
    WeekPlan,
    check_session_time,
)
from krutt.domain.policy import AllocationPolicy, Band
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.domain.sellers import SellerId
from krutt.domain.workweek import Busy, WorkingHours
from krutt.exporters.plan_ics import Withdrawn, neutral_summary, plan_calendar, slot_uid
from krutt.services.plan_week import lookback_window, plan_week
from krutt.web.accounts.models import User
from krutt.web.clock import SystemClock
from krutt.web.dashboard.queries import manager_policy
from krutt.web.messages import decode_message, encode_message, render
from krutt.web.planning.models import BusyBlock, PlannedSlot, SavedWeek
from krutt.web.planning.team import team_facts
from krutt.web.sellers.policies import organisation_zone, resolve_policy


def norwegian_holidays(country: str, period: Period) -> set[date]:
    """Public holidays in the period, from the maintained `holidays` calendar."""
    calendar = public_holidays.country_holidays(
        country, years={period.first.year, period.last.year}
    )
    return {day for day in calendar if period.contains(day)}


def busy_in(manager: User, period: Period) -> list[Busy]:
    zone = organisation_zone(manager.organisation)  # type: ignore[arg-type]
    start = datetime.combine(period.first, datetime.min.time(), tzinfo=zone)
    end = start + timedelta(days=period.days)
    return [
        Busy(start=b.starts_at, end=b.ends_at)
        for b in BusyBlock.objects.filter(manager=manager, starts_at__lt=end, ends_at__gt=start)
    ]


def propose(
    manager: User,
    *,
    week: Period,
    hours: Decimal | Fraction | int,
    now: datetime,
    policy_key: str | None = None,
) -> WeekPlan:
    """A fresh plan for the week from the team as it stands at the week's start and the calendar."""
    organisation = manager.organisation
    assert organisation is not None
    policy = (
        resolve_policy(organisation, None, key=policy_key)
        if policy_key
        else manager_policy(organisation, manager)
    )
    # The days since the last 1:1 count to the week's start: a standing 1:1 inside the
    # planned week (imported from the calendar) is not "0 days ago".
    facts = team_facts(
        manager,
        on=week.first,
        window=lookback_window(week),
        now=now,
        one_on_ones_through=week.first - timedelta(days=1),
    )
    return plan_week(
        week=week,
        hours=hours,
        policy=policy,
        zone=organisation_zone(organisation),
        team=facts.team,
        busy=busy_in(manager, week),
        holidays=norwegian_holidays(organisation.holiday_country, week),
        working_hours=WorkingHours.parse(organisation.working_hours),
        now=now,
    )


def save_plan(manager: User, plan: WeekPlan) -> int:
    """Store the plan's slots with their UIDs; slots of an earlier save that are gone become cancelled."""
    label = plan.label
    existing = {s.uid: s for s in PlannedSlot.objects.filter(manager=manager, week=label)}
    kept: set[str] = set()
    for seller in plan.sellers:
        for number, slot in enumerate(sorted(seller.slots, key=lambda s: s.start), start=1):
            uid = slot_uid(
                manager=str(manager.pk), week=label, seller_id=seller.seller_id, number=number
            )
            kept.add(uid)
            row = existing.get(uid) or PlannedSlot(
                organisation=manager.organisation, manager=manager, week=label, uid=uid
            )
            row.seller_id = seller.seller_id
            row.starts_at, row.ends_at = slot.start, slot.end
            row.activity = slot.activity.value
            row.reason = encode_message(slot.reason)
            row.cancelled = False
            row.save()
    for uid, row in existing.items():
        if uid not in kept and not row.cancelled:
            row.cancelled = True
            row.save(update_fields=["cancelled"])
    SavedWeek.objects.update_or_create(
        manager=manager,
        week=label,
        defaults={
            "organisation": manager.organisation,
            "available_minutes": plan.available_minutes,
            "summary": encode_summary(plan),
            "saved_at": timezone.now(),
        },
    )
    return len(kept)


def encode_summary(plan: WeekPlan) -> dict[str, Any]:
    """The plan's per-segment table, warnings and what did not fit, JSON-safe and exact."""
    return {
        "segments": {
            segment.value: {
                "minimum": str(row.band.minimum),
                "maximum": None if row.band.maximum is None else str(row.band.maximum),
                "target": str(row.target),
                "minutes": row.minutes,
                "sellers": row.sellers,
            }
            for segment, row in plan.segments.items()
        },
        "warnings": [
            {"code": w.code.value, "message": encode_message(w.message)} for w in plan.warnings
        ],
        "unplaced": [
            {
                "seller_id": u.seller_id,
                "email": u.email,
                "name": u.name,
                "segment": u.segment.value,
                "minutes": u.minutes,
                "reason": encode_message(u.reason),
            }
            for u in plan.unplaced
        ],
    }


@dataclass(frozen=True, kw_only=True)
class Summary:
    segments: dict[Segment, SegmentPlan]
    warnings: list[PlanWarning]
    unplaced: list[Unplaced]


def decode_summary(data: dict[str, Any]) -> Summary:
    segments = {
        Segment(key): SegmentPlan(
            segment=Segment(key),
            band=Band(
                minimum=Fraction(row["minimum"]),
                maximum=None if row["maximum"] is None else Fraction(row["maximum"]),
            ),
            target=Fraction(row["target"]),
            minutes=row["minutes"],
            sellers=row["sellers"],
        )
        for key, row in data["segments"].items()
    }
    return Summary(
        segments={s: segments[s] for s in SEGMENT_ORDER if s in segments},
        warnings=[
            PlanWarning(code=PlanWarningCode(w["code"]), message=decode_message(w["message"]))
            for w in data["warnings"]
        ],
        unplaced=[
            Unplaced(
                seller_id=SellerId(u["seller_id"]),
                email=u["email"],
                name=u["name"],
                segment=Segment(u["segment"]),
                minutes=u["minutes"],
                reason=decode_message(u["reason"]),
            )
            for u in data["unplaced"]
        ],
    )


@dataclass(frozen=True, kw_only=True)
class SavedPlan:
    plan: WeekPlan
    rows: list[PlannedSlot]
    withdrawn: list[PlannedSlot]
    saved_at: datetime | None = None


def saved_plan(manager: User, week: Period, policy: AllocationPolicy) -> SavedPlan | None:
    """The saved plan for the week as a WeekPlan (for the page and the .ics), or None."""
    rows = list(
        PlannedSlot.objects.filter(manager=manager, week=iso_week_label(week.first)).select_related(
            "seller"
        )
    )
    if not rows:
        return None
    active = [r for r in rows if not r.cancelled]
    organisation = manager.organisation
    assert organisation is not None
    facts_segments = {
        t.seller_id: t.segment
        for t in team_facts(manager, on=week.first, window=week, now=SystemClock().now()).team
    }
    by_seller: dict[int, list[PlannedSlot]] = defaultdict(list)
    for row in active:
        by_seller[row.seller_id].append(row)
    sellers = [
        SellerPlan(
            seller_id=SellerId(seller_id),
            email=slots[0].seller.email,
            name=slots[0].seller.name,
            segment=facts_segments.get(SellerId(seller_id), Segment.CORE),
            minutes=sum(int((s.ends_at - s.starts_at).total_seconds() // 60) for s in slots),
            slots=tuple(
                Slot(
                    seller_id=SellerId(seller_id),
                    start=s.starts_at.astimezone(organisation_zone(organisation)),
                    end=s.ends_at.astimezone(organisation_zone(organisation)),
                    activity=Activity(s.activity),
                    reason=decode_message(s.reason),
                )
                for s in sorted(slots, key=lambda s: s.starts_at)
            ),
        )
        for seller_id, slots in sorted(by_seller.items(), key=lambda item: item[1][0].seller.name)
    ]
    stored = SavedWeek.objects.filter(manager=manager, week=iso_week_label(week.first)).first()
    summary = (
        decode_summary(stored.summary) if stored else Summary(segments={}, warnings=[], unplaced=[])
    )
    plan = WeekPlan(
        week=week,
        available_minutes=stored.available_minutes if stored else sum(s.minutes for s in sellers),
        policy=policy,
        zone=organisation_zone(organisation),
        segments=summary.segments,
        sellers=sellers,
        unplaced=summary.unplaced,
        warnings=summary.warnings,
    )
    return SavedPlan(
        plan=plan,
        rows=sorted(active, key=lambda r: r.starts_at),
        withdrawn=[r for r in rows if r.cancelled],
        saved_at=stored.saved_at if stored else None,
    )


def calendar_file(manager: User, saved: SavedPlan, *, stamp: datetime, language: str) -> bytes:
    return plan_calendar(
        saved.plan,
        manager=str(manager.pk),
        stamp=stamp,
        organizer_email=manager.email,
        render=lambda m: render(m, language),
        uids={(r.seller_id, r.starts_at): r.uid for r in saved.rows},
        withdrawn=[
            Withdrawn(
                uid=r.uid,
                start=r.starts_at,
                end=r.ends_at,
                summary=render(neutral_summary(r.seller.name or r.seller.email), language),
            )
            for r in saved.withdrawn
        ],
    )


def check_free(manager: User, *, start: datetime, end: datetime, ignore: int | None = None) -> None:
    """A moved or added slot must lie in the working time (not on a day off or a public
    holiday, within the hours) and not clash with another slot or an event in the calendar."""
    organisation = manager.organisation
    assert organisation is not None
    zone = organisation_zone(organisation)
    local_day = start.astimezone(zone).date()
    check_session_time(
        start=start,
        end=end,
        hours=WorkingHours.parse(organisation.working_hours),
        holidays=norwegian_holidays(
            organisation.holiday_country, Period(first=local_day, last=local_day)
        ),
        zone=zone,
    )
    clashes = PlannedSlot.objects.filter(
        manager=manager, cancelled=False, starts_at__lt=end, ends_at__gt=start
    )
    if ignore is not None:
        clashes = clashes.exclude(pk=ignore)
    if clashes.exists():
        raise InvalidInput(gettext_noop("That time overlaps another session in the plan."))
    if BusyBlock.objects.filter(manager=manager, starts_at__lt=end, ends_at__gt=start).exists():
        raise InvalidInput(gettext_noop("That time overlaps an event in your calendar."))


def save_week_plan(
    manager: User,
    *,
    week: Period,
    hours: Decimal | Fraction | int,
    now: datetime,
    channel: str,
    policy_key: str | None = None,
) -> tuple[WeekPlan, int]:
    """Propose the week's plan and keep it (audited); the web's Save and POST /api/v1/plans."""
    from krutt.web.audit.trail import record

    plan = propose(manager, week=week, hours=hours, now=now, policy_key=policy_key)
    count = save_plan(manager, plan)
    record(
        action="plan.save",
        object_type="plan",
        object_id=iso_week_label(week.first),
        organisation_id=manager.organisation_id,
        actor_id=manager.pk,
        actor_label=manager.email,
        channel=channel,
        changes={"slots": count, "hours": str(hours)},
    )
    return plan, count


def check_plannable(manager: User, week: Period, today: date) -> None:
    """Plans go no further than the stored segments (the end of next month)."""
    from krutt.web.sellers.refresh import segment_horizon

    assert manager.organisation is not None
    horizon = segment_horizon(manager.organisation, today)
    if week.first > horizon:
        raise InvalidInput(
            gettext_noop(
                "Week {week} is further ahead than krutt can plan: plans go no further than {last}."
            ),
            week=iso_week_label(week.first),
            last=horizon,
        )
