"""Undoing an import: refused with a reason, or restored and the segments recomputed."""

from datetime import date

import pytest

from krutt.domain.errors import InvalidInput, NotFound
from krutt.domain.months import Month
from krutt.domain.sellers import SellerId
from krutt.services.undo_import import BatchFacts, ChangedSince, Restored, undo_import
from tests.services.fakes import FakeSegmentStore
from tests.services.fakes_imports import FakeUndoStore


def facts(**overrides: object) -> BatchFacts:
    fields: dict[str, object] = {
        "batch_id": 7,
        "kind": "deals",
        "undone_on": None,
        "later": (),
        "changed_since": (),
    }
    fields.update(overrides)
    return BatchFacts(**fields)  # type: ignore[arg-type]


def undo(store: FakeUndoStore, batch_id: int = 7) -> Restored:
    return undo_import(
        store=store,
        segments=FakeSegmentStore(inputs=[]),
        batch_id=batch_id,
        through=date(2026, 12, 31),
    )


def test_an_import_is_restored_then_marked_undone():
    restored = Restored(removed=3, restored=1, actuals=2, sellers=(SellerId(4),))
    store = FakeUndoStore(facts={7: facts()}, restored=restored)

    assert undo(store) == restored
    assert store.done == ["restore 7", "undone 7"]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"undone_on": date(2026, 11, 20)}, "Import 7 was already undone on 2026-11-20."),
        (
            {"kind": "sellers"},
            "Import 7 is a sellers import; only deal and calendar imports can be undone.",
        ),
        (
            {"later": (12, 9)},
            "Import 9, 12 changed the same rows after import 7; undo import 9, 12 first.",
        ),
        (
            {
                "changed_since": (
                    ChangedSince(seller="kari@x.no", month=Month(2026, 3)),
                    ChangedSince(seller="ola@x.no", month=Month(2026, 3)),
                )
            },
            "The actual of kari@x.no for 2026-03 has changed since import 7 (2 month(s) in all); "
            "undoing it would throw that change away.",
        ),
    ],
    ids=["undone", "roster", "later", "changed-since"],
)
def test_an_undo_that_would_lose_something_is_refused_with_the_reason(given, message):
    store = FakeUndoStore(facts={7: facts(**given)})

    with pytest.raises(InvalidInput) as refused:
        undo(store)

    assert str(refused.value) == message
    assert store.done == []


def test_an_import_outside_the_callers_scope_is_not_found():
    store = FakeUndoStore(facts={})

    with pytest.raises(NotFound, match=r"^There is no import 7\.$"):
        undo(store)
