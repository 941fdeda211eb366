"""Deals from a CRM export (CSV or XLSX): owner, amount, won/lost/open and the day it closed.

The reader finds the header line under any title rows, recognises the CRM by its column
names (or takes the preset and column choices it is given), reads every row after it and
drops the report's footer. It never raises on bad input: what cannot be read comes back
as problems by line, and rows that are not deals (titles, footers, totals) as skipped.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from krutt.domain.messages import Message, Param, gettext_noop
from krutt.importers.crm_presets import (
    DEFAULT_LOST,
    DEFAULT_WON,
    FIELDS,
    PRESETS,
    CrmPreset,
    detect_preset,
    header_key,
    known_header_keys,
    map_deal_columns,
    vocabulary,
)
from krutt.importers.deal_rows import Deal, DealRowReader, DealStatus, text_of
from krutt.importers.delimited import (
    detect_encoding,
    iter_records,
    lines_not_utf8,
    sample_lines,
    sniff_delimiter,
)
from krutt.importers.problems import Problem
from krutt.importers.report_layout import HEADER_SCAN, find_header, is_total_line, sparse_row_kind
from krutt.importers.workbooks import (
    DEFAULT_LIMITS,
    Cell,
    UnreadableWorkbook,
    WorkbookLimits,
    WorkbookRefused,
    is_workbook,
    iter_sheet_rows,
)

__all__ = [
    "Deal",
    "DealStatus",
    "DealStream",
    "DealsRead",
    "SkippedRow",
    "read_deals",
    "stream_deals",
]

Record = tuple[int, Sequence[Cell] | None]

# Rows read ahead after the header to learn the amount column's decimal mark and the
# date columns' day/month order.
SNIFF_ROWS = 500
# Every group needs one of its columns; an owner e-mail column can stand in for the owner.
REQUIRED: tuple[tuple[str, ...], ...] = (
    ("owner", "owner_email"),
    ("amount",),
    ("status", "stage"),
    ("won_on", "closed_on"),
)


@dataclass(frozen=True, kw_only=True, slots=True)
class SkippedRow:
    """A row that is not a deal (a title, footer or total line), and why it was left out."""

    line: int
    reason: Message


@dataclass(frozen=True, kw_only=True, slots=True)
class DealsRead:
    """What a CRM export holds, and how the file was understood.

    `mapping` gives the header read for each field, `fallbacks` the further headers
    read when that cell is empty (Pipedrive's won time, then its close date). Rows
    with problems are not among `deals`; `truncated` says `max_rows` stopped the read.
    """

    preset: str
    detected: bool
    mapping: dict[str, str]
    fallbacks: dict[str, tuple[str, ...]]
    headers: list[str]
    header_line: int
    encoding: str
    deals: list[Deal]
    skipped: list[SkippedRow]
    problems: list[Problem]
    truncated: bool = False
    # The cell separator of a delimited file ("" for a workbook or an unread file).
    delimiter: str = ""


def read_deals(
    data: bytes,
    *,
    preset: str = "auto",
    mapping: Mapping[str, str] | None = None,
    filename: str = "",
    won_values: Collection[str] = (),
    lost_values: Collection[str] = (),
    max_rows: int | None = None,
) -> DealsRead:
    """Every deal in a CRM export, with the preset, the column mapping and problems by line.

    `preset` is a key of PRESETS or "auto"; `mapping` sets single fields to a header
    (`{"owner": "Ansvarlig selger"}`); `won_values`/`lost_values` are status and stage
    names read as won and lost besides the built-in ones (anything else is open; a name in
    both reads as won). XLSX is recognised by its bytes (or a spreadsheet `filename`),
    everything else is read as delimited text.
    """
    stream = stream_deals(
        data,
        preset=preset,
        mapping=mapping,
        filename=filename,
        won_values=won_values,
        lost_values=lost_values,
        max_rows=max_rows,
    )
    deals = list(stream)
    return stream.result(deals)


def stream_deals(
    data: bytes,
    *,
    preset: str = "auto",
    mapping: Mapping[str, str] | None = None,
    filename: str = "",
    won_values: Collection[str] = (),
    lost_values: Collection[str] = (),
    max_rows: int | None = None,
    workbook_limits: WorkbookLimits = DEFAULT_LIMITS,
) -> DealStream:
    """The same reading as `read_deals`, one deal at a time, for files too large to hold.

    The layout (preset, mapping, header line) is known on return; skipped rows and
    problems fill in as the deals are iterated.
    """
    stream = DealStream(
        choice=preset,
        overrides=dict(mapping or {}),
        won=vocabulary(won_values, DEFAULT_WON),
        lost=vocabulary(lost_values, DEFAULT_LOST),
        max_rows=max_rows,
    )
    if not data or data.isspace():  # isspace stops at the first byte that is not; no copy
        stream.fail(gettext_noop("The file is empty."))
        return stream
    if is_workbook(data, filename):
        stream.encoding = "xlsx"
        try:
            stream.open(iter_sheet_rows(data, workbook_limits))
        except WorkbookRefused as refused:
            stream.fail(refused.message.text, **refused.message.params)
        except UnreadableWorkbook:
            stream.fail(NOT_A_SPREADSHEET)
        return stream
    stream.encoding = detect_encoding(data)
    if stream.encoding == "utf-8" and not data.isascii():
        stream.problems.extend(Problem.at(line, NOT_UTF8) for line in lines_not_utf8(data))
    known = stream.known

    def is_known(cell: str) -> bool:
        return header_key(cell) in known

    delimiter = stream.delimiter = sniff_delimiter(sample_lines(data, stream.encoding), is_known)
    stream.open(iter_records(data, stream.encoding, delimiter))
    return stream


@dataclass(kw_only=True, eq=False)
class DealStream:
    """One read of one file: `open` finds the layout, iterating yields the deals."""

    choice: str
    overrides: dict[str, str]
    won: frozenset[str]
    lost: frozenset[str]
    max_rows: int | None
    encoding: str = ""
    delimiter: str = ""
    preset: CrmPreset | None = None
    headers: list[str] = field(default_factory=list)
    header_line: int = 0
    columns: dict[str, tuple[int, ...]] = field(default_factory=dict)
    skipped: list[SkippedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    truncated: bool = False
    _rows: Iterator[Record] | None = None

    @property
    def known(self) -> frozenset[str]:
        return known_header_keys(self.overrides.values())

    def fail(self, text: str, **params: Param) -> None:
        self.problems.append(Problem.at(0, text, **params))
        self._rows = None

    def result(self, deals: list[Deal]) -> DealsRead:
        """The read as a whole, once every deal has been taken from the stream."""
        headers, columns = self.headers, self.columns
        return DealsRead(
            preset=self.preset.key
            if self.preset
            else ("" if self.choice == "auto" else self.choice),
            detected=self.choice == "auto" and self.preset is not None,
            mapping={f: headers[c[0]] for f, c in columns.items()},
            fallbacks={f: tuple(headers[i] for i in c[1:]) for f, c in columns.items() if c[1:]},
            headers=headers,
            header_line=self.header_line,
            encoding=self.encoding,
            deals=deals,
            skipped=self.skipped,
            problems=self.problems,
            truncated=self.truncated,
            delimiter=self.delimiter,
        )

    def open(self, records: Iterable[Record]) -> None:
        """Find the header line and the columns; on failure the stream stays empty."""
        rows = iter(records)
        opening: list[Record] = []
        for record in rows:
            opening.append(record)
            if len(opening) >= HEADER_SCAN:
                break
        texts = [[text_of(c) for c in cells] if cells else [] for _, cells in opening]
        known = self.known
        index = find_header(texts, lambda cell: header_key(cell) in known)
        if index is None:
            self.fail(
                gettext_noop("No line among the first {count} has column names krutt knows."),
                count=HEADER_SCAN,
            )
            return
        self.header_line = opening[index][0]
        self.headers = [cell.strip().lstrip("\ufeff") for cell in texts[index]]
        for (line, _), cells in zip(opening[:index], texts[:index], strict=True):
            if any(cell.strip() for cell in cells):
                reason = Message(gettext_noop("A title line above the header."))
                self.skipped.append(SkippedRow(line=line, reason=reason))
        # Problems of single lines found before (bytes that are not UTF-8) do not stop the
        # read: every other line is still checked, so the manager gets the whole list at once.
        before = len(self.problems)
        self.preset = self._choose_preset()
        if self.preset is not None:
            self.columns = self._map_columns(self.preset)
        if self.preset is not None and len(self.problems) == before:
            self._rows = _chain(opening[index + 1 :], rows)

    def _choose_preset(self) -> CrmPreset | None:
        unknown = [name for name in self.overrides if name not in FIELDS]
        for name in unknown:
            self.problems.append(
                Problem.at(0, gettext_noop("{field} is not a deal field krutt knows."), field=name)
            )
        if self.choice == "auto":
            return detect_preset(self.headers)
        chosen = PRESETS.get(self.choice)
        if chosen is None:
            self.problems.append(
                Problem.at(
                    0, gettext_noop("{preset} is not a CRM krutt knows."), preset=self.choice
                )
            )
        return chosen

    def _map_columns(self, preset: CrmPreset) -> dict[str, tuple[int, ...]]:
        overrides = {k: v for k, v in self.overrides.items() if k in FIELDS}
        columns, missing = map_deal_columns(self.headers, preset, overrides)
        for name, header in missing:
            self.problems.append(
                Problem.at(
                    self.header_line,
                    gettext_noop(
                        "The column {column} chosen for {field} is not in the header line."
                    ),
                    column=header,
                    field=name,
                )
            )
        keys = [header_key(h) if h else "" for h in self.headers]
        for name, places in columns.items():
            # Two columns of the same name: which one holds the field cannot be known.
            for place in places:
                if keys[place] and keys.count(keys[place]) > 1:
                    self.problems.append(
                        Problem.at(
                            self.header_line,
                            DEAL_COLUMN_TWICE,
                            column=self.headers[place],
                            field=name,
                        )
                    )
        for choices in REQUIRED:
            if not any(choice in columns for choice in choices):
                self.problems.append(
                    Problem.at(
                        self.header_line,
                        gettext_noop("The header line has no column for {field}."),
                        field=choices[0],
                    )
                )
        return columns

    def __iter__(self) -> Iterator[Deal]:
        records, self._rows = self._rows, None
        if records is None:
            return
        try:
            yield from self._deals(records)
        except UnreadableWorkbook:
            self.problems.append(Problem.at(0, NOT_A_SPREADSHEET))

    def _deals(self, records: Iterator[Record]) -> Iterator[Deal]:
        ahead: list[Record] = []
        for record in records:
            ahead.append(record)
            if len(ahead) >= SNIFF_ROWS:
                break
        reader = DealRowReader.learn(
            columns=self.columns,
            headers=self.headers,
            sample=[cells for _, cells in ahead if cells],
            won=self.won,
            lost=self.lost,
        )
        after_blank = in_footer = False
        count = 0
        problems = self.problems
        for line, cells in _chain(ahead, records):
            if cells is None:
                problems.append(Problem.at(line, gettext_noop("The line cannot be read as CSV.")))
                continue
            # Most rows have most cells filled; only sparse ones need a closer look.
            if len(cells) - cells.count("") <= 2:
                texts = [text_of(c) for c in cells]
                if not any(text and not text.isspace() for text in texts):
                    after_blank = True
                    continue
                kind = sparse_row_kind(texts, after_blank=after_blank, in_footer=in_footer)
                if kind is not None:
                    in_footer = in_footer or kind == "footer" or after_blank
                    reason = Message(FOOTER_LINE if kind == "footer" else TOTAL_LINE)
                    self.skipped.append(SkippedRow(line=line, reason=reason))
                    continue
            after_blank = in_footer = False
            picked = reader.pick(cells)
            if not reader.has_owner(picked) and is_total_line(_first_filled(cells)):
                reason = Message(TOTAL_LINE)
                self.skipped.append(SkippedRow(line=line, reason=reason))
                continue
            count += 1
            if self.max_rows is not None and count > self.max_rows:
                problems.append(
                    Problem.at(
                        line,
                        gettext_noop("The file has more than {count} rows; the rest was not read."),
                        count=self.max_rows,
                    )
                )
                self.truncated = True
                return
            deal = reader.deal(line, cells, picked, problems)
            if deal is not None:
                yield deal


NOT_UTF8 = gettext_noop(
    "The line has bytes that are not UTF-8 (shown as �); correct them or save the file as UTF-8."
)
NOT_A_SPREADSHEET = gettext_noop("The file is not a spreadsheet krutt can read.")
DEAL_COLUMN_TWICE = gettext_noop(
    "The header line has the column {column} twice; remove or rename one of them, "
    "or choose another column for {field}."
)
FOOTER_LINE = gettext_noop("A report footer line.")
TOTAL_LINE = gettext_noop("A total line.")


def _first_filled(cells: Sequence[Cell]) -> str:
    return next((text for cell in cells if (text := text_of(cell)).strip()), "")


def _chain(first: list[Record], rest: Iterator[Record]) -> Iterator[Record]:
    yield from first
    yield from rest
