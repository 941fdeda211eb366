"""Which time zone each TZID in an .ics file means, decided per file.

Exports name zones in many ways: IANA names, Windows names (`W. Europe Standard Time`,
numbered `Eastern Standard Time 1`), Outlook display names (`(UTC+01:00) Amsterdam,
Berlin …`), vendor-prefixed names, and free text with the definition in a VTIMEZONE.
A well-known name is read as its IANA zone unless the file's own definition gives other
offsets during the period; then the file's definition is used where it holds and the IANA
zone outside the span it covers (`ics_zone_span`). Free-text names use the file's
definition under a name derived from its content. icalendar caches zones for the whole process by
name, so two files that both define "Customized Time Zone" differently can never see
each other's definition. A name nothing explains is left out: its times are floating.
"""

from __future__ import annotations

import functools
import hashlib
import re
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from icalendar import Timezone
from icalendar.timezone import tzp
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from krutt.domain.messages import Message, gettext_noop
from krutt.importers.ics_rules import usable_zone_rule
from krutt.importers.ics_zone_span import (
    FileZone,
    agrees_with_standard,
    definition_span,
    register_file_zone,
)

MAX_ZONES = 200
_OFFSET_NAME = re.compile(
    r"^\(?\s*(?:UTC|GMT)\s*(?:([+-−])\s*(\d{1,2})(?::?(\d{2}))?)?\s*\)?\s*(.*)$", re.I
)
# Outlook writes a zone's display name when it has no Windows id; the cities name it.
_DISPLAY_CITIES: dict[str, str] = {
    "amsterdam, berlin, bern, rome, stockholm, vienna": "Europe/Berlin",
    "belgrade, bratislava, budapest, ljubljana, prague": "Europe/Budapest",
    "brussels, copenhagen, madrid, paris": "Europe/Paris",
    "sarajevo, skopje, warsaw, zagreb": "Europe/Warsaw",
    "dublin, edinburgh, lisbon, london": "Europe/London",
    "helsinki, kyiv, riga, sofia, tallinn, vilnius": "Europe/Helsinki",
    "helsinki, kiev, riga, sofia, tallinn, vilnius": "Europe/Helsinki",
    "athens, bucharest": "Europe/Bucharest",
    "moscow, st. petersburg": "Europe/Moscow",
    "coordinated universal time": "UTC",
    "eastern time (us & canada)": "America/New_York",
    "central time (us & canada)": "America/Chicago",
    "mountain time (us & canada)": "America/Denver",
    "pacific time (us & canada)": "America/Los_Angeles",
    "canberra, melbourne, sydney": "Australia/Sydney",
    "chennai, kolkata, mumbai, new delhi": "Asia/Kolkata",
    "beijing, chongqing, hong kong, urumqi": "Asia/Shanghai",
    "osaka, sapporo, tokyo": "Asia/Tokyo",
}


@dataclass(frozen=True, kw_only=True, slots=True)
class ZoneChoice:
    """The TZID to read a name as (None: floating), and why, when the user should check it."""

    tzid: str | None
    note: Message | None = None


@functools.cache
def iana_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def clean_tzid(name: str) -> str:
    """A TZID without the quotes, spaces and stray colons exporters leave around it."""
    return name.strip().strip('"').strip().rstrip(":").strip()


def choose_zones(
    referenced: Iterable[str],
    definitions: Mapping[str, tuple[str, ...]],
    *,
    years: range,
) -> dict[str, ZoneChoice]:
    """For each referenced TZID (cleaned), the zone to read it as.

    `definitions` maps cleaned TZIDs to their VTIMEZONE lines (without BEGIN/END);
    `years` are those the import covers, where offsets are compared.
    """
    choices: dict[str, ZoneChoice] = {}
    for name in sorted(set(referenced)):
        if len(choices) >= MAX_ZONES:
            choices[name] = ZoneChoice(tzid=None, note=Message(UNKNOWN_ZONE, {"name": name}))
            continue
        choices[name] = _choose(name, definitions.get(name), years)
    return choices


UNKNOWN_ZONE = gettext_noop("The time zone {name} is unknown; its times are read as local time.")
GUESSED_ZONE = gettext_noop(
    "The time zone {name} is not defined in the file; it was read as {zone}."
)


def _choose(name: str, definition: tuple[str, ...] | None, years: range) -> ZoneChoice:
    known = well_known_zone(name)
    custom = _register(definition) if definition else None
    if known is not None:
        if custom is None or definition is None:
            return ZoneChoice(tzid=known)
        span = definition_span(definition)
        if span is None:
            return ZoneChoice(tzid=known if _same_offsets(known, custom[1], years) else custom[0])
        zone = FileZone(label=name, standard=known, definition=custom[1], span=span)
        if agrees_with_standard(zone, years):
            return ZoneChoice(tzid=known)
        # The label is part of the name: the review item says how the file wrote it.
        digest = hashlib.sha256(f"{custom[0]}\n{known}\n{name}".encode()).hexdigest()[:16]
        return ZoneChoice(tzid=register_file_zone(f"krutt-zone-{digest}", zone))
    if custom is not None:
        return ZoneChoice(tzid=custom[0])
    match = _OFFSET_NAME.match(name)
    if match and match.group(2):
        sign = -1 if match.group(1) in "-−" else 1
        minutes = sign * (int(match.group(2)) * 60 + int(match.group(3) or 0))
        if abs(minutes) <= 14 * 60:
            fixed = _register(_fixed_offset_lines(minutes))
            if fixed is not None:
                label = f"UTC{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
                return ZoneChoice(
                    tzid=fixed[0], note=Message(GUESSED_ZONE, {"name": name, "zone": label})
                )
    return ZoneChoice(tzid=None, note=Message(UNKNOWN_ZONE, {"name": name}))


def well_known_zone(name: str) -> str | None:
    """The IANA name a TZID stands for, if it is one, a Windows name or an Outlook display name."""
    names = iana_names()
    bare = name.strip("/")
    candidates = [bare, re.sub(r"\s+\d+$", "", bare), bare.replace(" Time", " Standard Time")]
    for candidate in candidates:
        if candidate in names:
            return candidate
        if candidate in WINDOWS_TO_OLSON:
            return WINDOWS_TO_OLSON[candidate]
    if "/" in bare:
        # A vendor prefix before an IANA name: /mozilla.org/20070129_1/America/New_York.
        parts = bare.split("/")
        for start in range(1, len(parts)):
            suffix = "/".join(parts[start:])
            if suffix in names:
                return suffix
    match = _OFFSET_NAME.match(name)
    if match and match.group(4):
        cities = " ".join(match.group(4).lower().split())
        return _DISPLAY_CITIES.get(cities)
    return None


def _register(lines: tuple[str, ...]) -> tuple[str, tzinfo] | None:
    """Parse a VTIMEZONE under a name derived from its content; None when it is unusable.

    icalendar caches the zone under that name; the same name always means the same
    definition, so the process-wide cache cannot mix files up.
    """
    body = [line for line in lines if not line.upper().startswith("TZID")]
    rules = [line.partition(":")[2] for line in body if line.upper().startswith("RRULE")]
    if len(rules) > 8 or not all(usable_zone_rule(rule) for rule in rules):
        return None  # dateutil would walk a rule that never occurs to the year 9999
    digest = hashlib.sha256("\n".join(body).encode()).hexdigest()[:16]
    tzid = f"krutt-zone-{digest}"
    cached = tzp.timezone(tzid)
    if cached is not None:
        return tzid, cached
    text = "\r\n".join(["BEGIN:VTIMEZONE", f"TZID:{tzid}", *body, "END:VTIMEZONE", ""])
    try:
        Timezone.from_ical(text)
        zone = tzp.timezone(tzid)
        if zone is None:
            return None
        datetime(2020, 1, 15, 12, tzinfo=zone).utcoffset()
    except Exception:  # any failure of a foreign definition makes it unusable
        return None
    return tzid, zone


def _same_offsets(iana: str, custom: tzinfo, years: range) -> bool:
    known = zoneinfo.ZoneInfo(iana)
    for year in years:
        for month in (1, 4, 7, 10):
            moment = datetime(year, month, 15, 12)  # wall time; zones attached below
            if (
                moment.replace(tzinfo=known).utcoffset()
                != moment.replace(tzinfo=custom).utcoffset()
            ):
                return False
    return True


def _fixed_offset_lines(minutes: int) -> tuple[str, ...]:
    offset = timedelta(minutes=minutes)
    sign = "-" if offset < timedelta(0) else "+"
    total = abs(minutes)
    text = f"{sign}{total // 60:02d}{total % 60:02d}"
    return (
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        f"TZOFFSETFROM:{text}",
        f"TZOFFSETTO:{text}",
        "END:STANDARD",
    )
