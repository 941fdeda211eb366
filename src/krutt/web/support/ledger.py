"""Writing the support ledger, the same way from the web and the CLI, audited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from krutt.domain.errors import InvalidInput
from krutt.domain.limits import NOTE_FIELD, TEXT_MAX, within_limit
from krutt.domain.messages import gettext_noop
from krutt.domain.sellers import SellerId
from krutt.domain.support import Decision, SupportAction, SupportKind, SupportPlan, record_decision
from krutt.web.audit.trail import record
from krutt.web.sellers.models import Seller
from krutt.web.support.models import SupportDecision, SupportLogEntry, SupportPlanAction
from krutt.web.support.models import SupportPlan as PlanRow
from krutt.web.support.repositories import support_statuses


def _audit(
    action: str, seller: Seller, actor_id: int | None, channel: str, changes: dict[str, object]
) -> None:
    record(
        action=action,
        object_type="seller",
        object_id=seller.pk,
        organisation_id=seller.organisation_id,
        actor_id=actor_id,
        channel=channel,
        changes=changes,
    )


def write_plan(
    *,
    seller: Seller,
    goal: str,
    started_on: date,
    review_on: date,
    actions: Sequence[tuple[SupportKind, str, int]],
    actor_id: int | None,
    channel: str = "web",
) -> PlanRow:
    if review_on <= started_on:
        raise InvalidInput(
            gettext_noop("The review date must come after the start ({start})."), start=started_on
        )
    # The domain value checks the rest (a goal, hours that are not negative).
    SupportPlan(
        seller_id=SellerId(seller.pk),
        goal=goal,
        started_on=started_on,
        review_on=review_on,
        actions=tuple(SupportAction(kind=k, description=d, minutes=m) for k, d, m in actions),
    )
    plan = PlanRow.objects.create(
        seller=seller,
        goal=goal.strip(),
        started_on=started_on,
        review_on=review_on,
        created_by_id=actor_id,
    )
    SupportPlanAction.objects.bulk_create(
        [
            SupportPlanAction(plan=plan, kind=k.value, description=d, minutes=m)
            for k, d, m in actions
        ]
    )
    _audit("support.plan", seller, actor_id, channel, {"plan": plan.pk, "actions": len(actions)})
    return plan


def log_support(
    *,
    seller: Seller,
    day: date,
    kind: SupportKind,
    minutes: int,
    note: str,
    actor_id: int | None,
    channel: str = "web",
) -> SupportLogEntry:
    if minutes <= 0:
        raise InvalidInput(
            gettext_noop("Minutes must be between 1 and {maximum}."), maximum=24 * 60
        )
    within_limit(note.strip(), limit=TEXT_MAX, field=NOTE_FIELD)
    entry = SupportLogEntry.objects.create(
        seller=seller,
        day=day,
        kind=kind.value,
        minutes=minutes,
        note=note.strip(),
        created_by_id=actor_id,
    )
    _audit("support.log", seller, actor_id, channel, {"kind": kind.value, "minutes": minutes})
    return entry


def decide(
    *,
    seller: Seller,
    decision: Decision,
    decided_on: date,
    reason: str,
    actor_id: int | None,
    channel: str = "web",
) -> SupportDecision:
    status = support_statuses([seller.pk], on=decided_on)[SellerId(seller.pk)]
    checked = record_decision(
        status=status, decision=decision, decided_on=decided_on, reason=reason
    )
    row = SupportDecision.objects.create(
        seller=seller,
        decision=checked.decision.value,
        decided_on=checked.decided_on,
        reason=checked.reason,
        created_by_id=actor_id,
    )
    _audit("support.decision", seller, actor_id, channel, {"decision": checked.decision.value})
    return row
