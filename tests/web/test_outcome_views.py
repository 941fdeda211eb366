"""The Results page, and krutt finding in the demo organisation what was seeded into it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from krutt.domain.segments import Segment
from krutt.services.demo_organisation import CORE_COACHING_EFFECT
from krutt.services.outcome import outcome_report
from krutt.web.accounts.models import User
from krutt.web.dashboard.queries import manager_policy
from krutt.web.demo import install_demo
from krutt.web.outcome.repository import OutcomeRepository
from krutt.web.sellers.models import Team
from tests.web.factories import make_seller

DEMO_DAY = datetime(2026, 12, 2, 9, tzinfo=UTC)


class FixedClock:
    def now(self) -> datetime:
        return DEMO_DAY


@pytest.fixture
def demo(db: None):
    return install_demo(clock=FixedClock()).organisation  # type: ignore[arg-type]


def _outcome(organisation, email: str):
    manager = User.objects.get(email=email)
    return outcome_report(
        manager_id=manager.pk,
        today=DEMO_DAY.date(),
        policy=manager_policy(organisation, manager),
        source=OutcomeRepository(organisation),
    )


def test_the_seeded_core_coaching_effect_is_inside_the_estimated_interval(demo):
    # Given the demo, seeded with +4 points of attainment per core coaching hour
    for email in ("lise.moe@nordlys.example", "per.aasen@nordlys.example"):
        effect = _outcome(demo, email).coaching[Segment.CORE]
        # Then each team with enough core seller-months finds it, and the interval is above zero
        assert effect.seller_months >= 24, email
        assert effect.estimate is not None
        assert effect.estimate.low <= CORE_COACHING_EFFECT <= effect.estimate.high, email
        assert effect.estimate.low > 0, email


def test_the_demo_shows_wear_leavers_and_ramp_as_seeded(demo):
    tails = _outcome(demo, "ingrid.berg@nordlys.example")
    # Most of the drained energy goes to Not delivering in the team that pours time there
    assert tails.wear.drained is True
    assert tails.wear.under_energy_share is not None and tails.wear.under_energy_share > 0.3
    assert tails.wear.rated_share is not None and 0.3 < tails.wear.rated_share < 0.7
    # Three top sellers left after getting less time than the top sellers who stayed
    retention = tails.retention
    assert retention is not None and len(retention.leavers) == 3
    assert retention.leavers_hours_per_month is not None
    assert retention.stayers_hours_per_month is not None
    assert retention.leavers_hours_per_month < retention.stayers_hours_per_month
    # The new sellers are compared with the hires who have a full first year in the data
    assert tails.ramp and all(row.cohort_size >= 3 for row in tails.ramp)
    # And 24 months is enough for the team correlation to be stated
    assert tails.team.correlation is not None and tails.team.correlation.n == 24


def test_a_manager_sees_the_five_views_with_tables_in_norwegian(world, client):
    client.force_login(world.manager_a)
    body = client.get(reverse("results")).content.decode()
    for text in (
        "Lønner prioriteringen seg?",
        "Teamets resultat per måned",
        "Coaching mot resultatene etterpå",
        "Opptrapping for nye selgere",
        "Slitasje: tid mot tappet energi",
        "Hvem av de beste ble",
        "Ikke nok måneder ennå",
        "Publisert forskning",
    ):
        assert text in body, text
    # Outcome, coaching and wear have tables; Nils started this month, so no ramp yet
    assert body.count("Vis som tabell") == 3
    assert "Ingen selger i sitt første år har en hel måned med tall ennå." in body
    assert 'class="outcome-chart"' in body and 'class="wear-chart"' in body


def test_the_page_reads_in_english(world, client):
    world.manager_a.language = "en"
    world.manager_a.save()
    client.force_login(world.manager_a)
    body = client.get(reverse("results")).content.decode()
    assert "Does the policy pay?" in body
    assert "Wear: time against drained energy" in body
    assert "Show as a table" in body


def test_a_director_sees_each_of_their_teams_side_by_side_and_nothing_else(world, client):
    # Given a second team of manager A that is not under director A
    other = Team.objects.create(
        organisation=world.organisation, name="Team C", manager=world.manager_a
    )
    make_seller(other, "CANARY-TEAM-C-Nora", "nora@test.example", date(2026, 11, 1), "0.3")
    client.force_login(world.director_a)
    body = client.get(reverse("results")).content.decode()
    assert 'class="results-columns"' in body
    assert "Team A" in body
    assert "CANARY" not in body  # neither team B nor manager A's team C
    # While manager A sees both their teams
    client.force_login(world.manager_a)
    assert "CANARY-TEAM-C-Nora" in client.get(reverse("results")).content.decode()


def test_an_admin_is_sent_elsewhere(world, client):
    client.force_login(world.admin)
    assert client.get(reverse("results")).status_code == 302
