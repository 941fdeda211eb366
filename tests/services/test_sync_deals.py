"""Syncing a CRM: deltas through the deal import, deletions, and chains equal to one full read."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from krutt.connections.crm_records import CrmFetch
from krutt.connections.errors import ConnectionFailed
from krutt.domain.months import Month
from krutt.domain.sellers import SellerId
from krutt.importers.deals import DealStatus
from krutt.importers.outcome_names import OutcomeNames
from krutt.services.deal_actuals import SellerDirectoryEntry
from krutt.services.import_deals import CrmChanges, DealsImport, import_deals
from krutt.services.sync_deals import FetchedDeals, sync_deals, window_start
from tests.services.fake_crm import FakeCrm
from tests.services.fakes import FakeSegmentStore
from tests.services.fakes_deals import FakeDealStore

THROUGH = date(2026, 12, 31)
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DIRECTORY = [
    SellerDirectoryEntry(seller_id=SellerId(1), email="kari@x.no", name="Kari Nordmann"),
    SellerDirectoryEntry(seller_id=SellerId(2), email="ola@x.no", name="Ola Hansen"),
    SellerDirectoryEntry(seller_id=SellerId(3), email="per@x.no", name="Per Vest"),
]
OWNERS = ["Kari Nordmann", "ola@x.no", "Per Vest", "Ukjent Eier"]


class Sink:
    def __init__(self, store: FakeDealStore) -> None:
        self.store = store
        self.calls: list[CrmChanges] = []

    def write(self, deals: FetchedDeals, changes: CrmChanges) -> DealsImport:
        self.calls.append(changes)
        return import_deals(
            deals=deals,
            store=self.store,
            segments=FakeSegmentStore(inputs=[]),
            through=THROUGH,
            crm=changes,
        )


class Feed:
    def __init__(self, crm: FakeCrm, since: datetime | None) -> None:
        self.crm, self.since = crm, since

    def fetch(self) -> CrmFetch:
        return self.crm.fetch(self.since)


class Failing:
    def fetch(self) -> CrmFetch:
        raise ConnectionFailed(
            "The server is busy and asked krutt to wait (HTTP 429).", retry_after=120
        )


def sync(crm: FakeCrm, store: FakeDealStore, watermark: datetime | None, *, full: bool = False):
    return sync_deals(
        kind="hubspot",
        feed=Feed(crm, window_start(watermark, full=full)),
        sink=Sink(store),
        names=OutcomeNames(),
        watermark=watermark,
        now=NOW,
        every_minutes=360,
        failures=0,
    )


def won_totals(store: FakeDealStore) -> dict[tuple[SellerId, Month], Decimal]:
    """The monthly results a manager reads; a month without a row reads as nothing won."""
    return {key: value for key, value in store.actuals.items() if value}


def kept(store: FakeDealStore) -> dict[str, tuple[object, ...]]:
    return {key: stored.record.content() for key, stored in store.deals.items()}


def test_an_incremental_sync_recounts_only_the_months_its_changed_deals_were_in() -> None:
    crm = FakeCrm()
    march = crm.create(
        owner="Kari Nordmann", amount=100, won=True, closed=True, day=date(2026, 3, 5)
    )
    crm.create(owner="Kari Nordmann", amount=200, won=True, closed=True, day=date(2026, 6, 5))
    crm.create(owner="Ola Hansen", amount=300, won=True, closed=True, day=date(2026, 4, 5))
    store = FakeDealStore(sellers=DIRECTORY)
    first = sync(crm, store, None, full=True)
    crm.minute += 10  # later than the overlap
    crm.change(march, closed_on=date(2026, 5, 20), amount=Decimal(150))

    second = sync(crm, store, first.watermark)

    assert second.status == "synced"
    assert second.result is not None
    assert second.result.months == (Month(2026, 3), Month(2026, 5))
    assert second.result.sellers == (SellerId(1),)
    # The other two were modified within the overlap before the watermark: read again, unchanged.
    assert (second.result.summary.updated, second.result.summary.unchanged) == (1, 2)
    assert won_totals(store) == {
        (SellerId(1), Month(2026, 5)): Decimal(150),
        (SellerId(1), Month(2026, 6)): Decimal(200),
        (SellerId(2), Month(2026, 4)): Decimal(300),
    }


def test_a_deal_the_crm_deleted_is_removed_and_its_month_recounted() -> None:
    crm = FakeCrm()
    gone = crm.create(owner="Per Vest", amount=900, won=True, closed=True, day=date(2026, 2, 1))
    crm.create(owner="Per Vest", amount=50, won=True, closed=True, day=date(2026, 2, 3))
    store = FakeDealStore(sellers=DIRECTORY)
    first = sync(crm, store, None, full=True)
    crm.minute += 10
    crm.delete(gone)

    second = sync(crm, store, first.watermark)

    assert second.result is not None
    assert second.result.summary.removed == 1
    assert set(store.deals) == {"id:2"}
    assert store.actuals[(SellerId(3), Month(2026, 2))] == Decimal(50)


def test_a_sync_with_nothing_changed_writes_nothing_and_keeps_the_watermark() -> None:
    crm = FakeCrm()
    crm.create(owner="Per Vest", amount=10, won=True, closed=True, day=date(2026, 2, 1))
    store = FakeDealStore(sellers=DIRECTORY)
    first = sync(crm, store, None, full=True)
    crm.minute += 10
    writes = store.writes

    again = sync(crm, store, first.watermark)

    assert (again.status, again.watermark) == ("unchanged", first.watermark)
    assert again.result is not None  # the deal within the overlap, read again
    summary = again.result.summary
    assert (summary.created, summary.updated, summary.removed, summary.unchanged) == (0, 0, 0, 1)
    assert again.result.actuals_changed == 0
    assert store.writes == writes


def test_a_window_with_no_change_at_all_is_not_an_import() -> None:
    crm = FakeCrm()
    crm.create(owner="Per Vest", amount=10, won=True, closed=True, day=date(2026, 2, 1))
    store = FakeDealStore(sellers=DIRECTORY)
    first = sync(crm, store, None, full=True)
    crm.minute += 60

    again = sync_deals(
        kind="hubspot",
        feed=Feed(crm, first.watermark + timedelta(minutes=30)),
        sink=Sink(store),
        names=OutcomeNames(),
        watermark=first.watermark,
        now=NOW,
        every_minutes=360,
        failures=0,
    )

    assert (again.status, again.watermark, again.result) == ("unchanged", first.watermark, None)


def test_a_failed_fetch_changes_nothing_and_waits_as_the_server_asked() -> None:
    store = FakeDealStore(sellers=DIRECTORY)
    sink = Sink(store)

    outcome = sync_deals(
        kind="pipedrive",
        feed=Failing(),
        sink=sink,
        names=OutcomeNames(),
        watermark=None,
        now=NOW,
        every_minutes=360,
        failures=2,
    )

    assert outcome.status == "failed"
    assert outcome.failures == 3
    assert outcome.error is not None
    assert outcome.error.text == "The server is busy and asked krutt to wait (HTTP 429)."
    assert outcome.next_sync_at == NOW + timedelta(minutes=20)
    assert (sink.calls, store.deals, store.actuals) == ([], {}, {})


def test_the_organisations_stage_names_decide_before_the_crms_verdict() -> None:
    crm = FakeCrm()
    deal = crm.create(owner="Per Vest", amount=70, won=False, closed=False, day=date(2026, 2, 1))
    crm.change(deal, stage="Signert")
    store = FakeDealStore(sellers=DIRECTORY)

    sync_deals(
        kind="hubspot",
        feed=Feed(crm, None),
        sink=Sink(store),
        names=OutcomeNames(won=("signert",)),
        watermark=None,
        now=NOW,
        every_minutes=360,
        failures=0,
    )

    assert store.deals["id:1"].record.status == DealStatus.WON.value
    assert store.actuals[(SellerId(3), Month(2026, 2))] == Decimal(70)


def test_an_owner_no_seller_matches_is_listed_and_a_deal_handed_to_them_stops_counting() -> None:
    crm = FakeCrm()
    deal = crm.create(owner="Kari Nordmann", amount=40, won=True, closed=True, day=date(2026, 2, 1))
    crm.create(owner="Ukjent Eier", amount=99, won=True, closed=True, day=date(2026, 2, 2))
    store = FakeDealStore(sellers=DIRECTORY)
    first = sync(crm, store, None, full=True)
    crm.minute += 10
    crm.change(deal, owner="Ukjent Eier")

    second = sync(crm, store, first.watermark)

    assert first.result is not None and second.result is not None
    assert [o.owner for o in first.result.unknown_owners] == ["Ukjent Eier"]
    assert [o.owner for o in second.result.unknown_owners] == ["Ukjent Eier"]
    assert store.deals == {}
    assert store.actuals[(SellerId(1), Month(2026, 2))] == Decimal(0)


# --- the property: a chain of incremental syncs == one full sync ---------------------

DAYS = st.dates(min_value=date(2025, 11, 1), max_value=date(2026, 4, 30))
CREATE = st.tuples(
    st.just("create"),
    st.sampled_from(OWNERS),
    st.integers(0, 5000),
    st.booleans(),
    st.booleans(),
    DAYS,
)
CHANGE = st.tuples(
    st.just("change"),
    st.integers(0, 50),
    st.sampled_from(OWNERS),
    st.integers(0, 5000),
    st.booleans(),
    st.booleans(),
    DAYS,
)
DELETE = st.tuples(st.just("delete"), st.integers(0, 50))
PAUSE = st.tuples(st.just("pause"), st.integers(1, 20))
SYNC = st.tuples(st.just("sync"))
STEPS = st.lists(st.one_of(CREATE, CHANGE, DELETE, PAUSE, SYNC), max_size=40)


@settings(max_examples=150, deadline=None)
@given(STEPS)
def test_a_chain_of_incremental_syncs_leaves_what_one_full_sync_leaves(steps) -> None:
    crm = FakeCrm()
    chain = FakeDealStore(sellers=DIRECTORY)
    watermark = None
    for step in steps:
        live = sorted(crm.deals, key=int)
        if step[0] == "create":
            _, owner, amount, won, closed, day = step
            crm.create(owner=owner, amount=amount, won=won, closed=closed, day=day)
        elif step[0] == "change" and live:
            _, index, owner, amount, won, closed, day = step
            crm.change(
                live[index % len(live)],
                owner=owner,
                amount=Decimal(amount),
                won=won,
                closed=closed or won,
                stage="Closed won" if won else "Forhandling",
                closed_on=day,
            )
        elif step[0] == "delete" and live:
            crm.delete(live[step[1] % len(live)])
        elif step[0] == "pause":
            crm.minute += step[1]
        elif step[0] == "sync":
            outcome = sync(crm, chain, watermark)
            assert outcome.status != "failed"
            watermark = outcome.watermark
    outcome = sync(crm, chain, watermark)
    assert outcome.status != "failed"

    full = FakeDealStore(sellers=DIRECTORY)
    sync(crm, full, None, full=True)

    assert kept(chain) == kept(full)
    assert won_totals(chain) == won_totals(full)
