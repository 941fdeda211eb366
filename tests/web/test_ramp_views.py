"""A new seller's ramp where the manager looks: on the seller's page and in the overview's
new-sellers group, the same curve as the Results page (issue 13)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from krutt.services.outcome import outcome_report
from krutt.web.accounts.models import User
from krutt.web.clock import today_in
from krutt.web.dashboard.queries import manager_policy
from krutt.web.demo import install_demo
from krutt.web.outcome.repository import OutcomeRepository
from krutt.web.sellers.models import Seller

MANAGER = "ingrid.berg@nordlys.example"


@pytest.fixture
def demo(db: None):
    return install_demo().organisation


def _ramp_of_results_page(organisation):
    manager = User.objects.get(email=MANAGER)
    outcome = outcome_report(
        manager_id=manager.pk,
        today=today_in(organisation),
        policy=manager_policy(organisation, manager),
        source=OutcomeRepository(organisation),
    )
    by_seller: dict[int, list] = {}
    for row in outcome.ramp:
        by_seller.setdefault(row.seller_id, []).append(row)
    return manager, by_seller


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_overview_shows_each_new_seller_s_ramp_as_the_results_page_has_it(demo):
    manager, ramps = _ramp_of_results_page(demo)
    assert ramps, "the demo seeds new sellers with a few months of numbers"

    body = _signed_in(manager).get(reverse("dashboard")).content.decode()

    section = body[body.index('aria-labelledby="new-h"') :]
    section = section[: section.index("</section>")]
    assert "Opptrapping for nye selgere" in section
    assert section.count('class="ramp-chart') == len(ramps)
    for seller_id, rows in ramps.items():
        name = Seller.objects.get(pk=seller_id).name
        assert f'href="{reverse("seller_detail", args=[seller_id])}"' in section, name
        assert name in section
        # The table under the chart has one line per month of tenure with numbers.
        assert section.count(f'<tr><th scope="row">{rows[-1].tenure_month}</th>') >= 1


def test_a_new_seller_s_page_shows_the_ramp_and_an_established_seller_s_does_not(demo):
    manager, ramps = _ramp_of_results_page(demo)
    seller_id, rows = next(iter(ramps.items()))
    client = _signed_in(manager)

    page = client.get(reverse("seller_detail", args=[seller_id])).content.decode()

    assert 'aria-labelledby="ramp-h"' in page
    table = page[page.index('aria-labelledby="ramp-h"') :]
    tenure = re.findall(r'<tr><th scope="row">(\d+)</th>', table[: table.index("</table>")])
    assert [int(t) for t in tenure] == [r.tenure_month for r in rows]
    assert f"{rows[0].cohort_size} tidligere ansatte" in table  # what the curve rests on

    veteran = (
        Seller.objects.filter(team__manager=manager, ended_on__isnull=True)
        .order_by("started_on")
        .first()
    )
    assert veteran is not None and veteran.pk not in ramps
    other = client.get(reverse("seller_detail", args=[veteran.pk])).content.decode()
    assert 'aria-labelledby="ramp-h"' not in other
