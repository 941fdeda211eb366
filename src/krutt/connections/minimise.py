"""Only what krutt reads of a calendar object, before it is kept (data minimisation).

CalDAV's incremental sync needs every object kept between syncs. Kept as fetched, they
would hold each meeting's subject, description, location and guests. An event keeps
its identity, times, recurrence and status; a subject only the words krutt reads (the
activity's keyword, sellers' names), which the caller decides; an attendee or organiser
only when krutt knows the address (a seller or the manager), anyone else becomes an
anonymous guest so that the meeting still counts as having had others present. Alarms
and every other property go. Works on the text, like `assemble_calendar`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

# What the calendar import reads of an event (importers/ics_*.py).
KEPT = frozenset(
    {
        "UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "EXRULE",
        "RECURRENCE-ID", "STATUS", "TRANSP", "CLASS", "SEQUENCE", "DTSTAMP",
        "X-MICROSOFT-CDO-BUSYSTATUS", "X-MICROSOFT-CDO-ALLDAYEVENT",
    }
)  # fmt: skip
PEOPLE = frozenset({"ATTENDEE", "ORGANIZER"})
GUEST_PARAMS = ("CUTYPE", "PARTSTAT", "ROLE")
_PARAM = re.compile(r';([A-Za-z-]+)=("[^"]*"|[^;:]*)')


def _unfolded(data: bytes) -> Iterator[str]:
    text = data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    yield from re.sub(r"\n[ \t]", "", text).split("\n")


def _split(line: str) -> tuple[str, str, str]:
    """(NAME, ;params, value) of a content line; a colon inside quotes is not the value's."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            head, value = line[:index], line[index + 1 :]
            name, _sep, params = head.partition(";")
            return name.upper(), (";" + params) if params else "", value
    return line.upper(), "", ""


def _fold(line: str) -> str:
    """Fold at 74 characters, as RFC 5545 asks (never inside a UTF-8 character)."""
    parts = []
    while len(line.encode()) > 74:
        cut = 74
        while len(line[:cut].encode()) > 74:
            cut -= 1
        parts.append(line[:cut])
        line = " " + line[cut:]
    parts.append(line)
    return "\r\n".join(parts) + "\r\n"


def minimal_object(
    data: bytes, *, summary: Callable[[str], str], known: Callable[[str], bool]
) -> bytes:
    """The object with only what krutt reads; `summary` trims a subject, `known` an address."""
    out: list[str] = []
    stack: list[str] = []
    guests = 0
    for line in _unfolded(data):
        if not line.strip():
            continue
        name, params, value = _split(line)
        if name == "BEGIN":
            stack.append(value.strip().upper())
        in_event = "VEVENT" in stack
        skipping = in_event and stack[-1] != "VEVENT"  # an alarm or any other sub-component
        if name == "END":
            if not skipping:
                out.append(line)
            if stack:
                stack.pop()
            continue
        if skipping:
            continue
        if not in_event or name == "BEGIN" or name in KEPT:
            out.append(line)
        elif name == "SUMMARY":
            out.append("SUMMARY:" + summary(value))
        elif name in PEOPLE:
            address = value.strip()
            if address.lower().startswith("mailto:"):
                address = address[7:]
            # Whether they took part (PARTSTAT) and as what (CUTYPE) decide what counts.
            kept = "".join(
                f";{key.upper()}={val}"
                for key, val in _PARAM.findall(params)
                if key.upper() in GUEST_PARAMS
            )
            if known(address.strip().lower()):
                out.append(f"{name}{kept}:mailto:{address.strip()}")
            else:
                guests += 1
                out.append(f"{name}{kept}:mailto:guest-{guests}@guests.invalid")
    return "".join(_fold(line) for line in out).encode("utf-8")
