"""The Imports pages: upload, preview, commit, history and undo, for a manager of the sample team."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse

from krutt.web.accounts.directory import the_organisation
from krutt.web.accounts.models import User
from krutt.web.imports import views
from krutt.web.imports.models import Deal, ImportBatch
from krutt.web.imports.team_files import import_performance_file, import_roster_file
from krutt.web.imports.uploads import MAX_UPLOAD_BYTES, check_upload, content_kind
from krutt.web.planning.models import BusyBlock
from krutt.web.sellers.models import MonthlyResult
from krutt.web.timelog.models import TimeEntry
from tests.cli.snapshots import snapshot
from tests.conftest import DATA

EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
HUBSPOT = DATA / "crm" / "hubspot-deals.csv"
GOOGLE = DATA / "calendars" / "google-export.ics"


@pytest.fixture
def manager(db: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> User:
    """Ingrid Berg, manager of the sample team with its roster and targets; uploads kept in tmp."""
    monkeypatch.setenv("KRUTT_DATA_DIR", str(tmp_path))
    organisation = the_organisation(create=True)
    import_roster_file((DATA / "sellers.csv").read_bytes(), organisation)
    import_performance_file((DATA / "targets.csv").read_bytes(), organisation)
    user = User.objects.get(email=EXPECTED["manager"])
    user.language = "en"
    user.save()
    return user


@pytest.fixture
def browser(manager: User) -> Client:
    client = Client()
    client.force_login(manager)
    return client


def _upload(client: Client, path: Path, kind: str, **fields: str):
    sent = SimpleUploadedFile(path.name, path.read_bytes())
    return client.post(reverse("imports"), {"kind": kind, "file": sent, "preset": "auto", **fields})


def _token(response) -> str:
    match = re.search(r"upload=([A-Za-z0-9_-]{32})", response["Location"])
    assert match is not None
    return match.group(1)


def test_a_deal_export_is_previewed_without_saving_then_committed_whole(browser, tmp_path):
    before = snapshot()

    sent = _upload(browser, HUBSPOT, "deals")
    page = browser.get(sent["Location"])

    assert sent.status_code == 302
    body = page.content.decode()
    assert page.status_code == 200
    assert "Recognised as a HubSpot export." in body
    assert "342 rows read: 342 new deals, 0 changed, 0 unchanged." in body
    assert (
        "Monthly actuals 2026-01–2026-11 of the 8 sellers in the file are recomputed from the "
        "deals; 88 of them change."
    ) in body
    # The first 20 deals are Kari's: her name as owner and as the seller it resolved to.
    assert body.count("<td>Kari Nordmann</td>") == 40
    assert snapshot() == before
    kept = sorted(p.name for p in (tmp_path / "uploads").iterdir())
    assert [name.split(".")[-1] for name in kept] == ["preview", "upload"]
    assert all(name.startswith(f"{_token(sent)}.") for name in kept)

    done = browser.post(reverse("import_commit"), {"upload": _token(sent)})

    assert done["Location"] == reverse("import_history")
    assert Deal.objects.count() == 342
    assert MonthlyResult.objects.get(
        seller__email="kari.nordmann@nordlys.example", month="2026-01-01"
    ).actual == Decimal("634300.00")
    batch = ImportBatch.objects.get(kind="deals")
    assert (batch.channel, batch.created_by, batch.filename) == (
        "web",
        User.objects.get(email=EXPECTED["manager"]),
        "hubspot-deals.csv",
    )
    assert list((tmp_path / "uploads").iterdir()) == []
    history = browser.get(reverse("import_history")).content.decode()
    assert "hubspot-deals.csv" in history
    assert reverse("import_undo", kwargs={"batch_id": batch.pk}) in history


def test_undo_from_the_history_puts_everything_back(browser):
    before = snapshot()
    sent = _upload(browser, HUBSPOT, "deals")
    browser.post(reverse("import_commit"), {"upload": _token(sent)})
    batch = ImportBatch.objects.get(kind="deals")

    response = browser.post(reverse("import_undo", kwargs={"batch_id": batch.pk}), follow=True)

    assert response.status_code == 200
    assert (
        f"Import {batch.pk} is undone: 342 rows removed, 0 put back." in response.content.decode()
    )
    assert snapshot() == before
    batch.refresh_from_db()
    assert batch.undone_by is not None and batch.undone_by.email == EXPECTED["manager"]


def test_the_columns_and_the_crm_can_be_changed_on_the_preview(browser):
    token = _token(_upload(browser, HUBSPOT, "deals"))

    browser.post(
        reverse("import_preview"),
        {"upload": token, "preset": "auto", "map_owner": "Deal Name", "map_amount": "Amount"},
    )
    page = browser.get(reverse("import_preview"), {"upload": token}).content.decode()

    assert "Owners krutt does not know" in page
    assert "<td>Lisens 1</td>" in page
    assert browser.session[views.SESSION_KEY][token]["mapping"] == {"owner": "Deal Name"}
    assert Deal.objects.count() == 0


def test_a_file_with_problems_lists_them_by_line_and_cannot_be_committed(browser, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HUBSPOT.read_text(encoding="utf-8").replace(",Kari Nordmann,1700,", ",Kari Nordmann,abc,"),
        encoding="utf-8",
    )
    token = _token(_upload(browser, bad, "deals"))

    page = browser.get(reverse("import_preview"), {"upload": token}).content.decode()
    commit = browser.post(reverse("import_commit"), {"upload": token})

    assert "1 problem: nothing can be imported" in page
    assert '<td class="num">2</td>' in page
    assert reverse("import_commit") not in page
    assert commit.status_code == 302
    assert Deal.objects.count() == 0
    assert ImportBatch.objects.filter(kind="deals").count() == 0


def test_a_calendar_is_previewed_for_its_period_and_committed(browser):
    sent = _upload(browser, GOOGLE, "calendar", first="2026-11-02", last="2026-11-08")
    page = browser.get(sent["Location"]).content.decode()

    summary = "Time entries: 10 new, 0 changed, 0 removed; busy time: 10 new, 0 changed, 0 removed."
    assert summary in page
    assert "Not time with sellers: 1 all-day, 1 cancelled." in page
    assert (
        "Calendar «ingrid.berg@nordlys.example» (X-WR-CALNAME): new here, added beside your "
        "other calendars." in page
    )
    assert TimeEntry.objects.count() == 0

    done = browser.post(reverse("import_commit"), {"upload": _token(sent)}, follow=True)

    # The confirmation and the history say what the preview said, busy time included.
    assert summary in done.content.decode()
    assert summary in browser.get(reverse("import_history")).content.decode()
    assert TimeEntry.objects.filter(source="calendar").count() == 10
    assert BusyBlock.objects.count() == 10
    batch = ImportBatch.objects.get(kind="calendar")
    assert (str(batch.covers_from), str(batch.covers_until)) == ("2026-11-02", "2026-11-08")


@pytest.mark.parametrize(
    ("kind", "content", "message"),
    [
        ("deals", b"%PDF-1.7 binary", "This is not a CSV or Excel file"),
        ("calendar", HUBSPOT.read_bytes(), "This is not a calendar file"),
        ("deals", b"", "The file is empty."),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_with_a_clear_message(
    browser, tmp_path, kind, content, message
):
    path = tmp_path / "upload.bin"
    path.write_bytes(content)

    response = _upload(browser, path, kind)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not (tmp_path / "uploads").exists() or list((tmp_path / "uploads").iterdir()) == []


def test_the_upload_reports_json_for_the_progress_script(browser, tmp_path):
    sent = SimpleUploadedFile("deals.csv", HUBSPOT.read_bytes())
    good = browser.post(
        reverse("imports"),
        {"kind": "deals", "file": sent, "preset": "auto"},
        headers={"X-Krutt-Upload": "1"},
    )
    wrong = browser.post(
        reverse("imports"),
        {"kind": "calendar", "file": SimpleUploadedFile("x.ics", b"not a calendar")},
        headers={"X-Krutt-Upload": "1"},
    )

    assert good.json()["next"].startswith(reverse("import_preview") + "?upload=")
    assert wrong.status_code == 400
    assert wrong.json() == {
        "errors": ["This is not a calendar file; export the calendar as iCalendar (.ics)."]
    }


def test_an_upload_over_the_limit_is_refused_before_it_is_read(manager):
    request = RequestFactory().post(
        reverse("imports"), data=b"x", content_type="application/octet-stream"
    )
    request.META["CONTENT_LENGTH"] = str(MAX_UPLOAD_BYTES + 10 * 1024 * 1024)
    request.user = manager
    request.session = SessionStore()
    request._messages = FallbackStorage(request)

    response = views.upload(request)

    assert response.status_code == 400
    assert "The file is larger than 50 MB" in response.content.decode()


def test_the_users_file_name_is_shown_but_never_used_as_a_path(browser, tmp_path):
    sent = SimpleUploadedFile("../../evil/../deals.csv", HUBSPOT.read_bytes())
    response = browser.post(reverse("imports"), {"kind": "deals", "file": sent, "preset": "auto"})
    browser.post(reverse("import_commit"), {"upload": _token(response)})

    assert ImportBatch.objects.get(kind="deals").filename == "deals.csv"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["uploads"]


def test_an_upload_of_another_session_cannot_be_previewed_or_committed(browser, manager):
    token = _token(_upload(browser, HUBSPOT, "deals"))
    other = Client()
    other.force_login(manager)

    page = other.get(reverse("import_preview"), {"upload": token})
    commit = other.post(reverse("import_commit"), {"upload": token})

    assert page["Location"] == commit["Location"] == reverse("imports")
    assert Deal.objects.count() == 0


def test_content_is_recognised_by_its_bytes_not_its_name():
    assert content_kind(b"PK\x03\x04rest") == "spreadsheet"
    assert content_kind(b"\xef\xbb\xbfBEGIN:VCALENDAR\r\n") == "calendar"
    assert content_kind("Salg;Eier\nLisens;Kari".encode("cp1252")) == "text"
    assert content_kind(b"\x89PNG\r\n") == "binary"
    assert content_kind(b"a\x00b") == "binary"
    check_upload("deals", b"Deal,Owner\n", 11)
    with pytest.raises(Exception, match="larger than 50 MB"):
        check_upload("deals", b"Deal,Owner\n", MAX_UPLOAD_BYTES + 1)


def test_the_organisations_won_stage_names_count_in_the_web_import(browser, manager, tmp_path):
    signed = tmp_path / "signed.csv"
    signed.write_text(
        HUBSPOT.read_text(encoding="utf-8").replace(
            "21874300037,Lisens 1,Closed won,", "21874300037,Lisens 1,Signert,"
        ),
        encoding="utf-8",
    )
    organisation = manager.organisation
    organisation.won_stage_names = ["signert"]
    organisation.save()

    token = _token(_upload(browser, signed, "deals"))
    browser.post(reverse("import_commit"), {"upload": token})

    assert Deal.objects.get(key="id:21874300037").status == "won"
    assert MonthlyResult.objects.get(
        seller__email="kari.nordmann@nordlys.example", month="2026-01-01"
    ).actual == Decimal("634300.00")


def test_an_unreadable_event_is_shown_with_its_line_and_the_rest_imported(browser, tmp_path):
    path = tmp_path / "one-bad.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        "BEGIN:VEVENT\r\nUID:good@test\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART:20261103T090000Z\r\nDTEND:20261103T100000Z\r\nSUMMARY:Pipeline\r\n"
        "END:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:bad@test\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART:20261104T090000Z\r\nDTEND:not-a-time\r\nSUMMARY:Broken\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    sent = _upload(browser, path, "calendar", first="2026-11-02", last="2026-11-08")
    page = browser.get(sent["Location"]).content.decode()
    assert "Not read" in page
    assert "Line 11" in page and "Broken" in page  # the line its BEGIN:VEVENT is on
    browser.post(reverse("import_commit"), {"upload": _token(sent)})
    assert BusyBlock.objects.count() == 1


def test_an_xlsx_bomb_is_refused_on_the_preview_and_a_reload_does_not_read_it_again(
    browser, tmp_path
):
    from tests.importers.spreadsheets import make_xlsx_bomb

    # given a 1.1 GB bomb uploaded as deals
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(make_xlsx_bomb(1100))
    sent = _upload(browser, bomb, "deals")
    token = _token(sent)
    # when the preview is shown
    first = browser.get(sent["Location"]).content.decode()
    # then it says why in one sentence, and nothing is saved
    refusal = (
        "The spreadsheet unpacks to more than 1024 MB; export a shorter period or save it as CSV."
    )
    assert refusal in first
    assert Deal.objects.count() == 0
    # and a reload shows the preview worked out once, not a new read of the upload: even
    # with the kept file swapped for a clean export, the page is the same
    (tmp_path / "uploads" / f"{token}.upload").write_bytes(HUBSPOT.read_bytes())
    again = browser.get(sent["Location"]).content.decode()
    assert refusal in again
    assert "342 rows read" not in again
