"""The judgement calls a manager should see, each as a plain sentence with its numbers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from krutt.domain.allocation import Allocation, Status
from krutt.domain.messages import Hours, Message, Percent, gettext_noop
from krutt.domain.segments import SEGMENT_ORDER, Segment


class AlertCode(StrEnum):
    ALLOCATION_BELOW = "allocation_below"
    ALLOCATION_ABOVE = "allocation_above"
    NO_TIME_RECORDED = "no_time_recorded"


@dataclass(frozen=True, kw_only=True, slots=True)
class Alert:
    code: AlertCode
    message: Message
    segment: Segment | None = None
    seller_email: str | None = None


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
                        gettext_noop("{segment} got {share} of your seller time ({hours}); the policy says at least {minimum}."),
                        {"segment": segment.label, "share": Percent(a.share), "hours": hours, "minimum": Percent(a.band.minimum)},
                    ),
                )
            )
        elif a.status is Status.ABOVE and a.band.maximum is not None:
            alerts.append(
                Alert(
                    code=AlertCode.ALLOCATION_ABOVE,
                    segment=segment,
                    message=Message(
                        gettext_noop("{segment} got {share} of your seller time ({hours}); the policy says at most {maximum}."),
                        {"segment": segment.label, "share": Percent(a.share), "hours": hours, "maximum": Percent(a.band.maximum)},
                    ),
                )
            )
    return alerts
