"""Delimited text files as spreadsheets and CRMs save them, read into rows with line numbers.

Detects the encoding from the whole file (as `delimited.detect_encoding`: a UTF-8 file
with a few damaged bytes stays UTF-8 and those lines are problems) and the delimiter
(comma, semicolon or tab), so users never have to say. A value longer than the csv
module's field limit, a header line naming a column twice and a file with no data
rows are problems too, by line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from krutt.domain.messages import gettext_noop
from krutt.importers.delimited import detect_encoding, lines_not_utf8
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
    """The file's text and the encoding it was in (damaged UTF-8 bytes become U+FFFD)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    encoding = detect_encoding(data)
    if encoding.startswith("utf-16"):
        return data.decode(encoding), encoding
    return data.decode(encoding, errors="replace"), encoding


NOT_UTF8 = gettext_noop(
    "The line has bytes that are not UTF-8 (shown as �); correct them or save the file as UTF-8."
)
TOO_LONG_FIELD = gettext_noop("A value on the line is longer than {limit} characters.")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent columns."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        return ","
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        try:
            counts = [len(next(csv.reader([line], delimiter=delimiter))) for line in lines]
        except csv.Error:  # a value beyond the field limit: the reader reports it by line
            continue
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
    if encoding.startswith("utf-8") and "\ufffd" in text:
        problems.extend(Problem.at(line, NOT_UTF8) for line in lines_not_utf8(data))
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
    except csv.Error as error:
        if "field limit" in str(error):
            limit = csv.field_size_limit()
            raise UnreadableFile(Problem.at(start, TOO_LONG_FIELD, limit=limit)) from None
        raise UnreadableFile(
            Problem.at(start, gettext_noop("The line cannot be read as CSV."))
        ) from None
    if names is None:
        raise UnreadableFile(Problem.at(0, gettext_noop("The file is empty.")))
    return Table(
        headers=names, rows=rows, encoding=encoding, delimiter=delimiter, problems=problems
    )
