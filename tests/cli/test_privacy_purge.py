"""`krutt privacy purge`: what is past its retention period goes, once; the rest stays."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum

from krutt.domain.retention import kept_from
from krutt.web.audit.models import AuditEvent
from krutt.web.audit.trail import record
from krutt.web.clock import today_in
from krutt.web.connections.worker import run_worker
from krutt.web.imports.models import Deal, ImportChange
from krutt.web.privacy.models import RetentionSettings
from krutt.web.privacy.purge import purge_due
from krutt.web.privacy.retention import set_retention
from krutt.web.sellers.models import SellerNote
from krutt.web.timelog.models import TimeEntry
from tests.web.factories import OSLO, World, build_world, make_entry, make_seller


def _deal(world: World, key: str, closed_on: date | None, created_on: date | None = None) -> Deal:
    return Deal.objects.create(
        organisation=world.organisation,
        source="hubspot",
        key=key,
        seller=world.sellers_a[0],
        owner="Tora Topp",
        amount=Decimal("1000"),
        status="won" if closed_on else "open",
        closed_on=closed_on,
        created_on=created_on,
        batch=world.batch_a,
    )


@pytest.fixture
def aged(db: None) -> dict:
    """Team A with data on both sides of each default period (12, 12, 36, 36 months)."""
    world = build_world()
    today = today_in(world.organisation)
    tora, kim = world.sellers_a[0], world.sellers_a[2]
    old_day = kept_from(today, 12) - timedelta(days=1)
    young_day = kept_from(today, 12)
    old_entry = make_entry(world.manager_a, [tora], old_day, 30)
    old_entry.note = "OLD-ENTRY-NOTE"
    old_entry.save()
    young_entry = make_entry(world.manager_a, [kim], young_day, 40)
    young_entry.note = "YOUNG-ENTRY-NOTE"
    young_entry.save()
    old_note = SellerNote.objects.create(seller=kim, author=world.manager_a, text="OLD-PRIVATE")
    SellerNote.objects.filter(pk=old_note.pk).update(
        created_at=datetime.combine(old_day, time(12), tzinfo=OSLO)
    )
    deal_cut = kept_from(today, 36)
    old_deal = _deal(world, "OLD", deal_cut - timedelta(days=1))
    ImportChange.objects.create(
        batch=world.batch_a, table="deal", key="OLD", row_id=old_deal.pk, before={"owner": "x"}
    )
    _deal(world, "OPEN-OLD", None, created_on=deal_cut - timedelta(days=3))
    young_deal = _deal(world, "YOUNG", deal_cut)
    long_gone = make_seller(world.team_a, "Lise Lenge", "lise@test.example", date(2015, 1, 5), None)
    long_gone.ended_on = deal_cut - timedelta(days=1)
    long_gone.save()
    recent = make_seller(world.team_a, "Rune Nylig", "rune@test.example", date(2016, 1, 4), None)
    recent.ended_on = deal_cut
    recent.save()
    for seller in (long_gone, recent):
        record(
            action="seller.update",
            object_type="seller",
            object_id=seller.pk,
            organisation_id=world.organisation.pk,
            changes={"ended_on": seller.ended_on.isoformat()},
        )
    return {
        "world": world,
        "today": today,
        "old_entry": old_entry,
        "young_entry": young_entry,
        "old_note": old_note,
        "old_deal": old_deal,
        "young_deal": young_deal,
        "long_gone": long_gone,
        "recent": recent,
    }


def _minutes() -> int:
    return TimeEntry.objects.aggregate(total=Sum("minutes"))["total"]


def _about(seller) -> int:
    return AuditEvent.objects.filter(object_type="seller", object_id=str(seller.pk)).count()


def test_dry_run_counts_each_category_and_changes_nothing(aged, krutt):
    notes_before = list(SellerNote.objects.values_list("pk", flat=True))
    events_before = AuditEvent.objects.count()

    result = krutt("privacy", "purge", "--dry-run", "--json")

    assert result.code == 0, result.err
    assert result.json["dry_run"] is True
    # Tora Topp's note from the world is new; the world's own entries are today's.
    assert result.json["removed"] == {
        "entry_notes": 1,
        "private_notes": 1,
        "deal_rows": 2,
        "leaver_audit": 1,
    }
    assert result.json["kept_from"]["entry_notes"] == kept_from(aged["today"], 12).isoformat()
    assert TimeEntry.objects.get(pk=aged["old_entry"].pk).note == "OLD-ENTRY-NOTE"
    assert list(SellerNote.objects.values_list("pk", flat=True)) == notes_before
    assert Deal.objects.filter(pk=aged["old_deal"].pk).exists()
    assert AuditEvent.objects.count() == events_before


def test_purge_removes_what_is_past_retention_keeps_the_rest_and_the_hours(aged, krutt):
    minutes_before = _minutes()

    result = krutt("privacy", "purge", "--lang", "en")

    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "Purged what is past its retention period:"
    assert "  Notes on time entries: 1 (kept from" in result.out
    assert TimeEntry.objects.get(pk=aged["old_entry"].pk).note == ""
    assert TimeEntry.objects.get(pk=aged["young_entry"].pk).note == "YOUNG-ENTRY-NOTE"
    assert _minutes() == minutes_before
    assert not SellerNote.objects.filter(pk=aged["old_note"].pk).exists()
    assert SellerNote.objects.filter(text="CANARY-NOTE-A-7f3a").exists()
    assert set(Deal.objects.values_list("key", flat=True)) == {"YOUNG"}
    assert not ImportChange.objects.filter(table="deal", key="OLD").exists()
    assert _about(aged["long_gone"]) == 0
    assert _about(aged["recent"]) == 1
    (event,) = AuditEvent.objects.filter(action="privacy.purge")
    assert event.channel == "cli"
    assert event.changes["removed"] == {
        "entry_notes": 1,
        "private_notes": 1,
        "deal_rows": 2,
        "leaver_audit": 1,
    }


def test_a_second_purge_removes_nothing_and_writes_no_audit_row(aged, krutt):
    assert krutt("privacy", "purge").code == 0
    events = AuditEvent.objects.count()

    again = krutt("privacy", "purge", "--lang", "en")
    as_json = krutt("privacy", "purge", "--json")

    assert again.out == "Nothing is past its retention period; nothing was removed.\n"
    assert set(as_json.json["removed"].values()) == {0}
    assert AuditEvent.objects.count() == events


def test_purge_says_nothing_in_norwegian_when_nothing_is_due(db, krutt):
    build_world()

    result = krutt("privacy", "purge", "--lang", "nb")

    assert result.out == "Ingenting er eldre enn lagringstiden; ingenting ble slettet.\n"


def test_a_longer_period_chosen_by_the_organisation_keeps_the_old_note(aged, krutt):
    world = aged["world"]
    set_retention(
        world.organisation,
        {"entry_notes": 24},
        actor_id=world.admin.pk,
        actor_label="admin",
        channel="web",
    )

    result = krutt("privacy", "purge", "--json")

    assert result.json["removed"]["entry_notes"] == 0
    assert TimeEntry.objects.get(pk=aged["old_entry"].pk).note == "OLD-ENTRY-NOTE"
    (change,) = AuditEvent.objects.filter(action="privacy.retention")
    assert change.changes == {"entry_notes": [12, 24]}


def test_a_period_outside_one_to_120_months_is_refused(db):
    world = build_world()
    from krutt.domain.errors import InvalidInput

    with pytest.raises(InvalidInput):
        set_retention(
            world.organisation, {"deal_rows": 0}, actor_id=None, actor_label="", channel="cli"
        )
    assert not RetentionSettings.objects.filter(organisation=world.organisation).exists()


# The worker checks its database connection as a long-running process does
# (close_old_connections), which ends a test wrapped in one transaction: this one commits.
@pytest.mark.django_db(transaction=True)
def test_the_worker_purges_each_organisation_once_a_day(aged):
    run_worker(once=True)

    assert TimeEntry.objects.get(pk=aged["old_entry"].pk).note == ""
    (event,) = AuditEvent.objects.filter(action="privacy.purge")
    assert event.channel == "worker"
    row = RetentionSettings.objects.get(organisation=aged["world"].organisation)
    assert row.last_purged_on == aged["today"]

    # New data past retention the same day waits for tomorrow's run.
    late = make_entry(aged["world"].manager_a, [aged["world"].sellers_a[2]], date(2001, 1, 2), 5)
    late.note = "LATE"
    late.save()
    assert purge_due() == []
    assert TimeEntry.objects.get(pk=late.pk).note == "LATE"

    (done,) = purge_due(today_of=lambda organisation: aged["today"] + timedelta(days=1))
    # Tomorrow the young note has aged past the year as well.
    assert done[1].removed["entry_notes"] == 2
    assert TimeEntry.objects.get(pk=late.pk).note == ""
    assert TimeEntry.objects.get(pk=aged["young_entry"].pk).note == ""
