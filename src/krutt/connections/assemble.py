"""Calendar objects (one VCALENDAR each, as CalDAV keeps them) into one .ics text.

Works on the text, not on parsed objects, so a calendar of ten thousand events is put
together in a blink: the components inside each VCALENDAR are copied as they are, a
VTIMEZONE only once per TZID. The calendar import then reads the result exactly as it
reads an uploaded file.
"""

from __future__ import annotations

from collections.abc import Iterable

HEADER = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//krutt//calendar sync//EN\r\n"
FOOTER = b"END:VCALENDAR\r\n"


def assemble_calendar(objects: Iterable[bytes]) -> bytes:
    zones: dict[bytes, bytes] = {}
    parts: list[bytes] = []
    for data in objects:
        for kind, block in _components(data):
            if kind == b"VTIMEZONE":
                zones.setdefault(_tzid(block), block)
            else:
                parts.append(block)
    return HEADER + b"".join(zones.values()) + b"".join(parts) + FOOTER


def _components(data: bytes) -> Iterable[tuple[bytes, bytes]]:
    """(name, text) of each component directly inside a VCALENDAR."""
    depth = 0
    kind = b""
    block: list[bytes] = []
    for line in data.replace(b"\r\n", b"\n").split(b"\n"):
        upper = line.strip().upper()
        if upper.startswith(b"BEGIN:"):
            depth += 1
            if depth == 2:
                kind, block = upper[6:], []
        if depth >= 2:
            block.append(line.rstrip(b"\r") + b"\r\n")
        if upper.startswith(b"END:"):
            if depth == 2:
                yield kind, b"".join(block)
            depth = max(0, depth - 1)


def _tzid(block: bytes) -> bytes:
    for line in block.split(b"\r\n"):
        if line.upper().startswith(b"TZID"):
            return line.partition(b":")[2].strip()
    return block
