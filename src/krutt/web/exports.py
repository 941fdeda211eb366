"""Exporting an organisation's tables as CSV (formula-safe), and backing up the SQLite database."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import connection

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import gettext_noop
from krutt.exporters.csv_safe import Cell, write_csv
from krutt.web.accounts.models import Organisation
from krutt.web.audit.trail import record
from krutt.web.sellers.models import MonthlyResult, SegmentPeriod, Seller
from krutt.web.timelog.models import TimeEntrySeller

TABLES = ("sellers", "performance", "segments", "time")


def _rows(organisation: Organisation, table: str) -> tuple[Sequence[str], Iterator[Sequence[Cell]]]:
    header: Sequence[str]
    rows: Iterable[Sequence[Cell]]
    if table == "sellers":
        header = ("email", "name", "team", "start_date", "end_date")
        rows = (
            Seller.objects.filter(organisation=organisation)
            .order_by("email")
            .values_list("email", "name", "team__name", "started_on", "ended_on")
        )
    elif table == "performance":
        header = ("email", "month", "target", "actual")
        rows = (
            (email, month.strftime("%Y-%m"), target, actual)
            for email, month, target, actual in MonthlyResult.objects.filter(
                seller__organisation=organisation
            )
            .order_by("seller__email", "month")
            .values_list("seller__email", "month", "target", "actual")
        )
    elif table == "segments":
        header = ("email", "valid_from", "valid_until", "segment", "source", "attainment")
        rows = (
            (email, valid_from, valid_until, segment, source, _fraction(attainment))
            for email, valid_from, valid_until, segment, source, attainment in SegmentPeriod.objects.filter(
                seller__organisation=organisation
            )
            .order_by("seller__email", "valid_from")
            .values_list(
                "seller__email", "valid_from", "valid_until", "segment", "source", "attainment"
            )
        )
    elif table == "time":
        header = (
            "entry",
            "manager",
            "seller",
            "day",
            "started_at",
            "minutes",
            "sellers_in_entry",
            "activity",
            "source",
        )
        rows = (
            TimeEntrySeller.objects.filter(entry__organisation=organisation)
            .order_by("entry__started_at", "entry_id", "seller__email")
            .values_list(
                "entry_id",
                "entry__manager__email",
                "seller__email",
                "entry__day",
                "entry__started_at",
                "entry__minutes",
                "entry__seller_count",
                "entry__activity",
                "entry__source",
            )
        )
    else:
        raise InvalidInput(
            gettext_noop("Unknown table {table}; choose one of {choices}."),
            table=table,
            choices=", ".join(TABLES),
        )
    return header, iter(rows)


def _fraction(text: str) -> str:
    if not text:
        return ""
    from fractions import Fraction

    return f"{float(Fraction(text)):.4f}"


def export_table(
    organisation: Organisation, table: str, stream: IO[str], *, actor_id: int | None, channel: str
) -> int:
    header, rows = _rows(organisation, table)
    count = write_csv(stream, header, rows)
    record(
        action="export",
        object_type="organisation",
        object_id=organisation.pk,
        organisation_id=organisation.pk,
        actor_id=actor_id,
        channel=channel,
        changes={"table": table, "rows": count},
    )
    return count


def backup_sqlite(target: Path) -> int:
    """A consistent copy of the live SQLite database in one step (the online backup API).

    Never a file copy: with WAL, a copy of the main file alone can miss committed pages.
    A step-by-step backup restarts whenever another connection writes, so it is one step.
    """
    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3"):
        raise InvalidInput(
            gettext_noop(
                "krutt backup copies a SQLite database; back up PostgreSQL with pg_dump -Fc."
            )
        )
    if target.exists():
        raise InvalidInput(
            gettext_noop("{file} exists already; choose a new file name."), file=str(target)
        )
    connection.ensure_connection()
    source = connection.connection
    assert isinstance(source, sqlite3.Connection)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination, pages=-1)
        ok = destination.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        destination.close()
    if ok != "ok":  # pragma: no cover - a corrupt source is reported, not hidden
        raise InvalidInput(
            gettext_noop("The backup did not pass SQLite's integrity check: {result}"), result=ok
        )
    return target.stat().st_size
