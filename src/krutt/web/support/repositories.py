"""Support ledgers from the database: a handful of queries for a whole team."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from krutt.domain.activities import Activity
from krutt.domain.months import Month
from krutt.domain.sellers import MonthlyResult as MonthlyValue
from krutt.domain.sellers import SellerId
from krutt.domain.support import (
    Decision,
    EntrySource,
    ManagerDecision,
    SupportAction,
    SupportEntry,
    SupportKind,
    SupportPlan,
    SupportStatus,
    evaluate_support,
    support_entry_from_time,
)
from krutt.web.sellers.models import MonthlyResult
from krutt.web.support.models import SupportDecision, SupportLogEntry
from krutt.web.support.models import SupportPlan as PlanRow
from krutt.web.timelog.models import TimeEntrySeller


def support_statuses(seller_ids: Sequence[int], *, on: date) -> dict[SellerId, SupportStatus]:
    """Each seller's ledger judged on `on`: the latest plan, what was given since, the numbers, decisions."""
    if not seller_ids:
        return {}
    plans: dict[int, SupportPlan] = {}
    for row in PlanRow.objects.filter(
        seller_id__in=seller_ids, started_on__lte=on
    ).prefetch_related("actions"):
        if row.seller_id in plans:
            continue  # ordered newest first: the latest plan is in force
        plans[row.seller_id] = SupportPlan(
            seller_id=SellerId(row.seller_id),
            goal=row.goal,
            started_on=row.started_on,
            review_on=row.review_on,
            actions=tuple(
                SupportAction(
                    kind=SupportKind(a.kind), description=a.description, minutes=a.minutes
                )
                for a in row.actions.all()
            ),
        )
    entries: dict[int, list[SupportEntry]] = defaultdict(list)
    for e in SupportLogEntry.objects.filter(seller_id__in=seller_ids, day__lte=on):
        entries[e.seller_id].append(
            SupportEntry(
                day=e.day,
                kind=SupportKind(e.kind),
                minutes=e.minutes,
                source=EntrySource.MANUAL,
                note=e.note,
            )
        )
    if plans:
        earliest = min(p.started_on for p in plans.values())
        links = TimeEntrySeller.objects.filter(
            seller_id__in=list(plans),
            entry__day__gte=earliest,
            entry__day__lte=on,
            entry__activity__in=[Activity.COACHING.value, Activity.TRAINING.value],
        ).values_list(
            "seller_id", "entry__activity", "entry__day", "entry__minutes", "entry__seller_count"
        )
        for seller_id, activity, day, minutes, count in links:
            # A group session gives each seller their share of it.
            entry = support_entry_from_time(
                activity=Activity(activity), day=day, minutes=round(minutes / count)
            )
            if entry is not None:
                entries[seller_id].append(entry)
    results: dict[int, list[MonthlyValue]] = defaultdict(list)
    for seller_id, month, target, actual in MonthlyResult.objects.filter(
        seller_id__in=list(plans), month__lt=Month.of(on).first_day()
    ).values_list("seller_id", "month", "target", "actual"):
        results[seller_id].append(MonthlyValue(month=Month.of(month), target=target, actual=actual))
    decisions: dict[int, list[ManagerDecision]] = defaultdict(list)
    for d in SupportDecision.objects.filter(seller_id__in=seller_ids, decided_on__lte=on):
        decisions[d.seller_id].append(
            ManagerDecision(decision=Decision(d.decision), decided_on=d.decided_on, reason=d.reason)
        )
    return {
        SellerId(s): evaluate_support(
            seller_id=SellerId(s),
            plan=plans.get(s),
            entries=entries.get(s, []),
            results=results.get(s, []),
            decisions=decisions.get(s, []),
            on=on,
        )
        for s in seller_ids
    }
