"""Over-long texts in the web (issue 14, item 7): a form error in the page, nothing saved."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from krutt.domain.limits import NOTE_MAX, TEXT_MAX
from krutt.web.sellers.models import SellerNote
from krutt.web.timelog.models import TimeEntry


def test_a_private_note_over_its_limit_says_so_and_is_not_saved(world, client):
    client.force_login(world.manager_a)
    tora = world.sellers_a[0]
    before = SellerNote.objects.filter(seller=tora).count()
    response = client.post(
        reverse("seller_note_add", kwargs={"seller_id": tora.pk}),
        {"text": "n" * (NOTE_MAX + 1)},
        follow=True,
    )
    assert "Notatet er lengre enn 5000 tegn og ble ikke lagret." in response.content.decode()
    assert SellerNote.objects.filter(seller=tora).count() == before


def test_a_note_at_its_limit_is_kept_whole(world, client):
    client.force_login(world.manager_a)
    tora = world.sellers_a[0]
    client.post(reverse("seller_note_add", kwargs={"seller_id": tora.pk}), {"text": "n" * NOTE_MAX})
    assert SellerNote.objects.filter(seller=tora, text="n" * NOTE_MAX).count() == 1


def test_a_time_note_over_its_limit_is_a_form_error_and_no_time_is_logged(world, client):
    client.force_login(world.manager_a)
    before = TimeEntry.objects.count()
    response = client.post(
        reverse("time_log"),
        {
            "sellers": [world.sellers_a[0].pk],
            "activity": "coaching",
            "minutes": "30",
            "when": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "note": "n" * (TEXT_MAX + 1),
        },
    )
    assert response.status_code == 200
    assert "Notatet kan være høyst 2000 tegn." in response.content.decode()
    assert TimeEntry.objects.count() == before
