"""Running an import job: mark it running, import with progress, keep what it did.

A failure writes nothing of the import (its transaction rolls back) and keeps the
reason as a message, shown in the reader's language on the job's page.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError
from django.utils import timezone

from krutt.domain.errors import KruttError
from krutt.domain.messages import Message, gettext_noop
from krutt.services.import_calendar import CalendarImport, summary_message
from krutt.services.imports import ImportSummary
from krutt.web.imports.running import run_import
from krutt.web.imports.uploads import discard_upload, upload_path
from krutt.web.jobs.models import ImportJob, JobStatus
from krutt.web.jobs.progress import clear_progress, write_progress

CONCURRENT = gettext_noop(
    "Another import wrote the same rows at the same time; nothing of this one was written. "
    "Run it again."
)
GONE = gettext_noop("The uploaded file is no longer here; please upload it again.")
PROBLEMS = gettext_noop("The file has problems; nothing was imported.")


def enqueue_job(job: ImportJob) -> None:
    from krutt.web.jobs.tasks import run_import_job

    run_import_job.enqueue(str(job.pk))


def run_job(job_id: str) -> str:
    try:
        return _run(job_id)
    finally:
        token = ImportJob.objects.filter(pk=job_id).values_list("upload", flat=True).first()
        if token:
            clear_progress(token)
            discard_upload(token)


def _run(job_id: str) -> str:
    job = ImportJob.objects.select_related("manager__organisation").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return str(job.status)  # a job runs once
    job.status = JobStatus.RUNNING
    job.save(update_fields=["status"])
    path = upload_path(job.upload)
    if path is None:
        return _finish(job, JobStatus.FAILED, {"error": _stored(Message(GONE))})
    data = path.read_bytes()
    total = data.count(b"\n") + 1
    write_progress(job.upload, done=0, total=total)

    def progress(line: int) -> None:
        write_progress(job.upload, done=min(line, total), total=total)

    try:
        outcome, batch = run_import(job.manager, job.meta, data, commit=True, progress=progress)
    except KruttError as error:
        return _finish(job, JobStatus.FAILED, {"error": _stored(error.message)})
    except IntegrityError:
        return _finish(job, JobStatus.FAILED, {"error": _stored(Message(CONCURRENT))})
    # A roster or a month's numbers answer with their summary itself (no batch to undo).
    summary = outcome if isinstance(outcome, ImportSummary) else outcome.summary
    if summary.problems:
        return _finish(job, JobStatus.FAILED, {"error": _stored(Message(PROBLEMS))})
    write_progress(job.upload, done=total, total=total)
    result: dict[str, Any] = {
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "removed": summary.removed,
    }
    if isinstance(outcome, CalendarImport):
        result["summary"] = _stored(summary_message(outcome.counts()))
    job.batch = batch
    return _finish(job, JobStatus.DONE, result)


def _finish(job: ImportJob, status: str, result: dict[str, Any]) -> str:
    job.status, job.result, job.finished_at = status, result, timezone.now()
    job.save(update_fields=["status", "result", "batch", "finished_at"])
    return status


def _stored(message: Message) -> dict[str, Any]:
    return {"text": message.text, "params": {k: str(v) for k, v in message.params.items()}}


def stored_message(stored: Any) -> Message | None:
    if not isinstance(stored, dict) or not stored.get("text"):
        return None
    return Message(str(stored["text"]), dict(stored.get("params") or {}))
