"""`krutt outcome` on the sample team: the JSON contract, thresholds and both languages."""

from __future__ import annotations

from krutt.web.timelog.models import TimeEntry

AT = "2026-12-02"
KEYS = [
    "manager",
    "from",
    "to",
    "months",
    "team_correlation",
    "coaching_effect",
    "ramp",
    "wear",
    "retention",
]


def test_the_json_has_the_contracts_keys_and_says_null_below_the_thresholds(sample_team):
    result = sample_team("outcome", "--at", AT, "--json")
    assert result.code == 0, result.err
    data = result.json
    assert list(data) == KEYS
    assert (data["manager"], data["from"], data["to"]) == (
        "ingrid.berg@nordlys.example",
        "2024-12",
        "2026-11",
    )
    assert len(data["months"]) == 24
    january = next(m for m in data["months"] if m["month"] == "2026-01")
    assert list(january) == ["month", "attainment", "shares", "within_policy"]
    assert january["attainment"] == 0.9316
    assert january["shares"] == {"top": None, "new": None, "core": None, "under": None}
    # No time logged: no correlation, no coaching slope, no retention to compare
    assert data["team_correlation"] is None
    assert data["coaching_effect"] == {"top": None, "new": None, "core": None, "under": None}
    assert data["retention"] is None
    # Fredrik started in September 2026; nobody earlier has a full first year in the data
    assert data["ramp"] == [
        {
            "email": "fredrik.olsen@nordlys.example",
            "tenure_month": 1,
            "attainment": 0.35,
            "cohort_median": None,
            "cohort_q1": None,
            "cohort_q3": None,
            "cohort_size": 0,
        },
        {
            "email": "fredrik.olsen@nordlys.example",
            "tenure_month": 2,
            "attainment": 0.4311,
            "cohort_median": None,
            "cohort_q1": None,
            "cohort_q3": None,
            "cohort_size": 0,
        },
    ]
    assert len(data["wear"]) == 12
    assert list(data["wear"][-1]) == ["week", "shares_time", "shares_energy", "rated_share"]
    assert data["wear"][-1]["week"] == "2026-11-23"


def test_the_text_reads_in_norwegian_and_in_english(sample_team):
    norwegian = sample_team("outcome", "--at", AT)
    assert norwegian.code == 0, norwegian.err
    assert "Ikke nok måneder ennå (0 av de 12 som trengs)." in norwegian.out
    # Seller-months exist without any logged time: the coaching hours are all zero
    assert "De beste: ikke nok selgermåneder ennå (18 av de 24 som trengs)." in norwegian.out
    assert (
        "Stabile: coachingtimene varierte ikke over de 28 selgermånedene, så det er ingen "
        "sammenheng å vise." in norwegian.out
    )
    english = sample_team("outcome", "--at", AT, "--lang", "en")
    assert "Not enough months yet (0 of the 12 needed)." in english.out
    assert "Top performers: not enough seller-months yet (18 of the 24 needed)." in english.out
    assert "New sellers: not enough seller-months yet (0 of the 24 needed)." in english.out
    assert "cause" not in english.out.replace("not what coaching caused", "")


def test_a_bad_month_count_is_one_line_and_exit_2(sample_team):
    result = sample_team("outcome", "--months", "zero", "--lang", "en")
    assert result.code == 2
    assert result.err.strip() == "krutt: --months must be a whole number from 1 to 120, not zero."
    assert TimeEntry.objects.count() == 0
