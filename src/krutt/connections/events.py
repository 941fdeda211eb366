"""An event from a calendar API (Graph, Google) as the one-event VCALENDAR the import reads.

The JSON APIs describe the same things an .ics export does — times, cancelled, free or
busy, private, who was invited and who declined — so each is written as the iCalendar
property the calendar import already understands, and a synced API calendar is judged
by exactly the file import's rules. Only what the import uses is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime


@dataclass(frozen=True, kw_only=True, slots=True)
class LocalTime:
    """A wall-clock time in a named zone (IANA, or a Windows name as Exchange gives it)."""

    at: datetime  # naive
    zone: str


Moment = datetime | date | LocalTime  # an aware datetime, a whole day, or a local time


@dataclass(frozen=True, kw_only=True, slots=True)
class Person:
    email: str
    name: str = ""
    # iCalendar PARTSTAT: ACCEPTED, DECLINED, TENTATIVE, NEEDS-ACTION.
    reply: str = "NEEDS-ACTION"
    resource: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class ApiEvent:
    uid: str
    start: Moment
    end: Moment
    summary: str = ""
    cancelled: bool = False
    free: bool = False
    private: bool = False
    recurrence_id: Moment | None = None
    organizer: Person | None = None
    attendees: tuple[Person, ...] = field(default_factory=tuple)


def event_ics(event: ApiEvent) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//krutt//calendar api//EN",
        "BEGIN:VEVENT",
        "UID:" + _text(event.uid),
        "DTSTAMP:19700101T000000Z",
        _moment("DTSTART", event.start),
        _moment("DTEND", event.end),
    ]
    if event.recurrence_id is not None:
        lines.append(_moment("RECURRENCE-ID", event.recurrence_id))
    if event.summary:
        lines.append("SUMMARY:" + _text(event.summary))
    if event.cancelled:
        lines.append("STATUS:CANCELLED")
    if event.free:
        lines.append("TRANSP:TRANSPARENT")
    if event.private:
        lines.append("CLASS:PRIVATE")
    if event.organizer is not None and event.organizer.email:
        lines.append(_person("ORGANIZER", event.organizer, reply=False))
    lines += [_person("ATTENDEE", p, reply=True) for p in event.attendees if p.email]
    lines += ["END:VEVENT", "END:VCALENDAR", ""]
    return "\r\n".join(_fold(line) for line in lines).encode()


def _moment(name: str, value: Moment) -> str:
    if isinstance(value, LocalTime):
        return f'{name};TZID="{_param(value.zone)}":{value.at:%Y%m%dT%H%M%S}'
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("an API time without a zone")
        return f"{name}:{value.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    return f"{name};VALUE=DATE:{value:%Y%m%d}"


def _person(name: str, person: Person, *, reply: bool) -> str:
    params = ""
    if person.name:
        params += f';CN="{_param(person.name)}"'
    if reply:
        params += f";PARTSTAT={person.reply}"
        if person.resource:
            params += ";CUTYPE=RESOURCE"
    return f"{name}{params}:mailto:{person.email.strip()}"


def _text(value: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and line breaks escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _param(value: str) -> str:
    """A quoted parameter value cannot hold a double quote or a line break."""
    return " ".join(value.replace('"', "'").split())


def _fold(line: str) -> str:
    """Lines longer than 75 octets folded as RFC 5545 asks, never inside a character."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = ""
    limit = 75
    for char in line:
        if len((current + char).encode()) > limit:
            parts.append(current)
            current, limit = char, 74
        else:
            current += char
    parts.append(current)
    return "\r\n ".join(parts)
