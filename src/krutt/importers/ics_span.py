"""The first day a calendar file has an event on, read from the text alone.

An import without a period given runs from the file's first event, so that day is
needed before the file is read for a period. Only DTSTART lines inside a VEVENT count
(time zone definitions start in 1601 or 1970); the day is the one written, before any
time zone is applied.
"""

from __future__ import annotations

import codecs
import re
from datetime import date

_TOKENS = re.compile(rb"(?im)^(BEGIN:VEVENT|END:VEVENT|DTSTART[^:\r\n]*:\s*(\d{8}))")


def first_event_day(data: bytes) -> date | None:
    """The earliest DTSTART day of any event in the file, or None when it has none."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = data.decode("utf-16", errors="replace").encode("utf-8")
    inside = False
    first: date | None = None
    for match in _TOKENS.finditer(data):
        token = match.group(1)[:9].upper()
        if token == b"BEGIN:VEV":
            inside = True
        elif token == b"END:VEVEN":
            inside = False
        elif inside and match.group(2):
            digits = match.group(2)
            try:
                day = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
            except ValueError:
                continue
            if first is None or day < first:
                first = day
    return first
