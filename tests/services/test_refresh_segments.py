from datetime import date

from krutt.domain.segmentation import SegmentationRules
from krutt.domain.segments import Segment
from krutt.domain.sellers import SellerId
from krutt.services.ports import SegmentInputs
from krutt.services.refresh_segments import refresh_segments
from tests.builders import make_profile, steady_results
from tests.services.fakes import FakeSegmentStore


def _store() -> FakeSegmentStore:
    return FakeSegmentStore(
        inputs=[
            SegmentInputs(
                profile=make_profile(1),
                rules=SegmentationRules(),
                results=steady_results("2026-01", "2026-10", attainment="1.2"),
                overrides=[],
            ),
            SegmentInputs(
                profile=make_profile(2, date(2026, 9, 1)),
                rules=SegmentationRules(),
                results=[],
                overrides=[],
            ),
        ]
    )


def test_a_refresh_stores_each_sellers_history_up_to_the_day():
    store = _store()
    summary = refresh_segments(store=store, through=date(2026, 11, 30))
    assert (summary.sellers, summary.changed) == (2, 2)
    assert store.history[SellerId(1)][-1].segment is Segment.TOP
    assert [a.segment for a in store.history[SellerId(2)]] == [Segment.NEW]


def test_a_second_refresh_with_the_same_data_writes_nothing():
    store = _store()
    refresh_segments(store=store, through=date(2026, 11, 30))
    summary = refresh_segments(store=store, through=date(2026, 11, 30))
    assert (summary.changed, store.writes) == (0, 1)


def test_a_refresh_for_named_sellers_leaves_the_others_alone():
    store = _store()
    summary = refresh_segments(store=store, through=date(2026, 11, 30), seller_ids=[SellerId(2)])
    assert summary.sellers == 1
    assert set(store.history) == {SellerId(2)}
