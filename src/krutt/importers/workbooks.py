"""Spreadsheet files (XLSX, also XLS and ODS) read as rows of cells with their row numbers.

python-calamine reads values only: formulas are never evaluated, and a cell that holds
one gives its cached result. Dates come back as dates where the cell's number format
says so, and as Excel serial numbers where it does not.

calamine unpacks a whole sheet into memory, so an archive is checked before it reads:
the sizes the ZIP declares (in all and against the compressed size: a "bomb" of a few
megabytes that unpacks to a gigabyte), then the sheets' rows and cells, counted while
their XML streams through zlib once (which also catches sizes declared falsely: the
stream is cut at the declared size and fails its CRC). Each limit refused is one sentence.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from python_calamine import CalamineError, CalamineWorkbook

from krutt.domain.messages import Message, Param, gettext_noop

Cell = int | float | str | bool | time | date | datetime | timedelta

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
MB = 1024 * 1024
# The ratio is judged on entries big enough to matter: a tiny XML part compresses far.
RATIO_FROM_BYTES = MB
_CHUNK = 1 << 20


@dataclass(frozen=True, kw_only=True, slots=True)
class WorkbookLimits:
    """What krutt unpacks of a spreadsheet before it refuses it; any real CRM export passes.

    A 50 MB export of a million deals unpacks to about 600 MB of XML at a ratio near 12;
    Excel itself stops at 1,048,576 rows.
    """

    max_unpacked_bytes: int = 1024 * MB
    max_ratio: int = 100
    max_entries: int = 10_000
    max_rows: int = 1_048_576
    max_cells: int = 20_000_000


DEFAULT_LIMITS = WorkbookLimits()


class UnreadableWorkbook(ValueError):
    """The bytes are not a workbook python-calamine can open, or it has no sheet."""


class WorkbookRefused(UnreadableWorkbook):
    """The workbook is past a limit; `message` says which, in one sentence."""

    def __init__(self, text: str, **params: Param) -> None:
        super().__init__(text)
        self.message = Message(text, params)


TOO_MUCH_UNPACKED = gettext_noop(
    "The spreadsheet unpacks to more than {limit} MB; export a shorter period or save it as CSV."
)
TOO_COMPRESSED = gettext_noop(
    "The spreadsheet is compressed {ratio} times, more than any real export ({limit}); "
    "it was not read."
)
TOO_MANY_PARTS = gettext_noop("The spreadsheet has more than {limit} parts; it was not read.")
TOO_MANY_ROWS = gettext_noop(
    "The spreadsheet has more than {limit} rows; export a shorter period or save it as CSV."
)
TOO_MANY_CELLS = gettext_noop(
    "The spreadsheet has more than {limit} cells; export fewer columns or a shorter period."
)
DAMAGED = gettext_noop("The spreadsheet is damaged: its parts do not unpack as they say.")


def is_workbook(data: bytes, filename: str = "") -> bool:
    """Whether the bytes are a spreadsheet rather than delimited text (by content, then name)."""
    if data.startswith((XLSX_MAGIC, XLS_MAGIC)):
        return True
    return filename.lower().endswith(SPREADSHEET_SUFFIXES) and not data[:1].isascii()


def check_workbook(data: bytes, limits: WorkbookLimits = DEFAULT_LIMITS) -> None:
    """Refuse (WorkbookRefused) a ZIP-based workbook past `limits`, before anything unpacks it."""
    if not data.startswith(XLSX_MAGIC):
        return  # XLS is not compressed: its size is the upload's
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableWorkbook("not a zip archive") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_entries:
            raise WorkbookRefused(TOO_MANY_PARTS, limit=limits.max_entries)
        unpacked = sum(entry.file_size for entry in entries)
        if unpacked > limits.max_unpacked_bytes:
            raise WorkbookRefused(TOO_MUCH_UNPACKED, limit=limits.max_unpacked_bytes // MB)
        packed = sum(entry.compress_size for entry in entries)
        for entry in entries:
            if entry.file_size >= RATIO_FROM_BYTES:
                _check_ratio(entry.file_size, entry.compress_size, limits)
        if unpacked >= RATIO_FROM_BYTES:
            _check_ratio(unpacked, packed, limits)
        sheets = [e for e in entries if _SHEET_PART.match(e.filename)]
        _count_sheets(archive, sheets, limits)


def _check_ratio(unpacked: int, packed: int, limits: WorkbookLimits) -> None:
    ratio = unpacked // max(packed, 1)
    if ratio > limits.max_ratio:
        raise WorkbookRefused(TOO_COMPRESSED, ratio=ratio, limit=limits.max_ratio)


_SHEET_PART = re.compile(r"^(xl/worksheets/[^/]+\.xml|content\.xml)$", re.I)
_REPEATED = re.compile(rb'number-(?:rows|columns)-repeated="(\d+)"')
# calamine holds a sheet as one dense block from its first to its last cell: two cells far
# apart (A1 and XFD1048576) would be billions of cells, so the references count too.
_ROW_NUMBER = re.compile(rb'<row [^>]*?r="(\d{1,9})"')
_WIDE_COLUMN = re.compile(rb' r="([A-Z]{2,3})\d')


def _count_sheets(
    archive: zipfile.ZipFile, sheets: list[zipfile.ZipInfo], limits: WorkbookLimits
) -> None:
    """Rows and cells of every sheet, counted as the XML streams by; refuse past a limit."""
    tally = _Tally(limits)
    for entry in sheets:
        tail = b""
        tally.last_row = tally.widest = 0
        try:
            with archive.open(entry) as stream:
                while chunk := stream.read(_CHUNK):
                    text = tail + chunk
                    # Tags cut by the chunk's end are counted with the next chunk.
                    cut = max(text.rfind(b"<"), 0)
                    tally.add(text[:cut])
                    tail = text[cut:]
                tally.add(tail)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
            raise WorkbookRefused(DAMAGED) from None


@dataclass
class _Tally:
    limits: WorkbookLimits
    rows: int = 0
    cells: int = 0
    last_row: int = 0
    widest: int = 0

    def add(self, text: bytes) -> None:
        self.rows += _count(text, (b"<row ", b"<row>", b"<table:table-row"))
        self.cells += _count(text, (b"<c ", b"<c>", b"<table:table-cell"))
        # ODS repeats a row or cell by a count instead of writing it again.
        self.cells += sum(int(n) - 1 for n in _REPEATED.findall(text) if len(n) < 12)
        # Rows come in order: the text's last row tag has its highest number.
        at = text.rfind(b"<row ")
        number = _ROW_NUMBER.match(text, at) if at >= 0 else None
        if number:
            self.last_row = max(self.last_row, int(number.group(1)))
        letters = set(_WIDE_COLUMN.findall(text))
        if letters:
            self.widest = max(self.widest, *(_column_number(c) for c in letters))
        self.rows = max(self.rows, self.last_row)
        self.cells = max(self.cells, self.last_row * self.widest)
        if self.rows > self.limits.max_rows:
            raise WorkbookRefused(TOO_MANY_ROWS, limit=self.limits.max_rows)
        if self.cells > self.limits.max_cells:
            raise WorkbookRefused(TOO_MANY_CELLS, limit=self.limits.max_cells)


def _count(text: bytes, tags: tuple[bytes, ...]) -> int:
    return sum(text.count(tag) for tag in tags)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def iter_sheet_rows(
    data: bytes, limits: WorkbookLimits = DEFAULT_LIMITS
) -> Iterator[tuple[int, list[Cell]]]:
    """(row number as the spreadsheet shows it, cells) for each row of the first sheet.

    Raises WorkbookRefused (a limit) or UnreadableWorkbook (not a workbook) on first use.
    """
    check_workbook(data, limits)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise UnreadableWorkbook("no sheets")
        sheet = workbook.get_sheet_by_index(0)
        if sheet.height > limits.max_rows:
            raise WorkbookRefused(TOO_MANY_ROWS, limit=limits.max_rows)
        if sheet.height * sheet.width > limits.max_cells:
            raise WorkbookRefused(TOO_MANY_CELLS, limit=limits.max_cells)
        first = sheet.start
        offset = first[0] if first is not None else 0
        rows = sheet.iter_rows()
    except (CalamineError, OSError, ValueError) as error:
        if isinstance(error, UnreadableWorkbook):
            raise
        raise UnreadableWorkbook(str(error)) from None
    try:
        for index, row in enumerate(rows):
            yield offset + index + 1, row
    except (CalamineError, OSError, ValueError) as error:
        raise UnreadableWorkbook(str(error)) from None
