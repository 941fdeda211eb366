"""Import a manager's calendar: time with sellers, and the time the manager is busy.

Each meeting with sellers (see `calendar_time`) becomes a time entry through the one
write path's rule (`record_time.admit_calendar`: the local day, the day limit, a
seller counted only while employed and on the team, the others listed), keyed by its
event UID and recurrence id; each timed event that is not cancelled, declined or free
becomes busy time. Each calendar keeps its own entries: an import replaces exactly
what the same calendar (recognised from the file, or named) gave before inside the
period it covers — an entry still there is kept or updated in place, one no longer
there is removed, a new one is added. Another calendar's entries, time logged by hand
and anything outside the period are never touched; a meeting that another calendar
of the manager already has (the same UID, or the same start, end and sellers) counts
once. Subjects are not kept.

An event the reader could not read is left out and listed for review; what an earlier
import took from it is kept, since the file does not say it is gone. Only a problem
with the whole file (`CalendarRead.problems`) rejects the import.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, TypeVar

from krutt.domain.activities import Activity
from krutt.domain.messages import Message, gettext_noop
from krutt.domain.sellers import SellerId
from krutt.domain.workweek import Busy
from krutt.importers.calendar import CalendarRead, EventStatus, ReviewItem
from krutt.importers.problems import Problem
from krutt.services.calendar_time import (
    DEFAULT_ACTIVITY,
    DEFAULT_ACTIVITY_KEYWORDS,
    Meeting,
    UnmatchedAddress,
    collect_calendar_time,
)
from krutt.services.deal_actuals import SellerDirectoryEntry
from krutt.services.imports import ImportRejected, ImportSummary
from krutt.services.record_time import (
    MAX_ENTRY_MINUTES,
    Counts,
    Employment,
    StoredEntry,
    TimeEntry,
    TimeRecord,
    admit_calendar,
    same_meeting_keys,
)

PREVIEW_ROWS = 20
MAX_UIDS_LOOKED_UP = 500
MAX_KEY = 400


@dataclass(frozen=True, kw_only=True, slots=True)
class StoredBusy:
    row_id: int
    batch_id: int | None
    busy: Busy


class CalendarStore(Protocol):
    """One manager's time from one calendar, written on behalf of one import."""

    def employment(
        self, *, manager_id: int, seller_ids: Collection[SellerId]
    ) -> Mapping[SellerId, Employment]: ...

    def stored_entries(
        self,
        *,
        start: datetime,
        end: datetime,
        adopt: Collection[str],
        only: Collection[str] | None = None,
    ) -> list[StoredEntry]:
        """This calendar's entries that start in [start, end), and entries that no calendar
        claims yet (written before calendars had names) whose key is in `adopt`; with
        `only`, just those of these event UIDs or with a key in `adopt`."""
        ...

    def other_entries(self, *, start: datetime, end: datetime) -> list[TimeEntry]:
        """The manager's entries from their other calendars that start in [start, end)."""
        ...

    def stored_busy(
        self,
        *,
        start: datetime,
        end: datetime,
        adopt: Collection[str],
        only: Collection[str] | None = None,
    ) -> list[StoredBusy]:
        """This calendar's busy time that starts in [start, end), as `stored_entries`."""
        ...

    def other_busy(self, *, start: datetime, end: datetime) -> list[Busy]: ...

    def save_entries(
        self,
        *,
        created: Sequence[TimeEntry],
        updated: Sequence[tuple[StoredEntry, TimeEntry]],
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
class CalendarName:
    """The calendar an import writes for: its name, and how krutt knows it.

    `source` is the file's property it was read from (X-WR-RELCALID, X-WR-CALNAME,
    ORGANIZER, PRODID), "named" when the manager gave it, "connection" for a connected
    calendar, "" when the file says nothing (then it is the manager's unnamed calendar).
    """

    name: str
    source: str


UNNAMED = CalendarName(name="", source="")


@dataclass(kw_only=True)
class CalendarImport:
    """What the import found and did; `summary` counts time entries, `busy` busy time.

    `skipped` counts occurrences that are not time with sellers, by reason code:
    all_day, cancelled, declined, too_long, no_seller, other_calendar (the manager's
    other calendar already has it). `replaced` says the calendar had time in the
    period before (the import replaced it) rather than being added.
    """

    summary: ImportSummary
    calendar: CalendarRead
    name: CalendarName = UNNAMED
    replaced: bool = False
    review: list[ReviewItem] = field(default_factory=list)
    preview: list[Meeting] = field(default_factory=list)
    busy: Counts = field(default_factory=Counts)
    skipped: dict[str, int] = field(default_factory=dict)
    unmatched: list[UnmatchedAddress] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """The one summary every surface shows (CLI, preview, confirmation, history)."""
        summary, busy = self.summary, self.busy
        return {
            "read": summary.read,
            "events": self.calendar.events,
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "removed": summary.removed,
            "skipped": summary.skipped,
            "busy_created": busy.created,
            "busy_updated": busy.updated,
            "busy_unchanged": busy.unchanged,
            "busy_removed": busy.removed,
            "review": len(self.review),
        }

    @property
    def changed(self) -> bool:
        counts = self.counts()
        return any(
            counts[k]
            for k in (
                "created",
                "updated",
                "removed",
                "busy_created",
                "busy_updated",
                "busy_removed",
            )
        )


def summary_message(counts: Mapping[str, int]) -> Message:
    """«Time entries: 3 new, 1 changed, 0 removed; busy time: 5 new, 0 changed, 2 removed.»"""
    return Message(
        gettext_noop(
            "Time entries: {created} new, {updated} changed, {removed} removed; "
            "busy time: {busy_created} new, {busy_updated} changed, {busy_removed} removed."
        ),
        {
            name: counts.get(name, 0)
            for name in (
                "created",
                "updated",
                "removed",
                "busy_created",
                "busy_updated",
                "busy_removed",
            )
        },
    )


def calendar_message(result: CalendarImport) -> Message | None:
    """Which calendar the import wrote for, and whether it replaced or added to what was there."""
    name = result.name
    if not name.name:
        return None
    if result.replaced:
        text = gettext_noop(
            "Calendar «{name}» ({source}): its earlier entries in the period were replaced."
        )
    else:
        text = gettext_noop(
            "Calendar «{name}» ({source}): new here, added beside your other calendars."
        )
    return Message(text, {"name": name.name, "source": name.source or "-"})


class CalendarRejected(ImportRejected):
    def __init__(self, result: CalendarImport) -> None:
        super().__init__(result.summary)
        self.result = result


def import_calendar(
    *,
    calendar: CalendarRead,
    manager_id: int,
    manager_email: str,
    directory: Sequence[SellerDirectoryEntry],
    store: CalendarStore,
    now: datetime,
    name: CalendarName = UNNAMED,
    manager_aliases: Collection[str] = (),
    keywords: Sequence[tuple[str, Activity]] = DEFAULT_ACTIVITY_KEYWORDS,
    default_activity: Activity = DEFAULT_ACTIVITY,
    empty_allowed: bool = False,
    only_uids: Collection[str] | None = None,
) -> CalendarImport:
    """Replace the calendar's entries and busy time in the period read.

    `calendar` is read over the import's period (`read_calendar`); `directory` holds the
    sellers time may be with (the manager's teams); `now` tells planned from happened
    only in what the report shows later. Raises `CalendarRejected`, writing nothing,
    when the file has problems or no events (unless `empty_allowed`: a connected
    calendar that was emptied on its server is the whole truth, and empties its entries).
    `only_uids`: the calendar holds only these events (a sync's changes since the last);
    only their entries and busy time are replaced, the calendar's others stay as they are.
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
    records: list[TimeRecord] = []
    lines: dict[str, Meeting] = {}
    keys: set[str] = set()
    for meeting in found.meetings:
        record = meeting.record
        if record.minutes > MAX_ENTRY_MINUTES:
            review.append(_review(meeting, Message(TOO_LONG, {"hours": record.minutes // 60})))
            continue
        key = _unique(record.key, keys)
        records.append(_rekeyed(record, key))
        lines[key] = meeting
    admitted = admit_calendar(
        records,
        manager_id=manager_id,
        calendar=name.name,
        zone=calendar.zone,
        employment=store.employment(
            manager_id=manager_id, seller_ids={s for r in records for s in r.seller_ids}
        ),
        now=now,
    )
    review += [_review(lines[record.key], refusal.message) for record, refusal in admitted.refused]
    busy_keys: set[str] = set()
    busy = [
        Busy(start=b.start, end=b.end, key=_unique(b.key, busy_keys))
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
        name=name,
        review=review,
        preview=found.meetings[:PREVIEW_ROWS],
        unmatched=found.unmatched,
    )
    if calendar.events == 0 and not summary.problems and not empty_allowed:
        # Nothing to replace with: an empty export would only wipe the period.
        summary.problems.append(Problem.at(0, gettext_noop("The calendar has no events.")))
    if summary.problems:
        result.skipped = _skipped(calendar, manager_email, manager_aliases, found.meetings, review)
        summary.skipped = sum(result.skipped.values())
        raise CalendarRejected(result)
    span = {"start": calendar.start, "end": calendar.end}
    elsewhere = {k for e in store.other_entries(**span) for k in same_meeting_keys(e)}
    entries = [e for e in admitted.entries if elsewhere.isdisjoint(same_meeting_keys(e))]
    in_other = len(admitted.entries) - len(entries)
    other_busy = {k for b in store.other_busy(**span) for k in _busy_keys(b)}
    busy = [b for b in busy if other_busy.isdisjoint(_busy_keys(b))]
    unread = {item.uid for item in calendar.review if item.not_read and item.uid}
    # A few changed events are looked up by UID in the database; many, in one read.
    only = only_uids if only_uids is not None and len(only_uids) <= MAX_UIDS_LOOKED_UP else None
    stored = store.stored_entries(**span, adopt=[e.key for e in entries], only=only)
    if only_uids is not None:
        # A key too long to keep is a digest without its UID: matched by the key itself.
        fresh = {e.key for e in entries}
        stored = [r for r in stored if _uid_of(r.entry.key) in only_uids or r.entry.key in fresh]
    created, updated, removed, unchanged = _diff(stored, entries, lambda row: row.entry, unread)
    store.save_entries(created=created, updated=updated, removed=removed)
    summary.created, summary.updated = len(created), len(updated)
    summary.unchanged, summary.removed = unchanged, len(removed)
    stored_busy = store.stored_busy(**span, adopt=[b.key for b in busy], only=only)
    if only_uids is not None:
        fresh_busy = {b.key for b in busy}
        stored_busy = [
            r for r in stored_busy if _uid_of(r.busy.key) in only_uids or r.busy.key in fresh_busy
        ]
    new_busy, moved_busy, gone_busy, same_busy = _diff(
        stored_busy, busy, lambda row: row.busy, unread
    )
    store.save_busy(created=new_busy, updated=moved_busy, removed=gone_busy)
    result.busy = Counts(
        created=len(new_busy),
        updated=len(moved_busy),
        unchanged=same_busy,
        removed=len(gone_busy),
    )
    result.replaced = bool(stored or stored_busy)
    result.skipped = _skipped(calendar, manager_email, manager_aliases, found.meetings, review)
    if in_other:
        result.skipped["other_calendar"] = in_other
    if len(records) > len(admitted.entries):
        # Meetings with no seller who was employed and on the team that day.
        result.skipped["not_on_team"] = len(records) - len(admitted.entries)
    summary.skipped = sum(result.skipped.values())
    return result


def _rekeyed(record: TimeRecord, key: str) -> TimeRecord:
    if key == record.key:
        return record
    return TimeRecord(
        seller_ids=record.seller_ids,
        started_at=record.started_at,
        minutes=record.minutes,
        activity=record.activity,
        note=record.note,
        energy=record.energy,
        key=key,
    )


def _review(meeting: Meeting, reason: Message) -> ReviewItem:
    return ReviewItem(
        line=meeting.line,
        uid=meeting.record.key.rpartition("|")[0] or None,
        summary=meeting.summary,
        start=meeting.record.started_at,
        reason=reason,
    )


def _uid_of(key: str) -> str:
    """The event UID of an entry's or busy block's key (`UID|recurrence id`, maybe `#2`)."""
    return key.rpartition("|")[0]


def _busy_keys(busy: Busy) -> tuple[tuple[object, ...], ...]:
    return (("uid", busy.key.partition("#")[0]), ("time", busy.start, busy.end))


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
V = TypeVar("V", TimeEntry, Busy)


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
    meetings: Sequence[Meeting],
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
        - len(meetings)
        - counts["all_day"]
        - counts["cancelled"]
        - counts["declined"],
    )
    return {reason: count for reason, count in counts.items() if count}
