"""`krutt privacy notice` and `krutt privacy letter`: measurement that is agreed, not imposed."""

from __future__ import annotations

from datetime import timedelta

from krutt.web.audit.models import AuditEvent
from krutt.web.clock import today_in
from krutt.web.privacy.models import MeasurementNotice
from krutt.web.privacy.retention import set_retention
from krutt.web.sellers.models import Team
from tests.web.factories import build_world

WARNING_NB = "Kalendermåling for Salg Øst er ikke varslet til selgerne (arbeidsmiljøloven § 9-2)"


def _notice(krutt, *extra: str, informed: str = "2026-01-05"):  # type: ignore[no-untyped-def]
    return krutt(
        "privacy", "notice", "--team", "salg øst", "--informed-on", informed,
        "--discussed-on", "2025-12-15", "--purpose", "Se at nye selgere får nok oppfølging",
        *extra,
    )  # fmt: skip


def test_until_a_notice_every_report_warns_in_the_issues_words(sample_team):
    krutt = sample_team
    report = krutt("report", "--lang", "nb")
    as_json = krutt("report", "--json", "--lang", "nb")

    assert report.code == 0, report.err
    assert report.out.splitlines()[-1] == "! " + WARNING_NB
    assert as_json.json["warnings"] == [WARNING_NB]


def test_a_notice_is_recorded_audited_and_the_warning_goes(sample_team):
    krutt = sample_team

    result = _notice(krutt, "--lang", "en")

    assert result.code == 0, result.err
    assert result.out == (
        "Recorded for Salg Øst: sellers informed 2026-01-05, discussed with the employee "
        "representatives 2025-12-15.\n"
    )
    notice = MeasurementNotice.objects.get()
    assert (notice.team.name, notice.purpose, notice.until) == (
        "Salg Øst",
        "Se at nye selgere får nok oppfølging",
        None,
    )
    (event,) = AuditEvent.objects.filter(action="privacy.notice")
    assert event.changes == {
        "informed_on": "2026-01-05",
        "discussed_on": "2025-12-15",
        "until": None,
    }
    assert krutt("report", "--json").json["warnings"] == []


def test_a_notice_over_a_year_old_asks_for_an_evaluation(sample_team):
    krutt = sample_team
    team = Team.objects.get(name="Salg Øst")
    old = (today_in(team.organisation) - timedelta(days=400)).isoformat()
    assert _notice(krutt, informed=old).code == 0

    warnings = krutt("report", "--json", "--lang", "en").json["warnings"]

    assert len(warnings) == 1
    assert warnings[0].startswith("The calendar measurement notice for Salg Øst is from ")
    assert "evaluate the measure with the employee representatives" in warnings[0]


def test_a_notice_in_the_future_or_ending_before_it_began_is_refused(sample_team):
    krutt = sample_team
    ahead = (today_in(Team.objects.get().organisation) + timedelta(days=3)).isoformat()

    future = _notice(krutt, "--lang", "en", informed=ahead)
    backwards = _notice(krutt, "--until", "2025-06-01", "--lang", "en")
    unknown = krutt(
        "privacy", "notice", "--team", "Salg Vest", "--informed-on", "2026-01-05",
        "--discussed-on", "2026-01-05", "--purpose", "x", "--lang", "en",
    )  # fmt: skip

    assert (future.code, backwards.code, unknown.code) == (2, 2, 2)
    assert f"--informed-on {ahead} is in the future; record the notice once it has happened." in (
        future.err
    )
    assert "--until 2025-06-01 is before the sellers were informed" in backwards.err
    assert "No team is called Salg Vest." in unknown.err
    assert MeasurementNotice.objects.count() == 0


def test_the_letter_is_written_from_the_organisations_real_settings(sample_team, tmp_path):
    krutt = sample_team
    team = Team.objects.get(name="Salg Øst")
    set_retention(
        team.organisation, {"private_notes": 6}, actor_id=None, actor_label="", channel="cli"
    )
    assert _notice(krutt, "--until", "2027-06-30").code == 0
    out = tmp_path / "brev.md"

    written = krutt("privacy", "letter", "--team", "Salg Øst", "--lang", "nb", "--out", out)
    english = krutt("privacy", "letter", "--team", "Salg Øst", "--lang", "en")

    assert written.code == 0, written.err
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Slik måler krutt tiden med selgerne i Salg Øst\n")
    manager = team.manager
    for part in (
        "Formål: Se at nye selgere får nok oppfølging",
        "Målingen varer til og med 30.06.2027.",
        "Aldri fra kalenderen: møtets emne, beskrivelse, sted eller andre deltakere.",
        ": 6 måneder.",  # the organisation's own period for private notes
        ": 12 måneder.",  # a default the organisation kept
        "/me/",
        "Datatilsynet",
        f"Lederen din: {manager.name or manager.email} <{manager.email}>",
        "## Hvem ser hva",
    ):
        assert part in text, part
    assert english.code == 0
    assert english.out.startswith("# How krutt measures time with the sellers of Salg Øst\n")
    assert "6 months" in english.out
    assert "Invest in the best" in english.out or "Coach the middle" in english.out
    # The letter names no seller: it goes to all of them.
    assert "Kari Nordmann" not in text


def test_the_letter_refuses_to_overwrite_a_file(sample_team, tmp_path):
    out = tmp_path / "brev.md"
    out.write_text("mine", encoding="utf-8")

    result = sample_team("privacy", "letter", "--team", "Salg Øst", "--out", out)

    assert result.code == 2
    assert out.read_text(encoding="utf-8") == "mine"


def test_a_team_without_notice_says_so_in_the_letter(db, krutt):
    build_world()

    result = krutt("privacy", "letter", "--team", "Team A", "--lang", "en")

    assert result.code == 0, result.err
    assert (
        "The measure has not yet been recorded as discussed with the employee "
        "representatives; measurement must not start before it is." in result.out
    )
