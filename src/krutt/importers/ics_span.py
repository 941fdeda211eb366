"""The first day a calendar file has an event on, read from the text alone.

An import without a period given runs from the file's first event, so that day is
needed before the file is read for a period. Only DTSTART lines inside a VEVENT count
(time zone definitions start in 1601 or 1970); the day is the one written, before any
time zone is applied.

A regular expression finds the few lines that matter without decoding the file. A
quoted parameter may hold ':', ';' and ',' (Exchange writes `TZID="(UTC+01:00)
Amsterdam, Berlin, …"` and folds such long lines), so a DTSTART line is unfolded and
split by icalendar's own content-line parser. That costs ~30 µs a line, so it is only
paid for a line that would move the first day: a date-time has no colon, so the text
after a line's last colon tells which lines can.
"""

from __future__ import annotations

import codecs
import re
from datetime import date

from icalendar.parser import Contentline

from krutt.importers.ics_repair import repair_misquoted

_TOKENS = re.compile(
    rb"(?im)^(?:(BEGIN:VEVENT)|(END:VEVENT)|(DTSTART[;:][^\n]*(?:\n[ \t][^\n]*)*))"
)
_FOLD = re.compile(rb"\n[ \t]")


def first_event_day(data: bytes) -> date | None:
    """The earliest DTSTART day of any event in the file, or None when it has none."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = data.decode("utf-16", errors="replace").encode("utf-8")
    if b"\r" in data:
        # `^` and the folds only know "\n"; CR-only and CRLF files are read alike.
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    inside = False
    first: date | None = None
    for match in _TOKENS.finditer(data):
        if match.group(1):
            inside = True
        elif match.group(2):
            inside = False
        elif inside:
            line = match.group(3)
            guess = _day_of(line.rpartition(b":")[2])
            if guess is not None and first is not None and guess >= first:
                continue
            day = _day_written(line)
            if day is not None and (first is None or day < first):
                first = day
    return first


def _day_written(line: bytes) -> date | None:
    """The day a DTSTART line gives, or None when it gives none that can be read."""
    text = _FOLD.sub(b"", line).decode("utf-8", errors="replace").rstrip()
    if '"' in text:
        text = repair_misquoted(text)
    try:
        _, _, value = Contentline(text).parts()  # type: ignore[no-untyped-call]
    except ValueError:
        return None
    return _day_of(value.encode())


def _day_of(value: bytes) -> date | None:
    digits = value.strip()[:8]
    if len(digits) < 8 or not digits.isdigit():
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
