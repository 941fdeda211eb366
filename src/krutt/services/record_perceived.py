"""The manager says how they believe a week's seller time split: stored once per week."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Protocol

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import gettext_noop
from krutt.domain.perceived import perceived_split
from krutt.domain.periods import Period
from krutt.domain.segments import Segment


class PerceivedStore(Protocol):
    def save_perceived(
        self, *, manager_id: int, week: Period, percents: Mapping[Segment, int], shared: bool
    ) -> None:
        """Keep the estimate for the week, replacing an earlier one (and audit it)."""
        ...


def record_perceived(
    *,
    store: PerceivedStore,
    manager_id: int,
    week: Period,
    percents: Mapping[Segment, int],
    today: date,
    shared: bool = False,
) -> dict[Segment, Fraction]:
    """Store the estimate for an ISO week that has begun; refused unless the four sum to 100."""
    if week.first.isoweekday() != 1 or (week.last - week.first).days != 6:
        raise InvalidInput(gettext_noop("Give an ISO week, e.g. 2026-W47."))
    if week.first > today:
        raise InvalidInput(
            gettext_noop("The week {week} has not begun; say how a past week went."),
            week=week.first,
        )
    split = perceived_split(percents)
    store.save_perceived(manager_id=manager_id, week=week, percents=percents, shared=shared)
    return split
