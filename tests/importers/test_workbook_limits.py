"""Spreadsheets past a limit are refused before calamine unpacks them (issue 14, item 3)."""

from __future__ import annotations

import io
import zipfile

import pytest

from krutt.domain.messages import render_plain
from krutt.importers.deals import read_deals
from krutt.importers.workbooks import (
    WorkbookLimits,
    WorkbookRefused,
    check_workbook,
    iter_sheet_rows,
)
from tests.importers.spreadsheets import _MAIN, make_xlsx, make_xlsx_bomb, make_xlsx_sheet

HEADER = ["Deal owner", "Amount", "Close Date", "Deal Stage"]


def _refusal(data: bytes, limits: WorkbookLimits | None = None) -> str:
    with pytest.raises(WorkbookRefused) as refused:
        check_workbook(data, limits or WorkbookLimits())
    return render_plain(refused.value.message)


@pytest.fixture(scope="module")
def issue_bomb() -> bytes:
    """The size of the bomb in the issue: 1.1 GB of sheet data (here in about 1 MB)."""
    return make_xlsx_bomb(1100)


def test_the_issues_bomb_is_refused_by_what_it_unpacks_to(issue_bomb):
    assert len(issue_bomb) < 5 * 1024 * 1024
    assert _refusal(issue_bomb) == (
        "The spreadsheet unpacks to more than 1024 MB; export a shorter period or save it as CSV."
    )


def test_a_smaller_bomb_is_refused_by_how_far_it_is_compressed():
    bomb = make_xlsx_bomb(200)
    entry = zipfile.ZipFile(io.BytesIO(bomb)).getinfo("xl/worksheets/sheet1.xml")
    ratio = entry.file_size // entry.compress_size
    assert ratio > 100
    assert _refusal(bomb) == (
        f"The spreadsheet is compressed {ratio} times, more than any real export (100); "
        "it was not read."
    )


def test_the_deal_reader_refuses_the_bomb_as_one_problem(issue_bomb):
    read = read_deals(issue_bomb, filename="deals.xlsx")
    assert [(p.line, render_plain(p.message)) for p in read.problems] == [
        (
            0,
            "The spreadsheet unpacks to more than 1024 MB; export a shorter period or save it "
            "as CSV.",
        )
    ]
    assert read.deals == []


def test_rows_past_the_limit_are_refused_while_the_sheet_streams():
    data = make_xlsx([HEADER] + [["Kari", 100, "2026-01-05", "Won"]] * 30)
    assert _refusal(data, WorkbookLimits(max_rows=20)) == (
        "The spreadsheet has more than 20 rows; export a shorter period or save it as CSV."
    )
    assert len(list(iter_sheet_rows(data, WorkbookLimits(max_rows=31)))) == 31


def test_cells_past_the_limit_are_refused():
    data = make_xlsx([HEADER] + [["Kari", 100, "2026-01-05", "Won"]] * 30)
    assert _refusal(data, WorkbookLimits(max_cells=100)) == (
        "The spreadsheet has more than 100 cells; export fewer columns or a shorter period."
    )


def test_two_cells_far_apart_count_as_the_block_calamine_would_hold():
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{_MAIN}"><sheetData>'
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
        "</sheetData></worksheet>"
    )
    assert _refusal(make_xlsx_sheet(sheet)) == (
        "The spreadsheet has more than 20000000 cells; export fewer columns or a shorter period."
    )


def test_a_sheet_whose_declared_size_is_false_is_refused_as_damaged():
    data = bytearray(make_xlsx([HEADER] + [["Kari", 100, "2026-01-05", "Won"]] * 300))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    entry = archive.getinfo("xl/worksheets/sheet1.xml")
    assert entry.file_size > 100
    # The central directory's uncompressed size of the sheet (at 24 in its 46-byte
    # header, before the name), rewritten as 100 bytes.
    at = bytes(data).index(b"xl/worksheets/sheet1.xml", archive.start_dir) - 46 + 24
    data[at : at + 4] = (100).to_bytes(4, "little")
    assert _refusal(bytes(data)) == (
        "The spreadsheet is damaged: its parts do not unpack as they say."
    )
