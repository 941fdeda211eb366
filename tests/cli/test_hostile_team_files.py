"""Hostile roster and monthly-number files (issue 14): exit 2, the line, nothing written."""

from __future__ import annotations

from krutt.web.accounts.models import User
from krutt.web.imports.models import ImportBatch
from krutt.web.sellers.models import MonthlyResult, Seller, Team
from tests.conftest import DATA

HOSTILE = DATA / "hostile"
HEADER = "name,email,start_date,team,manager_email,aliases\n"
INGRID = "ingrid.berg@nordlys.example"


def _nothing_written() -> None:
    assert Seller.objects.count() == 0
    assert Team.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_a_roster_field_over_128_kb_is_a_problem_on_its_line(krutt, tmp_path):
    # given a roster whose third line has a 200,000-character name
    path = tmp_path / "huge-field.csv"
    path.write_text(
        HEADER
        + f"Kari Nordmann,kari.nordmann@nordlys.example,2016-05-02,Salg Øst,{INGRID},\n"
        + f'"{"x" * 200_000}",ola.hansen@nordlys.example,2021-01-11,Salg Øst,{INGRID},\n',
        encoding="utf-8",
    )
    # when it is imported
    result = krutt("import", "sellers", path, "--lang", "en")
    # then line 3 is named, exit 2, nothing is written
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "huge-field.csv:3: A value on the line is longer than 131072 characters."
    )
    _nothing_written()


def test_a_performance_field_over_128_kb_is_a_problem_on_its_line(sample_team, tmp_path):
    path = tmp_path / "huge-target.csv"
    path.write_text(
        f'email,month,target\nkari.nordmann@nordlys.example,2026-05,"{"9" * 150_000}"\n',
        encoding="utf-8",
    )
    before = list(MonthlyResult.objects.order_by("id").values_list("id", "target", "actual"))
    result = sample_team("import", "performance", path, "--lang", "en")
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "huge-target.csv:2: A value on the line is longer than 131072 characters."
    )
    assert list(MonthlyResult.objects.order_by("id").values_list("id", "target", "actual")) == (
        before
    )


def test_one_bad_byte_lists_its_line_and_does_not_garble_the_other_names(krutt):
    result = krutt("import", "sellers", HOSTILE / "roster-one-bad-byte.csv", "--lang", "en")
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "roster-one-bad-byte.csv:3: The line has bytes that are not UTF-8 (shown as �); "
        "correct them or save the file as UTF-8."
    )
    assert len(result.err.splitlines()) == 2
    _nothing_written()


def test_the_damaged_line_corrected_imports_the_names_as_written(krutt, tmp_path):
    fixed = tmp_path / "fixed.csv"
    fixed.write_bytes((HOSTILE / "roster-one-bad-byte.csv").read_bytes().replace(b"\xff", b""))
    result = krutt("import", "sellers", fixed, "--lang", "en")
    assert result.code == 0, result.err
    assert sorted(Seller.objects.values_list("name", flat=True)) == ["Kari Nordmann", "Øyvind Ås"]
    assert list(Team.objects.values_list("name", flat=True)) == ["Salg Øst"]


def test_a_windows_1252_roster_is_still_read_as_windows_1252(krutt):
    result = krutt("import", "sellers", HOSTILE / "roster-windows-1252.csv", "--lang", "en")
    assert result.code == 0, result.err
    assert list(Seller.objects.values_list("name", "team__name")) == [("Øyvind Ås", "Salg Øst")]


def test_a_roster_with_email_twice_is_a_problem_on_line_1(krutt):
    result = krutt("import", "sellers", HOSTILE / "roster-email-twice.csv", "--lang", "en")
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "roster-email-twice.csv:1: The header line has the column email twice; "
        "remove or rename one of them."
    )
    _nothing_written()


def test_monthly_numbers_with_target_twice_are_a_problem_on_line_1(sample_team):
    before = list(MonthlyResult.objects.order_by("id").values_list("id", "target", "actual"))
    result = sample_team(
        "import", "performance", HOSTILE / "performance-target-twice.csv", "--lang", "en"
    )
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "performance-target-twice.csv:1: The header line has the column target twice; "
        "remove or rename one of them."
    )
    assert list(MonthlyResult.objects.order_by("id").values_list("id", "target", "actual")) == (
        before
    )


def test_a_header_only_roster_says_there_are_no_sellers(krutt):
    result = krutt("import", "sellers", HOSTILE / "roster-header-only.csv", "--lang", "en")
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "roster-header-only.csv: There are no sellers in the file, only the header line."
    )
    _nothing_written()


def test_a_header_only_roster_says_so_in_norwegian(krutt):
    result = krutt("import", "sellers", HOSTILE / "roster-header-only.csv", "--lang", "nb")
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "roster-header-only.csv: Filen har ingen selgere, bare overskriftslinjen."
    )


def test_a_manager_listed_as_their_own_seller_is_a_problem_on_its_line(krutt):
    result = krutt("import", "sellers", HOSTILE / "roster-manager-as-seller.csv", "--lang", "en")
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "roster-manager-as-seller.csv:3: ingrid.berg@nordlys.example is listed as a seller "
        "on the team Salg Øst they manage."
    )
    _nothing_written()
    assert User.objects.count() == 0


def test_a_100000_character_name_is_refused_by_its_limit(krutt, tmp_path):
    path = tmp_path / "long-name.csv"
    path.write_text(
        HEADER + f"{'K' * 100_000},kari.nordmann@nordlys.example,2016-05-02,Salg Øst,{INGRID},\n",
        encoding="utf-8",
    )
    result = krutt("import", "sellers", path, "--lang", "en")
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "long-name.csv:2: The name is longer than 200 characters."
    )
    _nothing_written()


def test_a_team_name_over_the_limit_is_refused_and_one_at_the_limit_kept(krutt, tmp_path):
    path = tmp_path / "long-team.csv"
    path.write_text(
        HEADER + f"Kari Nordmann,kari.nordmann@nordlys.example,2016-05-02,{'T' * 201},{INGRID},\n",
        encoding="utf-8",
    )
    result = krutt("import", "sellers", path, "--lang", "en")
    assert result.code == 2
    assert result.err.splitlines()[0] == "long-team.csv:2: The team is longer than 200 characters."
    _nothing_written()
    path.write_text(
        HEADER + f"Kari Nordmann,kari.nordmann@nordlys.example,2016-05-02,{'T' * 200},{INGRID},\n",
        encoding="utf-8",
    )
    assert krutt("import", "sellers", path, "--lang", "en").code == 0
    assert list(Team.objects.values_list("name", flat=True)) == ["T" * 200]


def test_an_email_over_254_characters_is_refused(krutt, tmp_path):
    address = "k" * 250 + "@nordlys.example"
    path = tmp_path / "long-email.csv"
    path.write_text(
        HEADER + f"Kari Nordmann,{address},2016-05-02,Salg Øst,{INGRID},\n", encoding="utf-8"
    )
    result = krutt("import", "sellers", path, "--lang", "en")
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "long-email.csv:2: The email is longer than 254 characters."
    )
    _nothing_written()


def test_a_changed_roster_updates_names_teams_managers_and_aliases_in_place(krutt, tmp_path):
    # given the sample roster imported
    assert krutt("import", "sellers", DATA / "sellers.csv").code == 0
    ids = dict(Seller.objects.values_list("email", "id"))
    # when a new file renames Kari and gives her an alias, moves Mari to a new team under a
    # new manager without her alias, and gives Ola one
    raw = (DATA / "sellers.csv").read_text(encoding="utf-8")
    raw = raw.replace("Kari Nordmann,kari.nordmann@nordlys.example,2016-05-02,Salg Øst,"
                      f"{INGRID},", "Kari Nordmann Ås,kari.nordmann@nordlys.example,2016-05-02,"
                      f"Salg Øst,{INGRID},kari@nordlys.example")  # fmt: skip
    raw = raw.replace(
        f"Mari Johansen,mari.johansen@nordlys.example,2019-10-01,Salg Øst,{INGRID},"
        "mj@nordlys.example",
        "Mari Johansen,mari.johansen@nordlys.example,2019-10-01,Salg Vest,per.aasen@nordlys.example,",
    )
    raw = raw.replace(
        f"Ola Hansen,ola.hansen@nordlys.example,2021-01-11,Salg Øst,{INGRID},",
        f"Ola Hansen,ola.hansen@nordlys.example,2021-01-11,Salg Øst,{INGRID},oh@nordlys.example",
    )
    path = tmp_path / "sellers.csv"
    path.write_text(raw, encoding="utf-8")
    result = krutt("import", "sellers", path, "--json")
    # then three sellers are updated in place (same ids), the others untouched
    assert result.code == 0, result.err
    assert (result.json["created"], result.json["updated"], result.json["unchanged"]) == (0, 3, 5)
    assert dict(Seller.objects.values_list("email", "id")) == ids
    kari = Seller.objects.get(email="kari.nordmann@nordlys.example")
    assert kari.name == "Kari Nordmann Ås"
    assert sorted(kari.aliases.values_list("email", flat=True)) == ["kari@nordlys.example"]
    mari = Seller.objects.get(email="mari.johansen@nordlys.example")
    assert (mari.team.name, mari.team.manager.email) == ("Salg Vest", "per.aasen@nordlys.example")
    assert list(mari.aliases.values_list("email", flat=True)) == []
    ola = Seller.objects.get(email="ola.hansen@nordlys.example")
    assert list(ola.aliases.values_list("email", flat=True)) == ["oh@nordlys.example"]
    # and the same file again changes nothing
    again = krutt("import", "sellers", path, "--json")
    assert (again.json["created"], again.json["updated"], again.json["unchanged"]) == (0, 0, 8)
