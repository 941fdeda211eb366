"""Repairs made to .ics bytes before parsing, so that one bad line costs a line, not the file.

Real exports break the format in known ways (IMPORT-FORMATS.md §2): a byte-order mark,
CR-only or mixed line ends, folds that split a UTF-8 character, junk lines between
components, spaces inside RRULE values (Exchange CDO), `TZID="zone:value"` quoted
across the value, empty EXDATE values, several VCALENDARs in one file. This module
unfolds at byte level, decodes, repairs those lines and splits the text into its time
zone and event blocks, each keeping the line number it starts on in the user's file.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from krutt.domain.messages import Message, gettext_noop

# Nested components of an event (alarms) are not needed and not kept.
_KEPT = {"VEVENT", "VTIMEZONE"}
# The event properties krutt reads. The rest (descriptions, locations, Outlook's HTML
# bodies) is dropped before parsing: it is not needed, costs time, and is not krutt's.
EVENT_PROPERTIES = frozenset(
    {
        "UID",
        "DTSTART",
        "DTEND",
        "DURATION",
        "RRULE",
        "RDATE",
        "EXDATE",
        "RECURRENCE-ID",
        "SEQUENCE",
        "SUMMARY",
        "STATUS",
        "TRANSP",
        "CLASS",
        "ORGANIZER",
        "ATTENDEE",
        "X-MICROSOFT-CDO-BUSYSTATUS",
    }
)
_MISQUOTED_TZID = re.compile(
    r'^(?P<head>[^:"]*;TZID=")(?P<zone>[^"]*?):(?P<value>[0-9TZ,]+)"$', re.I
)
_DATE_LISTS = {"EXDATE", "RDATE"}


@dataclass(frozen=True, kw_only=True, slots=True)
class Block:
    """The content lines of one VEVENT or VTIMEZONE, with the line the block starts on.

    `calendar` is the index of the VCALENDAR it came from (a file may hold several).
    """

    kind: str
    line: int
    lines: tuple[str, ...]
    calendar: int


@dataclass(kw_only=True, slots=True)
class IcsText:
    """A file's event and time zone blocks, each calendar's X-WR-TIMEZONE, and what was repaired."""

    events: list[Block] = field(default_factory=list)
    zones: list[Block] = field(default_factory=list)
    wr_timezones: list[str] = field(default_factory=list)
    calendars: int = 0
    repairs: list[tuple[int, Message]] = field(default_factory=list)


def decode_ics(data: bytes) -> tuple[bytes, str]:
    """The bytes as UTF-8 (BOM dropped, UTF-16 converted) and the encoding they were in.

    NUL characters are dropped: no calendar means one, and PostgreSQL text cannot hold it.
    """
    text, encoding = _decode_ics(data)
    return (text.replace(b"\x00", b"") if b"\x00" in text else text), encoding


def _decode_ics(data: bytes) -> tuple[bytes, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:], "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace").encode("utf-8"), "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        # Not UTF-8: Windows-1252 is what older Outlook and Excel exports write.
        return data.decode("cp1252", errors="replace").encode("utf-8"), "cp1252"
    return data, "utf-8"


def logical_lines(data: bytes) -> list[tuple[int, str]]:
    """(line number, unfolded text) per content line, line ends normalised, folds joined.

    Unfolding happens on bytes, so a fold inside a multi-byte character is mended.
    """
    text = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    out: list[tuple[int, str]] = []
    current: list[bytes] = []
    start = 0
    for number, raw in enumerate(text.split(b"\n"), start=1):
        if not raw:
            continue  # a blank line does not end a folded line (some exporters put one inside)
        if raw[:1] in (b" ", b"\t") and current:
            current.append(raw[1:])
            continue
        if current:
            out.append((start, b"".join(current).decode("utf-8", errors="replace")))
        current, start = [raw], number
    if current:
        out.append((start, b"".join(current).decode("utf-8", errors="replace")))
    return out


def split_ics(data: bytes) -> IcsText:
    """The repaired blocks of an .ics file; lines that fit nowhere are dropped and noted."""
    body, encoding = decode_ics(data)
    result = IcsText()
    if encoding == "cp1252":
        result.repairs.append((0, Message(NOT_UTF8)))
    stack: list[str] = []
    lines: list[str] = []
    block_line = 0

    def close(text: str = "") -> None:
        component = stack.pop()
        if len(stack) == 1 and component in _KEPT:
            target = result.events if component == "VEVENT" else result.zones
            block = Block(
                kind=component, line=block_line, lines=tuple(lines), calendar=result.calendars - 1
            )
            target.append(block)
            lines.clear()
        elif len(stack) >= 2 and stack[1] == "VTIMEZONE":
            lines.append(text or f"END:{component}")

    for number, text in logical_lines(body):
        if not text.strip():
            continue
        if '"' in text and ";TZID=" in text.upper():
            text = repair_misquoted(text)
        name, value, complete = _name_value(text)
        if not complete:
            result.repairs.append((number, Message(NOT_A_PROPERTY)))
            continue
        if name == "BEGIN":
            component = value.strip().upper()
            if component == "VCALENDAR" or not stack:
                while stack:
                    close()
                result.calendars += 1
                result.wr_timezones.append("")
                stack.append("VCALENDAR")
                if component == "VCALENDAR":
                    continue
            elif component == "VEVENT" and len(stack) >= 2:
                # An event opened inside another: the first one lacks its END.
                result.repairs.append((number, Message(NOT_CLOSED)))
                while len(stack) > 1:
                    close()
            stack.append(component)
            if len(stack) == 2 and component in _KEPT:
                lines, block_line = [], number
            elif len(stack) > 2 and stack[1] == "VTIMEZONE":
                lines.append(text)
            continue
        if name == "END":
            component = value.strip().upper()
            if component not in stack:
                result.repairs.append((number, Message(END_WITHOUT_BEGIN)))
                continue
            while stack[-1] != component:
                close()  # a component left open is closed with its parent
            close(text)
            continue
        if not stack:
            result.repairs.append((number, Message(OUTSIDE_CALENDAR)))
            continue
        if len(stack) == 1:
            if name == "X-WR-TIMEZONE" and value.strip():
                result.wr_timezones[-1] = value.strip()
            continue
        if stack[1] == "VEVENT":
            if len(stack) > 2 or name not in EVENT_PROPERTIES:
                continue
        elif stack[1] != "VTIMEZONE":
            continue
        repaired = repair_line(name, text)
        if repaired is not None:
            lines.append(repaired)
    while stack:
        close()
    return result


NOT_UTF8 = gettext_noop("The file is not UTF-8; it was read as Windows-1252.")
NOT_A_PROPERTY = gettext_noop("A line that is not a calendar property was ignored.")
NOT_CLOSED = gettext_noop("An event was not closed; it ends where the next one begins.")
END_WITHOUT_BEGIN = gettext_noop("An END line without its BEGIN was ignored.")
OUTSIDE_CALENDAR = gettext_noop("A line outside any calendar was ignored.")


def _name_value(text: str) -> tuple[str, str, bool]:
    """Property name (upper case) and value of a content line; False when it has no value part.

    The value starts at the first colon outside double quotes (TZID="a:b" is a parameter).
    """
    if '"' not in text:
        head, colon, value = text.partition(":")
        return head.partition(";")[0].strip().upper(), value, bool(colon)
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return text[:index].partition(";")[0].strip().upper(), text[index + 1 :], True
    return text.partition(";")[0].partition(":")[0].strip().upper(), "", False


def repair_line(name: str, text: str) -> str | None:
    """The line with known breakage mended, or None when it is better dropped."""
    if name == "RRULE":
        head, _, value = text.partition(":")
        return f"{head}:{''.join(value.split())}"
    if name in _DATE_LISTS and not _name_value(text)[1].strip(" ,"):
        return None
    return text


def repair_misquoted(text: str) -> str:
    """`DTSTART;TZID="Zone:20200609T090000"` → `DTSTART;TZID="Zone":20200609T090000`."""
    match = _MISQUOTED_TZID.match(text)
    if match is None:
        return text
    return f'{match["head"]}{match["zone"]}":{match["value"]}'
