"""The plan page: propose, save, adjust, download; and the support ledger on the seller page."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from icalendar import Calendar

from krutt.domain.periods import iso_week, iso_week_label
from krutt.web.audit.models import AuditEvent
from krutt.web.clock import today_in
from krutt.web.planning.models import PlannedSlot
from krutt.web.support.models import SupportPlan


def _next_week(world):
    return iso_week_label(today_in(world.organisation) + timedelta(days=7))


def test_the_plan_page_proposes_and_saves_a_plan(world, client):
    client.force_login(world.manager_a)
    week = _next_week(world)
    PlannedSlot.objects.filter(manager=world.manager_a).delete()
    page = client.get(reverse("plan"), {"week": week, "hours": "6"}).content.decode()
    assert "Lagre denne planen" in page
    assert "Tora Topp" in page
    client.post(reverse("plan_save"), {"week": week, "hours": "6"})
    slots = PlannedSlot.objects.filter(manager=world.manager_a, week=week, cancelled=False)
    assert slots.count() >= 3
    assert sum((s.ends_at - s.starts_at).total_seconds() for s in slots) <= 6 * 3600
    assert AuditEvent.objects.get(action="plan.save").changes["slots"] == slots.count()


def test_a_dropped_slot_is_cancelled_in_the_next_download(world, client):
    client.force_login(world.manager_a)
    week = _next_week(world)
    client.post(reverse("plan_save"), {"week": week, "hours": "6"})
    slot = PlannedSlot.objects.filter(manager=world.manager_a, week=week, cancelled=False).first()
    client.post(reverse("plan_slot_drop", kwargs={"slot_id": slot.pk}))
    response = client.get(reverse("plan_ics"), {"week": week})
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = {
        str(e["UID"]): str(e.get("STATUS"))
        for e in Calendar.from_ical(response.content).walk("VEVENT")
    }
    assert events[slot.uid] == "CANCELLED"
    assert (
        list(events.values()).count("CONFIRMED")
        == PlannedSlot.objects.filter(manager=world.manager_a, week=week, cancelled=False).count()
    )


def test_a_moved_slot_keeps_its_uid_and_cannot_land_on_another(world, client):
    client.force_login(world.manager_a)
    week = _next_week(world)
    client.post(reverse("plan_save"), {"week": week, "hours": "6"})
    first, second = PlannedSlot.objects.filter(
        manager=world.manager_a, week=week, cancelled=False
    ).order_by("starts_at")[:2]
    local = second.starts_at.astimezone(ZoneInfo("Europe/Oslo"))
    client.post(
        reverse("plan_slot_move", kwargs={"slot_id": first.pk}),
        {"day": local.date().isoformat(), "start": local.strftime("%H:%M")},
    )
    first.refresh_from_db()
    assert first.starts_at != second.starts_at  # refused: it would overlap
    client.post(
        reverse("plan_slot_move", kwargs={"slot_id": first.pk}),
        {"day": local.date().isoformat(), "start": "14:30"},
    )
    moved = PlannedSlot.objects.get(pk=first.pk)
    assert moved.starts_at.astimezone(ZoneInfo("Europe/Oslo")).strftime("%H:%M") == "14:30"
    assert moved.uid == first.uid


def test_the_support_ledger_on_the_seller_page(world, client):
    client.force_login(world.manager_a)
    ulla = world.sellers_a[3]
    page = client.get(reverse("seller_detail", kwargs={"seller_id": ulla.pk})).content.decode()
    assert "trenger en plan" in page
    today = today_in(world.organisation)
    client.post(
        reverse("support_plan", kwargs={"seller_id": ulla.pk}),
        {
            "goal": "Nå 70 %",
            "started_on": today.isoformat(),
            "review_on": (today + timedelta(days=90)).isoformat(),
            "action_0_kind": "training",
            "action_0_description": "Produktkurs",
            "action_0_hours": "4",
        },
    )
    plan = SupportPlan.objects.get(seller=ulla)
    assert [(a.kind, a.minutes) for a in plan.actions.all()] == [("training", 240)]
    page = client.get(reverse("seller_detail", kwargs={"seller_id": ulla.pk})).content.decode()
    assert "i støtte" in page
    assert "Produktkurs" in page


def test_the_downloaded_plan_carries_no_verdict_in_either_language_but_the_page_keeps_why(
    world, client
):
    from tests.plan_verdicts import verdicts_in

    user = world.manager_a
    client.force_login(user)
    week = _next_week(world)
    client.post(reverse("plan_save"), {"week": week, "hours": "8"})
    saved = PlannedSlot.objects.filter(manager=user, week=week, cancelled=False)
    assert saved.count() >= 3
    for language, meeting in (("nb", "Samtale"), ("en", "Meeting")):
        user.language = language
        user.save(update_fields=["language"])
        body = client.get(reverse("plan_ics"), {"week": week}).content
        assert verdicts_in(body) == set()
        summaries = {str(e["SUMMARY"]) for e in Calendar.from_ical(body).events}
        assert summaries == {f"{meeting}: {s.seller.name}" for s in saved}
    # The reasons stay in krutt: the plan page (now in English) shows each one.
    from django.utils.html import escape

    from krutt.web.messages import decode_message, render

    page = client.get(reverse("plan"), {"week": week}).content.decode()
    reasons = {render(decode_message(s.reason), "en") for s in saved}
    assert [r for r in reasons if escape(r) not in page] == []


def test_a_saved_plan_keeps_its_warnings_and_its_hours_by_segment(world, client):
    user = world.manager_a
    client.force_login(user)
    week = _next_week(world)
    # One hour for the team: too little for everyone, so the plan warns and names sellers.
    proposed = client.get(reverse("plan"), {"week": week, "hours": "1"}).context["plan"]
    assert proposed.warnings and proposed.segments
    client.post(reverse("plan_save"), {"week": week, "hours": "1"})
    response = client.get(reverse("plan"), {"week": week})
    shown = response.context["plan"]
    assert response.context["is_proposal"] is False
    assert shown.warnings == proposed.warnings
    assert shown.segments == proposed.segments
    assert shown.unplaced == proposed.unplaced
    assert shown.available_minutes == 60
    page = response.content.decode()
    assert "Timer per segment" in page
    from krutt.web.messages import render

    for warning in proposed.warnings:
        assert render(warning.message, "nb") in page


def test_the_hours_field_says_which_week_it_is_for(world, client):
    client.force_login(world.manager_a)
    week = _next_week(world)
    page = client.get(reverse("plan"), {"week": week}).content.decode()
    assert f"Timer selgertid i uke {week}" in page


def test_a_week_beyond_the_horizon_says_so_instead_of_showing_another_week(world, client):
    user = world.manager_a
    client.force_login(user)
    far = iso_week_label(today_in(world.organisation) + timedelta(days=120))
    response = client.get(reverse("plan"), {"week": far, "hours": "6"})
    page = response.content.decode()
    assert f"Plan for uke {far.split('-W')[1].lstrip('0')}" in page  # the week asked for
    assert f"Uke {far} er lenger fram enn krutt kan planlegge" in page
    assert response.context.get("plan") is None
    assert "Lagre denne planen" not in page
    client.post(reverse("plan_save"), {"week": far, "hours": "6"})
    assert not PlannedSlot.objects.filter(manager=user, week=far).exists()
    assert not AuditEvent.objects.filter(action="plan.save").exists()


def test_moving_a_session_onto_a_day_off_or_outside_working_hours_is_refused(world, client):
    client.force_login(world.manager_a)
    week = _next_week(world)
    client.post(reverse("plan_save"), {"week": week, "hours": "6"})
    slot = PlannedSlot.objects.filter(manager=world.manager_a, week=week, cancelled=False).first()
    before = (slot.starts_at, slot.ends_at)
    saturday = iso_week(week).first + timedelta(days=5)
    refused = client.post(
        reverse("plan_slot_move", kwargs={"slot_id": slot.pk}),
        {"day": saturday.isoformat(), "start": "10:00"},
        follow=True,
    ).content.decode()
    assert f"{saturday:%d.%m.%Y} er ikke en av arbeidsdagene dine." in refused
    late = client.post(
        reverse("plan_slot_move", kwargs={"slot_id": slot.pk}),
        {"day": iso_week(week).first.isoformat(), "start": "15:45"},
        follow=True,
    ).content.decode()
    assert "Samtalen må ligge innenfor arbeidstiden din, 08:00 til 16:00." in late
    early = client.post(
        reverse("plan_slot_move", kwargs={"slot_id": slot.pk}),
        {"day": iso_week(week).first.isoformat(), "start": "06:00"},
        follow=True,
    ).content.decode()
    assert "Samtalen må ligge innenfor arbeidstiden din, 08:00 til 16:00." in early
    slot.refresh_from_db()
    assert (slot.starts_at, slot.ends_at) == before
    assert not AuditEvent.objects.filter(action="plan.slot_move").exists()
