"""A CSV export never hands a spreadsheet a formula (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from krutt.exporters.csv_safe import FORMULA_STARTS, safe_cell, write_csv


def test_cells_that_would_be_formulas_get_an_apostrophe():
    assert safe_cell('=HYPERLINK("http://evil","x")') == '\'=HYPERLINK("http://evil","x")'
    assert safe_cell("+47 900 00 000") == "'+47 900 00 000"
    assert safe_cell("-1+1") == "'-1+1"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("\tx") == "'\tx"
    assert safe_cell("Kari Nordmann") == "Kari Nordmann"
    assert safe_cell(-5) == -5


def test_a_quote_breakout_stays_inside_its_cell():
    stream = io.StringIO()
    write_csv(stream, ["name"], [['=1+2";=1+2']])
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows == [["name"], ["'=1+2\";=1+2"]]


@given(st.lists(st.text(max_size=30), min_size=1, max_size=6))
def test_no_text_cell_read_back_starts_a_formula(cells):
    stream = io.StringIO()
    write_csv(stream, [f"c{i}" for i in range(len(cells))], [cells])
    (row,) = list(csv.reader(io.StringIO(stream.getvalue(), newline="")))[1:]
    assert len(row) == len(cells)
    for written, original in zip(row, cells, strict=True):
        assert not written.startswith(FORMULA_STARTS)
        assert written in (original, "'" + original)
