"""One VEVENT block → an icalendar Event, and what all its occurrences share.

Each event is parsed on its own, so a broken one costs only itself. Its TZIDs are first
replaced by the zones `ics_zones` chose for the file; the people on it are read as
exports write them (mailto in any case, Apple's EMAIL parameter, rooms as resources).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from icalendar import Event

from krutt.importers.ics_repair import Block
from krutt.importers.ics_zones import ZoneChoice, clean_tzid

_TZID_PARAM = re.compile(r';TZID=("[^"]*"|[^;:]*)', re.I)
# Properties without which an event has no time: a broken one loses the event.
CRITICAL = frozenset({"DTSTART", "DTEND", "DURATION", "RRULE", "RECURRENCE-ID"})
# Properties an event can lose and still be read: a broken one is dropped.
DROPPABLE = frozenset({"EXDATE", "RDATE", "EXRULE"})
_RESOURCE_DOMAINS = ("resource.calendar.google.com", "group.calendar.google.com")


class EventStatus(StrEnum):
    CONFIRMED = "confirmed"
    TENTATIVE = "tentative"
    CANCELLED = "cancelled"


class Transparency(StrEnum):
    BUSY = "busy"
    FREE = "free"


@dataclass(frozen=True, kw_only=True, slots=True)
class Attendee:
    """A participant: e-mail lower-cased ("" when the file gives none), name, reply, kind."""

    email: str
    name: str
    partstat: str
    kind: str

    @property
    def is_resource(self) -> bool:
        """Rooms, equipment and shared calendars are on the invitation but are not people."""
        return self.kind in ("ROOM", "RESOURCE") or self.email.endswith(_RESOURCE_DOMAINS)


@dataclass(frozen=True, kw_only=True, slots=True)
class EventDetails:
    """What every occurrence of one VEVENT has in common."""

    summary: str
    status: EventStatus
    transparency: Transparency
    private: bool
    organizer_email: str | None
    attendees: tuple[Attendee, ...]


def referenced_tzids(block: Block) -> set[str]:
    """The cleaned TZIDs the block's properties refer to."""
    found: set[str] = set()
    for line in block.lines:
        if ";" in line:
            for match in _TZID_PARAM.finditer(_split_value(line)[0]):
                found.add(clean_tzid(match.group(1)))
    return found


def parse_event(block: Block, zones: Mapping[str, ZoneChoice]) -> Event:
    """The block as an icalendar Event, with its TZIDs replaced; raises what icalendar raises."""
    lines = [_rezone(line, zones) if ";" in line else line for line in block.lines]
    text = "BEGIN:VEVENT\r\n" + "\r\n".join(lines) + "\r\nEND:VEVENT\r\n"
    event = Event.from_ical(text)
    if not isinstance(event, Event):
        raise ValueError("not an event")
    return event


def _rezone(line: str, zones: Mapping[str, ZoneChoice]) -> str:
    def replace(match: re.Match[str]) -> str:
        choice = zones.get(clean_tzid(match.group(1)))
        if choice is None or choice.tzid is None:
            return ""  # an unknown zone: the time is floating
        return f";TZID={choice.tzid}"

    head, colon, value = _split_value(line)
    return _TZID_PARAM.sub(replace, head) + colon + value


def _split_value(line: str) -> tuple[str, str, str]:
    if '"' not in line:
        return line.partition(":")
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return line[:index], ":", line[index + 1 :]
    return line, "", ""


def broken_properties(event: Event) -> set[str]:
    """Names of the properties icalendar could not read (it keeps them as vBroken)."""
    return {str(name).upper() for name, _ in event.errors if name}


def event_details(event: Event) -> EventDetails:
    """Summary, status, free/busy, privacy, organizer and attendees of an event."""
    status_text = str(event.get("STATUS", "")).strip().upper()
    status = {"CANCELLED": EventStatus.CANCELLED, "TENTATIVE": EventStatus.TENTATIVE}.get(
        status_text, EventStatus.CONFIRMED
    )
    busy_status = str(event.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).strip().upper()
    free = str(event.get("TRANSP", "")).strip().upper() == "TRANSPARENT" or busy_status == "FREE"
    organizer = event.get("ORGANIZER")
    raw = event.get("ATTENDEE", [])
    return EventDetails(
        summary=" ".join(str(event.get("SUMMARY", "")).split()),
        status=status,
        transparency=Transparency.FREE if free else Transparency.BUSY,
        private=str(event.get("CLASS", "")).strip().upper() in ("PRIVATE", "CONFIDENTIAL"),
        organizer_email=(address_of(organizer) or None) if organizer is not None else None,
        attendees=tuple(_attendee(a) for a in (raw if isinstance(raw, list) else [raw])),
    )


def _attendee(value: object) -> Attendee:
    params = getattr(value, "params", {})
    return Attendee(
        email=address_of(value),
        name=" ".join(str(params.get("CN", "")).split()),
        partstat=str(params.get("PARTSTAT", "NEEDS-ACTION")).strip().upper(),
        kind=str(params.get("CUTYPE", "INDIVIDUAL")).strip().upper(),
    )


def address_of(value: object) -> str:
    """The e-mail of a calendar address: Apple's EMAIL parameter, else the mailto value."""
    params = getattr(value, "params", {})
    email = str(params.get("EMAIL", "")).strip()
    if "@" not in email:
        email = str(value).strip()
        if email[:7].lower() == "mailto:":
            email = email[7:]
    email = email.strip().strip("<>").lower()
    return email if "@" in email and " " not in email else ""
