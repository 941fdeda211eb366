"""One seller added, changed or given an alias through the roster's own rules, and audited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import pytest

from krutt.domain.errors import InvalidInput, NotFound
from krutt.domain.sellers import SellerId
from krutt.importers.roster import RosterRow
from krutt.services.change_seller import SellerDetails, add_alias, save_seller
from krutt.services.import_roster import StoredSeller
from tests.services.fakes import FakeSegmentStore

THROUGH = date(2026, 12, 31)


@dataclass
class FakeRoster:
    sellers: dict[SellerId, StoredSeller] = field(default_factory=dict)

    def sellers_by_address(self) -> Mapping[str, StoredSeller]:
        found: dict[str, StoredSeller] = {}
        for s in self.sellers.values():
            found[s.email] = s
            for a in s.aliases:
                found[a] = s
        return found

    def save_rows(self, rows: Sequence[RosterRow]) -> list[SellerId]:
        ids = []
        for row in rows:
            known = next((s for s in self.sellers.values() if s.email == row.email), None)
            seller_id = known.seller_id if known else SellerId(len(self.sellers) + 1)
            self.sellers[seller_id] = StoredSeller(
                seller_id=seller_id,
                name=row.name,
                email=row.email,
                started_on=row.started_on,
                ended_on=row.ended_on,
                team=row.team,
                manager_email=row.manager_email,
                aliases=frozenset(row.aliases),
            )
            ids.append(seller_id)
        return ids

    def change_email(self, seller_id: SellerId, email: str) -> None:
        self.sellers[seller_id] = replace(self.sellers[seller_id], email=email)


@dataclass
class FakeAudit:
    rows: list[tuple[SellerId, str, dict[str, str], dict[str, str]]] = field(default_factory=list)

    def seller_changed(self, *, seller_id, action, before, after):
        self.rows.append((seller_id, action, before, after))


KARI = SellerDetails(
    name="Kari  Nordmann",
    email="Kari@Firma.no",
    started_on=date(2024, 1, 15),
    ended_on=None,
    team="Øst",
    manager_email="sjef@firma.no",
)


def _save(roster, audit, details=KARI, seller_id=None):
    return save_seller(
        details=details,
        seller_id=seller_id,
        store=roster,
        segments=FakeSegmentStore(inputs=[]),
        through=THROUGH,
        audit=audit,
    )


def test_a_new_seller_is_stored_in_normal_form_and_audited_as_added():
    roster, audit = FakeRoster(), FakeAudit()
    seller_id = _save(roster, audit)
    stored = roster.sellers[seller_id]
    assert (stored.name, stored.email) == ("Kari Nordmann", "kari@firma.no")
    assert [(a[1], a[2], a[3]["name"]) for a in audit.rows] == [("seller.add", {}, "Kari Nordmann")]


def test_ending_a_seller_keeps_the_id_and_audits_what_it_was():
    roster, audit = FakeRoster(), FakeAudit()
    seller_id = _save(roster, audit)
    again = _save(roster, audit, replace(KARI, ended_on=date(2026, 11, 30)), seller_id)
    assert again == seller_id
    assert roster.sellers[seller_id].ended_on == date(2026, 11, 30)
    action, before, after = audit.rows[-1][1:]
    assert (action, before["ended_on"], after["ended_on"]) == ("seller.change", "", "2026-11-30")


def test_saving_the_same_details_writes_no_audit_row():
    roster, audit = FakeRoster(), FakeAudit()
    seller_id = _save(roster, audit)
    _save(roster, audit, KARI, seller_id)
    assert len(audit.rows) == 1


def test_a_new_e_mail_moves_the_key_and_keeps_the_seller():
    roster, audit = FakeRoster(), FakeAudit()
    seller_id = _save(roster, audit)
    _save(roster, audit, replace(KARI, email="kari.nordmann@firma.no"), seller_id)
    assert list(roster.sellers) == [seller_id]
    assert roster.sellers[seller_id].email == "kari.nordmann@firma.no"


def test_an_alias_that_is_someone_elses_is_refused_and_nothing_changes():
    roster, audit = FakeRoster(), FakeAudit()
    _save(roster, audit, replace(KARI, aliases=("kn@firma.no",)))
    per = replace(KARI, name="Per", email="per@firma.no", aliases=("KN@firma.no",))
    with pytest.raises(InvalidInput) as refused:
        _save(roster, audit, per)
    assert refused.value.message.text == "The alias {alias} belongs to {owner}."
    assert [s.email for s in roster.sellers.values()] == ["kari@firma.no"]
    assert len(audit.rows) == 1


def test_an_end_before_the_start_is_refused():
    with pytest.raises(InvalidInput):
        _save(FakeRoster(), FakeAudit(), replace(KARI, ended_on=date(2023, 1, 1)))


def test_add_alias_finds_the_seller_by_any_address_and_is_idempotent():
    roster, audit = FakeRoster(), FakeAudit()
    seller_id = _save(roster, audit, replace(KARI, aliases=("kn@firma.no",)))
    kwargs = {"store": roster, "segments": FakeSegmentStore(inputs=[]), "through": THROUGH}
    assert add_alias(seller="KN@firma.no", alias="Kari.N@Gmail.com", audit=audit, **kwargs) == (
        seller_id
    )
    assert roster.sellers[seller_id].aliases == {"kn@firma.no", "kari.n@gmail.com"}
    assert audit.rows[-1][1] == "seller.alias"
    add_alias(seller="kari@firma.no", alias="kari.n@gmail.com", audit=audit, **kwargs)
    assert len(audit.rows) == 2
    with pytest.raises(NotFound):
        add_alias(seller="nobody@firma.no", alias="x@y.no", audit=audit, **kwargs)
