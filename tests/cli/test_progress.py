"""Long imports show a progress bar on a terminal and nothing when piped."""

from __future__ import annotations

import io

from krutt.cli.commands.import_output import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_how_far_the_import_has_come(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    progress = Progress.for_lines(b"header\n" + b"row\n" * 999, "deals.csv")
    assert progress is not None
    progress.bar.mininterval = 0  # draw every update in the test
    progress.lines(500)
    shown = terminal.getvalue()
    assert "deals.csv" in shown and "50%" in shown
    progress.done()
    # The bar wipes its line when done, so the summary starts on a clean line.
    last = terminal.getvalue()[len(shown) :]
    assert last.endswith("\r") and last.strip() == ""


def test_piped_output_gets_no_progress_at_all(monkeypatch):
    piped = io.StringIO()
    monkeypatch.setattr("sys.stderr", piped)
    assert Progress.for_lines(b"a\nb\n", "deals.csv") is None
    assert Progress.for_phases("calendar.ics") is None
    assert piped.getvalue() == ""
