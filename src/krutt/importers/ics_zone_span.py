"""Where a file's own definition of a standard zone holds, and a zone that uses it only there.

A VTIMEZONE covers the times from its first onset on. It ends at its TZUNTIL (RFC 7808's
truncated definitions) and, when it changes offsets but its rules stop (no open-ended
RRULE), at its last onset: past that it would repeat one offset only because the exporter
cut it short. Before the first onset RFC 5545 says nothing, and dateutil falls back to the
first standard offset, which reads every summer event of earlier years an hour late.

So a TZID that names a standard zone is read in the standard zone outside the span, and in
the file's definition inside it (the file may know something the zone database does not);
the times where the two disagree are counted, so the import lists them for review instead
of shifting them silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from itertools import islice
from typing import Any, Self
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr  # type: ignore[import-untyped]
from icalendar import Timezone
from icalendar.timezone import tzp

_MOMENT = re.compile(r"^\s*(\d{8})(?:T(\d{6}))?")
_MAX_COUNT = 1_000  # a zone rule counted further than this is taken as open-ended


@dataclass(frozen=True, slots=True)
class Span:
    """The wall times a definition covers: from `first`, up to `last` (None: no end)."""

    first: datetime
    last: datetime | None


def definition_span(lines: Iterable[str]) -> Span | None:
    """The span a VTIMEZONE's lines (without BEGIN/END:VTIMEZONE) cover; None if unreadable.

    Only for a definition whose rules `ics_zones` accepted: a COUNT is walked with dateutil.
    """
    observances: list[dict[str, list[str]]] = []
    until: datetime | None = None
    current: dict[str, list[str]] | None = None
    for line in lines:
        head, _, value = line.partition(":")
        name = head.split(";", 1)[0].strip().upper()
        if name == "BEGIN":
            current = {}
            observances.append(current)
        elif name == "END":
            current = None
        elif current is not None:
            current.setdefault(name, []).append(value)
        elif name == "TZUNTIL":
            until = _moment(value)
    onsets: list[datetime] = []
    open_ended = False
    for observance in observances:
        starts = [_moment(value) for value in observance.get("DTSTART", [])]
        start = starts[0] if starts else None
        if start is None:
            return None
        onsets.append(start)
        for value in observance.get("RDATE", []):
            onsets.extend(m for m in (_moment(v.split("/")[0]) for v in value.split(",")) if m)
        for rule in observance.get("RRULE", []):
            end = _rule_end(rule, start)
            if end is None:
                open_ended = True
            else:
                onsets.append(end)
    if not onsets:
        return None
    offsets = {value.strip() for o in observances for value in o.get("TZOFFSETTO", [])}
    if until is not None:
        last: datetime | None = until
    elif open_ended or len(offsets) < 2:
        last = None  # open rules, or one fixed offset: the definition has no end
    else:
        last = max(onsets)
    return Span(first=min(onsets), last=last)


def _moment(value: str) -> datetime | None:
    match = _MOMENT.match(value)
    if match is None:
        return None
    try:
        return datetime.strptime(match[1] + (match[2] or "000000"), "%Y%m%d%H%M%S")
    except ValueError:
        return None


def _rule_end(rule: str, start: datetime) -> datetime | None:
    """The last onset of a bounded rule; None when it has no end (or counts too far)."""
    parts = dict(part.partition("=")[::2] for part in rule.upper().replace(" ", "").split(";"))
    if "UNTIL" in parts:
        return _moment(parts["UNTIL"])
    count = parts.get("COUNT", "")
    if not count.isdigit() or int(count) > _MAX_COUNT:
        return None
    try:
        occurrences = list(islice(rrulestr(rule, dtstart=start), _MAX_COUNT))
    except (ValueError, TypeError, OverflowError):
        return None
    return occurrences[-1] if occurrences else start


class FileZone(tzinfo):
    """The file's definition inside its span, the standard zone outside it.

    `label` is the TZID as the file writes it, `standard` the zone it names.
    """

    def __init__(self, *, label: str, standard: str, definition: tzinfo, span: Span) -> None:
        self.label = label
        self.standard = ZoneInfo(standard)
        self._definition = definition
        self._span = span

    def covers(self, dt: datetime) -> bool:
        """Whether the file's definition gives the offset of this wall time."""
        wall = dt.replace(tzinfo=None, fold=0)
        last = self._span.last
        return self._span.first <= wall and (last is None or wall < last)

    def differs(self, dt: datetime) -> bool:
        """Whether the file's definition gives this wall time another offset than the standard."""
        return self.covers(dt) and (self._definition.utcoffset(dt) != self.standard.utcoffset(dt))

    def _zone(self, dt: datetime | None) -> tzinfo:
        return self._definition if dt is not None and self.covers(dt) else self.standard

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return self._zone(dt).utcoffset(dt)

    def dst(self, dt: datetime | None) -> timedelta | None:
        return self._zone(dt).dst(dt)

    def tzname(self, dt: datetime | None) -> str | None:
        return self._zone(dt).tzname(dt)

    def fromutc(self, dt: datetime) -> datetime:
        moment = dt.replace(tzinfo=UTC)
        local = moment.astimezone(self._definition)
        if not self.covers(local):
            local = moment.astimezone(self.standard)
        return local.replace(tzinfo=self)

    # The zone never changes; copies of parsed events share it (and keep comparisons exact).
    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        return self

    def __repr__(self) -> str:
        return f"FileZone({self.label!r}, standard={self.standard.key!r})"


def agrees_with_standard(zone: FileZone, years: range) -> bool:
    """Whether the zone gives every day of `years` (at noon) the standard zone's offset."""
    day = datetime(years.start, 1, 1, 12)
    end = datetime(years.stop, 1, 1)
    while day < end:
        if zone.differs(day):
            return False
        day += timedelta(days=1)
    return True


def register_file_zone(tzid: str, zone: FileZone) -> str:
    """Make icalendar read `tzid` as the zone; the same tzid always means the same zone."""
    if tzp.timezone(tzid) is None:
        tzp.cache_timezone_component(_Given(tzid, zone))
    return tzid


class _Given(Timezone):
    """A VTIMEZONE component that stands for a zone already built."""

    def __init__(self, tzid: str, zone: tzinfo) -> None:
        super().__init__()
        self["TZID"] = tzid
        self._given = zone

    def to_tz(self, tzp: object = tzp, lookup_tzid: bool = True) -> tzinfo:
        return self._given
