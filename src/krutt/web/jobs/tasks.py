"""The background import: the same run as an inline commit, with its progress kept."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_job(job_id: str) -> str:
    """Commit one kept upload for its manager; returns the job's final status."""
    from krutt.web.jobs.running import run_job

    return run_job(job_id)
