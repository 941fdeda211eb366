"""CSV that spreadsheets open as data, never as formulas (OWASP «CSV Injection», ASVS 1.2.10).

A text cell that begins with `=`, `+`, `-`, `@`, a tab, a carriage return or a line feed
would be run as a formula by Excel or LibreOffice; it gets a leading apostrophe. Numbers
are written as numbers and need no guard. Quoting follows RFC 4180.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")

Cell = str | int | float | Decimal | date | datetime | None


def safe_cell(value: Cell) -> str | int | float:
    """The value as it goes into the file: text that could start a formula is defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_csv(stream: IO[str], header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> int:
    """Write a header and rows; returns the number of rows written."""
    writer = csv.writer(stream, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
        count += 1
    return count
