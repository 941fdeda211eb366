"""The time log in the browser's shoes: log, correct, delete, time it; every change audited."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from krutt.web.audit.models import AuditEvent
from krutt.web.timelog.models import RunningTimer, TimeEntry


def _form(world, **overrides):
    data = {
        "sellers": [world.sellers_a[0].pk, world.sellers_a[2].pk],
        "activity": "joint_meeting",
        "minutes": "90",
        "when": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "note": "Kundebesøk Fjordfisk",
        "energy": "2",
    }
    data.update(overrides)
    return data


def test_quick_entry_logs_time_and_the_dashboard_counts_it(world, client):
    client.force_login(world.manager_a)
    before = TimeEntry.objects.filter(manager=world.manager_a).count()
    response = client.post(reverse("time_log"), _form(world))
    assert response.status_code == 302
    entry = TimeEntry.objects.filter(manager=world.manager_a).latest("pk")
    assert (entry.minutes, entry.activity, entry.seller_count, entry.energy) == (
        90,
        "joint_meeting",
        2,
        2,
    )
    assert TimeEntry.objects.filter(manager=world.manager_a).count() == before + 1
    event = AuditEvent.objects.get(action="time_entry.create", object_id=str(entry.pk))
    assert event.actor_id == world.manager_a.pk
    assert "Kundebesøk" not in str(event.changes)  # the note itself is never in the trail
    dashboard = client.get(reverse("dashboard")).content.decode()
    # The 90 minutes start now: planned until they have happened, shown apart.
    assert "2,8\u00a0t" in dashboard  # 45 min + 2 h that have happened this week
    assert "Planlagt resten av uken: 1,5\u00a0t" in dashboard


def test_an_entry_without_sellers_is_refused_and_nothing_is_written(world, client):
    client.force_login(world.manager_a)
    before = TimeEntry.objects.count()
    response = client.post(reverse("time_log"), _form(world, sellers=[]))
    assert response.status_code == 200
    assert "Velg minst én selger." in response.content.decode()
    assert TimeEntry.objects.count() == before


def test_time_in_the_future_is_refused_with_the_rules_sentence(world, client):
    client.force_login(world.manager_a)
    later = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    before = TimeEntry.objects.count()
    response = client.post(reverse("time_log"), _form(world, when=later))
    assert (
        "Tid kan registreres når den er brukt, ikke mer enn ett døgn frem i tid."
        in response.content.decode()
    )
    assert TimeEntry.objects.count() == before


def test_another_teams_seller_cannot_be_posted_into_an_entry(world, client):
    client.force_login(world.manager_a)
    before = TimeEntry.objects.count()
    response = client.post(reverse("time_log"), _form(world, sellers=[world.sellers_b[0].pk]))
    assert response.status_code == 200
    assert TimeEntry.objects.count() == before


def test_an_entry_is_corrected_and_the_change_audited(world, client):
    client.force_login(world.manager_a)
    url = reverse("entry_edit", kwargs={"entry_id": world.entry_a.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url, _form(world, minutes="30", activity="one_on_one", sellers=[world.sellers_a[0].pk])
    )
    assert response.status_code == 302
    world.entry_a.refresh_from_db()
    assert (world.entry_a.minutes, world.entry_a.activity) == (30, "one_on_one")
    event = AuditEvent.objects.get(action="time_entry.update")
    assert event.changes["before"]["minutes"] == 45
    assert event.changes["minutes"] == 30


def test_an_entry_is_deleted_and_the_deletion_audited(world, client):
    client.force_login(world.manager_a)
    pk = world.entry_a.pk
    client.post(reverse("entry_delete", kwargs={"entry_id": pk}))
    assert not TimeEntry.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.get(action="time_entry.delete").object_id == str(pk)


def test_the_timer_logs_the_elapsed_minutes_on_stop(world, client):
    client.force_login(world.manager_a)
    client.post(
        reverse("timer_start"), {"sellers": [world.sellers_a[1].pk], "activity": "training"}
    )
    timer = RunningTimer.objects.get(manager=world.manager_a)
    timer.started_at = timezone.now() - timedelta(minutes=37, seconds=10)
    timer.save()
    assert "Opplæring siden" in client.get(reverse("time_log")).content.decode()
    client.post(reverse("timer_stop"))
    entry = TimeEntry.objects.filter(manager=world.manager_a).latest("pk")
    assert (entry.minutes, entry.source, entry.activity) == (38, "timer", "training")
    assert not RunningTimer.objects.exists()


def test_a_discarded_timer_logs_nothing(world, client):
    client.force_login(world.manager_a)
    client.post(
        reverse("timer_start"), {"sellers": [world.sellers_a[1].pk], "activity": "training"}
    )
    before = TimeEntry.objects.count()
    client.post(reverse("timer_stop"), {"discard": "1"})
    assert TimeEntry.objects.count() == before
    assert not RunningTimer.objects.exists()


def test_the_week_grid_shows_each_sellers_split_minutes(world, client):
    client.force_login(world.manager_a)
    client.post(reverse("time_log"), _form(world, minutes="60"))
    body = client.get(reverse("time_log")).content.decode()
    # Tora: 45 min alone + half of the 60-minute joint meeting = 1.25 h.
    assert "1,3\u00a0t" in body


def test_quick_entry_never_redirects_off_the_site(world, client):
    client.force_login(world.manager_a)
    outside = client.post(reverse("time_log"), _form(world, next="https://evil.example/x"))
    assert outside.status_code == 302
    assert outside.headers["Location"] == reverse("time_log")
    inside = client.post(reverse("time_log"), _form(world, next=reverse("dashboard")))
    assert inside.headers["Location"] == reverse("dashboard")
