"""A manager's team as the planner and the alerts see it on a day, fetched in a fixed few queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Max

from krutt.domain.activities import Activity
from krutt.domain.months import Month
from krutt.domain.periods import Period
from krutt.domain.ramp import RampHistory
from krutt.domain.segments import Segment
from krutt.domain.sellers import MonthlyResult as MonthlyValue
from krutt.domain.sellers import SellerId
from krutt.domain.team import TeamSeller, received_by_seller
from krutt.web.accounts.models import User
from krutt.web.sellers.models import MonthlyResult, Seller
from krutt.web.sellers.queries import with_current_segment
from krutt.web.sellers.repositories import employed_between
from krutt.web.support.repositories import support_statuses
from krutt.web.timelog.models import TimeEntry, TimeEntrySeller
from krutt.web.timelog.repositories import TimeRepository


@dataclass(frozen=True, kw_only=True)
class TeamFacts:
    team: list[TeamSeller]
    histories: list[RampHistory]
    latest_performance: Month | None
    last_time_recorded: date | None


def team_facts(
    manager: User, *, on: date, window: Period, one_on_ones_through: date | None = None
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
        .period_time(manager_id=manager.pk, first=window.first, last=window.last)
        .time
    )
    received = received_by_seller(time, team_wide_above=organisation.team_wide_above)
    last_one_on_one = dict(
        TimeEntrySeller.objects.filter(
            seller_id__in=ids,
            entry__manager=manager,
            entry__activity=Activity.ONE_ON_ONE.value,
            entry__day__lte=one_on_ones_through or on,
        )
        .values("seller_id")
        .annotate(last=Max("entry__day"))
        .values_list("seller_id", "last")
    )
    segments = {
        s.pk: Segment(getattr(s, "segment_now", None) or Segment.NEW.value) for s in sellers
    }
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
