"""A calendar preview's unknown addresses: "this is …" stores an alias and re-reads; "not a seller" is remembered."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from krutt.web.audit.models import AuditEvent
from krutt.web.clock import today_in
from krutt.web.sellers.models import Seller, SellerAlias
from krutt.web.team.models import NotASeller
from tests.web import test_imports_views as sample
from tests.web.test_imports_views import _token

# The sample team's manager and their signed-in client, as the Imports page tests use them.
manager = sample.manager
browser = sample.browser


def _calendar(manager_email: str, day) -> bytes:
    stamp = day.strftime("%Y%m%d")
    events = "".join(
        "BEGIN:VEVENT\r\n"
        f"UID:u{i}@test\r\nDTSTAMP:{stamp}T080000Z\r\n"
        f"DTSTART:{stamp}T{8 + i:02d}0000Z\r\nDTEND:{stamp}T{8 + i:02d}4500Z\r\n"
        f"SUMMARY:Oppfølging {i}\r\n"
        f"ORGANIZER:mailto:{manager_email}\r\n"
        f"ATTENDEE;CN=Kari N:mailto:{who}\r\n"
        "END:VEVENT\r\n"
        for i, who in enumerate(
            ["Kari.Privat@Gmail.com", "kari.privat@gmail.com", "kunde@firma.no"]
        )
    )
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + events + "END:VCALENDAR\r\n"
    ).encode()


def _preview(browser, manager):
    day = today_in(manager.organisation) - timedelta(days=2)
    sent = browser.post(
        reverse("imports"),
        {
            "kind": "calendar",
            "file": SimpleUploadedFile("cal.ics", _calendar(manager.email, day)),
            "first": str(day - timedelta(days=1)),
            "last": str(day + timedelta(days=1)),
        },
    )
    return _token(sent)


def test_an_unknown_address_becomes_an_alias_and_the_preview_counts_its_meetings(browser, manager):
    token = _preview(browser, manager)
    url = f"{reverse('import_preview')}?upload={token}"
    page = browser.get(url).content.decode()
    assert "2 addresses matched no seller" in page
    assert "kari.privat@gmail.com" in page and "2 meetings" in page
    kari = Seller.objects.get(name="Kari Nordmann")
    done = browser.post(
        reverse("import_unmatched"),
        {"upload": token, "address": "kari.privat@gmail.com", "seller": kari.pk, "choice": "alias"},
    )
    assert done.url == url
    assert SellerAlias.objects.get(email="kari.privat@gmail.com").seller == kari
    assert AuditEvent.objects.filter(action="seller.alias", object_id=str(kari.pk)).count() == 1
    page = browser.get(url).content.decode()
    assert "1 address matched no seller" in page
    assert "kari.privat@gmail.com</strong>" not in page
    assert page.count("Kari Nordmann</td>") == 2


def test_not_a_seller_is_remembered_and_not_asked_again(browser, manager):
    token = _preview(browser, manager)
    browser.post(
        reverse("import_unmatched"),
        {"upload": token, "address": "kunde@firma.no", "choice": "not_seller"},
    )
    assert list(NotASeller.objects.filter(manager=manager).values_list("name", flat=True)) == [
        "kunde@firma.no"
    ]
    again = _preview(browser, manager)
    page = browser.get(f"{reverse('import_preview')}?upload={again}").content.decode()
    assert "kunde@firma.no</strong>" not in page
    assert "1 address matched no seller" in page
    assert not SellerAlias.objects.filter(email="kunde@firma.no").exists()


def test_an_alias_for_another_managers_seller_is_refused(browser, manager):
    from krutt.web.accounts.models import Organisation
    from krutt.web.sellers.models import Team

    token = _preview(browser, manager)
    organisation = Organisation.objects.get()
    other_team = Team.objects.create(organisation=organisation, name="Vest")
    stranger = Seller.objects.create(
        organisation=organisation,
        team=other_team,
        name="Fremmed",
        email="fremmed@nordlys.example",
        started_on=today_in(organisation) - timedelta(days=400),
    )
    browser.post(
        reverse("import_unmatched"),
        {"upload": token, "address": "kunde@firma.no", "seller": stranger.pk, "choice": "alias"},
    )
    assert not SellerAlias.objects.filter(email="kunde@firma.no").exists()
