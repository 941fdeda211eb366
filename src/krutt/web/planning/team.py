"""A manager's team as the planner and the alerts see it on a day, fetched in a fixed few queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F, Max

from krutt.domain.activities import one_on_one_activities
from krutt.domain.months import Month
from krutt.domain.periods import Period
from krutt.domain.ramp import RampHistory
from krutt.domain.segments import Segment
from krutt.domain.sellers import MonthlyResult as MonthlyValue
from krutt.domain.sellers import SellerId
from krutt.domain.team import TeamSeller, received_by_seller
from krutt.web.accounts.models import Organisation, User
from krutt.web.sellers.models import MonthlyResult, SegmentPeriod, Seller
from krutt.web.sellers.queries import last_one_on_one_by_manager as last_one_on_ones
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
    return teams_facts(
        organisation,
        [manager.pk],
        on=on,
        window=window,
        now=now,
        one_on_ones_through=one_on_ones_through,
    )[manager.pk]


def teams_facts(
    organisation: Organisation,
    manager_ids: Sequence[int],
    *,
    on: date,
    window: Period,
    now: datetime,
    one_on_ones_through: date | None = None,
) -> dict[int, TeamFacts]:
    """`team_facts` of several managers at once, in the same fixed few queries as for one (the
    director's teams page must not pay a round trip per team)."""
    managers = list(dict.fromkeys(manager_ids))
    sellers = list(
        with_current_segment(
            Seller.objects.filter(team__manager_id__in=managers).filter(employed_between(on, on)),
            on,
        )
        .annotate(manager_id=F("team__manager_id"))
        .order_by("name")
    )
    ids = [s.pk for s in sellers]
    time = TimeRepository(organisation).period_times(
        manager_ids=managers, first=window.first, last=window.last, now=now
    )
    segments = {
        s.pk: Segment(getattr(s, "segment_now", None) or Segment.NEW.value) for s in sellers
    }
    since = segment_runs(ids, segments, on=on)
    last_one_on_one = last_one_on_ones(
        ids,
        managers,
        activities=one_on_one_activities(organisation.one_on_one_activities),
        now=now,
        through=one_on_ones_through or on,
    )
    statuses = support_statuses([s for s in ids if segments[s] is Segment.UNDER], on=on)
    ramps = ramp_histories(managers, before=Month.of(on))
    last_times = dict(
        TimeEntry.objects.filter(manager_id__in=managers, day__lte=on)
        .values("manager_id")
        .annotate(last=Max("day"))
        .values_list("manager_id", "last")
    )
    by_manager: dict[int, list[Seller]] = defaultdict(list)
    for seller in sellers:
        by_manager[seller.manager_id].append(seller)
    facts = {}
    for manager_id in managers:
        rows = time.get(manager_id)
        # A seller's share is judged on the time they got in the segment they are in now.
        received = received_by_seller(
            [
                row.time
                for row in (rows.time if rows is not None else [])
                if row.time.segment is segments.get(row.time.seller_id)
                and row.day >= since.get(row.time.seller_id, row.day)
            ],
            team_wide_above=organisation.team_wide_above,
        )
        team = [
            TeamSeller(
                seller_id=SellerId(s.pk),
                email=s.email,
                name=s.name,
                segment=segments[s.pk],
                started_on=s.started_on,
                received_minutes=received.get(SellerId(s.pk), 0),  # type: ignore[arg-type]
                last_one_on_one=last_one_on_one.get((s.pk, manager_id)),
                support=statuses.get(SellerId(s.pk)),
                segment_since=since.get(s.pk),
            )
            for s in by_manager.get(manager_id, [])
        ]
        histories, latest = ramps.get(manager_id, ([], None))
        facts[manager_id] = TeamFacts(
            team=team,
            histories=histories,
            latest_performance=latest,
            last_time_recorded=last_times.get(manager_id),
        )
    return facts


def ramp_histories(
    manager_ids: Sequence[int], *, before: Month
) -> dict[int, tuple[list[RampHistory], Month | None]]:
    """Per manager, the monthly results before `before` of everyone who has been on their
    teams (the ramp curve compares new sellers with those who started before them), and
    the latest month with a result (the stale-data check)."""
    everyone: dict[int, list[tuple[int, date]]] = defaultdict(list)
    for seller_id, started_on, manager_id in Seller.objects.filter(
        team__manager_id__in=list(manager_ids)
    ).values_list("id", "started_on", "team__manager_id"):
        everyone[manager_id].append((seller_id, started_on))
    results: dict[int, list[MonthlyValue]] = defaultdict(list)
    latest_of: dict[int, Month] = {}
    for seller_id, month, target, actual in MonthlyResult.objects.filter(
        seller__team__manager_id__in=list(manager_ids), month__lt=before.first_day()
    ).values_list("seller_id", "month", "target", "actual"):
        results[seller_id].append(MonthlyValue(month=Month.of(month), target=target, actual=actual))
        if actual is not None and (
            seller_id not in latest_of or Month.of(month) > latest_of[seller_id]
        ):
            latest_of[seller_id] = Month.of(month)
    read: dict[int, tuple[list[RampHistory], Month | None]] = {}
    for manager_id, starts in everyone.items():
        latest = [latest_of[s] for s, _ in starts if s in latest_of]
        read[manager_id] = (
            [
                RampHistory(seller_id=SellerId(s), started_on=started, results=results.get(s, []))
                for s, started in starts
            ],
            max(latest) if latest else None,
        )
    return read


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
