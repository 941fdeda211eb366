"""`krutt privacy export` and `erase`: every row about a seller out, no trace of them left."""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection

from krutt.web.audit.models import AuditEvent
from krutt.web.audit.trail import record
from krutt.web.clock import today_in
from krutt.web.imports.models import Deal, ImportChange
from krutt.web.privacy.export import SECTIONS, TABLES_ABOUT_A_SELLER
from krutt.web.sellers.models import SegmentOverride, Seller, SellerAlias
from krutt.web.support.models import (
    SupportDecision,
    SupportLogEntry,
    SupportPlan,
    SupportPlanAction,
)
from krutt.web.timelog.models import RunningTimer, TimeEntry
from tests.web.factories import World, build_world, make_entry

ALIAS = "tora.topp@privat.example"


def _full_world() -> World:
    """Team A's Tora Topp with a row in every table that refers to a seller; she has left."""
    world = build_world()
    tora, kim = world.sellers_a[0], world.sellers_a[2]
    today = today_in(world.organisation)
    tora.ended_on = today - timedelta(days=40)
    tora.save()
    SellerAlias.objects.create(organisation=world.organisation, seller=tora, email=ALIAS)
    deal = Deal.objects.create(
        organisation=world.organisation,
        source="hubspot",
        key="D-1",
        seller=tora,
        owner="Tora Topp",
        name="Rammeavtale",
        account="Kunde AS",
        amount=Decimal("125000"),
        status="won",
        closed_on=today - timedelta(days=60),
        batch=world.batch_a,
    )
    ImportChange.objects.create(
        batch=world.batch_a,
        table="deal",
        key="D-1",
        row_id=deal.pk,
        before={"seller_id": tora.pk, "owner": "Tora Topp", "amount": "100000"},
    )
    SegmentOverride.objects.create(
        seller=tora,
        segment="core",
        reason="Tora Topp ba selv om mindre oppfølging",
        starts_on=today - timedelta(days=90),
        created_by=world.manager_a,
    )
    plan = SupportPlan.objects.create(
        seller=tora,
        goal="Tora skal nå 80 % av målet",
        started_on=today - timedelta(days=80),
        review_on=today - timedelta(days=50),
        created_by=world.manager_a,
    )
    SupportPlanAction.objects.create(
        plan=plan, kind="coaching", description="Ukentlig coaching med Tora", minutes=60
    )
    SupportLogEntry.objects.create(
        seller=tora,
        day=today - timedelta(days=70),
        kind="training",
        minutes=120,
        note="Kurs for Tora Topp",
        created_by=world.manager_a,
    )
    SupportDecision.objects.create(
        seller=tora,
        decision="continue",
        decided_on=today - timedelta(days=45),
        reason="Tora Topp responderte",
        created_by=world.manager_a,
    )
    shared = make_entry(world.manager_a, [tora, kim], today - timedelta(days=50), 60, at=time(11))
    shared.note = "Felles gjennomgang med Kim Kjerne og Tora Topp"
    shared.save()
    own = make_entry(world.manager_a, [tora], today - timedelta(days=51), 30, "one_on_one")
    own.note = "1:1 med Tora Topp"
    own.save()
    timer = RunningTimer.objects.create(
        manager=world.manager_b,
        started_at=datetime.now(tz=UTC) - timedelta(minutes=5),
        activity="coaching",
    )
    timer.sellers.set([tora, kim])
    record(
        action="segment.override",
        object_type="seller",
        object_id=tora.pk,
        organisation_id=world.organisation.pk,
        actor_id=world.manager_a.pk,
        actor_label=world.manager_a.email,
        changes={"segment": ["top", "core"]},
    )
    # A failed sign-in under her address: axes and the lockout audit keep the username.
    record(
        action="authn.login_lock",
        object_type="user",
        object_id="",
        organisation_id=None,
        actor_label=ALIAS,
        channel="web",
        changes={"ip_address": "127.0.0.1"},
    )
    return world


@pytest.fixture
def full_world(db: None) -> World:
    return _full_world()


def _export(krutt, tmp_path, who: str = "tora@test.example") -> tuple[dict, zipfile.ZipFile]:
    out = tmp_path / "tora.zip"
    result = krutt("privacy", "export", "--seller", who, "--out", out, "--lang", "en")
    assert result.code == 0, result.err
    archive = zipfile.ZipFile(io.BytesIO(out.read_bytes()))
    return json.loads(archive.read("seller.json")), archive


def _rows_about(seller: Seller) -> dict[str, list]:
    """Every row of every table with a foreign key to Seller that points at `seller`."""
    found: dict[str, list] = {}
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is Seller:
                rows = list(model.objects.filter(**{f.name: seller}))
                if rows:
                    found.setdefault(model._meta.label, []).extend(rows)
    return found


def _ids(document: dict, section: str, kind: str | None = None) -> set:
    return {r["id"] for r in document[section] if kind is None or r.get("record") == kind}


# How to find each table's rows in the export; a new table pointing at Seller has no entry
# here and fails the test until the export (and this list) carry it.
FOUND_IN = {
    "accounts.User": lambda row, doc: doc["seller"]["login"]["email"] == row.email,
    "sellers.SellerAlias": lambda row, doc: row.email in doc["seller"]["aliases"],
    "sellers.MonthlyResult": lambda row, doc: (
        row.month.strftime("%Y-%m") in {r["month"] for r in doc["performance"]}
    ),
    "imports.Deal": lambda row, doc: row.pk in _ids(doc, "deals"),
    "sellers.SegmentPeriod": lambda row, doc: row.pk in _ids(doc, "segments"),
    "sellers.SegmentOverride": lambda row, doc: row.pk in _ids(doc, "overrides"),
    "timelog.TimeEntrySeller": lambda row, doc: (
        row.entry_id in _ids(doc, "time_entries", "time_entry")
    ),
    "timelog.RunningTimer_sellers": lambda row, doc: (
        row.runningtimer_id in _ids(doc, "time_entries", "running_timer")
    ),
    "planning.PlannedSlot": lambda row, doc: row.pk in _ids(doc, "time_entries", "planned_session"),
    "support.SupportPlan": lambda row, doc: row.pk in _ids(doc, "support", "plan"),
    "support.SupportLogEntry": lambda row, doc: row.pk in _ids(doc, "support", "support_given"),
    "support.SupportDecision": lambda row, doc: row.pk in _ids(doc, "support", "decision"),
    "sellers.SellerNote": lambda row, doc: row.pk in _ids(doc, "notes"),
}


def test_the_export_holds_every_row_of_every_table_that_refers_to_the_seller(
    full_world, krutt, tmp_path
):
    tora = full_world.sellers_a[0]
    rows = _rows_about(tora)
    # The world really has data in every such table, and the export names them all.
    assert set(rows) == set(FOUND_IN) == set(TABLES_ABOUT_A_SELLER)

    document, archive = _export(krutt, tmp_path)

    assert list(document) == list(SECTIONS)
    missing = [
        (label, row.pk)
        for label, table_rows in rows.items()
        for row in table_rows
        if not FOUND_IN[label](row, document)
    ]
    assert missing == []
    assert sorted(archive.namelist()) == sorted(
        ["README.txt", "seller.json", *(f"{s}.csv" for s in SECTIONS)]
    )
    assert [a["description"] for a in document["support"] if a["record"] == "plan_action"] == [
        "Ukentlig coaching med Tora"
    ]
    assert "CANARY-NOTE-A-7f3a" in [n["text"] for n in document["notes"]]
    assert "Private notes" not in archive.read("README.txt").decode()
    assert "private notes about you" in archive.read("README.txt").decode()


def test_the_export_says_nothing_about_any_other_seller(full_world, krutt, tmp_path):
    others = full_world.sellers_a[1:] + full_world.sellers_b

    document, archive = _export(krutt, tmp_path)

    text = "\n".join(archive.read(name).decode() for name in archive.namelist())
    for other in others:
        assert other.name not in text
        assert other.email not in text
    shared = next(r for r in document["time_entries"] if r.get("other_sellers") == 1)
    assert (shared["note"], shared["note_withheld"]) == ("", True)


def test_the_export_is_audited_with_who_and_for_whom(full_world, krutt, tmp_path):
    _export(krutt, tmp_path)

    event = AuditEvent.objects.get(action="privacy.export")
    assert (event.object_type, event.object_id, event.channel) == (
        "seller",
        str(full_world.sellers_a[0].pk),
        "cli",
    )
    assert event.changes["notes"] == 1


def test_the_readme_is_in_the_sellers_language(full_world, krutt, tmp_path):
    out = tmp_path / "tora.zip"
    assert krutt("privacy", "export", "--seller", ALIAS, "--out", out).code == 0
    readme = zipfile.ZipFile(out).read("README.txt").decode()
    assert readme.startswith("Alt krutt har lagret om Tora Topp")


def test_the_export_refuses_to_overwrite_a_file(full_world, krutt, tmp_path):
    out = tmp_path / "tora.zip"
    out.write_bytes(b"keep")
    result = krutt("privacy", "export", "--seller", "tora@test.example", "--out", out)
    assert result.code == 2
    assert out.read_bytes() == b"keep"
    assert not AuditEvent.objects.filter(action="privacy.export").exists()


def _report(krutt, manager: str, week: str) -> dict:
    result = krutt("report", "--manager", manager, "--week", week, "--json", "--lang", "en")
    assert result.code == 0, result.err
    return result.json


def _text_cells() -> dict[str, list[str]]:
    """Every text value in every table (JSON as text, non-ASCII unescaped)."""
    cells: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, dict | list):
                        value = json.dumps(value, ensure_ascii=False)
                    elif isinstance(value, str) and value[:1] in "{[":
                        with contextlib.suppress(ValueError):
                            value = json.dumps(json.loads(value), ensure_ascii=False)
                    if isinstance(value, str):
                        cells.setdefault(table, []).append(value.casefold())
    return cells


def _found(values: list[str]) -> list[tuple[str, str]]:
    return [
        (table, v)
        for table, texts in _text_cells().items()
        for v in values
        for text in texts
        if v.casefold() in text
    ]


def test_erasure_leaves_no_trace_and_every_past_report_identical(full_world, krutt):
    tora = full_world.sellers_a[0]
    today = today_in(full_world.organisation)
    weeks = [(today - timedelta(days=d)).strftime("%G-W%V") for d in (0, 50, 51, 70)]
    managers = [full_world.manager_a.email, full_world.manager_b.email]
    before = {(m, w): _report(krutt, m, w) for m in managers for w in weeks}
    values = ["Tora Topp", "tora@test.example", ALIAS]
    assert _found(values)  # the search finds them before

    result = krutt(
        "privacy",
        "erase",
        "--seller",
        "tora@test.example",
        "--reason",
        "Sluttet, ba om sletting",
        "--json",
        "--lang",
        "en",
    )

    assert result.code == 0, result.err
    assert result.json["masked"] == "T*** T***"
    assert result.json["pseudonym"] == f"Tidligere selger {tora.pk}"
    assert _found(values) == []
    tora.refresh_from_db()
    assert tora.name == f"Tidligere selger {tora.pk}"
    for (manager, week), report in before.items():
        after = _report(krutt, manager, week)
        for row in report["sellers"]:
            if row["email"] == "tora@test.example":
                row["email"], row["name"] = tora.email, tora.name
        for alert in report["alerts"] + after["alerts"]:
            alert.pop("message")
            if alert["seller"] in ("tora@test.example", tora.email):
                alert["seller"] = "erased"
            if alert["numbers"].get("seller") in ("Tora Topp", tora.name):
                alert["numbers"]["seller"] = "erased"
        assert after == report, (manager, week)
    assert TimeEntry.objects.filter(links__seller=tora).count() == 3
    event = AuditEvent.objects.get(action="privacy.erase")
    assert event.changes["masked"] == "T*** T***"
    assert event.changes["reason"] == "Sluttet, ba om sletting"
    assert event.changes["on"] == today.isoformat()


def test_a_dry_run_lists_what_would_go_and_changes_nothing(full_world, krutt):
    before = _text_cells()

    result = krutt(
        "privacy",
        "erase",
        "--seller",
        "tora@test.example",
        "--reason",
        "x",
        "--dry-run",
        "--json",
    )

    assert result.code == 0, result.err
    removed = result.json["removed"]
    assert removed["aliases"] == 1
    assert removed["private_notes"] == 1
    assert removed["time_entry_notes"] == 2
    assert removed["deal_owner_names"] == 2
    assert removed["audit_events_masked"] == 1
    assert _text_cells() == before


def test_a_current_seller_is_erased_only_with_force(full_world, krutt):
    kim = full_world.sellers_a[2]
    before = _text_cells()

    refused = krutt(
        "privacy", "erase", "--seller", kim.email, "--reason", "Ba om det", "--lang", "en"
    )

    assert refused.code == 2
    assert "has not left" in refused.err
    assert _text_cells() == before
    forced = krutt(
        "privacy",
        "erase",
        "--seller",
        kim.email,
        "--reason",
        "Ba om det",
        "--force",
        "--lang",
        "en",
    )
    assert forced.code == 0, forced.err
    assert _found(["Kim Kjerne", "kim@test.example"]) == []


def test_the_audit_trail_still_refuses_an_ordinary_update(full_world):
    event = AuditEvent.objects.first()
    with pytest.raises(Exception, match="cannot be changed"), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_label = 'x' WHERE id = %s", [event.pk])
