"""`krutt import deals`: the sample CRM exports give exactly the expected actuals and segments."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from krutt.web.accounts.models import Organisation
from krutt.web.audit.models import AuditEvent
from krutt.web.imports.models import Deal, ImportBatch, ImportChange
from krutt.web.sellers.models import MonthlyResult, Seller
from tests.cli.conftest import Result
from tests.cli.snapshots import snapshot
from tests.conftest import DATA

EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
CRM = DATA / "crm"
SAMPLES = [
    "hubspot-deals.csv",
    "pipedrive-deals.csv",
    "salesforce-opportunities-nb.csv",
    "superoffice-salg.csv",
]


@pytest.fixture
def team(krutt: Callable[..., Result]) -> Callable[..., Result]:
    """The sample roster and targets, without any actuals yet."""
    for kind, name in (("sellers", "sellers.csv"), ("performance", "targets.csv")):
        result = krutt("import", kind, DATA / name)
        assert result.code == 0, result.err
    return krutt


def _actuals() -> dict[str, dict[str, Decimal | None]]:
    found: dict[str, dict[str, Decimal | None]] = {}
    for email, month, actual in MonthlyResult.objects.values_list(
        "seller__email", "month", "actual"
    ):
        found.setdefault(email, {})[f"{month:%Y-%m}"] = actual
    return found


def _targets() -> dict[tuple[str, str], Decimal | None]:
    return {
        (email, f"{month:%Y-%m}"): target
        for email, month, target in MonthlyResult.objects.values_list(
            "seller__email", "month", "target"
        )
    }


def _edited(tmp_path: Path, name: str, old: str, new: str) -> Path:
    raw = (CRM / name).read_bytes()
    assert raw.count(old.encode()) == 1
    path = tmp_path / name
    path.write_bytes(raw.replace(old.encode(), new.encode()))
    return path


@pytest.mark.parametrize("name", SAMPLES)
def test_each_sample_export_gives_exactly_the_expected_actuals_and_segments(team, name):
    targets_before = _targets()

    result = team("import", "deals", CRM / name, "--json", "--lang", "en")

    assert result.code == 0, result.err
    summary = result.json
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (342, 0, 0)
    assert summary["months"] == [f"2026-{m:02d}" for m in range(1, 12)]
    assert summary["actuals"] == {"changed": 88, "unchanged": 0}
    assert (summary["committed"], summary["unknown_owners"], summary["problems"]) == (
        True,
        [],
        [],
    )
    assert _actuals() == {
        email: {month: Decimal(str(value)) for month, value in months.items()}
        for email, months in EXPECTED["monthly_actuals"].items()
    }
    # Targets stay as they were; months that had none (Fredrik before he started) get none.
    targets = _targets()
    assert {k: targets[k] for k in targets_before} == targets_before
    assert {targets[k] for k in set(targets) - set(targets_before)} == {None}
    segments = team("segments", "--at", EXPECTED["segments_as_of"], "--json", "--lang", "en").json
    got = {row["email"]: row for row in segments}
    assert {email: got[email]["segment"] for email in got} == {
        email: row["segment"] for email, row in EXPECTED["segments"].items()
    }
    for email, expected in EXPECTED["segments"].items():
        assert got[email]["tenure_days"] == expected["tenure_days"]
        assert got[email]["attainment"] == expected["attainment"], email
    assert Deal.objects.count() == 342
    assert Deal.objects.filter(seller__isnull=True).count() == 0


@pytest.mark.parametrize("name", SAMPLES)
def test_importing_the_same_file_again_changes_nothing(team, name):
    first = team("import", "deals", CRM / name, "--json")
    before = snapshot()
    batches = ImportBatch.objects.count()

    again = team("import", "deals", CRM / name, "--json")

    assert first.code == again.code == 0
    assert (again.json["created"], again.json["updated"], again.json["unchanged"]) == (0, 0, 342)
    assert again.json["actuals"] == {"changed": 0, "unchanged": 88}
    assert again.json["batch"] is None
    assert snapshot() == before
    assert ImportBatch.objects.count() == batches


def test_a_newer_export_with_a_changed_deal_updates_it_in_place(team, tmp_path):
    team("import", "deals", CRM / "hubspot-deals.csv")
    deal = Deal.objects.get(key="id:21874300037")
    kari_january = MonthlyResult.objects.get(
        seller__email="kari.nordmann@nordlys.example", month="2026-01-01"
    )
    newer = _edited(
        tmp_path,
        "hubspot-deals.csv",
        "21874300037,Lisens 1,Closed won,2026-01-26 12:00,Kari Nordmann,1700,",
        "21874300037,Lisens 1,Closed won,2026-01-26 12:00,Kari Nordmann,2700,",
    )

    result = team("import", "deals", newer, "--json")

    assert result.code == 0, result.err
    assert (result.json["created"], result.json["updated"], result.json["unchanged"]) == (
        0,
        1,
        341,
    )
    assert result.json["actuals"] == {"changed": 1, "unchanged": 87}
    assert Deal.objects.count() == 342
    changed = Deal.objects.get(key="id:21874300037")
    assert (changed.pk, changed.amount, changed.batch_id) == (
        deal.pk,
        Decimal("2700.00"),
        result.json["batch"],
    )
    kari_january.refresh_from_db()
    assert kari_january.actual == Decimal("635300.00")
    assert ImportChange.objects.filter(batch_id=result.json["batch"], table="deal").count() == 1


def test_a_file_with_a_problem_writes_nothing_and_names_the_line(team, tmp_path):
    bad = _edited(
        tmp_path,
        "hubspot-deals.csv",
        "Rammeavtale 342,Closed won,2026-11-03 12:00,Mari Johansen,2000000,",
        "Rammeavtale 342,Closed won,2026-11-03 12:00,Mari Johansen,two million,",
    )
    before = snapshot()

    result = team("import", "deals", bad, "--lang", "en")

    assert result.code == 2
    assert result.err.splitlines()[0].startswith("hubspot-deals.csv:343: ")
    assert result.err.splitlines()[-1] == (
        "krutt: hubspot-deals.csv: 1 problem; nothing was written."
    )
    assert snapshot() == before
    assert ImportBatch.objects.filter(kind="deals").count() == 0


def test_an_unknown_owner_is_listed_with_their_lines_and_not_counted(team, tmp_path):
    stranger = _edited(
        tmp_path,
        "hubspot-deals.csv",
        "21874300037,Lisens 1,Closed won,2026-01-26 12:00,Kari Nordmann,",
        "21874300037,Lisens 1,Closed won,2026-01-26 12:00,Per Ukjent,",
    )

    result = team("import", "deals", stranger, "--json", "--lang", "en")

    assert result.code == 0, result.err
    assert result.json["unknown_owners"] == [
        {
            "owner": "Per Ukjent",
            "lines": [2],
            "won_amount": "1700",
            "reason": "No seller has this name or e-mail address.",
        }
    ]
    assert (result.json["created"], result.json["skipped"]) == (341, 1)
    assert not Deal.objects.filter(key="id:21874300037").exists()
    kari = MonthlyResult.objects.get(
        seller__email="kari.nordmann@nordlys.example", month="2026-01-01"
    )
    assert kari.actual == Decimal("632600.00")


def test_the_text_summary_lists_skipped_lines_and_how_to_undo(team):
    result = team("import", "deals", CRM / "salesforce-opportunities-nb.csv", "--lang", "en")

    batch = ImportBatch.objects.get(kind="deals")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "salesforce-opportunities-nb.csv: Salesforce export (recognised), header on line 1, "
        "utf-8-sig.",
        "Columns: deal_id ← Opportunity ID, name ← Opportunity Name, owner ← Opportunity Owner, "
        "amount ← Amount, stage ← Stage, closed_on ← Close Date, created_on ← Created Date, "
        "account ← Account Name.",
        "Skipped line 345: A total line.",
        "Skipped line 346: A report footer line.",
        "Skipped line 347: A report footer line.",
        "345 rows read; 342 created, 0 updated, 0 unchanged; 3 skipped.",
        "Monthly actuals 2026-01–2026-11: 88 changed, 0 unchanged; segments recomputed for 8 "
        "seller(s).",
        f"Import {batch.pk} committed; undo it with: krutt import undo {batch.pk}",
    ]
    assert batch.team is not None and batch.team.name == "Salg Øst"
    assert AuditEvent.objects.filter(action="import.deals", object_id=str(batch.pk)).count() == 1


def test_a_dry_run_reports_what_would_change_and_writes_nothing(team):
    before = snapshot()

    result = team("import", "deals", CRM / "pipedrive-deals.csv", "--dry-run", "--json")

    assert result.code == 0, result.err
    assert (result.json["created"], result.json["dry_run"], result.json["committed"]) == (
        342,
        True,
        False,
    )
    assert result.json["batch"] is None
    assert snapshot() == before
    assert ImportBatch.objects.filter(kind="deals").count() == 0


def test_a_chosen_preset_and_column_are_used(team):
    result = team(
        "import",
        "deals",
        CRM / "superoffice-salg.csv",
        "--preset",
        "generic",
        "--map",
        "owner=Eier",
        "--map",
        "closed_on=Salgsdato",
        "--json",
    )

    assert result.code == 0, result.err
    assert (result.json["preset"], result.json["detected"]) == ("generic", False)
    assert result.json["mapping"]["owner"] == "Eier"
    assert set(Deal.objects.values_list("source", flat=True)) == {"generic"}


def test_a_column_that_is_not_there_is_a_problem(team):
    result = team(
        "import", "deals", CRM / "hubspot-deals.csv", "--map", "owner=Selger", "--lang", "en"
    )

    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "hubspot-deals.csv:1: The column Selger chosen for owner is not in the header line."
    )
    assert Deal.objects.count() == 0


def test_a_deal_id_twice_in_one_file_is_a_problem(team, tmp_path):
    raw = (CRM / "hubspot-deals.csv").read_text(encoding="utf-8")
    doubled = tmp_path / "doubled.csv"
    doubled.write_text(raw + raw.splitlines()[1] + "\n", encoding="utf-8")

    result = team("import", "deals", doubled, "--lang", "en")

    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "doubled.csv:344: The deal id 21874300037 is also on line 2."
    )
    assert Deal.objects.count() == 0


def test_undo_restores_exactly_the_state_before_the_import(team, tmp_path):
    team("import", "deals", CRM / "hubspot-deals.csv")
    before_update = snapshot()
    newer = _edited(
        tmp_path,
        "hubspot-deals.csv",
        "21874300037,Lisens 1,Closed won,2026-01-26 12:00,Kari Nordmann,1700,",
        "21874300037,Lisens 1,Closed lost,2026-01-26 12:00,Kari Nordmann,1700,",
    )
    update = team("import", "deals", newer, "--json").json

    undone = team("import", "undo", update["batch"], "--json")

    assert undone.code == 0, undone.err
    assert undone.json == {
        "batch": update["batch"],
        "kind": "deals",
        "file": "hubspot-deals.csv",
        "removed": 0,
        "restored": 1,
        "actuals": 1,
        "segments_refreshed": 1,
    }
    assert snapshot() == before_update
    assert ImportBatch.objects.get(pk=update["batch"]).undone_at is not None


def test_undoing_the_first_import_leaves_the_numbers_as_before_it(team):
    before = snapshot()
    first = team("import", "deals", CRM / "superoffice-salg.csv", "--json").json

    undone = team("import", "undo", first["batch"], "--lang", "en")

    assert undone.code == 0, undone.err
    assert undone.out.strip() == (
        f"Import {first['batch']} (superoffice-salg.csv) undone: 342 rows removed, 0 put back, "
        "88 monthly actuals restored."
    )
    assert snapshot() == before
    assert MonthlyResult.objects.filter(actual__isnull=False).count() == 0


def test_undo_is_refused_while_a_later_import_covers_the_same_months(team, tmp_path):
    first = team("import", "deals", CRM / "hubspot-deals.csv", "--json").json
    newer = _edited(
        tmp_path,
        "hubspot-deals.csv",
        "Kari Nordmann,1700,",
        "Kari Nordmann,1800,",
    )
    second = team("import", "deals", newer, "--json").json
    before = snapshot()

    refused = team("import", "undo", first["batch"], "--lang", "en")

    assert refused.code == 2
    assert refused.err.strip() == (
        f"krutt: Import {second['batch']} changed the same rows after import {first['batch']}; "
        f"undo import {second['batch']} first."
    )
    assert snapshot() == before
    assert team("import", "undo", second["batch"]).code == 0
    assert team("import", "undo", first["batch"]).code == 0
    assert Deal.objects.count() == 0


def test_an_import_cannot_be_undone_twice_and_a_roster_import_not_at_all(team):
    first = team("import", "deals", CRM / "hubspot-deals.csv", "--json").json
    team("import", "undo", first["batch"])
    roster = ImportBatch.objects.get(kind="sellers")

    again = team("import", "undo", first["batch"], "--lang", "en")
    refused = team("import", "undo", roster.pk, "--lang", "en")

    assert again.code == refused.code == 2
    assert "was already undone on" in again.err
    assert refused.err.strip() == (
        f"krutt: Import {roster.pk} is a sellers import; only deal and calendar imports can be "
        "undone."
    )


def test_the_history_lists_every_import_with_its_counts(team):
    team("import", "deals", CRM / "hubspot-deals.csv")

    history = team("import", "history", "--json").json

    assert [(row["kind"], row["file"], row["counts"]["created"]) for row in history] == [
        ("deals", "hubspot-deals.csv", 342),
        ("performance", "targets.csv", 72),
        ("sellers", "sellers.csv", 8),
    ]
    assert history[0]["undone_at"] is None
    assert history[0]["team"] == "Salg Øst"
    assert Seller.objects.count() == 8


def test_sellers_the_export_does_not_mention_keep_their_numbers(team, tmp_path):
    roster = tmp_path / "vest.csv"
    roster.write_text(
        "name,email,start_date,team,manager_email,aliases\n"
        "Per Vest,per.vest@nordlys.example,2020-01-06,Salg Vest,leder.vest@nordlys.example,\n",
        encoding="utf-8",
    )
    numbers = tmp_path / "vest-numbers.csv"
    numbers.write_text(
        "email,month,target,actual\nper.vest@nordlys.example,2026-03,500000,480000\n",
        encoding="utf-8",
    )
    team("import", "sellers", roster)
    team("import", "performance", numbers)

    result = team("import", "deals", CRM / "hubspot-deals.csv", "--json")

    assert result.code == 0, result.err
    assert result.json["actuals"] == {"changed": 88, "unchanged": 0}
    per = MonthlyResult.objects.get(seller__email="per.vest@nordlys.example")
    assert (per.month.isoformat(), per.target, per.actual) == (
        "2026-03-01",
        Decimal("500000.00"),
        Decimal("480000.00"),
    )
    assert ImportBatch.objects.get(kind="deals").team.name == "Salg Øst"


def test_a_file_whose_owners_are_all_unknown_is_refused(team):
    before = snapshot()

    result = team(
        "import", "deals", CRM / "hubspot-deals.csv", "--map", "owner=Deal Name", "--lang", "en"
    )

    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "hubspot-deals.csv: No deal in the file belongs to a seller krutt knows; check the owner "
        "column and the roster."
    )
    assert (
        "Unknown owner Lisens 1 (lines 2; won 1,700.00): No seller has this name or e-mail "
        "address. Their deals are not counted."
    ) in result.out.splitlines()
    assert snapshot() == before


KARI = "kari.nordmann@nordlys.example"
HUBSPOT_HEADER = (
    "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Create Date,Pipeline,"
    "Associated Company\n"
)
KARI_NOVEMBER_DEAL = (
    "99999999001,Ny lisens,Closed won,2026-11-20 12:00,Kari Nordmann,1000,2026-10-01 09:30,"
    "Sales Pipeline,Nytt AS\n"
)


def _expected_actuals() -> dict[str, dict[str, Decimal]]:
    return {
        email: {month: Decimal(str(value)) for month, value in months.items()}
        for email, months in EXPECTED["monthly_actuals"].items()
    }


def test_an_incremental_export_adds_its_deals_to_those_kept_from_the_same_crm(team, tmp_path):
    team("import", "deals", CRM / "hubspot-deals.csv")
    later = tmp_path / "hubspot-november.csv"
    later.write_text(HUBSPOT_HEADER + KARI_NOVEMBER_DEAL, encoding="utf-8")

    result = team("import", "deals", later, "--json")

    assert result.code == 0, result.err
    assert (result.json["created"], result.json["months"]) == (1, ["2026-11"])
    assert result.json["actuals"] == {"changed": 1, "unchanged": 0}
    expected = _expected_actuals()
    expected[KARI]["2026-11"] = Decimal("2001000")
    assert _actuals() == expected


def test_importing_an_incremental_export_again_changes_nothing(team, tmp_path):
    team("import", "deals", CRM / "hubspot-deals.csv")
    later = tmp_path / "hubspot-november.csv"
    later.write_text(HUBSPOT_HEADER + KARI_NOVEMBER_DEAL, encoding="utf-8")
    team("import", "deals", later)
    before = snapshot()

    again = team("import", "deals", later, "--json")

    assert again.code == 0, again.err
    assert (again.json["created"], again.json["updated"], again.json["unchanged"]) == (0, 0, 1)
    assert again.json["actuals"] == {"changed": 0, "unchanged": 1}
    assert again.json["batch"] is None
    assert snapshot() == before
    assert _actuals()[KARI]["2026-11"] == Decimal("2001000")


def test_a_second_crm_exporting_the_same_deals_does_not_count_them_twice(team, tmp_path):
    team("import", "deals", CRM / "hubspot-deals.csv")

    second = team("import", "deals", CRM / "pipedrive-deals.csv", "--json")

    assert second.code == 0, second.err
    assert second.json["created"] == 342
    assert second.json["actuals"] == {"changed": 0, "unchanged": 88}
    assert _actuals() == _expected_actuals()
    assert Deal.objects.filter(source="hubspot").count() == 342
    assert Deal.objects.filter(source="pipedrive").count() == 342
    # A later Pipedrive export adds to Pipedrive's deals alone, not to HubSpot's as well.
    later = tmp_path / "pipedrive-november.csv"
    later.write_text(
        (CRM / "pipedrive-deals.csv").read_text(encoding="utf-8").splitlines()[0]
        + "\n9001,Ny lisens,Kari Nordmann,1000.00,NOK,Won,2026-10-01 10:11:12,"
        "2026-11-20 15:04:05,2026-11-20,Nytt AS,Kontrakt\n",
        encoding="utf-8",
    )
    third = team("import", "deals", later, "--json")
    assert third.code == 0, third.err
    assert _actuals()[KARI]["2026-11"] == Decimal("2001000")


SUPEROFFICE_HEADER = "Salg;Firma;Eier;Beløp;Valuta;Status;Salgsdato;Fase;Registrert\n"


@pytest.mark.parametrize(
    ("name", "text", "ola_april"),
    [
        (
            "superoffice-whole.csv",
            SUPEROFFICE_HEADER
            + "Lisens 1;Fjordfisk AS;Kari Nordmann;250.000;NOK;Solgt;10.03.2026;Avsluttet;"
            "05.01.2026\n"
            "Lisens 2;Fjordfisk AS;Kari Nordmann;1.234;NOK;Solgt;12.03.2026;Avsluttet;05.01.2026\n"
            "Pilot 3;Vidde Energi AS;Ola Hansen;12.500;NOK;Solgt;02.04.2026;Avsluttet;"
            "05.01.2026\n",
            Decimal("12500"),
        ),
        (
            "hubspot-whole.csv",
            HUBSPOT_HEADER
            + '1,Lisens 1,Closed won,2026-03-10 12:00,Kari Nordmann,"250,000",2026-01-05 09:30,'
            "Sales Pipeline,Fjordfisk AS\n"
            '2,Lisens 2,Closed won,2026-03-12 12:00,Kari Nordmann,"1,234",2026-01-05 09:30,'
            "Sales Pipeline,Fjordfisk AS\n"
            "3,Pilot 3,Closed lost,2026-04-02 12:00,Ola Hansen,12500,2026-01-05 09:30,"
            "Sales Pipeline,Vidde Energi AS\n",
            Decimal("0"),
        ),
    ],
)
def test_whole_amounts_grouped_in_thousands_are_kept_and_counted_whole(
    team, tmp_path, name, text, ola_april
):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")

    result = team("import", "deals", path, "--json")

    assert result.code == 0, result.err
    assert sorted(Deal.objects.values_list("name", "amount")) == [
        ("Lisens 1", Decimal("250000.00")),
        ("Lisens 2", Decimal("1234.00")),
        ("Pilot 3", Decimal("12500.00")),
    ]
    actuals = _actuals()
    assert (actuals[KARI]["2026-03"], actuals[KARI]["2026-04"]) == (
        Decimal("251234.00"),
        Decimal("0.00"),
    )
    assert (
        actuals["ola.hansen@nordlys.example"]["2026-03"],
        actuals["ola.hansen@nordlys.example"]["2026-04"],
    ) == (Decimal("0.00"), ola_april)


def test_actuals_summed_in_the_database_are_exact_to_the_cent(team, tmp_path):
    path = tmp_path / "superoffice-cents.csv"
    path.write_text(
        SUPEROFFICE_HEADER
        + "".join(
            f"Salg {n};Fjordfisk AS;Kari Nordmann;{amount};NOK;Solgt;1{n}.03.2026;Avsluttet;"
            "05.01.2026\n"
            for n, amount in enumerate(["0,10", "0,20", "1 234 567 890,99", "-1 700,50"])
        ),
        encoding="utf-8",
    )

    result = team("import", "deals", path, "--json")

    assert result.code == 0, result.err
    assert _actuals()[KARI]["2026-03"] == Decimal("1234566190.79")


def _kari_january() -> Decimal | None:
    return MonthlyResult.objects.get(
        seller__email="kari.nordmann@nordlys.example", month="2026-01-01"
    ).actual


def _signed(tmp_path: Path) -> Path:
    """The HubSpot sample with Kari's 1,700 deal in January at the stage «Signert»."""
    return _edited(
        tmp_path,
        "hubspot-deals.csv",
        "21874300037,Lisens 1,Closed won,",
        "21874300037,Lisens 1,Signert,",
    )


def test_a_stage_given_with_won_counts_in_the_monthly_actual_only_then(team, tmp_path):
    signed = _signed(tmp_path)

    without = team("import", "deals", signed, "--json")
    january_without = _kari_january()
    with_won = team(
        "import",
        "deals",
        signed,
        "--won",
        "Signert",
        "--won",
        "Levert",
        "--lost",
        "Avbrutt",
        "--json",
    )

    assert without.code == with_won.code == 0, with_won.err
    assert january_without == Decimal("632600.00")
    assert _kari_january() == Decimal("634300.00")
    assert (with_won.json["updated"], with_won.json["unchanged"]) == (1, 341)
    assert Deal.objects.get(key="id:21874300037").status == "won"


def test_the_organisations_won_stage_names_count_without_being_given(team, tmp_path):
    Organisation.objects.update(won_stage_names=["Signert"])

    result = team("import", "deals", _signed(tmp_path), "--json")

    assert result.code == 0, result.err
    assert _kari_january() == Decimal("634300.00")


def test_a_name_given_as_both_won_and_lost_is_refused_before_anything_is_written(team, tmp_path):
    Organisation.objects.update(won_stage_names=["Signert"])
    before = snapshot()

    result = team("import", "deals", _signed(tmp_path), "--lost", "signert", "--lang", "en")

    assert result.code == 2
    assert result.err.strip() == (
        "krutt: Signert would count as both won and lost; a name can only be one."
    )
    assert snapshot() == before
    assert ImportBatch.objects.filter(kind="deals").count() == 0


def test_a_nul_character_in_a_cell_is_a_problem_on_its_line(team, tmp_path):
    # A damaged file: PostgreSQL text cannot hold NUL, so it must never reach the database.
    bad = _edited(
        tmp_path,
        "hubspot-deals.csv",
        "Rammeavtale 342,Closed won,2026-11-03 12:00,Mari Johansen,2000000,",
        "Rammeavtale\x00342,Closed won,2026-11-03 12:00,Mari Johansen,2000000,",
    )
    before = snapshot()
    result = team("import", "deals", bad, "--lang", "en")
    assert result.code == 2
    assert result.err.splitlines()[0] == "hubspot-deals.csv:343: The line cannot be read as CSV."
    assert snapshot() == before
