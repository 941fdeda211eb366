"""Whether a team's calendar measurement has been announced (arbeidsmiljøloven § 9-2).

Measuring a manager's meetings with sellers is a control measure: the sellers must be
informed and the measure discussed with their representatives before it starts, and it
must be evaluated over time. A notice older than a year asks for that evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

REVIEW_AFTER_MONTHS = 12


class NoticeState(StrEnum):
    MISSING = "missing"  # never announced, or announced for a later start
    CURRENT = "current"
    REVIEW_DUE = "review_due"  # announced over a year ago: evaluate it again
    ENDED = "ended"  # its stated end has passed


@dataclass(frozen=True, kw_only=True)
class Notice:
    informed_on: date
    discussed_on: date
    until: date | None = None


def notice_state(notice: Notice | None, *, today: date, review_from: date) -> NoticeState:
    """The state of a team's latest notice on `today`; `review_from` is a year before today."""
    if notice is None or notice.informed_on > today or notice.discussed_on > today:
        return NoticeState.MISSING
    if notice.until is not None and notice.until < today:
        return NoticeState.ENDED
    if notice.informed_on < review_from:
        return NoticeState.REVIEW_DUE
    return NoticeState.CURRENT


def measurement_announced(state: NoticeState) -> bool:
    """Whether measurement may run for the team: a notice due for review still counts."""
    return state in (NoticeState.CURRENT, NoticeState.REVIEW_DUE)
