"""Delimited text as CRMs and spreadsheets save it, read record by record without loading it whole.

The encoding is detected from the whole file (UTF-8 with or without BOM, UTF-16 with BOM,
else Windows-1252, the code page Norwegian Excel saves "CSV" in, when most of the letters
beyond ASCII are not UTF-8) and the text is decoded as it is read, so
a large export costs little more memory than its bytes. The delimiter is whichever of
comma, semicolon, tab or bar splits the opening lines into known column names best.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator

DELIMITERS = ",;\t|"
SAMPLE_BYTES = 64 * 1024
CHECK_CHUNK = 1 << 20


def detect_encoding(data: bytes) -> str:
    """The encoding to read `data` with, judged from its BOM and its opening bytes."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:SAMPLE_BYTES]
    # UTF-16 without a BOM shows as a zero byte beside nearly every ASCII one.
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
        return "utf-16-le"
    if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4:
        return "utf-16-be"
    # Judged from the whole file, a chunk at a time: a UTF-8 file with a few damaged bytes
    # stays UTF-8 (the damaged lines are listed), and only a file whose letters beyond
    # ASCII are mostly not UTF-8 is read as Windows-1252.
    valid, invalid = utf8_counts(data)
    if invalid == 0 or valid >= invalid:
        return "utf-8"
    return "cp1252"


def utf8_counts(data: bytes) -> tuple[int, int]:
    """(characters beyond ASCII that are valid UTF-8, bytes that are not) in `data`."""
    if data.isascii():
        return 0, 0
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    valid = invalid = 0
    already = data.count(_REPLACEMENT_BYTES)
    for offset in range(0, len(data), CHECK_CHUNK):
        text = decoder.decode(data[offset : offset + CHECK_CHUNK])
        valid, invalid = _count(text, valid, invalid)
    valid, invalid = _count(decoder.decode(b"", final=True), valid, invalid)
    # A U+FFFD the file itself holds is a valid character, not a damaged byte.
    return valid + already, invalid - already


_REPLACEMENT_BYTES = "\ufffd".encode()


def _count(text: str, valid: int, invalid: int) -> tuple[int, int]:
    if text.isascii():
        return valid, invalid
    damaged = text.count("\ufffd")
    beyond = len(text) - len(text.encode("ascii", "ignore"))
    return valid + beyond - damaged, invalid + damaged


def lines_not_utf8(data: bytes, *, limit: int = 1000) -> list[int]:
    """The (1-based) lines of `data` holding bytes that are not valid UTF-8, at most `limit`."""
    found: list[int] = []
    line, counted = 1, 0
    for run in _HIGH_BYTES.finditer(data):
        try:
            run.group().decode("utf-8")
        except UnicodeDecodeError:
            line += data.count(b"\n", counted, run.start())
            counted = run.start()
            if not found or found[-1] != line:
                found.append(line)
                if len(found) >= limit:
                    break
    return found


_HIGH_BYTES = re.compile(rb"[\x80-\xff]+")


def sample_lines(data: bytes, encoding: str, *, count: int = 50) -> list[str]:
    """The first `count` lines of the text, for sniffing (the last may be cut short)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    text = decoder.decode(data[: SAMPLE_BYTES * 2], final=len(data) <= SAMPLE_BYTES * 2)
    return text.lstrip("\ufeff").splitlines()[:count]


def sniff_delimiter(lines: list[str], is_known: Callable[[str], bool]) -> str:
    """The delimiter under which some opening line has the most known column names.

    Without any known name, the one that splits the lines into the most consistent
    number of columns wins (a title line above the header does not count against it).
    """
    best, best_known, best_shape = ",", 0, 0
    for delimiter in DELIMITERS:
        known = shape = 0
        counts: dict[int, int] = {}
        for cells in csv.reader(lines, delimiter=delimiter):
            known = max(known, sum(1 for cell in cells if is_known(cell)))
            if len(cells) > 1:
                counts[len(cells)] = counts.get(len(cells), 0) + 1
        if counts:
            width, rows = max(counts.items(), key=lambda item: (item[1], item[0]))
            shape = width * rows
        if (known, shape) > (best_known, best_shape):
            best, best_known, best_shape = delimiter, known, shape
    return best


def iter_records(
    data: bytes, encoding: str, delimiter: str
) -> Iterator[tuple[int, list[str] | None]]:
    """(line the record starts on, cells) for each record, decoding as it goes.

    Bytes that are not valid in `encoding` are replaced (U+FFFD) rather than fatal.

    A record the csv module cannot read (a field beyond its 128 KiB limit) is given as
    None at its line, so the caller can report it and go on.
    """
    # One scan of the bytes spares a per-cell search in the common, clean file (UTF-16
    # has NUL bytes in every ASCII character, so there each record is looked at).
    may_hold_nul = encoding.startswith("utf-16") or b"\x00" in data
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace", newline="")
    reader = csv.reader(stream, delimiter=delimiter, strict=False)
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield start, None
            start = reader.line_num + 1
            continue
        # A quoted cell may span lines: a record is reported at the line it starts on.
        # NUL is no character of any export (it means a damaged file) and PostgreSQL text
        # cannot hold it: the record is unreadable, like one the csv module rejects.
        if may_hold_nul and any("\x00" in cell for cell in record):
            yield start, None
        else:
            yield start, record
        start = reader.line_num + 1
