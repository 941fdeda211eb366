"""Importing deals: kept by key, compared, written in chunks; actuals for the sellers in the file."""

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import render_plain
from krutt.domain.months import Month
from krutt.domain.sellers import SellerId
from krutt.importers.deals import DealStatus, stream_deals
from krutt.importers.outcome_names import OutcomeNames
from krutt.importers.roster import read_roster
from krutt.services.deal_actuals import SellerDirectoryEntry
from krutt.services.import_deals import CHUNK, DealsRejected, import_deals, open_deals
from tests.conftest import DATA
from tests.services.fakes import FakeSegmentStore
from tests.services.fakes_deals import FakeDealStore

EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
THROUGH = date(2026, 12, 31)
HEADER = "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Create Date,Currency\n"
KARI = SellerDirectoryEntry(seller_id=SellerId(1), email="kari@x.no", name="Kari Nordmann")
OLA = SellerDirectoryEntry(seller_id=SellerId(2), email="ola@x.no", name="Ola Hansen")
PER = SellerDirectoryEntry(seller_id=SellerId(3), email="per@x.no", name="Per Vest")


def sample_directory() -> list[SellerDirectoryEntry]:
    roster = read_roster((DATA / "sellers.csv").read_bytes())
    return [
        SellerDirectoryEntry(
            seller_id=SellerId(number), email=row.email, aliases=row.aliases, name=row.name
        )
        for number, row in enumerate(roster.rows, start=1)
    ]


def run(store: FakeDealStore, data: bytes, **options: str):
    return import_deals(
        deals=stream_deals(data, **options),
        store=store,
        segments=FakeSegmentStore(inputs=[]),
        through=THROUGH,
    )


def csv(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def test_a_sample_export_is_kept_and_sets_exactly_the_expected_actuals():
    store = FakeDealStore(sellers=sample_directory())
    emails = {e.seller_id: e.email for e in store.sellers}

    result = run(store, (DATA / "crm" / "pipedrive-deals.csv").read_bytes())

    assert (result.summary.created, result.summary.updated, result.summary.unchanged) == (
        342,
        0,
        0,
    )
    assert {
        emails[seller]: {str(month): amount}
        for (seller, month), amount in store.actuals.items()
        if str(month) == "2026-10"
    } == {
        email: {"2026-10": Decimal(str(months["2026-10"])).quantize(Decimal("0.01"))}
        for email, months in EXPECTED["monthly_actuals"].items()
    }
    assert len(store.actuals) == 88
    assert result.refreshed == tuple(SellerId(i) for i in range(1, 9))
    assert store.deals["id:1"].record.status == "won"


def test_the_same_export_again_is_all_unchanged_and_writes_nothing():
    store = FakeDealStore(sellers=sample_directory())
    data = (DATA / "crm" / "superoffice-salg.csv").read_bytes()
    run(store, data)
    writes = store.writes

    again = run(store, data)

    assert (again.summary.created, again.summary.updated, again.summary.unchanged) == (0, 0, 342)
    assert (again.actuals_changed, again.actuals_unchanged, again.refreshed) == (0, 88, ())
    assert store.writes == writes


def test_a_changed_deal_is_updated_in_place_with_its_earlier_values_at_hand():
    store = FakeDealStore(sellers=[KARI])
    run(store, csv("7,Lisens,Closed won,2026-03-10,Kari Nordmann,100,2026-01-05,NOK"))
    first = store.deals["id:7"]

    result = run(store, csv("7,Lisens,Closed won,2026-03-10,Kari Nordmann,150,2026-01-05,NOK"))

    assert (result.summary.created, result.summary.updated) == (0, 1)
    assert store.deals["id:7"].row_id == first.row_id
    assert store.deals["id:7"].record.amount == Decimal("150.00")
    assert store.actuals == {(SellerId(1), Month(2026, 3)): Decimal("150.00")}


def test_a_problem_rejects_the_file_and_nothing_is_kept():
    store = FakeDealStore(sellers=[KARI])

    with pytest.raises(DealsRejected) as rejected:
        run(
            store,
            csv(
                "1,A,Closed won,2026-03-10,Kari Nordmann,100,2026-01-05,NOK",
                "2,B,Closed won,2026-03-11,Kari Nordmann,lots,2026-01-05,NOK",
            ),
        )

    summary = rejected.value.result.summary
    assert [(p.line, render_plain(p.message)) for p in summary.problems] == [
        (3, "lots in Amount is not an amount.")
    ]
    assert (summary.created, store.deals, store.actuals) == (0, {}, {})


def test_a_deal_id_twice_is_a_problem_naming_both_lines():
    store = FakeDealStore(sellers=[KARI])

    with pytest.raises(DealsRejected) as rejected:
        run(
            store,
            csv(
                "1,A,Closed won,2026-03-10,Kari Nordmann,100,2026-01-05,NOK",
                "1,A,Closed won,2026-03-10,Kari Nordmann,100,2026-01-05,NOK",
            ),
        )

    assert [(p.line, render_plain(p.message)) for p in rejected.value.result.summary.problems] == [
        (3, "The deal id 1 is also on line 2.")
    ]


def test_deals_without_ids_that_look_alike_are_told_apart_by_their_order():
    store = FakeDealStore(sellers=[KARI])
    data = (
        b"Deal Name,Deal Stage,Close Date,Deal owner,Amount,Create Date\n"
        b"Lisens,Closed won,2026-03-10,Kari Nordmann,100,2026-01-05\n"
        b"Lisens,Closed won,2026-03-12,Kari Nordmann,200,2026-01-05\n"
    )

    result = run(store, data)

    assert result.summary.created == 2
    first, second = sorted(store.deals)
    assert (first.startswith("content:"), second) == (True, f"{first}#2")
    assert store.actuals == {(SellerId(1), Month(2026, 3)): Decimal("300.00")}


def test_won_deals_in_two_currencies_are_a_problem():
    store = FakeDealStore(sellers=[KARI])

    with pytest.raises(DealsRejected) as rejected:
        run(
            store,
            csv(
                "1,A,Closed won,2026-03-10,Kari Nordmann,100,2026-01-05,NOK",
                "2,B,Closed won,2026-03-10,Kari Nordmann,100,2026-01-05,EUR",
            ),
        )

    assert [(p.line, render_plain(p.message)) for p in rejected.value.result.summary.problems] == [
        (
            3,
            "The file has won deals in NOK, EUR; krutt never converts amounts, so export one "
            "currency at a time.",
        )
    ]


def test_an_unknown_owner_is_listed_and_sellers_not_in_the_file_keep_their_numbers():
    store = FakeDealStore(sellers=[KARI, OLA, PER])
    store.actuals[(SellerId(3), Month(2026, 3))] = Decimal("999.00")

    result = run(
        store,
        csv(
            "1,A,Closed won,2026-03-10,Kari Nordmann,100,2026-01-05,NOK",
            "2,B,Closed lost,2026-04-10,Ola Hansen,50,2026-01-05,NOK",
            "3,C,Closed won,2026-04-11,Nils Ukjent,70,2026-01-05,NOK",
        ),
    )

    assert [(u.owner, u.lines, u.won_amount) for u in result.unknown_owners] == [
        ("Nils Ukjent", (4,), Decimal("70"))
    ]
    assert (result.summary.created, result.summary.skipped) == (2, 1)
    assert result.sellers == (SellerId(1), SellerId(2))
    assert store.actuals == {
        (SellerId(1), Month(2026, 3)): Decimal("100.00"),
        (SellerId(1), Month(2026, 4)): Decimal("0.00"),
        (SellerId(2), Month(2026, 3)): Decimal("0.00"),
        (SellerId(2), Month(2026, 4)): Decimal("0.00"),
        (SellerId(3), Month(2026, 3)): Decimal("999.00"),
    }


def test_a_large_file_is_compared_and_written_a_chunk_at_a_time():
    store = FakeDealStore(sellers=[KARI])
    rows = [
        f"{i},D{i},Closed won,2026-03-10,Kari Nordmann,1,2026-01-05,NOK"
        for i in range(CHUNK * 2 + 5)
    ]
    seen: list[int] = []

    result = import_deals(
        deals=stream_deals(csv(*rows)),
        store=store,
        segments=FakeSegmentStore(inputs=[]),
        through=THROUGH,
        progress=seen.append,
    )

    assert (result.summary.created, store.lookups, store.writes) == (CHUNK * 2 + 5, 3, 3)
    assert seen == [CHUNK + 1, CHUNK * 2 + 1]
    assert store.actuals == {(SellerId(1), Month(2026, 3)): Decimal(CHUNK * 2 + 5)}


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Kari Nordmann", "Ola Hansen", "Nils Ukjent"]),
            st.integers(min_value=1, max_value=12),
            st.integers(min_value=0, max_value=10_000),
            st.sampled_from(["Closed won", "Closed lost", "Qualified"]),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_importing_twice_keeps_each_known_deal_once_and_actuals_add_up(deals):
    rows = [
        f"{i},D{i},{stage},2026-{month:02d}-15,{owner},{amount},2026-01-01,NOK"
        for i, (owner, month, amount, stage) in enumerate(deals)
    ]
    store = FakeDealStore(sellers=[KARI, OLA])
    known = [d for d in deals if d[0] != "Nils Ukjent"]
    try:
        run(store, csv(*rows))
        again = run(store, csv(*rows))
    except DealsRejected as rejected:
        assert not known
        assert [render_plain(p.message) for p in rejected.result.summary.problems] == [
            "No deal in the file belongs to a seller krutt knows; check the owner column and "
            "the roster."
        ]
        return
    assert (again.summary.created, again.summary.updated) == (0, 0)
    assert len(store.deals) == len(known)
    won = sum(amount for _, _, amount, stage in known if stage == "Closed won")
    assert sum(a or 0 for a in store.actuals.values()) == won


def test_an_incremental_export_adds_to_the_deals_kept_before_in_one_query():
    store = FakeDealStore(sellers=[KARI, OLA])
    run(
        store,
        csv(
            "1,A,Closed won,2026-03-10,Kari Nordmann,100,2026-01-05,NOK",
            "2,B,Closed won,2026-04-10,Kari Nordmann,40,2026-01-05,NOK",
            "3,C,Closed won,2026-03-11,Ola Hansen,70,2026-01-05,NOK",
        ),
    )
    asked = store.totals_asked

    result = run(store, csv("4,D,Closed won,2026-03-20,Kari Nordmann,25,2026-02-01,NOK"))

    assert (result.summary.created, result.months, result.sellers) == (
        1,
        (Month(2026, 3),),
        (SellerId(1),),
    )
    assert store.totals_asked == asked + 1
    assert store.actuals == {
        (SellerId(1), Month(2026, 3)): Decimal("125.00"),
        (SellerId(1), Month(2026, 4)): Decimal("40.00"),
        (SellerId(2), Month(2026, 3)): Decimal("70.00"),
        (SellerId(2), Month(2026, 4)): Decimal("0.00"),
    }


def test_a_deal_handed_to_another_owner_leaves_the_former_owners_month():
    store = FakeDealStore(sellers=[KARI, OLA])
    run(
        store,
        csv(
            "1,A,Closed won,2026-03-10,Kari Nordmann,100,2026-01-05,NOK",
            "2,B,Closed won,2026-03-12,Ola Hansen,70,2026-01-05,NOK",
        ),
    )

    result = run(store, csv("2,B,Closed won,2026-03-12,Kari Nordmann,70,2026-01-05,NOK"))

    assert (result.summary.updated, result.sellers) == (1, (SellerId(1), SellerId(2)))
    assert store.actuals == {
        (SellerId(1), Month(2026, 3)): Decimal("170.00"),
        (SellerId(2), Month(2026, 3)): Decimal("0.00"),
    }


def test_the_organisations_and_the_imports_own_won_names_both_count():
    data = csv(
        "1,Lisens,Signert,2026-03-01,Kari Nordmann,100,2026-01-01,NOK",
        "2,Pilot,Levert,2026-03-02,Kari Nordmann,50,2026-01-01,NOK",
        "3,Avtale,Avbrutt,2026-03-03,Kari Nordmann,70,2026-01-01,NOK",
    )
    organisation = OutcomeNames(won=("Signert",))

    only_organisation = [d.status for d in open_deals(data, filename="x.csv", names=organisation)]
    with_run = open_deals(
        data,
        filename="x.csv",
        names=organisation,
        extra_names=OutcomeNames(won=("Levert",), lost=("Avbrutt",)),
    )

    assert only_organisation == [DealStatus.WON, DealStatus.OPEN, DealStatus.OPEN]
    assert [d.status for d in with_run] == [DealStatus.WON, DealStatus.WON, DealStatus.LOST]
    with pytest.raises(InvalidInput):
        open_deals(
            data, filename="x.csv", names=organisation, extra_names=OutcomeNames(lost=("signert",))
        )
