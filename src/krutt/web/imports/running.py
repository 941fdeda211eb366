"""One upload's import, as the preview shows it (rolled back) or as the commit writes it.

The web's preview and commit and the background job all run it here, so what the
preview showed is exactly what the commit (inline or as a job) does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction

from krutt.services.import_calendar import CalendarImport, CalendarRejected
from krutt.services.import_deals import DealsImport, DealsRejected
from krutt.services.imports import ImportRejected, ImportSummary
from krutt.web.access import sellers_managed_by
from krutt.web.accounts.models import User
from krutt.web.imports.calendar import import_calendar_file
from krutt.web.imports.deals import import_deals_file
from krutt.web.imports.models import ImportBatch
from krutt.web.imports.team_files import import_performance_file, import_roster_file

Outcome = DealsImport | CalendarImport | ImportSummary
# The roster and the monthly numbers: no batch to undo, a summary of what changed.
TEAM_FILES = ("sellers", "performance")


class _Preview(Exception):
    """Rolls the preview's transaction back, carrying what the import found."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__("preview")
        self.outcome = outcome


def run_import(
    user: User,
    meta: dict[str, Any],
    data: bytes,
    *,
    commit: bool,
    progress: Callable[[int], None] | None = None,
) -> tuple[Outcome, ImportBatch | None]:
    """The import as the commit would do it; without `commit` it is rolled back.

    `progress` hears the line a deal file has been read to (every few thousand lines).
    """
    assert user.organisation is not None
    batch: ImportBatch | None = None
    try:
        with transaction.atomic():
            outcome: Outcome
            if meta["kind"] in TEAM_FILES:
                read = import_roster_file if meta["kind"] == "sellers" else import_performance_file
                outcome = read(
                    data,
                    user.organisation,
                    filename=meta["filename"],
                    actor=user,
                    channel="web",
                    manager=user,
                )
            elif meta["kind"] == "deals":
                outcome, batch = import_deals_file(
                    data,
                    user.organisation,
                    filename=meta["filename"],
                    preset=meta["preset"],
                    mapping=meta["mapping"],
                    sellers=sellers_managed_by(user),
                    actor=user,
                    channel="web",
                    progress=progress,
                )
            else:
                outcome, batch = import_calendar_file(
                    data,
                    user.organisation,
                    manager=user,
                    filename=meta["filename"],
                    first=_day(meta.get("first")),
                    last=_day(meta.get("last")),
                    actor=user,
                    channel="web",
                )
            if not commit:
                raise _Preview(outcome)
    except _Preview as preview:
        return preview.outcome, None
    except (DealsRejected, CalendarRejected) as rejected:
        return rejected.result, None
    except ImportRejected as rejected:
        return rejected.summary, None
    return outcome, batch


def _day(text: Any) -> date | None:
    return date.fromisoformat(text) if isinstance(text, str) else None
