"""Hostile deal exports (issue 14): a column named twice is a problem unless the mapping picks."""

from __future__ import annotations

from decimal import Decimal

from krutt.web.imports.models import Deal, ImportBatch
from krutt.web.sellers.models import MonthlyResult
from tests.conftest import DATA

AMOUNT_TWICE = DATA / "hostile" / "deals-amount-twice.csv"


def test_a_deal_export_with_amount_twice_is_a_problem_on_the_header_line(sample_team):
    before = list(MonthlyResult.objects.order_by("id").values_list("id", "target", "actual"))
    result = sample_team("import", "deals", AMOUNT_TWICE, "--lang", "en")
    assert result.code == 2
    assert (
        "deals-amount-twice.csv:1: The header line has the column Amount twice; remove or "
        "rename one of them, or choose another column for amount."
    ) in result.err.splitlines()
    assert Deal.objects.count() == 0
    assert ImportBatch.objects.filter(kind="deals").count() == 0
    assert list(MonthlyResult.objects.order_by("id").values_list("id", "target", "actual")) == (
        before
    )


def test_a_mapping_that_names_another_column_resolves_the_duplicate(sample_team):
    result = sample_team(
        "import", "deals", AMOUNT_TWICE, "--map", "amount=Deal value", "--lang", "en"
    )
    assert result.code == 0, result.err
    assert list(Deal.objects.values_list("amount", flat=True)) == [Decimal("1700")]


def test_a_deal_export_with_one_bad_byte_lists_its_line(sample_team, tmp_path):
    path = tmp_path / "bad-byte.csv"
    path.write_bytes(
        b"Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount\n"
        b"1,Lisens \xc3\x98st,Closed won,2026-01-26 12:00,Kari Nordmann,1700\n"
        b"2,Rammeavtale \xff,Closed won,2026-01-17 12:00,Kari Nordmann,3100\n"
    )
    result = sample_team("import", "deals", path, "--lang", "en")
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "bad-byte.csv:3: The line has bytes that are not UTF-8 (shown as �); "
        "correct them or save the file as UTF-8."
    )
    assert Deal.objects.count() == 0


def test_an_xlsx_bomb_is_refused_in_one_sentence_and_nothing_is_written(sample_team, tmp_path):
    from tests.importers.spreadsheets import make_xlsx_bomb

    path = tmp_path / "bomb.xlsx"
    path.write_bytes(make_xlsx_bomb(1100))
    result = sample_team("import", "deals", path, "--lang", "en")
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "bomb.xlsx: The spreadsheet unpacks to more than 1024 MB; export a shorter period or "
        "save it as CSV."
    )
    assert Deal.objects.count() == 0
    assert ImportBatch.objects.filter(kind="deals").count() == 0


def test_a_deal_field_over_128_kb_is_a_problem_on_its_line(sample_team, tmp_path):
    # the same limit as the roster's: the line is named, exit 2, nothing is written
    path = tmp_path / "huge-deal.csv"
    path.write_text(
        "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount\n"
        "1,Rammeavtale,Closed won,2026-05-04,kari.nordmann@nordlys.example,1000\n"
        f'2,"{"x" * 200_000}",Closed won,2026-05-05,kari.nordmann@nordlys.example,2000\n',
        encoding="utf-8",
    )
    result = sample_team("import", "deals", path, "--lang", "en")
    assert result.code == 2
    assert result.err.splitlines()[0].startswith("huge-deal.csv:3: ")
    assert Deal.objects.count() == 0


def test_a_calendar_line_over_128_kb_is_read_like_any_other(sample_team, tmp_path):
    # given the Google sample with a 200,000-character description on its first event
    google = (DATA / "calendars" / "google-export.ics").read_text(encoding="utf-8")
    huge = google.replace("BEGIN:VEVENT\n", "BEGIN:VEVENT\nDESCRIPTION:" + "x" * 200_000 + "\n", 1)
    assert len(huge) > len(google) + 200_000
    path = tmp_path / "huge.ics"
    path.write_text(huge, encoding="utf-8")
    week = (
        "--manager",
        "ingrid.berg@nordlys.example",
        "--from",
        "2026-11-02",
        "--to",
        "2026-11-08",
    )
    # when it is imported, then the week is read without a problem
    result = sample_team("import", "calendar", path, *week, "--json", "--lang", "en")
    assert result.code == 0, result.err
    assert result.json["problems"] == []
    # and it gave exactly the entries the sample itself gives
    again = sample_team(
        "import", "calendar", DATA / "calendars" / "google-export.ics", *week, "--json"
    )
    assert (again.json["created"], again.json["updated"], again.json["removed"]) == (0, 0, 0)
    assert again.json["unchanged"] == result.json["created"]
