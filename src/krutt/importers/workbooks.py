"""Spreadsheet files (XLSX, also XLS and ODS) read as rows of cells with their row numbers.

python-calamine reads values only: formulas are never evaluated, and a cell that holds
one gives its cached result. Dates come back as dates where the cell's number format
says so, and as Excel serial numbers where it does not.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from python_calamine import CalamineError, CalamineWorkbook

Cell = int | float | str | bool | time | date | datetime | timedelta

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


class UnreadableWorkbook(ValueError):
    """The bytes are not a workbook python-calamine can open, or it has no sheet."""


def is_workbook(data: bytes, filename: str = "") -> bool:
    """Whether the bytes are a spreadsheet rather than delimited text (by content, then name)."""
    if data.startswith((XLSX_MAGIC, XLS_MAGIC)):
        return True
    return filename.lower().endswith(SPREADSHEET_SUFFIXES) and not data[:1].isascii()


def iter_sheet_rows(data: bytes) -> Iterator[tuple[int, list[Cell]]]:
    """(row number as the spreadsheet shows it, cells) for each row of the first sheet."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise UnreadableWorkbook("no sheets")
        sheet = workbook.get_sheet_by_index(0)
        first = sheet.start
        offset = first[0] if first is not None else 0
        rows = sheet.iter_rows()
    except (CalamineError, OSError, ValueError) as error:
        raise UnreadableWorkbook(str(error)) from None
    try:
        for index, row in enumerate(rows):
            yield offset + index + 1, row
    except (CalamineError, OSError, ValueError) as error:
        raise UnreadableWorkbook(str(error)) from None
