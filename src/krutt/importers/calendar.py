"""The manager's calendar export (.ics): every occurrence in a period, as plain values.

Outlook/Exchange, Google and Apple exports are read as they really are (see
`ics_repair`, `ics_zones`): recurring events are expanded with recurring-ical-events,
EXDATEs removing occurrences and RECURRENCE-ID overrides moving them (RANGE=
THISANDFUTURE included), Google's X-WR-TIMEZONE applied. Nothing here decides what
counts as time with a seller; that is `krutt.services.calendar_time`. Bad input never
raises. One bad series costs that series, not the file: an event (or series) that
cannot be read is left out and listed for review as not read, with its line and why; a
time read on an assumption (no zone, an unknown zone) is an item to review. Only what
concerns the whole file (not a calendar, too large, over a limit, no event readable)
is a problem.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from icalendar import Event
from icalendar.parser import Contentline
from icalendar.prop import vText
from x_wr_timezone import UTCChangingWalker

from krutt.domain.messages import Message, Param, gettext_noop, plural_noop
from krutt.importers.ics_events import (
    CRITICAL,
    DROPPABLE,
    Attendee,
    EventStatus,
    Transparency,
    broken_properties,
    parse_event,
    referenced_tzids,
)
from krutt.importers.ics_expansion import (
    CalendarOccurrence,
    Expansion,
    expand_series,
    local_datetime,
)
from krutt.importers.ics_repair import Block, split_ics
from krutt.importers.ics_zones import ZoneChoice, choose_zones, clean_tzid, well_known_zone
from krutt.importers.problems import Problem

__all__ = [
    "Attendee",
    "CalendarOccurrence",
    "CalendarRead",
    "EventProblem",
    "EventStatus",
    "ReviewItem",
    "Transparency",
    "read_calendar",
]

MAX_BYTES = 32 * 1024 * 1024
MAX_EVENTS = 200_000
MAX_PER_SERIES = 5_000


@dataclass(frozen=True, slots=True)
class EventProblem(Problem):
    """A problem with one event: the line its VEVENT starts on, and its UID."""

    uid: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class ReviewItem:
    """Something the manager should check, and why: a time read on an assumption, or an
    event that was left out because it cannot be read (`not_read`; for a series, all of it).

    `line` is where the event starts in the file; `start` its first occurrence in the
    period, else the start it gives, None when even that cannot be read.
    """

    line: int
    uid: str | None
    summary: str
    start: datetime | None
    reason: Message
    not_read: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class CalendarRead:
    """The occurrences starting in [start, end), ordered by start, with what went wrong.

    `problems` concern the whole file (any one keeps it out); `review` holds times read
    on an assumption and the events left out as unreadable; `repairs` notes lines that
    were mended or dropped.
    """

    zone: tzinfo
    start: datetime
    end: datetime
    occurrences: list[CalendarOccurrence]
    problems: list[Problem]
    review: list[ReviewItem]
    repairs: list[Problem]
    events: int


@dataclass(kw_only=True)
class _Read:
    zone: tzinfo
    start: datetime
    end: datetime
    problems: list[Problem] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    repairs: list[Problem] = field(default_factory=list)

    def problem(self, line: int, uid: str | None, text: str, **params: Param) -> None:
        self.problems.append(EventProblem(line, Message(text, params), uid))

    def note(
        self,
        block: Block,
        uid: str,
        text: str,
        *,
        summary: str,
        start: datetime | None,
        not_read: bool = False,
        **params: Param,
    ) -> None:
        self.review.append(
            ReviewItem(
                line=block.line,
                uid=uid,
                summary=summary,
                start=start,
                reason=Message(text, params),
                not_read=not_read,
            )
        )

    def result(self, occurrences: list[CalendarOccurrence], events: int) -> CalendarRead:
        # An item about a series read shows its first occurrence in the period, if any.
        first: dict[str, datetime] = {}
        for occurrence in occurrences:
            first.setdefault(occurrence.uid, occurrence.start)
        review = [
            replace(item, start=first[item.uid])
            if item.uid in first and not item.not_read
            else item
            for item in self.review
        ]
        return CalendarRead(
            zone=self.zone,
            start=self.start,
            end=self.end,
            occurrences=occurrences,
            problems=self.problems,
            review=sorted(review, key=lambda item: item.line),
            repairs=self.repairs,
            events=events,
        )


def read_calendar(
    data: bytes,
    *,
    zone: tzinfo,
    start: datetime,
    end: datetime,
    manager_email: str | None = None,
    manager_aliases: Collection[str] = (),
    max_occurrences: int = 50_000,
    max_per_series: int = MAX_PER_SERIES,
    max_bytes: int = MAX_BYTES,
) -> CalendarRead:
    """Every event occurrence that starts in [start, end) (aware datetimes), judged in `zone`.

    Floating times and dates are taken in `zone`. At most `max_per_series` occurrences
    are read per recurring event and `max_occurrences` in all; reaching either is a
    problem, as is a file over `max_bytes`. Events whose text shows they are far from
    the period (a one-off in another year, a series that ended) are not parsed, so their
    flaws are not reported either.
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    read = _Read(zone=zone, start=start, end=end)
    if len(data) > max_bytes:
        read.problem(
            0, None, TOO_LARGE, size=len(data) // (1024 * 1024), limit=max_bytes // (1024 * 1024)
        )
        return read.result([], 0)
    text = split_ics(data)
    read.repairs.extend(Problem(line, message) for line, message in text.repairs)
    if not text.events and not text.calendars:
        read.problem(0, None, gettext_noop("The file is not an iCalendar (.ics) file."))
        return read.result([], 0)
    blocks = text.events
    if len(blocks) > MAX_EVENTS:
        read.problem(blocks[MAX_EVENTS].line, None, TOO_MANY_EVENTS, count=MAX_EVENTS)
        blocks = blocks[:MAX_EVENTS]
    uids = [_uid(block) for block in blocks]
    repeated = {uid for uid, count in Counter(uids).items() if count > 1}
    first_day, last_day = start.date() - timedelta(days=2), end.date() + timedelta(days=2)
    # A one-off event far from the period is not parsed at all.
    kept = [
        (block, uid, referenced_tzids(block))
        for block, uid in zip(blocks, uids, strict=True)
        if uid in repeated or not _outside(block, first_day, last_day)
    ]
    years = range(start.year, min(end.year, start.year + 3) + 1)
    referenced = {tzid for _, _, tzids in kept for tzid in tzids}
    zones = choose_zones(referenced, _definitions(text.zones), years=years)
    wr_zones = [_wr_zone(name, read) for name in text.wr_timezones]
    series: dict[str, list[tuple[Block, Event]]] = defaultdict(list)
    unread = 0
    for block, uid, tzids in kept:
        parsed = _parse(block, uid, tzids, zones, wr_zones, read)
        if parsed is None:
            unread += 1
        else:
            series[parsed[0]].append((block, parsed[1]))
    zone_noted = {r.uid for r in read.review if not r.not_read}
    expansion = Expansion(
        start=start,
        end=end,
        zone=zone,
        manager={a.strip().lower() for a in (manager_email or "", *manager_aliases) if a.strip()},
        per_series=max_per_series,
        budget=max_occurrences,
    )
    for uid, events in series.items():
        notes = expand_series(uid, events, expansion)
        for note in notes:
            read.note(
                events[0][0],
                uid,
                note.message,
                summary=_summary(events[0][1]),
                start=_series_start(events, zone),
                not_read=note.dropped,
                **note.params,
            )
        if any(note.dropped for note in notes):
            unread += len(events)
        if expansion.exhausted:
            read.problem(0, None, TOO_MANY_OCCURRENCES, count=max_occurrences)
            break
    _note_zone_differences(expansion.occurrences, text.zones, read)
    # An unknown zone has already been reported for its events; floating says the same.
    floating_uids = {o.uid for o in expansion.occurrences if o.floating} - zone_noted
    for uid in sorted(floating_uids):
        block, event = series[uid][0]
        read.note(block, uid, NO_ZONE, summary=_summary(event), start=None, zone=str(zone))
    if blocks and unread == len(blocks):
        # Nothing to replace the period with: importing would only remove what is there.
        read.problem(0, None, NOTHING_READABLE)
    occurrences = sorted(
        expansion.occurrences, key=lambda o: (o.start, o.uid, o.recurrence_id or "")
    )
    return read.result(occurrences, len(blocks))


TOO_LARGE = gettext_noop("The file is {size} MB; at most {limit} MB can be read.")
TOO_MANY_EVENTS = gettext_noop("The file has more than {count} events; the rest were not read.")
TOO_MANY_OCCURRENCES = gettext_noop(
    "The period has more than {count} event occurrences; the rest were not read."
)
NO_ZONE = gettext_noop("The event has no time zone; its times were read as {zone}.")
UNREADABLE = gettext_noop("The event cannot be read.")
NO_START = gettext_noop("The event has no start time.")
BROKEN = gettext_noop("The event's {property} cannot be read, so the event was not read.")
DROPPED = gettext_noop("{property} could not be read and was ignored.")
NOTHING_READABLE = gettext_noop("None of the calendar's events can be read.")


def _definitions(zones: list[Block]) -> dict[str, tuple[str, ...]]:
    return {name: block.lines for name, block in _zone_blocks(zones).items()}


def _zone_blocks(zones: list[Block]) -> dict[str, Block]:
    """Each VTIMEZONE by its cleaned TZID; the first of a name wins."""
    found: dict[str, Block] = {}
    for block in zones:
        tzid = next(
            (line.partition(":")[2] for line in block.lines if line.upper().startswith("TZID")), ""
        )
        found.setdefault(clean_tzid(tzid), block)
    return found


ZONE_DIFFERS = plural_noop(
    "The file's {zone} differs from the standard zone on {count} event; "
    "the file's definition was used.",
    "The file's {zone} differs from the standard zone on {count} events; "
    "the file's definition was used.",
)


def _note_zone_differences(
    occurrences: Sequence[CalendarOccurrence], zones: list[Block], read: _Read
) -> None:
    """One item to review per zone whose definition in the file moved events off the standard."""
    found: dict[str, list[CalendarOccurrence]] = defaultdict(list)
    for occurrence in occurrences:
        if occurrence.zone_differs is not None:
            found[occurrence.zone_differs].append(occurrence)
    lines = {name: block.line for name, block in _zone_blocks(zones).items()}
    for label, moved in sorted(found.items()):
        read.review.append(
            ReviewItem(
                line=lines.get(label, 0),
                uid=None,
                summary="",
                start=min(o.start for o in moved),
                reason=Message.counted(ZONE_DIFFERS, "count", {"zone": label, "count": len(moved)}),
            )
        )


def _wr_zone(name: str, read: _Read) -> tzinfo | None:
    if not name:
        return None
    known = well_known_zone(clean_tzid(name))
    if known is None:
        read.repairs.append(Problem(0, Message(UNKNOWN_WR_ZONE, {"name": name})))
        return None
    return ZoneInfo(known)


UNKNOWN_WR_ZONE = gettext_noop("The calendar's time zone {name} is unknown and was ignored.")


# Simple rules have an occurrence in every period, so COUNT bounds how long they last.
_SIMPLE_RULE_KEYS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST", "BYDAY"})
_PERIOD_DAYS = {"YEARLY": 366, "MONTHLY": 31, "WEEKLY": 7, "DAILY": 1}


def _outside(block: Block, first_day: date, last_day: date) -> bool:
    """Whether an event (or a plain series) surely has no occurrence in [first_day, last_day].

    Read from the text alone, so that the events of other years are never parsed.
    """
    start, rules = "", []
    for line in block.lines:
        name = line[: line.find(":")].split(";", 1)[0].upper() if ":" in line else line.upper()
        if name in ("RDATE", "RECURRENCE-ID"):
            return False
        if name == "DTSTART":
            start = line.rpartition(":")[2].strip()
        elif name == "RRULE":
            rules.append(line.partition(":")[2])
    day = _day_of(start)
    if day is None or len(rules) > 1:
        return False
    if day > last_day:
        return True  # nothing happens before DTSTART
    if not rules:
        return day < first_day
    parts = dict(part.partition("=")[::2] for part in rules[0].upper().split(";"))
    until = _day_of(parts.get("UNTIL", ""))
    if until is not None:
        return until < first_day
    period = _PERIOD_DAYS.get(parts.get("FREQ", ""))
    count, interval = parts.get("COUNT", ""), parts.get("INTERVAL", "1")
    byday = parts.get("BYDAY", "")
    # A daily rule with BYDAY skips days, and ordinals (2TU) skip months: not simple.
    simple = set(parts) <= _SIMPLE_RULE_KEYS and not any(c.isdigit() for c in byday)
    if byday and parts.get("FREQ") == "DAILY":
        simple = False
    if period is None or not simple or not count.isdigit() or not interval.isdigit():
        return False
    try:
        return day + timedelta(days=int(count) * int(interval) * period) < first_day
    except OverflowError:
        return False


def _day_of(text: str) -> date | None:
    if len(text) < 8 or not text[:8].isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _parse(
    block: Block,
    uid: str,
    tzids: set[str],
    zones: dict[str, ZoneChoice],
    wr_zones: list[tzinfo | None],
    read: _Read,
) -> tuple[str, Event] | None:
    try:
        event = parse_event(block, zones)
    except Exception:  # icalendar raises many kinds of errors on foreign input
        read.note(block, uid, UNREADABLE, summary=_raw_summary(block), start=None, not_read=True)
        return None
    broken = broken_properties(event)
    summary = _summary(event)
    if "DTSTART" not in event:
        read.note(block, uid, NO_START, summary=summary, start=None, not_read=True)
        return None
    if broken & CRITICAL:
        name = sorted(broken & CRITICAL)[0]
        start = _event_start(event, read.zone)
        read.note(block, uid, BROKEN, summary=summary, start=start, not_read=True, property=name)
        return None
    for name in sorted(broken & DROPPABLE):
        event.pop(name)
        read.repairs.append(Problem(block.line, Message(DROPPED, {"property": name})))
    for tzid in sorted(tzids):
        choice = zones.get(tzid)
        if choice is not None and choice.note is not None:
            read.review.append(
                ReviewItem(
                    line=block.line,
                    uid=uid,
                    summary=summary,
                    start=_event_start(event, read.zone),
                    reason=choice.note,
                )
            )
    wr_zone = wr_zones[block.calendar] if block.calendar < len(wr_zones) else None
    if wr_zone is not None:
        event = _to_standard(event, wr_zone)
    return uid, event


def _summary(event: Event) -> str:
    return " ".join(str(event.get("SUMMARY", "")).split())


def _raw_summary(block: Block) -> str:
    """The SUMMARY of an event icalendar could not parse, read from its line alone."""
    for line in block.lines:
        if line[:8].upper() in ("SUMMARY:", "SUMMARY;"):
            try:
                _, _, value = Contentline(line).parts()  # type: ignore[no-untyped-call]
                return " ".join(str(vText.from_ical(value)).split())
            except Exception:  # the summary only names the event; without it, "–" does
                return ""
    return ""


def _event_start(event: Event, zone: tzinfo) -> datetime | None:
    """The event's DTSTART in `zone`, or None when it is not a readable date or time."""
    try:
        value = getattr(event.get("DTSTART"), "dt", None)
        return local_datetime(value, zone) if isinstance(value, date) else None
    except Exception:  # a broken value, a foreign zone: the start is only shown
        return None


def _series_start(events: Sequence[tuple[Block, Event]], zone: tzinfo) -> datetime | None:
    """The start of the series' master (the event without a RECURRENCE-ID), else its first."""
    masters = [event for _, event in events if "RECURRENCE-ID" not in event]
    return _event_start((masters or [events[0][1]])[0], zone)


def _uid(block: Block) -> str:
    for line in block.lines:
        if line[:4].upper() == "UID:" or line[:4].upper() == "UID;":
            value = line.partition(":")[2].strip()
            if value:
                return value
    # Without a UID the content identifies the event, so a re-import finds it again.
    return "krutt-" + hashlib.sha256("\n".join(block.lines).encode()).hexdigest()[:24]


def _to_standard(event: Event, zone: tzinfo) -> Event:
    """Google's X-WR-TIMEZONE: UTC and floating times become times in the calendar's zone."""
    converted: Event = UTCChangingWalker(zone).walk_event(event)
    return converted
