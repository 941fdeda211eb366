"""A background import's page: a progress bar that moves (polling), then what it did.

`?job=ID` names one of the manager's own jobs (another's is a plain 404); with
`&format=json` the page answers the poll: status, lines done and in all, percent, and
the result sentence once it is done.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from krutt.web.accounts.models import Role, User
from krutt.web.jobs.models import ImportJob, JobStatus
from krutt.web.jobs.progress import read_progress
from krutt.web.jobs.running import enqueue_job, stored_message
from krutt.web.messages import render as say


def queue_import(user: User, token: str, meta: dict[str, Any]) -> ImportJob:
    """Keep the job and put it on the queue (the row first, so the worker finds it)."""
    assert user.organisation is not None
    job = ImportJob.objects.create(
        organisation=user.organisation,
        manager=user,
        kind=str(meta["kind"]),
        filename=str(meta.get("filename") or "")[:255],
        upload=token,
        meta=meta,
    )
    enqueue_job(job)
    return job


def _own_job(request: HttpRequest, user: User) -> ImportJob:
    raw = request.GET.get("job", "")
    try:
        wanted = uuid.UUID(raw)
    except ValueError:
        raise Http404 from None
    job = ImportJob.objects.filter(pk=wanted, manager=user).select_related("batch").first()
    if job is None:
        raise Http404
    return job


def _state(job: ImportJob, lang: str) -> dict[str, Any]:
    done, total = 0, 0
    if job.status == JobStatus.DONE:
        done = total = 1
    else:
        found = read_progress(job.upload)
        if found is not None:
            done, total = found
    percent = round(100 * done / total) if total else None
    return {
        "status": str(job.status),
        "done": done,
        "total": total,
        "percent": 100 if job.status == JobStatus.DONE else percent,
        "message": _message(job, lang),
        "finished": job.status in (JobStatus.DONE, JobStatus.FAILED),
    }


def _message(job: ImportJob, lang: str) -> str:
    result = job.result or {}
    if job.status == JobStatus.FAILED:
        error = stored_message(result.get("error"))
        return say(error, lang) if error else _("The import failed; nothing was written.")
    if job.status != JobStatus.DONE:
        return _("Waiting for a worker…") if job.status == JobStatus.QUEUED else _("Importing…")
    if job.batch is None:
        return _("Nothing changed: krutt already has what this file holds.")
    summary = stored_message(result.get("summary"))
    if summary is not None:
        return (
            _("Import %(id)s of %(file)s is done.") % {"id": job.batch.pk, "file": job.filename}
            + " "
            + say(summary, lang)
        )
    return _("Import %(id)s of %(file)s is done: %(created)s new, %(updated)s changed.") % {
        "id": job.batch.pk,
        "file": job.filename,
        "created": result.get("created", 0),
        "updated": result.get("updated", 0),
    }


def _manager(request: HttpRequest) -> User | None:
    user = request.user
    if isinstance(user, User) and user.role == Role.MANAGER and user.organisation is not None:
        return user
    return None


@login_required
def import_job(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    if user is None:
        return redirect("dashboard")
    if not request.GET.get("job"):
        return redirect("import_history")
    job = _own_job(request, user)
    state = _state(job, request.LANGUAGE_CODE)
    if request.GET.get("format") == "json":
        response: HttpResponse = JsonResponse(state)
    else:
        response = render(request, "jobs/import_job.html", {"job": job, "state": state})
    response["Cache-Control"] = "no-store"
    return response
