"""Won deals → monthly actuals per seller, with deal owners matched to sellers."""

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krutt.domain.messages import render_plain
from krutt.domain.months import Month
from krutt.domain.sellers import SellerId
from krutt.importers.deals import Deal, DealStatus, read_deals, stream_deals
from krutt.importers.roster import read_roster
from krutt.services.deal_actuals import (
    SellerDirectory,
    SellerDirectoryEntry,
    SellerMonthActual,
    compute_deal_actuals,
    deal_key,
    deal_keys,
    resolve_owner,
)
from tests.conftest import DATA

EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))


def sample_directory() -> list[SellerDirectoryEntry]:
    roster = read_roster((DATA / "sellers.csv").read_bytes())
    return [
        SellerDirectoryEntry(
            seller_id=SellerId(number), email=row.email, aliases=row.aliases, name=row.name
        )
        for number, row in enumerate(roster.rows, start=1)
    ]


def make_deal(**overrides: Any) -> Deal:
    fields: dict[str, Any] = {
        "line": 2,
        "deal_id": None,
        "name": "Lisens",
        "owner": "Kari Nordmann",
        "owner_email": None,
        "amount": Decimal("100"),
        "currency": None,
        "status": DealStatus.WON,
        "stage": "Closed Won",
        "closed_on": date(2026, 3, 10),
        "created_on": date(2026, 1, 5),
        "account": "Fjordfisk AS",
    }
    fields.update(overrides)
    return Deal(**fields)


KARI = SellerDirectoryEntry(
    seller_id=SellerId(1), email="kari.nordmann@x.no", aliases=("kn@x.no",), name="Kari Nordmann"
)
OLA = SellerDirectoryEntry(seller_id=SellerId(2), email="ola@x.no", name="Ola Hansen")
SOFIE = SellerDirectoryEntry(seller_id=SellerId(3), email="sofie@x.no", name="Søfie Ås")


@pytest.mark.parametrize(
    "name",
    [
        "hubspot-deals.csv",
        "pipedrive-deals.csv",
        "salesforce-opportunities-nb.csv",
        "superoffice-salg.csv",
    ],
)
def test_each_sample_export_gives_exactly_the_expected_monthly_actuals(name):
    directory = sample_directory()
    emails = {entry.seller_id: entry.email for entry in directory}
    read = read_deals((DATA / "crm" / name).read_bytes())
    actuals = compute_deal_actuals(deals=read.deals, directory=directory)
    assert actuals.unmatched == []
    assert actuals.problems == []
    assert (actuals.won_deals, actuals.counted_deals) == (224, 224)
    assert actuals.months == tuple(Month(2026, m) for m in range(1, 12))
    assert {
        emails[seller]: {str(month): amount for month, amount in months.items()}
        for seller, months in actuals.actuals.items()
    } == {
        email: {month: Decimal(str(value)) for month, value in months.items()}
        for email, months in EXPECTED["monthly_actuals"].items()
    }


def test_a_streamed_export_gives_the_same_actuals():
    data = (DATA / "crm" / "superoffice-salg.csv").read_bytes()
    directory = sample_directory()
    streamed = compute_deal_actuals(deals=stream_deals(data), directory=directory)
    whole = compute_deal_actuals(deals=read_deals(data).deals, directory=directory)
    assert streamed == whole


def test_every_directory_seller_gets_every_covered_month_zero_when_nothing_was_won():
    deals = [
        make_deal(closed_on=date(2026, 1, 31), amount=Decimal("10")),
        make_deal(closed_on=date(2026, 3, 1), status=DealStatus.LOST, owner="Ola Hansen"),
        make_deal(closed_on=date(2026, 9, 1), status=DealStatus.OPEN, owner="Ola Hansen"),
    ]
    actuals = compute_deal_actuals(deals=deals, directory=[KARI, OLA])
    january, february, march = Month(2026, 1), Month(2026, 2), Month(2026, 3)
    assert actuals.months == (january, february, march)
    assert actuals.actuals == {
        SellerId(1): {january: Decimal("10"), february: Decimal(0), march: Decimal(0)},
        SellerId(2): {january: Decimal(0), february: Decimal(0), march: Decimal(0)},
    }
    assert actuals.rows()[:2] == [
        SellerMonthActual(seller_id=SellerId(1), month=january, actual=Decimal("10")),
        SellerMonthActual(seller_id=SellerId(1), month=february, actual=Decimal(0)),
    ]


@pytest.mark.parametrize(
    ("owner", "email", "expected"),
    [
        ("Kari Nordmann", None, SellerId(1)),
        ("  kari   NORDMANN ", None, SellerId(1)),
        ("Nordmann, Kari", None, SellerId(1)),
        ("KN@x.no", None, SellerId(1)),
        ("Someone Else", "kari.nordmann@x.no", SellerId(1)),
        ("Sofie As", None, SellerId(3)),
        ("SØFIE ÅS", None, SellerId(3)),
        ("Kari", None, "No seller has this name or e-mail address."),
        ("kari@elsewhere.no", None, "No seller has this name or e-mail address."),
    ],
)
def test_owners_are_matched_by_email_alias_or_full_name_and_never_guessed(owner, email, expected):
    assert resolve_owner(SellerDirectory([KARI, OLA, SOFIE]), owner, email) == expected


def test_unknown_and_ambiguous_owners_are_listed_with_their_lines_and_not_counted():
    twin = SellerDirectoryEntry(seller_id=SellerId(4), email="ola2@x.no", name="Ola Hansen")
    deals = [
        make_deal(line=2, owner="Per Persen", amount=Decimal("5")),
        make_deal(line=3, owner="Per Persen", status=DealStatus.OPEN),
        make_deal(line=4, owner="Ola Hansen", amount=Decimal("7")),
        make_deal(line=5, owner="Kari Nordmann", amount=Decimal("11")),
    ]
    actuals = compute_deal_actuals(deals=deals, directory=[KARI, OLA, twin])
    assert [
        (u.owner, u.lines, u.won_amount, render_plain(u.reason)) for u in actuals.unmatched
    ] == [
        ("Ola Hansen", (4,), Decimal("7"), "More than one seller has this name."),
        ("Per Persen", (2, 3), Decimal("5"), "No seller has this name or e-mail address."),
    ]
    assert actuals.actuals[SellerId(1)] == {Month(2026, 3): Decimal("11")}
    assert (actuals.won_deals, actuals.counted_deals) == (3, 1)


def test_a_won_deal_in_another_currency_is_a_problem_and_not_added():
    deals = [
        make_deal(line=7, currency="EUR"),
        make_deal(line=8, currency="NOK", amount=Decimal("3")),
    ]
    actuals = compute_deal_actuals(deals=deals, directory=[KARI], currency="nok")
    assert [(p.line, render_plain(p.message)) for p in actuals.problems] == [
        (7, "The deal is in EUR, not NOK; it is not counted.")
    ]
    assert actuals.actuals[SellerId(1)] == {Month(2026, 3): Decimal("3")}


def test_a_deal_keeps_its_key_from_open_to_won_and_repeats_are_numbered():
    open_deal = make_deal(status=DealStatus.OPEN, amount=Decimal("90"), closed_on=None)
    won_deal = make_deal(status=DealStatus.WON, amount=Decimal("100"), closed_on=date(2026, 3, 1))
    assert deal_key(open_deal) == deal_key(won_deal)
    assert deal_key(open_deal).startswith("content:")
    assert deal_key(make_deal(deal_id="00621874300037")) == "id:00621874300037"
    assert deal_key(make_deal(name="Lisens 2")) != deal_key(open_deal)
    assert deal_keys([open_deal, won_deal, make_deal(deal_id="7")]) == [
        deal_key(open_deal),
        deal_key(open_deal) + "#2",
        "id:7",
    ]


def test_the_sample_deals_without_ids_get_distinct_keys():
    read = read_deals((DATA / "crm" / "superoffice-salg.csv").read_bytes())
    keys = deal_keys(read.deals)
    assert len(set(keys)) == 342
    assert keys == deal_keys(read_deals((DATA / "crm" / "superoffice-salg.csv").read_bytes()).deals)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Kari Nordmann", "Ola Hansen", "Nobody"]),
            st.sampled_from(list(DealStatus)),
            st.integers(min_value=0, max_value=10**9),
            st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
        ),
        max_size=30,
    )
)
def test_actuals_add_up_to_the_won_amounts_of_matched_owners(rows):
    deals = [
        make_deal(line=i, owner=owner, status=status, amount=Decimal(amount), closed_on=day)
        for i, (owner, status, amount, day) in enumerate(rows, start=2)
    ]
    actuals = compute_deal_actuals(deals=deals, directory=[KARI, OLA])
    expected = sum(
        (
            d.amount
            for d in deals
            if d.status is DealStatus.WON and d.owner != "Nobody" and d.amount
        ),
        Decimal(0),
    )
    assert (
        sum((a for months in actuals.actuals.values() for a in months.values()), Decimal(0))
        == expected
    )
    assert all(len(months) == len(actuals.months) for months in actuals.actuals.values())
