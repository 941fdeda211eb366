"""A big web import runs as a job: queued, followed by a progress bar, then its result.

The same import as an inline commit, run by the worker; the page and its poll belong to
the manager who started it (anyone else gets a plain 404).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from krutt.web.accounts.directory import the_organisation
from krutt.web.accounts.models import Role, User
from krutt.web.imports.models import Deal, ImportBatch
from krutt.web.imports.team_files import import_performance_file, import_roster_file
from krutt.web.jobs.models import ImportJob
from krutt.web.jobs.progress import write_progress
from krutt.web.jobs.tasks import run_import_job
from tests.conftest import DATA
from tests.web.factories import make_user

EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
HUBSPOT = DATA / "crm" / "hubspot-deals.csv"


@pytest.fixture
def manager(db: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, settings) -> User:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KRUTT_DATA_DIR", str(tmp_path))
    settings.KRUTT_IMPORT_INLINE_BYTES = 10_000  # the HubSpot sample is larger: a job
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


def _queued(browser: Client, data: bytes = b"") -> ImportJob:
    sent = SimpleUploadedFile("hubspot-deals.csv", data or HUBSPOT.read_bytes())
    uploaded = browser.post(reverse("imports"), {"kind": "deals", "file": sent, "preset": "auto"})
    token = re.search(r"upload=([A-Za-z0-9_-]{32})", uploaded["Location"]).group(1)  # type: ignore[union-attr]
    committed = browser.post(reverse("import_commit"), {"upload": token})
    job = ImportJob.objects.get()
    assert committed["Location"] == f"{reverse('import_job')}?job={job.pk}"
    return job


def _poll(client: Client, job: ImportJob) -> dict:  # type: ignore[type-arg]
    answer = client.get(reverse("import_job"), {"job": str(job.pk), "format": "json"})
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store"
    return answer.json()


def test_a_big_deal_file_is_queued_and_nothing_is_written_until_the_worker_runs_it(
    browser: Client, manager: User
) -> None:
    job = _queued(browser)
    assert (job.manager, job.kind, job.status) == (manager, "deals", "queued")
    [task] = DBTaskResult.objects.all()
    assert (task.task_path, task.args_kwargs["args"]) == (
        "krutt.web.jobs.tasks.run_import_job",
        [str(job.pk)],
    )
    assert Deal.objects.count() == 0
    state = _poll(browser, job)
    assert (state["status"], state["percent"], state["finished"]) == ("queued", None, False)
    assert state["message"] == "Waiting for a worker…"
    page = browser.get(reverse("import_job"), {"job": str(job.pk)}).content.decode()
    assert "Importing hubspot-deals.csv" in page
    assert '<progress max="100" aria-labelledby' in page  # no value yet: indeterminate


def test_the_bar_follows_the_lines_the_worker_has_read(browser: Client) -> None:
    job = _queued(browser)
    write_progress(job.upload, done=86, total=344)  # what the worker writes as it reads
    ImportJob.objects.filter(pk=job.pk).update(status="running")
    state = _poll(browser, job)
    assert (state["status"], state["done"], state["total"], state["percent"]) == (
        "running", 86, 344, 25,
    )  # fmt: skip
    page = browser.get(reverse("import_job"), {"job": str(job.pk)}).content.decode()
    assert 'value="25"' in page
    assert "86 of 344 lines" in page


def test_the_worker_imports_it_and_the_page_shows_the_result(
    browser: Client, tmp_path: Path
) -> None:
    job = _queued(browser)
    assert run_import_job.call(str(job.pk)) == "done"
    assert Deal.objects.count() == 342  # exactly what the inline commit writes
    batch = ImportBatch.objects.get(kind="deals")
    state = _poll(browser, job)
    assert (state["status"], state["percent"], state["finished"]) == ("done", 100, True)
    assert state["message"] == (
        f"Import {batch.pk} of hubspot-deals.csv is done: 342 new, 0 changed."
    )
    page = browser.get(reverse("import_job"), {"job": str(job.pk)}).content.decode()
    assert f"Import {batch.pk} of hubspot-deals.csv is done" in page
    assert list((tmp_path / "uploads").iterdir()) == []  # the upload and its progress are gone
    # A job runs once: running it again changes nothing.
    assert run_import_job.call(str(job.pk)) == "done"
    assert ImportBatch.objects.filter(kind="deals").count() == 1


def test_a_file_with_problems_fails_and_writes_nothing(browser: Client) -> None:
    rows = HUBSPOT.read_bytes().splitlines(keepends=True)
    broken = b"".join([rows[0], *rows[1:200], b'"x","y","z"\n' * 3, *rows[200:]])
    job = _queued(browser, broken)
    assert run_import_job.call(str(job.pk)) == "failed"
    assert (Deal.objects.count(), ImportBatch.objects.filter(kind="deals").count()) == (0, 0)
    state = _poll(browser, job)
    assert (state["status"], state["finished"]) == ("failed", True)
    assert state["message"] == "The file has problems; nothing was imported."


def test_another_manager_gets_a_plain_404_and_a_director_the_overview(
    browser: Client, manager: User
) -> None:
    job = _queued(browser)
    other = make_user(manager.organisation, "olav@nordlys.example", Role.MANAGER, "Olav Leder")
    client = Client()
    client.force_login(other)
    for params in ({"job": str(job.pk)}, {"job": str(job.pk), "format": "json"}):
        assert client.get(reverse("import_job"), params).status_code == 404
    assert browser.get(reverse("import_job"), {"job": "not-a-uuid"}).status_code == 404
    director = make_user(manager.organisation, "dir@nordlys.example", Role.DIRECTOR, "Dina Dir")
    client.force_login(director)
    answer = client.get(reverse("import_job"), {"job": str(job.pk), "format": "json"})
    assert answer["Location"] == reverse("dashboard")
    anonymous = Client().get(reverse("import_job"), {"job": str(job.pk)})
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_a_small_file_is_still_imported_while_the_page_waits(browser: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.KRUTT_IMPORT_INLINE_BYTES = 50 * 1024 * 1024
    sent = SimpleUploadedFile("hubspot-deals.csv", HUBSPOT.read_bytes())
    uploaded = browser.post(reverse("imports"), {"kind": "deals", "file": sent, "preset": "auto"})
    token = re.search(r"upload=([A-Za-z0-9_-]{32})", uploaded["Location"]).group(1)  # type: ignore[union-attr]
    done = browser.post(reverse("import_commit"), {"upload": token})
    assert done["Location"] == reverse("import_history")
    assert (Deal.objects.count(), ImportJob.objects.count()) == (342, 0)
