"""The encoding of a delimited file is decided from the whole file, not its first bad byte."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from krutt.importers.delimited import detect_encoding, lines_not_utf8

NAMES = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøåÆØÅéü ", min_size=1, max_size=20),
    min_size=1,
    max_size=30,
)


def test_one_bad_byte_in_a_utf8_file_keeps_it_utf8_and_names_its_line():
    data = "navn\nØyvind Ås\nKari\n".encode() + b"Ola \xff\n"
    assert detect_encoding(data) == "utf-8"
    assert lines_not_utf8(data) == [4]


def test_a_windows_1252_file_is_read_as_windows_1252():
    data = "navn\nØyvind Ås\nKåre Æsø\n".encode("cp1252")
    assert detect_encoding(data) == "cp1252"


@given(NAMES, st.integers(min_value=0, max_value=29))
def test_a_utf8_file_with_one_damaged_line_stays_utf8(names, damaged):
    assume(damaged < len(names))
    assume(any(not name.isascii() for name in names))
    lines = [name.encode() for name in names]
    lines[damaged] += b"\xff"
    data = b"\n".join(lines)
    assert detect_encoding(data) == "utf-8"
    assert lines_not_utf8(data) == [damaged + 1]


@given(NAMES)
def test_text_in_windows_1252_with_letters_beyond_ascii_is_never_taken_for_utf8(names):
    assume(any(not name.isascii() for name in names))
    data = "\n".join(names).encode("cp1252")
    assert detect_encoding(data) == "cp1252"
