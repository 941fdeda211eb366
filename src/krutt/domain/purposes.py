"""Why the manager meets each seller next week, in words the manager uses.

New sellers get coaching for their ramp; top sellers a 1:1 (with the days since the
last); core performers regular coaching; non-deliverers what their support ledger says:
a talk to agree a plan, weekly follow-up, or, once sufficient support got no response,
a career or transition conversation rather than more coaching.
"""

from __future__ import annotations

from dataclasses import dataclass

from krutt.domain.activities import Activity
from krutt.domain.messages import Message, Percent, gettext_noop, plural_noop
from krutt.domain.periods import Period
from krutt.domain.segments import Segment
from krutt.domain.support import Decision, SupportState, SupportStatus
from krutt.domain.team import TeamSeller


@dataclass(frozen=True, kw_only=True, slots=True)
class Purpose:
    """What the sessions with a seller are for, and how many a week make sense."""

    activity: Activity
    reason: Message
    sessions: int | None = None


def purpose_of(seller: TeamSeller, *, week: Period) -> Purpose:
    """Why the manager meets this seller next week, by segment and support state."""
    monday = week.first
    if seller.segment is Segment.NEW:
        ramp_week = max((monday - seller.started_on).days // 7 + 1, 1)
        return Purpose(
            activity=Activity.COACHING,
            reason=Message(gettext_noop("New seller, week {week} of ramp."), {"week": ramp_week}),
        )
    if seller.segment is Segment.TOP:
        if seller.last_one_on_one is None:
            reason = Message(gettext_noop("Top seller: no 1:1 recorded yet."))
        else:
            reason = Message.counted(
                plural_noop(
                    "Top seller: {days} day since the last 1:1.",
                    "Top seller: {days} days since the last 1:1.",
                ),
                "days",
                {"days": max((monday - seller.last_one_on_one).days, 0)},
            )
        return Purpose(activity=Activity.ONE_ON_ONE, reason=reason)
    if seller.segment is Segment.CORE:
        return Purpose(
            activity=Activity.COACHING,
            reason=Message(gettext_noop("Core performer: regular coaching.")),
        )
    return _support_purpose(seller.support)


def _support_purpose(status: SupportStatus | None) -> Purpose:
    if status is None or status.state is SupportState.NEEDS_PLAN:
        return Purpose(
            activity=Activity.PERFORMANCE_TALK,
            reason=Message(gettext_noop("Not delivering and no support plan yet: agree one.")),
            sessions=1,
        )
    decision = status.decision
    if status.state is SupportState.NOT_RESPONDING and decision is not None:
        day = {"day": decision.decided_on}
        if decision.decision is Decision.CONTINUE:
            return Purpose(
                activity=Activity.COACHING,
                reason=Message(
                    gettext_noop(
                        "Support plan, continued as you decided on {day}: weekly follow-up."
                    ),
                    day,
                ),
            )
        text = (
            gettext_noop("Transition conversation, as you decided on {day}.")
            if decision.decision is Decision.TRANSITION
            else gettext_noop("Conversation about a change of role, as you decided on {day}.")
        )
        return Purpose(activity=Activity.CAREER_TALK, reason=Message(text, day), sessions=1)
    if status.state is SupportState.NOT_RESPONDING:
        return Purpose(
            activity=Activity.CAREER_TALK,
            reason=Message(
                gettext_noop("Transition conversation: sufficient support, no response.")
            ),
            sessions=1,
        )
    response = status.response
    if (
        status.state is SupportState.RESPONDED
        and response
        and response.before is not None
        and response.since is not None
    ):
        return Purpose(
            activity=Activity.ONE_ON_ONE,
            reason=Message(
                gettext_noop(
                    "Support plan, responding (from {before} to {since}): weekly follow-up."
                ),
                {"before": Percent(response.before), "since": Percent(response.since)},
            ),
        )
    if status.state is SupportState.RESPONDED:
        return Purpose(
            activity=Activity.ONE_ON_ONE,
            reason=Message(gettext_noop("Support plan, responding: weekly follow-up.")),
        )
    return Purpose(
        activity=Activity.COACHING, reason=Message(gettext_noop("Support plan: weekly follow-up."))
    )
