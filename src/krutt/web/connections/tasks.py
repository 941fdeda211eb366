"""Background jobs (django-tasks, database backend): run by `krutt worker`."""

from __future__ import annotations

from django_tasks import task


@task()
def sync_connection(connection_id: int) -> str:
    """Sync one calendar now (the web's "sync now"); returns the sync's status."""
    from krutt.web.connections.sync import sync_now

    return str(sync_now(connection_id).outcome.status)


@task()
def sync_crm(connection_id: int, full: bool = False) -> str:
    """Sync the CRM now (the CRM page's "sync now"); returns the sync's status."""
    from krutt.web.crm.sync import sync_now

    return str(sync_now(connection_id, full=full).outcome.status)
