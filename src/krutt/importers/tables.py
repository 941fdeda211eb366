"""Delimited text files as spreadsheets and CRMs save them, read into rows with line numbers.

Detects the encoding (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252)
and the delimiter (comma, semicolon or tab), so users never have to say.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from krutt.domain.messages import gettext_noop
from krutt.importers.problems import Problem

DELIMITERS = ",;\t"


@dataclass(frozen=True, kw_only=True, slots=True)
class Row:
    """One data row: `line` as the user's editor numbers it, values by lower-cased header."""

    line: int
    values: dict[str, str]

    def get(self, *names: str) -> str:
        """The first non-empty value among the header names given (empty when none)."""
        for name in names:
            value = self.values.get(name)
            if value:
                return value.strip()
        return ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Table:
    headers: list[str]
    rows: list[Row]
    encoding: str
    delimiter: str
    # Rows with more cells than the header: usually an unquoted decimal comma, which would
    # otherwise shift every later value one column to the right.
    problems: list[Problem]


class UnreadableFile(ValueError):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message.text)
        self.problem = problem


def decode_text(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was in."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page; for Norway that is Windows-1252.
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent columns."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        return ","
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        counts = [len(next(csv.reader([line], delimiter=delimiter))) for line in lines]
        header = counts[0]
        if header < 2:
            continue
        score = sum(1 for c in counts if c == header) * header
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_table(data: bytes) -> Table:
    """Headers (lower-cased, trimmed) and rows of a delimited file; raises UnreadableFile."""
    try:
        text, encoding = decode_text(data)
    except UnicodeDecodeError:
        raise UnreadableFile(
            Problem.at(0, gettext_noop("The file is not text krutt can read."))
        ) from None
    if "\x00" in text:
        raise UnreadableFile(Problem.at(0, gettext_noop("The file is not text krutt can read.")))
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    names: list[str] | None = None
    rows: list[Row] = []
    problems: list[Problem] = []
    start = 1
    try:
        for record in reader:
            # A quoted cell may span lines: a row is reported at the line it starts on.
            line, start = start, reader.line_num + 1
            if names is None:
                names = [h.strip().lstrip("\ufeff").lower() for h in record]
                continue
            if not any(cell.strip() for cell in record):
                continue
            if len(record) > len(names) and any(cell.strip() for cell in record[len(names) :]):
                problems.append(
                    Problem.at(
                        line,
                        gettext_noop(
                            "The line has {found} fields but the header has {expected}; "
                            "quote values that contain «{delimiter}»."
                        ),
                        found=len(record),
                        expected=len(names),
                        delimiter="tab" if delimiter == "\t" else delimiter,
                    )
                )
                continue
            values = {
                name: (record[i] if i < len(record) else "") for i, name in enumerate(names) if name
            }
            rows.append(Row(line=line, values=values))
    except csv.Error:
        raise UnreadableFile(
            Problem.at(start, gettext_noop("The line cannot be read as CSV."))
        ) from None
    if names is None:
        raise UnreadableFile(Problem.at(0, gettext_noop("The file is empty.")))
    return Table(
        headers=names, rows=rows, encoding=encoding, delimiter=delimiter, problems=problems
    )
