"""Which calendar an .ics export is: so that importing a second calendar adds, never wipes.

Exports name themselves in different ways: Apple and Outlook's `X-WR-RELCALID`, Google's
and Apple's `X-WR-CALNAME` (Google writes the owner's address there), else the address
that organises most of its events (the owner), else the product that wrote it. The
first of these that the file has is its identity; a manager can always name it instead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from icalendar.parser import Contentline

# Longest identity kept: a calendar's name, not a document.
MAX_IDENTITY = 200
_CALENDAR_PROPERTIES = ("X-WR-RELCALID", "X-WR-CALNAME", "PRODID")


@dataclass(frozen=True, kw_only=True, slots=True)
class CalendarIdentity:
    """The calendar's name as krutt keeps it, and the property it was read from."""

    name: str
    source: str


def calendar_identity(data: bytes) -> CalendarIdentity | None:
    """The identity the export gives itself, or None when it gives none."""
    text = data.decode("utf-8", errors="replace")
    found: dict[str, str] = {}
    organisers: Counter[str] = Counter()
    depth = 0
    for line in _unfolded(text):
        head = line.partition(":")[0].partition(";")[0].strip().upper()
        if head == "BEGIN":
            depth += 1
        elif head == "END":
            depth -= 1
        elif depth == 1 and head in _CALENDAR_PROPERTIES and head not in found:
            value = _value(line)
            if value:
                found[head] = value
        elif head == "ORGANIZER":
            value = _value(line).lower().removeprefix("mailto:")
            if value:
                organisers[value] += 1
    for head in ("X-WR-RELCALID", "X-WR-CALNAME"):
        if head in found:
            return CalendarIdentity(name=found[head][:MAX_IDENTITY], source=head)
    if organisers:
        owner, _count = organisers.most_common(1)[0]
        return CalendarIdentity(name=owner[:MAX_IDENTITY], source="ORGANIZER")
    if "PRODID" in found:
        return CalendarIdentity(name=found["PRODID"][:MAX_IDENTITY], source="PRODID")
    return None


def _unfolded(text: str) -> list[str]:
    """RFC 5545 §3.1: a line starting with a space or tab continues the one before."""
    lines: list[str] = []
    for raw in text.splitlines():
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        elif raw.strip():
            lines.append(raw)
    return lines


def _value(line: str) -> str:
    try:
        _name, _params, value = Contentline(line).parts()  # type: ignore[no-untyped-call]
    except ValueError:
        return ""
    return " ".join(str(value).split()).strip("\x00")
