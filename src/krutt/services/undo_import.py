"""Undo an import: put back exactly what the rows it wrote were before it.

Rows the import added are removed, rows it changed or removed get their earlier values
back, and segment histories follow the restored numbers. An import cannot be undone
once a later import has changed the same rows (undo the later one first), nor when a
monthly actual it set has been changed since: undoing would then throw that away.
Roster and monthly-number imports are kept in the history but cannot be undone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from krutt.domain.errors import InvalidInput, NotFound
from krutt.domain.messages import gettext_noop
from krutt.domain.months import Month
from krutt.domain.sellers import SellerId
from krutt.services.ports import SegmentStore
from krutt.services.refresh_segments import refresh_segments

UNDOABLE = frozenset({"deals", "calendar"})


@dataclass(frozen=True, kw_only=True, slots=True)
class ChangedSince:
    """A seller-month whose actual is no longer what the import set."""

    seller: str
    month: Month


@dataclass(frozen=True, kw_only=True, slots=True)
class BatchFacts:
    """What decides whether an import can be undone.

    `later`: imports not undone that changed rows this one wrote. `changed_since`:
    monthly actuals this import set that have been changed since.
    """

    batch_id: int
    kind: str
    undone_on: date | None
    later: tuple[int, ...]
    changed_since: tuple[ChangedSince, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Restored:
    """How many rows the undo removed and put back, and whose monthly actuals it reset."""

    removed: int
    restored: int
    actuals: int
    sellers: tuple[SellerId, ...]


class UndoStore(Protocol):
    def batch_facts(self, batch_id: int) -> BatchFacts | None:
        """The import in the caller's scope, or None."""
        ...

    def restore(self, batch_id: int) -> Restored:
        """Remove the rows the import added and put back what it changed or removed."""
        ...

    def mark_undone(self, batch_id: int) -> None: ...


def undo_import(
    *, store: UndoStore, segments: SegmentStore, batch_id: int, through: date
) -> Restored:
    """Restore the state before the import, or say why it cannot be done."""
    facts = store.batch_facts(batch_id)
    if facts is None:
        raise NotFound(gettext_noop("There is no import {id}."), id=batch_id)
    if facts.undone_on is not None:
        raise InvalidInput(
            gettext_noop("Import {id} was already undone on {day}."),
            id=batch_id,
            day=facts.undone_on,
        )
    if facts.kind not in UNDOABLE:
        raise InvalidInput(
            gettext_noop(
                "Import {id} is a {kind} import; only deal and calendar imports can be undone."
            ),
            id=batch_id,
            kind=facts.kind,
        )
    if facts.later:
        raise InvalidInput(
            gettext_noop(
                "Import {later} changed the same rows after import {id}; undo import {later} first."
            ),
            id=batch_id,
            later=_ids(facts.later),
        )
    if facts.changed_since:
        first = facts.changed_since[0]
        raise InvalidInput(
            gettext_noop(
                "The actual of {seller} for {month} has changed since import {id} "
                "({count} month(s) in all); undoing it would throw that change away."
            ),
            id=batch_id,
            seller=first.seller,
            month=str(first.month),
            count=len(facts.changed_since),
        )
    restored = store.restore(batch_id)
    store.mark_undone(batch_id)
    if restored.sellers:
        refresh_segments(store=segments, through=through, seller_ids=list(restored.sellers))
    return restored


def _ids(ids: Sequence[int]) -> str:
    return ", ".join(str(i) for i in sorted(ids))
