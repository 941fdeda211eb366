"""`krutt perceived` and the `perceived` key of `krutt report --json`."""

from __future__ import annotations

from krutt.web.audit.models import AuditEvent
from krutt.web.team.models import PerceivedSplit

MANAGER = "ingrid.berg@nordlys.example"
SPLIT = ("--top", "50", "--new", "25", "--core", "15", "--under", "10")


def test_a_split_is_stored_and_the_report_for_that_week_carries_it(sample_team):
    krutt = sample_team
    result = krutt("perceived", "--manager", MANAGER, "--week", "2026-W47", *SPLIT, "--lang", "en")
    assert (result.code, result.out) == (
        0,
        "Saved for 2026-W47: top 50 %, new 25 %, core 15 %, under 10 %.\n",
    )
    assert AuditEvent.objects.filter(action="perceived.save", channel="cli").count() == 1
    report = krutt("report", "--manager", MANAGER, "--week", "2026-W47", "--json").json
    assert report["perceived"] == {"top": 0.5, "new": 0.25, "core": 0.15, "under": 0.1}
    other = krutt("report", "--manager", MANAGER, "--week", "2026-W46", "--json").json
    assert other["perceived"] is None
    month = krutt("report", "--manager", MANAGER, "--month", "2026-11", "--json").json
    assert month["perceived"] is None


def test_a_split_that_does_not_sum_to_100_is_refused_in_one_line(sample_team):
    krutt = sample_team
    result = krutt(
        "perceived",
        "--manager",
        MANAGER,
        "--week",
        "2026-W47",
        "--top",
        "50",
        "--new",
        "25",
        "--core",
        "15",
        "--under",
        "15",
        "--lang",
        "en",
    )
    assert (result.code, result.err) == (
        2,
        "krutt: The four shares must sum to 100; these sum to 105.\n",
    )
    assert not PerceivedSplit.objects.exists()


def test_a_week_that_has_not_begun_is_refused(sample_team):
    result = sample_team("perceived", "--manager", MANAGER, "--week", "2099-W01", *SPLIT)
    assert result.code == 2
    assert not PerceivedSplit.objects.exists()
