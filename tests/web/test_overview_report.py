"""The overview's headline and move sentence say what `krutt report` says for the same period."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

from django.urls import reverse

from krutt.cli.main import main
from krutt.domain.periods import week_containing
from krutt.web.clock import today_in
from tests.web.factories import make_entry


def _spread_over_complete_weeks(world):
    """Four complete weeks with most time on the one not delivering, and a bit this week."""
    tora, _nils, kim, ulla = world.sellers_a[:4]
    monday = week_containing(today_in(world.organisation)).first
    for week in range(1, 5):
        day = monday - timedelta(weeks=week) + timedelta(days=1)
        make_entry(world.manager_a, [ulla], day, 150)
        make_entry(world.manager_a, [tora], day + timedelta(days=1), 45)
        make_entry(world.manager_a, [kim], day + timedelta(days=2), 30)
    return monday - timedelta(weeks=4), monday - timedelta(days=1)


def _report(capsys, *args):
    capsys.readouterr()
    assert main(["report", "--manager", "anne@test.example", *args, "--lang", "en"]) == 0
    return capsys.readouterr().out


def test_the_move_sentence_is_the_reports_for_the_last_four_complete_weeks(world, client, capsys):
    first, last = _spread_over_complete_weeks(world)
    world.manager_a.language = "en"
    world.manager_a.save()
    client.force_login(world.manager_a)
    page = client.get(reverse("dashboard")).content.decode()
    shown = [unescape(s) for s in re.findall(r'<span class="move-sentence">(.*?)</span>', page)]
    report = _report(capsys, "--from", str(first), "--to", str(last))
    said = [line for line in report.splitlines() if line.startswith("Move about")]
    assert shown == said
    assert len(said) >= 1


def test_the_headline_share_is_the_reports_share_for_the_same_weeks(world, client, capsys):
    first, last = _spread_over_complete_weeks(world)
    world.manager_a.language = "en"
    world.manager_a.save()
    client.force_login(world.manager_a)
    page = client.get(reverse("dashboard")).content.decode()
    headline = re.search(r'<p class="headline">(.*?)</p>', page).group(1)
    import json

    capsys.readouterr()
    main(
        [
            "report",
            "--manager",
            "anne@test.example",
            "--from",
            str(first),
            "--to",
            str(last),
            "--json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    under = round(data["segments"]["under"]["share"] * 100)
    assert headline.startswith(f"{under}% of your seller time went to Not delivering")
    assert "Ulla Under" in headline


def test_the_trend_draws_the_running_week_dashed_and_the_table_says_so_far(world, client):
    _spread_over_complete_weeks(world)
    world.manager_a.language = "en"
    world.manager_a.save()
    client.force_login(world.manager_a)
    page = client.get(reverse("dashboard")).content.decode()
    assert page.count('class="trend-line trend-unfinished') == 4
    assert page.count("(so far)") == 1


def test_the_monthly_results_chart_has_month_labels_a_target_line_and_values_on_hover(
    world, client
):
    world.manager_a.language = "en"
    world.manager_a.save()
    client.force_login(world.manager_a)
    tora = world.sellers_a[0]
    page = client.get(reverse("seller_detail", kwargs={"seller_id": tora.pk})).content.decode()
    assert 'class="bar-target-line"' in page
    assert re.search(r"<title>\d{4}-\d{2}: target 100,000, actual 130,000</title>", page)
    assert re.search(r'<text class="bar-label"[^>]*>\d{4}-\d{2}</text>', page)
