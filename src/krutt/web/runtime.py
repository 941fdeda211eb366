"""Starting Django outside a web server: for the CLI, the benchmarks and scripts."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any


def setup() -> None:
    """Configure Django once; safe to call again. A configuration mistake is a readable error."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krutt.web.settings")
    import django
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    if apps.ready:
        return
    try:
        django.setup()
    except ImproperlyConfigured as error:
        from krutt.domain.errors import InvalidInput
        from krutt.domain.messages import gettext_noop

        raise InvalidInput(
            gettext_noop("krutt is not configured: {problem}"), problem=str(error)
        ) from None


def atomic() -> AbstractContextManager[Any]:
    """One transaction: everything inside is committed together or not at all."""
    from django.db import transaction

    return transaction.atomic()


def on_commit(callback: Callable[[], None]) -> None:
    from django.db import transaction

    transaction.on_commit(callback)


def migrate() -> None:
    """Create or update the database schema (idempotent)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def has_pending_migrations() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def database_label() -> str:
    """Where the data lives, for messages: the SQLite path or the server URL without password."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return str(db["NAME"])
    return f"postgresql://{db.get('USER', '')}@{db.get('HOST', '')}:{db.get('PORT', '')}/{db.get('NAME', '')}"


def is_ready() -> bool:
    from django.apps import apps

    return apps.ready


def collect_static() -> None:
    """Copy static files where WhiteNoise serves them from (fast when nothing changed)."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def close_connections() -> None:
    """Close this process's database connections (before forking workers that open their own)."""
    from django.db import connections

    connections.close_all()
