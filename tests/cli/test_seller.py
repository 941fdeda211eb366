"""`krutt seller alias S ADDRESS`: the same alias use case as the web, audited."""

from __future__ import annotations

from krutt.web.audit.models import AuditEvent
from krutt.web.sellers.models import SellerAlias
from tests.conftest import DATA


def test_an_alias_is_stored_audited_and_a_second_run_changes_nothing(krutt):
    krutt("import", "sellers", DATA / "sellers.csv")
    result = krutt(
        "seller", "alias", "KARI.NORDMANN@nordlys.example", "Kari.N@Gmail.com", "--lang", "en"
    )
    assert (result.code, result.out) == (
        0,
        "kari.n@gmail.com is now an address of Kari Nordmann.\n",
    )
    assert SellerAlias.objects.filter(email="kari.n@gmail.com").get().seller.name == "Kari Nordmann"
    assert AuditEvent.objects.filter(action="seller.alias", channel="cli").count() == 1
    again = krutt("seller", "alias", "kari.nordmann@nordlys.example", "kari.n@gmail.com")
    assert again.code == 0
    assert AuditEvent.objects.filter(action="seller.alias").count() == 1


def test_an_alias_of_someone_else_is_one_line_and_exit_2(krutt):
    krutt("import", "sellers", DATA / "sellers.csv")
    krutt("seller", "alias", "kari.nordmann@nordlys.example", "kn@nordlys.example")
    result = krutt(
        "seller", "alias", "ola.hansen@nordlys.example", "kn@nordlys.example", "--lang", "en"
    )
    assert result.code == 2
    assert result.err == (
        "krutt: The alias kn@nordlys.example belongs to kari.nordmann@nordlys.example.\n"
    )
    assert SellerAlias.objects.filter(email="kn@nordlys.example").count() == 1


def test_an_unknown_seller_is_named(krutt):
    krutt("import", "sellers", DATA / "sellers.csv")
    result = krutt("seller", "alias", "nobody@nordlys.example", "x@nordlys.example", "--lang", "en")
    assert (result.code, result.err) == (
        2,
        "krutt: No seller has the e-mail address nobody@nordlys.example.\n",
    )


def test_a_calendar_import_lists_unknown_addresses_with_the_alias_command(krutt, tmp_path):
    from datetime import date

    from tests.web.test_unmatched import _calendar

    krutt("import", "sellers", DATA / "sellers.csv")
    ics = tmp_path / "cal.ics"
    ics.write_bytes(_calendar("ingrid.berg@nordlys.example", date(2026, 11, 17)))
    args = (
        "import",
        "calendar",
        ics,
        "--manager",
        "ingrid.berg@nordlys.example",
        "--from",
        "2026-11-16",
        "--to",
        "2026-11-20",
        "--lang",
        "en",
    )
    result = krutt(*args, "--dry-run")
    assert result.code == 0
    assert (
        "kari.privat@gmail.com (2 meetings) matched no seller; if it is one: "
        "krutt seller alias S kari.privat@gmail.com"
    ) in result.out
    assert "kunde@firma.no (1 meeting) matched no seller" in result.out
    krutt("seller", "alias", "kari.nordmann@nordlys.example", "kari.privat@gmail.com")
    again = krutt(*args, "--json", "--dry-run").json
    assert again["unmatched"] == [{"address": "kunde@firma.no", "name": "Kari N", "events": 1}]
    assert again["created"] == 2
