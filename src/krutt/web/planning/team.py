"""A manager's team as the planner and the alerts see it on a day, fetched in a fixed few queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Max

from krutt.domain.activities import one_on_one_activities
from krutt.domain.months import Month
from krutt.domain.periods import Period
from krutt.domain.ramp import RampHistory
from krutt.domain.segments import Segment
from krutt.domain.sellers import MonthlyResult as MonthlyValue
from krutt.domain.sellers import SellerId
from krutt.domain.team import TeamSeller, received_by_seller
from krutt.web.accounts.models import User
from krutt.web.sellers.models import MonthlyResult, SegmentPeriod, Seller
from krutt.web.sellers.queries import last_one_on_one as last_one_on_ones
from krutt.web.sellers.queries import with_current_segment
from krutt.web.sellers.repositories import employed_between
from krutt.web.support.repositories import support_statuses
from krutt.web.timelog.models import TimeEntry
from krutt.web.timelog.repositories import TimeRepository


@dataclass(frozen=True, kw_only=True)
class TeamFacts:
    team: list[TeamSeller]
    histories: list[RampHistory]
    latest_performance: Month | None
    last_time_recorded: date | None


def team_facts(
    manager: User,
    *,
    on: date,
    window: Period,
    now: datetime,
    one_on_ones_through: date | None = None,
) -> TeamFacts:
    """The manager's sellers on `on` with their segment, the time they got in `window`, their last
    1:1 (up to `one_on_ones_through`, default `on`) and support status; plus the numbers the
    ramp and stale-data checks read."""
    organisation = manager.organisation
    assert organisation is not None
    sellers = list(
        with_current_segment(
            Seller.objects.filter(team__manager=manager).filter(employed_between(on, on)), on
        ).order_by("name")
    )
    ids = [s.pk for s in sellers]
    time = (
        TimeRepository(organisation)
        .period_time(manager_id=manager.pk, first=window.first, last=window.last, now=now)
        .time
    )
    segments = {
        s.pk: Segment(getattr(s, "segment_now", None) or Segment.NEW.value) for s in sellers
    }
    since = segment_runs(ids, segments, on=on)
    # A seller's share is judged on the time they got in the segment they are in now.
    received = received_by_seller(
        [
            row.time
            for row in time
            if row.time.segment is segments.get(row.time.seller_id)
            and row.day >= since.get(row.time.seller_id, row.day)
        ],
        team_wide_above=organisation.team_wide_above,
    )
    last_one_on_one = last_one_on_ones(
        ids,
        [manager.pk],
        activities=one_on_one_activities(organisation.one_on_one_activities),
        now=now,
        through=one_on_ones_through or on,
    )
    statuses = support_statuses([s for s in ids if segments[s] is Segment.UNDER], on=on)
    team = [
        TeamSeller(
            seller_id=SellerId(s.pk),
            email=s.email,
            name=s.name,
            segment=segments[s.pk],
            started_on=s.started_on,
            received_minutes=received.get(SellerId(s.pk), 0),  # type: ignore[arg-type]
            last_one_on_one=last_one_on_one.get(s.pk),
            support=statuses.get(SellerId(s.pk)),
            segment_since=since.get(s.pk),
        )
        for s in sellers
    ]
    # The ramp curve compares new sellers with everyone who started before them on the teams.
    everyone = Seller.objects.filter(team__manager=manager).values_list("id", "started_on")
    starts = dict(everyone)
    results: dict[int, list[MonthlyValue]] = defaultdict(list)
    latest: Month | None = None
    for seller_id, month, target, actual in MonthlyResult.objects.filter(
        seller_id__in=list(starts), month__lt=Month.of(on).first_day()
    ).values_list("seller_id", "month", "target", "actual"):
        results[seller_id].append(MonthlyValue(month=Month.of(month), target=target, actual=actual))
        if actual is not None and (latest is None or Month.of(month) > latest):
            latest = Month.of(month)
    histories = [
        RampHistory(seller_id=SellerId(s), started_on=started, results=results.get(s, []))
        for s, started in starts.items()
    ]
    last_time = TimeEntry.objects.filter(manager=manager, day__lte=on).aggregate(last=Max("day"))[
        "last"
    ]
    return TeamFacts(
        team=team, histories=histories, latest_performance=latest, last_time_recorded=last_time
    )


def segment_runs(
    seller_ids: list[int], segments: dict[int, Segment], *, on: date
) -> dict[int, date]:
    """The first day of each seller's current run in their segment (their history up to `on`)."""
    since: dict[int, date] = {}
    done: set[int] = set()
    for seller_id, valid_from, segment in (
        SegmentPeriod.objects.filter(seller_id__in=seller_ids, valid_from__lte=on)
        .order_by("seller_id", "-valid_from")
        .values_list("seller_id", "valid_from", "segment")
    ):
        if seller_id in done:
            continue
        if segment == segments.get(seller_id):
            since[seller_id] = valid_from
        else:
            done.add(seller_id)
    return since
