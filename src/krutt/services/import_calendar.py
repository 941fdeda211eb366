"""Import a manager's calendar export: time with sellers, and the time the manager is busy.

Each counted occurrence (see `calendar_time`) becomes a time entry from the calendar,
keyed by its event UID and recurrence id; each timed event that is not cancelled,
declined or free becomes a busy block. The import replaces exactly what the calendar
gave before inside the period it covers: an entry still there is kept or updated in
place, one no longer there is removed, a new one is added. Entries the manager logged
by hand, and anything outside the period, are never touched. Subjects are not kept.

An event the reader could not read is left out and listed for review; what an earlier
import took from it is kept, since the file does not say it is gone. Only a problem
with the whole file (`CalendarRead.problems`) rejects the import.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol, TypeVar

from krutt.domain.activities import Activity
from krutt.domain.messages import Message, gettext_noop
from krutt.domain.sellers import SellerId
from krutt.importers.calendar import CalendarRead, EventStatus, ReviewItem
from krutt.importers.problems import Problem
from krutt.services.calendar_time import (
    DEFAULT_ACTIVITY,
    DEFAULT_ACTIVITY_KEYWORDS,
    TimeCandidate,
    collect_calendar_time,
)
from krutt.services.deal_actuals import SellerDirectoryEntry
from krutt.services.imports import ImportRejected, ImportSummary

PREVIEW_ROWS = 20
MAX_KEY = 400
# Longer than a day is not a meeting with a seller (a conference, a trip): it is listed.
MAX_MINUTES = 24 * 60


@dataclass(frozen=True, kw_only=True, slots=True)
class CalendarEntry:
    """A time entry as the calendar gives it; sellers in id order."""

    key: str
    started_at: datetime
    day: date
    minutes: int
    activity: Activity
    seller_ids: tuple[SellerId, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class StoredEntry:
    row_id: int
    batch_id: int | None
    entry: CalendarEntry


@dataclass(frozen=True, kw_only=True, slots=True)
class Busy:
    key: str
    start: datetime
    end: datetime


@dataclass(frozen=True, kw_only=True, slots=True)
class StoredBusy:
    row_id: int
    batch_id: int | None
    busy: Busy


class CalendarStore(Protocol):
    def stored_entries(self, *, start: datetime, end: datetime) -> list[StoredEntry]:
        """The manager's entries from the calendar that start in [start, end)."""
        ...

    def stored_busy(self, *, start: datetime, end: datetime) -> list[StoredBusy]:
        """The manager's busy blocks that start in [start, end)."""
        ...

    def save_entries(
        self,
        *,
        created: Sequence[CalendarEntry],
        updated: Sequence[tuple[StoredEntry, CalendarEntry]],
        removed: Sequence[StoredEntry],
    ) -> None:
        """Write the changes, remembering what each changed or removed entry was."""
        ...

    def save_busy(
        self,
        *,
        created: Sequence[Busy],
        updated: Sequence[tuple[StoredBusy, Busy]],
        removed: Sequence[StoredBusy],
    ) -> None: ...


@dataclass(frozen=True, kw_only=True, slots=True)
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


@dataclass(kw_only=True)
class CalendarImport:
    """What the import found and did; `summary` counts time entries, `busy` busy blocks.

    `skipped` counts occurrences that are not time with sellers, by reason code:
    all_day, cancelled, declined, too_long, no_seller.
    """

    summary: ImportSummary
    calendar: CalendarRead
    review: list[ReviewItem] = field(default_factory=list)
    preview: list[TimeCandidate] = field(default_factory=list)
    busy: Counts = field(default_factory=Counts)
    skipped: dict[str, int] = field(default_factory=dict)


class CalendarRejected(ImportRejected):
    def __init__(self, result: CalendarImport) -> None:
        super().__init__(result.summary)
        self.result = result


def import_calendar(
    *,
    calendar: CalendarRead,
    manager_email: str,
    directory: Sequence[SellerDirectoryEntry],
    store: CalendarStore,
    manager_aliases: Collection[str] = (),
    keywords: Sequence[tuple[str, Activity]] = DEFAULT_ACTIVITY_KEYWORDS,
    default_activity: Activity = DEFAULT_ACTIVITY,
) -> CalendarImport:
    """Replace the calendar's entries and busy blocks in the period read.

    `calendar` is read over the import's period (`read_calendar`); `directory` holds the
    sellers time may be with (the manager's teams). Raises `CalendarRejected`, writing
    nothing, when the file has problems or no events.
    """
    found = collect_calendar_time(
        calendar=calendar,
        manager_email=manager_email,
        directory=directory,
        manager_aliases=manager_aliases,
        keywords=keywords,
        default_activity=default_activity,
    )
    review = list(found.review)
    entries: list[CalendarEntry] = []
    keys: set[str] = set()
    for candidate in found.candidates:
        if candidate.minutes > MAX_MINUTES:
            review.append(
                ReviewItem(
                    line=candidate.line,
                    uid=candidate.uid,
                    summary=candidate.summary,
                    start=candidate.start,
                    reason=Message(TOO_LONG, {"hours": candidate.minutes // 60}),
                )
            )
            continue
        entries.append(
            CalendarEntry(
                key=_unique(candidate.key, keys),
                started_at=candidate.start,
                day=candidate.start.astimezone(calendar.zone).date(),
                minutes=candidate.minutes,
                activity=candidate.activity,
                seller_ids=tuple(sorted(set(candidate.seller_ids))),
            )
        )
    busy_keys: set[str] = set()
    busy = [
        Busy(key=_unique(f"{b.uid}|{b.recurrence_id or ''}", busy_keys), start=b.start, end=b.end)
        for b in found.busy
        if b.end > b.start
    ]
    summary = ImportSummary(
        kind="calendar",
        read=len(calendar.occurrences),
        problems=sorted(calendar.problems, key=lambda p: p.line),
    )
    result = CalendarImport(
        summary=summary,
        calendar=calendar,
        review=review,
        preview=found.candidates[:PREVIEW_ROWS],
        skipped=_skipped(calendar, manager_email, manager_aliases, found.candidates, review),
    )
    summary.skipped = sum(result.skipped.values())
    if calendar.events == 0 and not summary.problems:
        # Nothing to replace with: an empty export would only wipe the period.
        summary.problems.append(Problem.at(0, gettext_noop("The calendar has no events.")))
    if summary.problems:
        raise CalendarRejected(result)
    unread = {item.uid for item in calendar.review if item.not_read and item.uid}
    created, updated, removed, unchanged = _diff(
        store.stored_entries(start=calendar.start, end=calendar.end),
        entries,
        lambda stored: stored.entry,
        unread,
    )
    store.save_entries(created=created, updated=updated, removed=removed)
    summary.created, summary.updated = len(created), len(updated)
    summary.unchanged, summary.removed = unchanged, len(removed)
    new_busy, moved_busy, gone_busy, same_busy = _diff(
        store.stored_busy(start=calendar.start, end=calendar.end),
        busy,
        lambda stored: stored.busy,
        unread,
    )
    store.save_busy(created=new_busy, updated=moved_busy, removed=gone_busy)
    result.busy = Counts(
        created=len(new_busy),
        updated=len(moved_busy),
        unchanged=same_busy,
        removed=len(gone_busy),
    )
    return result


TOO_LONG = gettext_noop("The event lasts {hours} hours; it was not counted as time with sellers.")


def _unique(key: str, seen: set[str]) -> str:
    """The key, or `key#2`, `key#3` … when an occurrence repeats within the file.

    A key too long to store (an odd UID) is replaced by its digest, the same every time.
    """
    if len(key) > MAX_KEY:
        key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    found, number = key, 1
    while found in seen:
        number += 1
        found = f"{key}#{number}"
    seen.add(found)
    return found


S = TypeVar("S", StoredEntry, StoredBusy)
V = TypeVar("V", CalendarEntry, Busy)


def _diff(
    stored: Iterable[S], fresh: Sequence[V], value: Callable[[S], V], unread: Collection[str]
) -> tuple[list[V], list[tuple[S, V]], list[S], int]:
    """What is new, what changed (with its stored row), what is gone, and how many are the same.

    A stored row of an event in `unread` (UIDs) is not gone: the file could not say.
    """
    by_key: dict[str, S] = {}
    removed: list[S] = []
    for row in stored:
        if value(row).key in by_key:
            removed.append(row)  # a key stored twice keeps one row
        else:
            by_key[value(row).key] = row
    created: list[V] = []
    updated: list[tuple[S, V]] = []
    unchanged = 0
    for item in fresh:
        old = by_key.pop(item.key, None)
        if old is None:
            created.append(item)
        elif value(old) != item:
            updated.append((old, item))
        else:
            unchanged += 1
    # Keys are `UID|recurrence id`, with `#2` … for repeats; the UID may hold "|".
    removed.extend(row for key, row in by_key.items() if key.rpartition("|")[0] not in unread)
    return created, updated, removed, unchanged


def _skipped(
    calendar: CalendarRead,
    manager_email: str,
    manager_aliases: Collection[str],
    candidates: Sequence[TimeCandidate],
    review: Sequence[ReviewItem],
) -> dict[str, int]:
    """Occurrences that did not become time with sellers, counted by why."""
    manager = {a.strip().lower() for a in (manager_email, *manager_aliases) if a.strip()}
    counts = {"all_day": 0, "cancelled": 0, "declined": 0, "too_long": 0, "no_seller": 0}
    for occurrence in calendar.occurrences:
        if occurrence.all_day:
            counts["all_day"] += 1
        elif occurrence.status is EventStatus.CANCELLED:
            counts["cancelled"] += 1
        elif any(a.email in manager and a.partstat == "DECLINED" for a in occurrence.attendees):
            counts["declined"] += 1
    counts["too_long"] = sum(1 for r in review if r.reason.text == TOO_LONG)
    counts["no_seller"] = max(
        0,
        len(calendar.occurrences)
        - len(candidates)
        - counts["all_day"]
        - counts["cancelled"]
        - counts["declined"],
    )
    return {reason: count for reason, count in counts.items() if count}
