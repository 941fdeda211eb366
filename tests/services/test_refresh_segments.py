from dataclasses import replace
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


def _sales_only(first: str, last: str, amount: int):
    from decimal import Decimal

    from krutt.domain.months import Month
    from krutt.domain.sellers import MonthlyResult

    start, end = Month.parse(first), Month.parse(last)
    return [
        MonthlyResult(month=Month.from_index(i), target=None, actual=Decimal(amount))
        for i in range(start.index, end.index + 1)
    ]


def test_a_team_mates_new_numbers_move_a_seller_judged_against_the_team():
    rules = SegmentationRules()
    store = FakeSegmentStore(
        inputs=[
            SegmentInputs(
                profile=make_profile(seller),
                rules=rules,
                results=_sales_only("2026-01", "2026-10", amount),
                overrides=[],
                team_id=7,
            )
            for seller, amount in ((1, 100), (2, 100), (3, 120))
        ]
    )
    refresh_segments(store=store, through=date(2026, 11, 30))
    assert store.history[SellerId(3)][-1].segment is Segment.TOP  # 120 % of the median 100
    # Sellers 1 and 2 sell more: only they are named, yet seller 3 is judged again.
    store.inputs[:2] = [
        replace(item, results=_sales_only("2026-01", "2026-10", 150)) for item in store.inputs[:2]
    ]
    summary = refresh_segments(
        store=store, through=date(2026, 11, 30), seller_ids=[SellerId(1), SellerId(2)]
    )
    assert summary.sellers == 3
    assert store.history[SellerId(3)][-1].segment is Segment.CORE  # 80 % of the median 150


def test_sellers_without_numbers_share_a_history_only_when_start_and_rules_agree():
    # Four new sellers, no numbers: their history depends on the start date and the team's
    # ramp alone, so two with the same of both get the same, the others their own.
    start = date(2026, 3, 1)
    short_ramp = replace(SegmentationRules(), ramp_months=3)
    store = FakeSegmentStore(
        inputs=[
            SegmentInputs(profile=make_profile(1, start), rules=SegmentationRules(), results=[], overrides=[]),
            SegmentInputs(profile=make_profile(2, start), rules=SegmentationRules(), results=[], overrides=[]),
            SegmentInputs(profile=make_profile(3, start), rules=short_ramp, results=[], overrides=[]),
            SegmentInputs(profile=make_profile(4, date(2026, 7, 1)), rules=SegmentationRules(), results=[], overrides=[]),
        ]
    )  # fmt: skip
    refresh_segments(store=store, through=date(2026, 11, 30))
    ended_ramp = [a.valid_from for a in store.history[SellerId(1)][1:]]
    assert store.history[SellerId(1)] == store.history[SellerId(2)]
    assert ended_ramp == [date(2026, 9, 1)]
    assert [a.valid_from for a in store.history[SellerId(3)][1:]] == [date(2026, 6, 1)]
    assert [a.segment for a in store.history[SellerId(4)]] == [Segment.NEW]
