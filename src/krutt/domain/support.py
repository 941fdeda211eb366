"""The support ledger of a non-deliverer: the plan, the support given, and whether it worked.

The 5–10 % rule assumes non-deliverers have had sufficient support. Until they have a
written plan they `need a plan`; with one they are `in support`; then the numbers say
whether they `responded` (attainment since the plan against the months before it) or,
once the support was sufficient, are `not responding`. krutt then suggests a career or
transition conversation and records the manager's decision; it never decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction

from krutt.domain.activities import Activity
from krutt.domain.errors import InvalidInput
from krutt.domain.limits import (
    ACTION_FIELD,
    ACTION_MAX,
    GOAL_FIELD,
    REASON_FIELD,
    TEXT_MAX,
    within_limit,
)
from krutt.domain.messages import Hours, Label, Message, Param, gettext_noop
from krutt.domain.response import (
    DEFAULT_RESPONSE_RULE,
    Response,
    ResponseCheck,
    ResponseRule,
    check_response,
)
from krutt.domain.sellers import MonthlyResult, SellerId


class SupportState(StrEnum):
    NEEDS_PLAN = "needs_plan"
    IN_SUPPORT = "in_support"
    RESPONDED = "responded"
    NOT_RESPONDING = "not_responding"


class SupportKind(StrEnum):
    """The agreed actions of a support plan."""

    TRAINING = "training"
    COACHING = "coaching"
    MENTOR = "mentor"
    TOOLS = "tools"

    @property
    def label(self) -> Label:
        return Label(SUPPORT_KIND_LABELS[self])


SUPPORT_KIND_LABELS: dict[SupportKind, str] = {
    SupportKind.TRAINING: gettext_noop("Training"),
    SupportKind.COACHING: gettext_noop("Coaching sessions"),
    SupportKind.MENTOR: gettext_noop("Mentor"),
    SupportKind.TOOLS: gettext_noop("Tools"),
}

# Logged time of these activity types with the seller counts as support given.
SUPPORT_ACTIVITIES: dict[Activity, SupportKind] = {
    Activity.COACHING: SupportKind.COACHING,
    Activity.TRAINING: SupportKind.TRAINING,
}

# Only coaching and training count towards «sufficient support».
COUNTED_KINDS = frozenset({SupportKind.COACHING, SupportKind.TRAINING})


class EntrySource(StrEnum):
    MANUAL = "manual"
    TIME_ENTRY = "time_entry"


class Decision(StrEnum):
    """What the manager decided for a seller who did not respond to sufficient support."""

    CONTINUE = "continue"
    CHANGE_ROLE = "change_role"
    TRANSITION = "transition"

    @property
    def label(self) -> Label:
        return Label(DECISION_LABELS[self])


DECISION_LABELS: dict[Decision, str] = {
    Decision.CONTINUE: gettext_noop("Continue support"),
    Decision.CHANGE_ROLE: gettext_noop("Change of role"),
    Decision.TRANSITION: gettext_noop("Transition out"),
}


@dataclass(frozen=True, kw_only=True, slots=True)
class SupportAction:
    """One agreed action (training, coaching sessions, a mentor, tools) and its planned minutes."""

    kind: SupportKind
    description: str
    minutes: int

    def __post_init__(self) -> None:
        if self.minutes < 0:
            raise InvalidInput(gettext_noop("An action's hours cannot be negative."))
        within_limit(self.description, limit=ACTION_MAX, field=ACTION_FIELD)


@dataclass(frozen=True, kw_only=True, slots=True)
class SupportPlan:
    """The written plan: goal, start, review date and the agreed actions."""

    seller_id: SellerId
    goal: str
    started_on: date
    review_on: date
    actions: tuple[SupportAction, ...] = ()

    def __post_init__(self) -> None:
        if not self.goal.strip():
            raise InvalidInput(gettext_noop("A support plan needs a goal."))
        within_limit(self.goal, limit=TEXT_MAX, field=GOAL_FIELD)
        if self.review_on <= self.started_on:
            raise InvalidInput(
                gettext_noop("The review date ({review}) must come after the start ({start})."),
                review=self.review_on,
                start=self.started_on,
            )

    @property
    def planned(self) -> dict[SupportKind, int]:
        """Minutes agreed per kind of action, to set beside what was given."""
        minutes: dict[SupportKind, int] = {}
        for action in self.actions:
            minutes[action.kind] = minutes.get(action.kind, 0) + action.minutes
        return minutes

    @property
    def written(self) -> bool:
        """A plan counts as written once it has a goal and at least one agreed action."""
        return bool(self.actions)


@dataclass(frozen=True, kw_only=True, slots=True)
class SupportEntry:
    """Support given on a day: logged by hand, or a coaching/training time entry with the seller."""

    day: date
    kind: SupportKind
    minutes: int
    source: EntrySource = EntrySource.MANUAL
    note: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class ManagerDecision:
    decision: Decision
    decided_on: date
    reason: str


@dataclass(frozen=True, kw_only=True, slots=True)
class SupportCriteria:
    """When support counts as sufficient and what counts as a response (defaults: the product's)."""

    min_days: int = 90
    min_minutes: int = 8 * 60
    response: ResponseRule = DEFAULT_RESPONSE_RULE

    def __post_init__(self) -> None:
        if self.min_days < 0 or self.min_minutes < 0:
            raise InvalidInput(
                gettext_noop("Sufficient support needs zero or more days and hours.")
            )


DEFAULT_SUPPORT_CRITERIA = SupportCriteria()


@dataclass(frozen=True, kw_only=True, slots=True)
class Sufficiency:
    """Whether the support given so far meets the criteria, with the numbers behind it."""

    written: bool
    days: int
    minutes: int
    sufficient: bool
    message: Message


@dataclass(frozen=True, kw_only=True, slots=True)
class SupportStatus:
    """Where a seller stands in the support ledger on a day, and why."""

    seller_id: SellerId
    state: SupportState
    plan: SupportPlan | None
    sufficiency: Sufficiency | None
    response: ResponseCheck | None
    decision: ManagerDecision | None
    explanation: Message
    suggestion: Message | None = None
    delivered: dict[SupportKind, int] = field(default_factory=dict)

    @property
    def awaiting_decision(self) -> bool:
        return self.state is SupportState.NOT_RESPONDING and self.decision is None


def check_sufficiency(
    *, plan: SupportPlan, entries: Iterable[SupportEntry], criteria: SupportCriteria, on: date
) -> Sufficiency:
    """Sufficient once the plan is written, has run `min_days` days and has given
    `min_minutes` of coaching and training."""
    days = max((on - plan.started_on).days, 0)
    minutes = sum(
        e.minutes for e in entries if e.kind in COUNTED_KINDS and plan.started_on <= e.day <= on
    )
    sufficient = plan.written and days >= criteria.min_days and minutes >= criteria.min_minutes
    params: dict[str, Param] = {
        "days": days,
        "min_days": criteria.min_days,
        "hours": Hours(Fraction(minutes, 60)),
        "min_hours": Hours(Fraction(criteria.min_minutes, 60)),
    }
    if sufficient:
        text = gettext_noop(
            "Sufficient support: a written plan, {days} days (at least {min_days}) and {hours} "
            "of coaching and training (at least {min_hours})."
        )
    elif not plan.written:
        text = gettext_noop(
            "Not yet sufficient: the plan has no agreed actions yet; {days} days (at least "
            "{min_days}) and {hours} of coaching and training (at least {min_hours})."
        )
    else:
        text = gettext_noop(
            "Not yet sufficient: {days} days (at least {min_days}) and {hours} of coaching and "
            "training (at least {min_hours})."
        )
    return Sufficiency(
        written=plan.written,
        days=days,
        minutes=minutes,
        sufficient=sufficient,
        message=Message(text, params),
    )


def evaluate_support(
    *,
    seller_id: SellerId,
    plan: SupportPlan | None,
    entries: Iterable[SupportEntry] = (),
    results: Iterable[MonthlyResult] = (),
    decisions: Iterable[ManagerDecision] = (),
    criteria: SupportCriteria = DEFAULT_SUPPORT_CRITERIA,
    on: date,
) -> SupportStatus:
    """The seller's state in the ledger on `on`, explained, with krutt's suggestion if it has one.

    `plan` is the seller's current (latest) plan; decisions made before it started belong
    to an earlier round and are ignored.
    """
    if plan is None:
        return SupportStatus(
            seller_id=seller_id,
            state=SupportState.NEEDS_PLAN,
            plan=None,
            sufficiency=None,
            response=None,
            decision=None,
            explanation=Message(
                gettext_noop(
                    "No support plan yet, so the 5–10 % rule does not apply to this seller yet."
                )
            ),
            suggestion=Message(
                gettext_noop(
                    "Agree a written support plan: a goal, actions with hours, and a review date."
                )
            ),
        )
    entries = list(entries)
    delivered: dict[SupportKind, int] = {}
    for entry in entries:
        if plan.started_on <= entry.day <= on:
            delivered[entry.kind] = delivered.get(entry.kind, 0) + entry.minutes
    sufficiency = check_sufficiency(plan=plan, entries=entries, criteria=criteria, on=on)
    response = check_response(
        started_on=plan.started_on, results=list(results), rule=criteria.response, on=on
    )
    relevant = [d for d in decisions if plan.started_on <= d.decided_on <= on]
    decision = max(relevant, key=lambda d: d.decided_on) if relevant else None
    suggestion: Message | None = None
    if response.response is Response.RESPONDING:
        state = SupportState.RESPONDED
        explanation = response.message
    elif response.response is Response.NOT_RESPONDING and sufficiency.sufficient:
        state = SupportState.NOT_RESPONDING
        explanation = response.message
        if decision is None:
            suggestion = Message(
                gettext_noop(
                    "Support has been sufficient and the numbers have not followed: consider a "
                    "career or transition conversation. The decision is yours."
                )
            )
    else:
        state = SupportState.IN_SUPPORT
        explanation = (
            sufficiency.message
            if response.response is Response.NOT_RESPONDING
            else response.message
        )
    return SupportStatus(
        seller_id=seller_id,
        state=state,
        plan=plan,
        sufficiency=sufficiency,
        response=response,
        decision=decision,
        delivered=delivered,
        explanation=explanation,
        suggestion=suggestion,
    )


def record_decision(
    *, status: SupportStatus, decision: Decision, decided_on: date, reason: str
) -> ManagerDecision:
    """The manager's decision for a seller with a support plan, with the date and reason kept."""
    if status.plan is None:
        raise InvalidInput(gettext_noop("Agree a support plan before recording a decision."))
    if not reason.strip():
        raise InvalidInput(gettext_noop("Give the reason for the decision; it is kept with it."))
    within_limit(reason.strip(), limit=TEXT_MAX, field=REASON_FIELD)
    if decided_on < status.plan.started_on:
        raise InvalidInput(
            gettext_noop("The decision ({day}) cannot come before the plan started ({start})."),
            day=decided_on,
            start=status.plan.started_on,
        )
    return ManagerDecision(decision=decision, decided_on=decided_on, reason=reason.strip())


def support_entry_from_time(*, activity: Activity, day: date, minutes: int) -> SupportEntry | None:
    """A time entry with the seller as a ledger entry, when its activity counts as support."""
    kind = SUPPORT_ACTIVITIES.get(activity)
    if kind is None or minutes <= 0:
        return None
    return SupportEntry(day=day, kind=kind, minutes=minutes, source=EntrySource.TIME_ENTRY)
