"""Log time a manager spent with one or more sellers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from krutt.domain.activities import Activity
from krutt.domain.errors import InvalidInput
from krutt.domain.messages import gettext_noop
from krutt.domain.sellers import SellerId

MAX_MINUTES = 24 * 60
FUTURE_LIMIT = timedelta(days=1)


@dataclass(frozen=True, kw_only=True, slots=True)
class NewTimeEntry:
    manager_id: int
    seller_ids: tuple[SellerId, ...]
    started_at: datetime
    day: date
    minutes: int
    activity: Activity
    source: str
    note: str
    energy: int | None


class TimeLog(Protocol):
    def sellers_on_team(
        self, *, manager_id: int, seller_ids: Sequence[SellerId], day: date
    ) -> set[SellerId]:
        """Those of `seller_ids` on the manager's teams and employed on `day`."""
        ...

    def seller_label(self, seller_id: SellerId) -> str:
        """How the manager knows the seller (name and e-mail), for error messages."""
        ...

    def add_entry(self, entry: NewTimeEntry) -> int: ...


class EditableLog(TimeLog, Protocol):
    def replace_entry(self, entry_id: int, entry: NewTimeEntry) -> None:
        """Overwrite the entry's fields and sellers (its source stays what it was)."""
        ...


def log_time(
    *,
    log: TimeLog,
    manager_id: int,
    seller_ids: Sequence[SellerId],
    started_at: datetime,
    local_day: date,
    minutes: int,
    activity: Activity,
    now: datetime,
    note: str = "",
    energy: int | None = None,
    source: str = "manual",
) -> int:
    """Record the entry and return its id; an entry with several sellers is split when reported."""
    entry = checked_entry(
        log=log,
        manager_id=manager_id,
        seller_ids=seller_ids,
        started_at=started_at,
        local_day=local_day,
        minutes=minutes,
        activity=activity,
        now=now,
        note=note,
        energy=energy,
        source=source,
    )
    return log.add_entry(entry)


def edit_time(
    *,
    log: EditableLog,
    entry_id: int,
    manager_id: int,
    seller_ids: Sequence[SellerId],
    started_at: datetime,
    local_day: date,
    minutes: int,
    activity: Activity,
    now: datetime,
    note: str = "",
    energy: int | None = None,
    source: str = "manual",
) -> None:
    """Correct an entry under the same rules as a new one."""
    entry = checked_entry(
        log=log,
        manager_id=manager_id,
        seller_ids=seller_ids,
        started_at=started_at,
        local_day=local_day,
        minutes=minutes,
        activity=activity,
        now=now,
        note=note,
        energy=energy,
        source=source,
    )
    log.replace_entry(entry_id, entry)


def checked_entry(
    *,
    log: TimeLog,
    manager_id: int,
    seller_ids: Sequence[SellerId],
    started_at: datetime,
    local_day: date,
    minutes: int,
    activity: Activity,
    now: datetime,
    note: str,
    energy: int | None,
    source: str,
) -> NewTimeEntry:
    """The entry as it will be stored, or the first reason it cannot be."""
    if started_at.tzinfo is None:
        raise ValueError("started_at must be timezone-aware")
    if not seller_ids:
        raise InvalidInput(gettext_noop("Name at least one seller."))
    if not 1 <= minutes <= MAX_MINUTES:
        raise InvalidInput(
            gettext_noop("Minutes must be between 1 and {maximum}."), maximum=MAX_MINUTES
        )
    if energy is not None and not 1 <= energy <= 5:
        raise InvalidInput(gettext_noop("Energy is rated from 1 (easy) to 5 (draining)."))
    if started_at > now + FUTURE_LIMIT:
        raise InvalidInput(
            gettext_noop("Time can be logged when it has been spent, not more than a day ahead.")
        )
    unique = tuple(dict.fromkeys(seller_ids))
    on_team = log.sellers_on_team(manager_id=manager_id, seller_ids=unique, day=local_day)
    for seller_id in unique:
        if seller_id not in on_team:
            raise InvalidInput(
                gettext_noop("{seller} is not on your team on {day}."),
                seller=log.seller_label(seller_id),
                day=local_day,
            )
    return NewTimeEntry(
        manager_id=manager_id,
        seller_ids=unique,
        started_at=started_at,
        day=local_day,
        minutes=minutes,
        activity=activity,
        source=source,
        note=note.strip(),
        energy=energy,
    )
