"""What every import reports back: counts the user can check, and every problem by line."""

from __future__ import annotations

from dataclasses import dataclass, field

from krutt.importers.problems import Problem


@dataclass(kw_only=True, slots=True)
class ImportSummary:
    """Rows read and what became of them; nothing is written when there are problems."""

    kind: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def committed(self) -> bool:
        return not self.problems


class ImportRejected(Exception):
    """Raised inside the import's transaction so that nothing of it is kept."""

    def __init__(self, summary: ImportSummary) -> None:
        super().__init__(f"{len(summary.problems)} problem(s)")
        self.summary = summary
