"""Every minute of time with sellers enters krutt here, whatever its source.

One set of rules for the hand log, the timer, corrections, calendar files and (later)
connections and the API: an entry lasts from a minute to a day (`MAX_ENTRY_MINUTES`);
its local day comes from the organisation's zone, never from the caller; it counts for
a seller only on a day that seller was employed and on the manager's team. Time logged
by hand is refused when one of its sellers fails that (the manager chose them); a
calendar meeting keeps the sellers who pass, and the others are listed with why. An
entry counts as spent once it has ended (`ended_at`, by the clock the use case is
given); until then it is planned. The even split and the team-wide size are applied
when time is reported (`krutt.domain.allocation`), from the sellers stored here.

The use case owns its transaction and its audit row: the surfaces only call it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any, Protocol

from krutt.domain.activities import Activity
from krutt.domain.errors import InvalidInput
from krutt.domain.limits import NOTE_FIELD, TEXT_MAX, within_limit
from krutt.domain.messages import Message, gettext_noop
from krutt.domain.sellers import SellerId

# A meeting longer than a day is not time with a seller (a conference, a trip).
MAX_ENTRY_MINUTES = 24 * 60
# Time logged by hand may be entered a little ahead (a meeting about to start), no more.
FUTURE_LIMIT = timedelta(days=1)


class Source(StrEnum):
    MANUAL = "manual"
    CALENDAR = "calendar"
    TIMER = "timer"
    API = "api"


# The sources a person types into: their sellers were chosen, so a wrong one is refused.
HAND_SOURCES = frozenset({Source.MANUAL, Source.TIMER, Source.API})


@dataclass(frozen=True, kw_only=True, slots=True)
class TimeRecord:
    """Time with sellers as a source gives it, before the rules.

    `key` is its identity in the source (a calendar event's UID and recurrence id), so a
    re-import updates instead of duplicating.
    """

    seller_ids: tuple[SellerId, ...]
    started_at: datetime
    minutes: int
    activity: Activity
    note: str = ""
    energy: int | None = None
    key: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class TimeEntry:
    """A time entry as krutt stores it: sellers unique and in id order, its local day derived."""

    manager_id: int
    seller_ids: tuple[SellerId, ...]
    started_at: datetime
    ended_at: datetime
    day: date
    minutes: int
    activity: Activity
    source: Source
    note: str = ""
    energy: int | None = None
    calendar: str = ""
    key: str = ""

    def happened_by(self, now: datetime) -> bool:
        """Time counts as spent once the meeting has ended."""
        return self.ended_at <= now


@dataclass(frozen=True, kw_only=True, slots=True)
class StoredEntry:
    """A stored entry with its row and the import that wrote it (None: not an import)."""

    row_id: int
    batch_id: int | None
    entry: TimeEntry


@dataclass(frozen=True, kw_only=True, slots=True)
class Employment:
    """A seller as the rule sees them: when they were employed, and whether on the team."""

    seller_id: SellerId
    name: str
    started_on: date
    ended_on: date | None
    on_team: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class Refusal:
    """A seller an entry cannot count for, and why."""

    seller_id: SellerId
    message: Message


@dataclass(frozen=True, kw_only=True, slots=True)
class Admission:
    """The entry as it will be stored (None: it counts for nobody) and who was left out."""

    entry: TimeEntry | None
    refused: tuple[Refusal, ...]


class TimeLog(Protocol):
    """Where time entries live; the shell's repository, or an in-memory fake in tests."""

    def atomic(self) -> AbstractContextManager[Any]:
        """One transaction: everything inside is kept, or nothing."""
        ...

    def employment(
        self, *, manager_id: int, seller_ids: Collection[SellerId]
    ) -> Mapping[SellerId, Employment]:
        """Each of `seller_ids` in the organisation (missing: no such seller)."""
        ...

    def add_entry(self, entry: TimeEntry) -> int: ...

    def stored_entry(self, entry_id: int, *, manager_id: int) -> TimeEntry | None:
        """The manager's entry (None: not theirs, or gone)."""
        ...

    def replace_entry(self, entry_id: int, entry: TimeEntry) -> None: ...

    def remove_entry(self, entry_id: int) -> None: ...

    def audit(self, *, action: str, entry_id: int, changes: Mapping[str, Any]) -> None:
        """The audit row: who did it and through which surface is the log's to know."""
        ...


def admit(
    record: TimeRecord,
    *,
    manager_id: int,
    source: Source,
    zone: tzinfo,
    employment: Mapping[SellerId, Employment],
    now: datetime,
    calendar: str = "",
) -> Admission:
    """The one rule for every source: the entry to store, and the sellers it cannot count for.

    Raises InvalidInput for what no source may store (no sellers, a length outside a
    minute to a day, an energy outside 1–5, hand-logged time more than a day ahead).
    """
    if record.started_at.tzinfo is None:
        raise ValueError("started_at must be timezone-aware")
    if not record.seller_ids:
        raise InvalidInput(gettext_noop("Name at least one seller."))
    if not 1 <= record.minutes <= MAX_ENTRY_MINUTES:
        raise InvalidInput(
            gettext_noop("Minutes must be between 1 and {maximum}."), maximum=MAX_ENTRY_MINUTES
        )
    within_limit(record.note.strip(), limit=TEXT_MAX, field=NOTE_FIELD)
    if record.energy is not None and not 1 <= record.energy <= 5:
        raise InvalidInput(gettext_noop("Energy is rated from 1 (easy) to 5 (draining)."))
    if source in HAND_SOURCES and record.started_at > now + FUTURE_LIMIT:
        raise InvalidInput(
            gettext_noop("Time can be logged when it has been spent, not more than a day ahead.")
        )
    day = local_day(record.started_at, zone)
    kept: list[SellerId] = []
    refused: list[Refusal] = []
    for seller_id in dict.fromkeys(record.seller_ids):
        reason = _refusal(employment.get(seller_id), day, by_hand=source in HAND_SOURCES)
        if reason is None:
            kept.append(seller_id)
        else:
            refused.append(Refusal(seller_id=seller_id, message=reason))
    entry = None
    if kept:
        entry = TimeEntry(
            manager_id=manager_id,
            seller_ids=tuple(sorted(kept)),
            started_at=record.started_at,
            ended_at=record.started_at + timedelta(minutes=record.minutes),
            day=day,
            minutes=record.minutes,
            activity=record.activity,
            source=source,
            note=record.note.strip(),
            energy=record.energy,
            calendar=calendar,
            key=record.key,
        )
    return Admission(entry=entry, refused=tuple(refused))


def local_day(moment: datetime, zone: tzinfo) -> date:
    """The day a moment falls on where the organisation is: the day its time counts on."""
    return moment.astimezone(zone).date()


# Each reason in two forms: a calendar's meeting (kept for the others), and time typed by hand.
NOT_ON_TEAM = (
    gettext_noop("{seller} is not on your team; the meeting on {day} is not counted for them."),
    gettext_noop("{seller} is not on your team on {day}."),
)
NOT_STARTED = (
    gettext_noop("{seller} started {started}; the meeting on {day} is not counted for them."),
    gettext_noop("{seller} started {started}; time on {day} cannot be logged for them."),
)
HAD_LEFT = (
    gettext_noop("{seller} left {ended}; the meeting on {day} is not counted for them."),
    gettext_noop("{seller} left {ended}; time on {day} cannot be logged for them."),
)
NO_SUCH_SELLER = gettext_noop("No such seller in your organisation.")


def _refusal(employment: Employment | None, day: date, *, by_hand: bool) -> Message | None:
    if employment is None:
        return Message(NO_SUCH_SELLER, {})
    name, form = employment.name, int(by_hand)
    if day < employment.started_on:
        return Message(
            NOT_STARTED[form], {"seller": name, "started": employment.started_on, "day": day}
        )
    if employment.ended_on is not None and day > employment.ended_on:
        return Message(HAD_LEFT[form], {"seller": name, "ended": employment.ended_on, "day": day})
    if not employment.on_team:
        return Message(NOT_ON_TEAM[form], {"seller": name, "day": day})
    return None


def _admitted_by_hand(
    log: TimeLog,
    record: TimeRecord,
    *,
    manager_id: int,
    source: Source,
    zone: tzinfo,
    now: datetime,
) -> TimeEntry:
    """What a person typed, as it will be stored; the first seller it cannot count for refuses it."""
    employment = log.employment(manager_id=manager_id, seller_ids=record.seller_ids)
    admission = admit(
        record, manager_id=manager_id, source=source, zone=zone, employment=employment, now=now
    )
    if admission.refused:
        refusal = admission.refused[0]
        raise InvalidInput(refusal.message.text, **refusal.message.params)
    assert admission.entry is not None
    return admission.entry


@dataclass(frozen=True, kw_only=True, slots=True)
class Recorded:
    entry_id: int
    entry: TimeEntry


def record_time(
    *,
    log: TimeLog,
    record: TimeRecord,
    manager_id: int,
    zone: tzinfo,
    now: datetime,
    source: Source = Source.MANUAL,
) -> Recorded:
    """Store time a manager spent with sellers, audited, and return it with its row id."""
    with log.atomic():
        entry = _admitted_by_hand(
            log, record, manager_id=manager_id, source=source, zone=zone, now=now
        )
        entry_id = log.add_entry(entry)
        log.audit(action="time_entry.create", entry_id=entry_id, changes=_audited(entry))
    return Recorded(entry_id=entry_id, entry=entry)


def edit_time(
    *,
    log: TimeLog,
    entry_id: int,
    record: TimeRecord,
    manager_id: int,
    zone: tzinfo,
    now: datetime,
) -> TimeEntry:
    """Correct an entry under the same rules as a new one; its source stays what it was."""
    with log.atomic():
        before = log.stored_entry(entry_id, manager_id=manager_id)
        if before is None:
            raise InvalidInput(gettext_noop("That time entry is not yours or no longer exists."))
        entry = _admitted_by_hand(
            log, record, manager_id=manager_id, source=before.source, zone=zone, now=now
        )
        entry = replace(entry, calendar=before.calendar, key=before.key)
        log.replace_entry(entry_id, entry)
        log.audit(
            action="time_entry.update",
            entry_id=entry_id,
            changes={"before": _audited(before), **_audited(entry)},
        )
    return entry


def delete_time(*, log: TimeLog, entry_id: int, manager_id: int) -> TimeEntry:
    """Remove one of the manager's entries, audited; returns what it was."""
    with log.atomic():
        before = log.stored_entry(entry_id, manager_id=manager_id)
        if before is None:
            raise InvalidInput(gettext_noop("That time entry is not yours or no longer exists."))
        log.remove_entry(entry_id)
        log.audit(action="time_entry.delete", entry_id=entry_id, changes=_audited(before))
    return before


def _audited(entry: TimeEntry) -> dict[str, Any]:
    """What the audit trail keeps of an entry: never the note (it may be private)."""
    return {
        "minutes": entry.minutes,
        "activity": entry.activity.value,
        "day": entry.day.isoformat(),
        "sellers": len(entry.seller_ids),
        "source": entry.source.value,
    }


# --- calendars: many entries at once, under the same rule ---------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


@dataclass(frozen=True, kw_only=True, slots=True)
class CalendarAdmission:
    """A calendar's meetings as entries, and the sellers left out of them with why (and where)."""

    entries: list[TimeEntry]
    refused: list[tuple[TimeRecord, Refusal]]


def admit_calendar(
    records: Sequence[TimeRecord],
    *,
    manager_id: int,
    calendar: str,
    zone: tzinfo,
    employment: Mapping[SellerId, Employment],
    now: datetime,
) -> CalendarAdmission:
    """Each meeting through `admit`: kept for the sellers who count, the others listed."""
    entries: list[TimeEntry] = []
    refused: list[tuple[TimeRecord, Refusal]] = []
    for record in records:
        admission = admit(
            record,
            manager_id=manager_id,
            source=Source.CALENDAR,
            zone=zone,
            employment=employment,
            now=now,
            calendar=calendar,
        )
        refused += [(record, r) for r in admission.refused]
        if admission.entry is not None:
            entries.append(admission.entry)
    return CalendarAdmission(entries=entries, refused=refused)


def same_meeting_keys(entry: TimeEntry) -> Iterator[tuple[object, ...]]:
    """How a meeting is recognised in another calendar: its UID, or its start, end and sellers."""
    uid = entry.key.rpartition("|")[0] if "|" in entry.key else entry.key
    if uid:
        yield ("uid", uid, entry.key.rpartition("|")[2].partition("#")[0])
    yield ("time", entry.started_at, entry.ended_at, entry.seller_ids)
