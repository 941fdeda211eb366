"""Bad input: one readable line, exit code 2, and nothing written."""

from __future__ import annotations

import pytest

from krutt.web.accounts.models import Organisation, User
from krutt.web.sellers.models import MonthlyResult, Seller, Team
from krutt.web.timelog.models import TimeEntry
from tests.conftest import DATA

KARI = "kari.nordmann@nordlys.example"


def _log(krutt, *extra):
    return krutt(
        "log", "--seller", KARI, "--minutes", "30", "--activity", "coaching", "--lang", "en", *extra
    )


def test_logging_for_an_unknown_seller_says_who_and_writes_nothing(sample_team):
    result = sample_team(
        "log",
        "--seller",
        KARI,
        "--seller",
        "nobody@nordlys.example",
        "--minutes",
        "30",
        "--activity",
        "coaching",
        "--lang",
        "en",
    )
    assert result.code == 2
    assert result.err == "krutt: No seller has the e-mail address nobody@nordlys.example.\n"
    assert TimeEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("at", "message"),
    [
        (
            "2026-02-30T09:00",
            "krutt: 2026-02-30T09:00 is not a date and time (like 2026-11-17T09:00).\n",
        ),
        (
            "2026-03-29T02:30",
            "krutt: 2026-03-29T02:30 does not exist in Europe/Oslo: the clocks skip that hour.\n",
        ),
        (
            "2099-01-01T09:00",
            "krutt: Time can be logged when it has been spent, not more than a day ahead.\n",
        ),
    ],
)
def test_an_impossible_time_is_refused(sample_team, at, message):
    result = _log(sample_team, "--at", at)
    assert (result.code, result.err) == (2, message)
    assert TimeEntry.objects.count() == 0


def test_a_seller_before_their_start_date_is_not_on_the_team(sample_team):
    result = sample_team(
        "log",
        "--seller",
        "fredrik.olsen@nordlys.example",
        "--minutes",
        "30",
        "--activity",
        "training",
        "--at",
        "2026-08-20T09:00",
        "--lang",
        "en",
    )
    assert result.code == 2
    assert result.err == (
        "krutt: Fredrik Olsen started 2026-09-01; time on 2026-08-20 cannot be logged for them.\n"
    )


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--minutes", "abc"), "argument --minutes: 'abc' is not a whole number of minutes"),
        (("--activity", "golf"), "argument --activity: invalid choice: 'golf'"),
        (("--energy", "9"), "argument --energy: energy is 1 to 5, not '9'"),
    ],
)
def test_malformed_arguments_are_one_line_and_exit_2(krutt, capsys, args, fragment):
    with pytest.raises(SystemExit) as stop:
        krutt("log", "--seller", KARI, "--minutes", "30", "--activity", "coaching", *args)
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert fragment in err
    assert err.count("\n") == 1


def test_a_malformed_roster_reports_every_bad_line_and_writes_nothing(krutt, tmp_path):
    bad = tmp_path / "sellers.csv"
    bad.write_text(
        "name,email,start_date,team,manager_email,aliases\n"
        "Kari Nordmann,kari.nordmann@nordlys.example,2016-05-02,Salg Øst,ingrid.berg@nordlys.example,\n"
        "Ola Hansen,ola.hansen@nordlys,2021-01-11,Salg Øst,ingrid.berg@nordlys.example,\n"
        "Mari Johansen,mari.johansen@nordlys.example,2019-02-30,Salg Øst,ingrid.berg@nordlys.example,\n"
        "Kari Igjen,kari.nordmann@nordlys.example,2016-05-02,Salg Øst,ingrid.berg@nordlys.example,\n",
        encoding="utf-8",
    )
    result = krutt("import", "sellers", bad, "--lang", "en")
    assert result.code == 2
    assert result.err.splitlines() == [
        "sellers.csv:3: ola.hansen@nordlys in email is not an e-mail address.",
        "sellers.csv:4: 2019-02-30 in start_date is not a date (YYYY-MM-DD or DD.MM.YYYY).",
        "sellers.csv:5: kari.nordmann@nordlys.example is already used on line 2.",
        "krutt: sellers.csv: 3 problems; nothing was written.",
    ]
    assert (Seller.objects.count(), Team.objects.count(), User.objects.count()) == (0, 0, 0)


def test_numbers_for_an_unknown_seller_reject_the_whole_file(sample_team, tmp_path):
    before = sorted(MonthlyResult.objects.values_list("seller__email", "month", "target", "actual"))
    bad = tmp_path / "numbers.csv"
    bad.write_text(
        "email,month,target,actual\n"
        f"{KARI},2026-11,600000,1\n"
        "ukjent@nordlys.example,2026-11,100,100\n"
        f"{KARI},2026-13,1,1\n"
        f"{KARI},2026-10,12abc,\n",
        encoding="utf-8",
    )
    result = sample_team("import", "performance", bad, "--json", "--lang", "en")
    assert result.code == 2
    assert result.json["committed"] is False
    assert result.json["problems"] == [
        {"line": 4, "message": "2026-13 is not a month (YYYY-MM)."},
        {"line": 5, "message": "12abc in target is not an amount."},
    ]
    assert (
        sorted(MonthlyResult.objects.values_list("seller__email", "month", "target", "actual"))
        == before
    )
    # With the syntax fixed, the unknown seller is the remaining problem.
    bad.write_text(
        f"email,month,target\n{KARI},2026-11,600000\nukjent@nordlys.example,2026-11,100\n",
        encoding="utf-8",
    )
    result = sample_team("import", "performance", bad, "--lang", "en")
    assert result.err.splitlines() == [
        "numbers.csv:3: No seller has the e-mail address ukjent@nordlys.example.",
        "krutt: numbers.csv: 1 problem; nothing was written.",
    ]
    assert (
        sorted(MonthlyResult.objects.values_list("seller__email", "month", "target", "actual"))
        == before
    )


def test_an_unquoted_decimal_comma_shifting_the_columns_is_refused(sample_team, tmp_path):
    # "450000,00" in a comma file makes five fields under four headers: read as written,
    # the target would lose its cents and the actual would silently become 0.
    before = sorted(MonthlyResult.objects.values_list("seller__email", "month", "target", "actual"))
    bad = tmp_path / "numbers.csv"
    bad.write_text(
        f"email,month,target,actual\n{KARI},2026-07,450000,00,400000\n{KARI},2026-09\n",
        encoding="utf-8",
    )
    result = sample_team("import", "performance", bad, "--lang", "en")
    assert result.code == 2
    assert result.err.splitlines() == [
        "numbers.csv:2: The line has 5 fields but the header has 4; quote values that contain «,».",
        "numbers.csv:3: The line has neither a target nor an actual.",
        "krutt: numbers.csv: 2 problems; nothing was written.",
    ]
    assert (
        sorted(MonthlyResult.objects.values_list("seller__email", "month", "target", "actual"))
        == before
    )


def test_a_dry_run_reports_what_would_change_and_writes_nothing(krutt):
    result = krutt("import", "sellers", DATA / "sellers.csv", "--dry-run", "--json")
    assert (result.code, result.json["created"], result.json["committed"]) == (0, 8, False)
    assert Seller.objects.count() == 0


def test_a_missing_file_is_one_line(krutt):
    result = krutt("import", "sellers", "/nonexistent/sellers.csv", "--lang", "en")
    assert (result.code, result.err) == (2, "krutt: /nonexistent/sellers.csv does not exist.\n")


def test_several_managers_must_be_named(sample_team, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text(
        "name,email,start_date,team,manager_email,aliases\nPer Pål,per.pal@nordlys.example,2020-01-01,Salg Vest,"
        "per.aasen@nordlys.example,\n",
        encoding="utf-8",
    )
    assert sample_team("import", "sellers", other).code == 0
    result = sample_team("report", "--week", "2026-W47", "--lang", "en")
    assert result.code == 2
    assert result.err == (
        "krutt: Say which manager with --manager: ingrid.berg@nordlys.example, per.aasen@nordlys.example.\n"
    )
    unknown = sample_team("report", "--manager", "boss@nordlys.example", "--lang", "en")
    assert unknown.err == (
        "krutt: No manager has the e-mail address boss@nordlys.example; managers: "
        "ingrid.berg@nordlys.example, per.aasen@nordlys.example.\n"
    )


def test_a_report_for_a_week_that_does_not_exist_is_refused(sample_team):
    result = sample_team("report", "--week", "2025-W53", "--lang", "en")
    assert (result.code, result.err) == (2, "krutt: 2025 has no week 53.\n")


def test_commands_before_any_data_explain_what_to_do(krutt):
    result = krutt("segments", "--lang", "en")
    assert result.code == 2
    assert result.err == (
        "krutt: There is no data yet: import a roster (krutt import sellers FILE) or run krutt demo.\n"
    )
    assert Organisation.objects.count() == 0
