"""One event series (a UID's master and overrides) → its occurrences in the import window.

recurring-ical-events does the expansion (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides
with RANGE=THISANDFUTURE, SEQUENCE); each series is expanded on its own, so an error in
one costs that series only, and every rule is first bounded by `ics_rules`. Occurrences
are counted as they come: a series stops at its cap, the import at its budget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from icalendar import Event
from recurring_ical_events import EventAdapter, Occurrence, Series

from krutt.domain.messages import Param, gettext_noop
from krutt.importers.ics_events import (
    Attendee,
    EventDetails,
    EventStatus,
    Transparency,
    event_details,
)
from krutt.importers.ics_repair import Block
from krutt.importers.ics_rules import FAR_OVERRIDE, check_rules, check_span
from krutt.importers.ics_zone_span import FileZone


@dataclass(frozen=True, kw_only=True, slots=True)
class CalendarOccurrence:
    """One occurrence of an event, times aware and in the import's zone.

    `recurrence_id` identifies the occurrence within its series (UTC `YYYYMMDDTHHMMSSZ`,
    floating `YYYYMMDDTHHMMSS` or a day `YYYYMMDD`), None for a single event;
    `manager_partstat` is the manager's reply when they are an attendee (upper case);
    `zone_differs` the TZID whose definition in the file gave the start another offset than
    the standard zone of that name (the file's was used).
    """

    line: int
    uid: str
    recurrence_id: str | None
    start: datetime
    end: datetime
    all_day: bool
    floating: bool
    summary: str
    status: EventStatus
    transparency: Transparency
    private: bool
    organizer_email: str | None
    attendees: tuple[Attendee, ...]
    manager_partstat: str | None
    zone_differs: str | None = None


@dataclass(kw_only=True)
class Expansion:
    """The import's window, limits and manager, and the occurrences found so far."""

    start: datetime
    end: datetime
    zone: tzinfo
    manager: set[str]
    per_series: int
    budget: int
    occurrences: list[CalendarOccurrence] = field(default_factory=list)
    exhausted: bool = False


@dataclass(frozen=True, slots=True)
class SeriesNote:
    """Something met while expanding a series: a msgid and its parameters.

    `dropped` says the whole series was left out; otherwise it was read in part (an
    ignored override, a capped or empty rule) and the note only explains how.
    """

    message: str
    params: dict[str, Param] = field(default_factory=dict)
    dropped: bool = False


TOO_MANY_IN_SERIES = gettext_noop(
    "The event repeats more than {count} times in the period; only {count} were read."
)
CANNOT_EXPAND = gettext_noop("The event's repetitions cannot be worked out; it was not read.")
BAD_TIMES = gettext_noop("The event's start or end cannot be read; it was not read.")


def expand_series(
    uid: str, events: Sequence[tuple[Block, Event]], expansion: Expansion
) -> list[SeriesNote]:
    """Add the series' occurrences in the window; what was met on the way."""
    window = (expansion.start, expansion.end)
    notes: list[SeriesNote] = []
    kept: list[tuple[Block, Event]] = []
    for block, event in events:
        try:
            span = check_span(event, expansion.zone)
            reason, note = check_rules(event, window=window, zone=expansion.zone)
        except Exception:  # a foreign rule can fail in many ways; it costs its series
            span, reason, note = None, CANNOT_EXPAND, None
        if span == FAR_OVERRIDE and len(events) > 1:
            notes.append(SeriesNote(span))
            continue
        reason = reason or (span if len(events) > 1 or "RRULE" in event else None)
        if reason is not None:
            return [SeriesNote(reason, dropped=True)]
        if note is not None:
            notes.append(SeriesNote(note))
        kept.append((block, event))
    if not kept:
        return notes
    events = kept
    lines = {id(event): block.line for block, event in events}
    if len(events) == 1 and not _recurs(events[0][1]):
        return [*notes, *_single(uid, events[0][1], lines, expansion)]
    found: list[CalendarOccurrence] = []
    cap = min(expansion.per_series, expansion.budget - len(expansion.occurrences))
    try:
        series = _Series([_Adapter(event) for _, event in events])
        span_start = expansion.start.astimezone(expansion.zone)
        span_stop = expansion.end.astimezone(expansion.zone)
        cache: dict[int, tuple[EventDetails, str | None]] = {}
        for occurrence in series.between(span_start, span_stop):
            made = _occurrence(uid, occurrence, lines, cache, expansion)
            if made is None:
                continue
            if len(found) >= cap:
                if cap == expansion.per_series:
                    notes.append(SeriesNote(TOO_MANY_IN_SERIES, {"count": cap}))
                else:
                    expansion.exhausted = True
                break
            found.append(made)
    except Exception:  # recurring-ical-events raises on broken series; drop only this one
        return [SeriesNote(CANNOT_EXPAND, dropped=True)]
    expansion.occurrences.extend(found)
    return notes


def _recurs(event: Event) -> bool:
    return any(name in event for name in ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"))


def _single(
    uid: str, event: Event, lines: dict[int, int], expansion: Expansion
) -> list[SeriesNote]:
    """A one-off event, read without recurring-ical-events (most events are), by its rules:
    the end is DTEND, else DTSTART + DURATION, else a day for a date and nothing for a time;
    an end before the start is taken as swapped."""
    try:
        adapter = _Adapter(event)
        occurrence = _Occurrence(adapter, adapter.start, adapter.end)
        made = _occurrence(uid, occurrence, lines, {}, expansion, single=True)
    except Exception:  # a foreign value icalendar kept but cannot give: this event only
        return [SeriesNote(BAD_TIMES, dropped=True)]
    if made is not None:
        if expansion.budget <= len(expansion.occurrences):
            expansion.exhausted = True
        else:
            expansion.occurrences.append(made)
    return []


class _Adapter(EventAdapter):  # type: ignore[misc]
    """recurring-ical-events' adapter, giving access to the event it wraps."""

    @property
    def event(self) -> Event:
        component: Event = self._component
        return component


class _Occurrence(Occurrence):  # type: ignore[misc]
    """An occurrence that remembers its source and whether a rule generated it."""

    def __init__(
        self, adapter: _Adapter, start: Any = None, end: Any = None, sequence: int = -1
    ) -> None:
        super().__init__(adapter, start, end, sequence)
        self.source = adapter
        self.generated = start is not None


class _Series(Series):  # type: ignore[misc]
    def occurrence(self, adapter: _Adapter, start: Any = None, end: Any = None) -> _Occurrence:
        return _Occurrence(adapter, start, end, sequence=self.sequence)


def _occurrence(
    uid: str,
    occurrence: _Occurrence,
    lines: dict[int, int],
    cache: dict[int, tuple[EventDetails, str | None]],
    expansion: Expansion,
    *,
    single: bool = False,
) -> CalendarOccurrence | None:
    zone = expansion.zone
    start = local_datetime(occurrence.start, zone)
    if not expansion.start <= start < expansion.end:
        return None
    end = local_datetime(occurrence.end, zone) if occurrence.end is not None else start
    source: _Adapter = occurrence.source
    event = source.event
    known = cache.get(id(event))
    if known is None:
        details = event_details(event)
        mine = [a.partstat for a in details.attendees if a.email in expansion.manager]
        known = cache[id(event)] = details, (mine[0] if mine else None)
    details, manager_partstat = known
    floating = isinstance(occurrence.start, datetime) and occurrence.start.tzinfo is None
    return CalendarOccurrence(
        line=lines.get(id(event), 0),
        uid=uid,
        recurrence_id=None if single else _recurrence_id(occurrence, floating=floating),
        start=start,
        end=max(end, start),
        all_day=not isinstance(occurrence.start, datetime),
        floating=floating,
        summary=details.summary,
        status=details.status,
        transparency=details.transparency,
        private=details.private,
        organizer_email=details.organizer_email,
        attendees=details.attendees,
        manager_partstat=manager_partstat,
        zone_differs=_zone_differs(occurrence.start),
    )


def _zone_differs(value: date) -> str | None:
    if isinstance(value, datetime) and isinstance(value.tzinfo, FileZone):
        return value.tzinfo.label if value.tzinfo.differs(value) else None
    return None


def _recurrence_id(occurrence: _Occurrence, *, floating: bool) -> str | None:
    source: _Adapter = occurrence.source
    if not occurrence.generated:
        ids = source.recurrence_ids
        return recurrence_text(ids[0], floating=floating) if ids else None
    event = source.event
    if "RRULE" not in event and "RDATE" not in event and not source.is_modification():
        return None  # a single event has no recurrence id
    original = occurrence.start - source.move_recurrences_by
    return recurrence_text(original, floating=floating)


def local_datetime(value: date, zone: tzinfo) -> datetime:
    """A start or end as an aware datetime in `zone`: dates at midnight, floating times as wall time."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(), zone)
    if value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value.astimezone(zone)


def recurrence_text(value: date, *, floating: bool) -> str:
    """A recurrence id as text: `YYYYMMDD`, or `YYYYMMDDTHHMMSS` with `Z` unless floating."""
    if not isinstance(value, datetime):
        return value.strftime("%Y%m%d")
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y%m%dT%H%M%S") + ("" if floating else "Z")
