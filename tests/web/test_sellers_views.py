"""Overriding a segment and keeping private notes: audited, scoped, and the rule comes back."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from krutt.web.audit.models import AuditEvent
from krutt.web.clock import today_in
from krutt.web.sellers.models import SegmentOverride, SegmentPeriod, SellerNote


def _current(seller):
    return SegmentPeriod.objects.filter(
        seller=seller, valid_from__lte=today_in(seller.organisation)
    ).latest("valid_from")


def test_an_override_changes_the_segment_now_and_is_audited(world, client):
    client.force_login(world.manager_a)
    ulla = world.sellers_a[3]
    assert _current(ulla).segment == "under"
    response = client.post(
        reverse("seller_override", kwargs={"seller_id": ulla.pk}),
        {"segment": "core", "reason": "Tilbake etter foreldrepermisjon", "expires_on": ""},
    )
    assert response.status_code == 302
    period = _current(ulla)
    assert (period.segment, period.source) == ("core", "override")
    event = AuditEvent.objects.get(action="segment.override")
    assert event.changes["segment"] == ["under", "core"]
    assert event.actor_id == world.manager_a.pk
    page = client.get(reverse("seller_detail", kwargs={"seller_id": ulla.pk})).content.decode()
    assert "Satt av salgssjefen: Tilbake etter foreldrepermisjon" in page


def test_withdrawing_the_override_hands_the_seller_back_to_the_rule(world, client):
    client.force_login(world.manager_a)
    ulla = world.sellers_a[3]
    client.post(
        reverse("seller_override", kwargs={"seller_id": ulla.pk}),
        {"segment": "core", "reason": "Test"},
    )
    client.post(reverse("seller_override_withdraw", kwargs={"seller_id": ulla.pk}))
    assert _current(ulla).segment == "under"
    assert AuditEvent.objects.filter(action="segment.override_withdrawn").count() == 1


def test_an_override_without_a_reason_is_refused(world, client):
    client.force_login(world.manager_a)
    ulla = world.sellers_a[3]
    client.post(
        reverse("seller_override", kwargs={"seller_id": ulla.pk}),
        {"segment": "top", "reason": "   "},
    )
    assert not SegmentOverride.objects.filter(seller=ulla).exists()
    assert _current(ulla).segment == "under"


def test_an_expiry_in_the_past_is_refused(world, client):
    client.force_login(world.manager_a)
    ulla = world.sellers_a[3]
    yesterday = (today_in(world.organisation) - timedelta(days=1)).isoformat()
    client.post(
        reverse("seller_override", kwargs={"seller_id": ulla.pk}),
        {"segment": "top", "reason": "x", "expires_on": yesterday},
    )
    assert not SegmentOverride.objects.filter(seller=ulla).exists()


def test_notes_are_private_to_their_author(world, client):
    client.force_login(world.manager_a)
    tora = world.sellers_a[0]
    client.post(
        reverse("seller_note_add", kwargs={"seller_id": tora.pk}), {"text": "Vil ha større kunder"}
    )
    assert SellerNote.objects.filter(seller=tora, author=world.manager_a).count() == 2
    client.force_login(world.director_a)
    page = client.get(reverse("seller_detail", kwargs={"seller_id": tora.pk})).content.decode()
    assert "Vil ha større kunder" not in page
    assert AuditEvent.objects.get(action="note.create").changes == {"seller": tora.pk}


def test_a_note_is_deleted_by_its_author(world, client):
    client.force_login(world.manager_a)
    client.post(reverse("seller_note_delete", kwargs={"note_id": world.note_a.pk}))
    assert not SellerNote.objects.filter(pk=world.note_a.pk).exists()
