"""`krutt demo`: a realistic organisation to look around in, created once."""

from __future__ import annotations

from datetime import date, timedelta

from krutt.web.accounts.models import Organisation, Role, User
from krutt.web.sellers.models import MonthlyResult, SegmentPeriod, Seller, Team
from krutt.web.timelog.models import TimeEntry


def test_the_demo_has_teams_with_years_of_numbers_and_logged_time(krutt):
    result = krutt("demo")
    assert result.code == 0, result.err
    organisation = Organisation.objects.get()
    assert Team.objects.filter(organisation=organisation).count() == 3
    assert Seller.objects.filter(organisation=organisation, ended_on__isnull=True).count() == 30
    # Six top sellers who left, for the retention view
    assert Seller.objects.filter(organisation=organisation, ended_on__isnull=False).count() == 6
    months = MonthlyResult.objects.dates("month", "month")
    assert len(months) >= 24
    assert TimeEntry.objects.count() > 300
    assert SegmentPeriod.objects.values("seller").distinct().count() == 36
    assert User.objects.filter(role=Role.DIRECTOR).count() == 1
    assert User.objects.filter(role=Role.MANAGER).count() == 3
    for login in User.objects.filter(organisation=organisation):
        assert login.check_password("krutt-demo-2026")
        assert login.email in result.out
    assert "krutt-demo-2026" in result.out
    # Something for the planner to plan around, and a support ledger to look at.
    from krutt.web.planning.models import BusyBlock
    from krutt.web.support.models import SupportPlan

    assert BusyBlock.objects.filter(manager__email="ingrid.berg@nordlys.example").count() >= 15
    assert SupportPlan.objects.get().actions.count() == 2


def test_running_the_demo_again_changes_nothing(krutt):
    krutt("demo")
    counts = (Seller.objects.count(), TimeEntry.objects.count(), MonthlyResult.objects.count())
    again = krutt("demo")
    assert again.code == 0
    assert "already there" in again.out
    assert (
        Seller.objects.count(),
        TimeEntry.objects.count(),
        MonthlyResult.objects.count(),
    ) == counts


def test_every_demo_segment_is_present_and_reports_work_for_each_manager(krutt):
    krutt("demo")
    segments = {
        row["segment"]
        for m in User.objects.filter(role=Role.MANAGER)
        for row in krutt("segments", "--manager", m.email, "--json").json
    }
    assert segments == {"top", "new", "core", "under"}
    for manager in User.objects.filter(role=Role.MANAGER):
        first = (date.today() - timedelta(days=27)).isoformat()
        report = krutt(
            "report",
            "--manager",
            manager.email,
            "--json",
            "--from",
            first,
            "--to",
            date.today().isoformat(),
        ).json
        assert report["seller_hours"] > 0
