"""Rows ↔ values for a deal import: the kept deals of one CRM and the monthly actuals.

Deals are written with plain parameterised statements, a few thousand at a time: an
export of a million rows must not become a million model instances. Every deal the
import changes leaves an `ImportChange` with what it was, for undo.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from krutt.domain.months import Month
from krutt.domain.sellers import SellerId
from krutt.importers.deals import DealStatus
from krutt.services.deal_actuals import SellerDirectoryEntry
from krutt.services.import_deals import ActualChange, DealRecord, StoredDeal
from krutt.web.imports.models import Deal, ImportBatch, ImportChange
from krutt.web.sellers.models import MonthlyResult, Seller, SellerAlias

Change = tuple[str, str, int | None, int | None, dict[str, Any] | None, dict[str, Any] | None]
# Parameters per statement that every database accepts.
IDS_PER_QUERY = 900
DEAL_FIELDS = (
    "seller_id",
    "owner",
    "name",
    "account",
    "amount",
    "currency",
    "status",
    "stage",
    "closed_on",
    "created_on",
    "line",
)


def seller_directory(sellers: QuerySet[Seller]) -> list[SellerDirectoryEntry]:
    """How each of these sellers can be recognised: e-mail, aliases, full name."""
    aliases: dict[int, list[str]] = defaultdict(list)
    for seller_id, email in (
        SellerAlias.objects.filter(seller__in=sellers)
        .order_by("email")
        .values_list("seller_id", "email")
    ):
        aliases[seller_id].append(email)
    return [
        SellerDirectoryEntry(
            seller_id=SellerId(pk), email=email, aliases=tuple(aliases[pk]), name=name
        )
        for pk, email, name in sellers.order_by("id").values_list("id", "email", "name")
    ]


class DealRepository:
    """The deals of one organisation and source, written on behalf of one import batch."""

    def __init__(self, *, batch: ImportBatch, source: str, sellers: QuerySet[Seller]) -> None:
        self.batch = batch
        self.organisation_id = batch.organisation_id
        self.source = source
        self.sellers = sellers
        self.touched: set[int] = set()
        self._table = Deal._meta.db_table
        self._first_of_source = not Deal.objects.filter(
            organisation_id=self.organisation_id, source=source
        ).exists()
        # psycopg adapts dates and decimals itself; SQLite is given the text it would store,
        # made once per distinct day (an export has a few hundred) rather than per cell.
        self._day: Callable[[date | None], Any] = _same
        self._money: Callable[[Decimal | None], Any] = _same
        if connection.vendor == "sqlite":
            self._day = functools.lru_cache(maxsize=4096)(_iso)
            self._money = _text

    def directory(self) -> list[SellerDirectoryEntry]:
        return seller_directory(self.sellers)

    def stored_deals(self, keys: Sequence[str]) -> Mapping[str, StoredDeal]:
        if self._first_of_source:
            return {}  # nothing of this CRM kept before the import began
        found: dict[str, StoredDeal] = {}
        columns = ", ".join(
            f"CAST({_q(name)} AS TEXT)" if name == "amount" else _q(name) for name in DEAL_FIELDS
        )
        with connection.cursor() as cursor:
            for start in range(0, len(keys), IDS_PER_QUERY):
                chunk = keys[start : start + IDS_PER_QUERY]
                cursor.execute(
                    f"SELECT id, batch_id, {_q('key')}, {columns} FROM {_q(self._table)}"  # noqa: S608
                    f" WHERE organisation_id = %s AND source = %s AND {_q('key')} IN"
                    f" ({', '.join(['%s'] * len(chunk))})",
                    [self.organisation_id, self.source, *chunk],
                )
                for pk, batch_id, key, seller_id, *values in cursor.fetchall():
                    found[key] = StoredDeal(
                        row_id=pk, batch_id=batch_id, record=_record(key, seller_id, values)
                    )
        return found

    def save_deals(
        self, *, created: Sequence[DealRecord], updated: Sequence[tuple[StoredDeal, DealRecord]]
    ) -> None:
        organisation, source, batch = self.organisation_id, self.source, self.batch.pk
        day, money = self._day, self._money
        created_rows = [
            (
                organisation,
                source,
                *r[:5],  # key, seller, owner, name, account
                money(r.amount),
                r.currency[:16],
                r.status,
                r.stage,
                day(r.closed_on),
                day(r.created_on),
                r.line,
                batch,
            )
            for r in created
        ]
        updated_rows = [(*self._values(new), self.batch.pk, old.row_id) for old, new in updated]
        changes: list[Change] = [
            ("deal", old.record.key, old.row_id, old.batch_id, _deal_image(old), None)
            for old, _ in updated
        ]
        self._write(created_rows, updated_rows, changes)
        self.touched.update(r.seller_id for r in created)
        self.touched.update(new.seller_id for _, new in updated)

    def _write(
        self,
        created: list[tuple[Any, ...]],
        updated: list[tuple[Any, ...]],
        changes: list[Change],
    ) -> None:
        insert_rows(
            self._table,
            ("organisation_id", "source", "key", *DEAL_FIELDS, "batch_id"),
            created,
        )
        if updated:
            assignments = ", ".join(f"{_q(name)} = %s" for name in (*DEAL_FIELDS, "batch_id"))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {_q(self._table)} SET {assignments} WHERE id = %s",  # noqa: S608
                    updated,
                )
        remember(self.batch, changes)

    def _values(self, r: DealRecord) -> tuple[Any, ...]:
        day, money = self._day, self._money
        return (
            r.seller_id,
            r.owner,
            r.name,
            r.account,
            money(r.amount),
            r.currency[:16],
            r.status,
            r.stage,
            day(r.closed_on),
            day(r.created_on),
            r.line,
        )

    def remove_deals(self, stored: Sequence[StoredDeal]) -> None:
        """Delete the deals a CRM deleted; each leaves its image, so undo puts it back."""
        ids = [old.row_id for old in stored]
        for start in range(0, len(ids), IDS_PER_QUERY):
            Deal.objects.filter(id__in=ids[start : start + IDS_PER_QUERY]).delete()
        remember(
            self.batch,
            [
                ("deal", old.record.key, old.row_id, old.batch_id, _deal_image(old), None)
                for old in stored
            ],
        )
        self.touched.update(old.record.seller_id for old in stored if old.record.seller_id)

    def source_keys(self) -> set[str]:
        return set(
            Deal.objects.filter(organisation_id=self.organisation_id, source=self.source)
            .values_list("key", flat=True)
            .iterator(chunk_size=10000)
        )

    def stored_actuals(
        self, seller_ids: Sequence[SellerId], months: Sequence[Month]
    ) -> Mapping[tuple[SellerId, Month], Decimal | None]:
        days = [m.first_day() for m in months]
        found: dict[tuple[SellerId, Month], Decimal | None] = {}
        for start in range(0, len(seller_ids), IDS_PER_QUERY):
            for seller_id, month, actual in MonthlyResult.objects.filter(
                seller_id__in=seller_ids[start : start + IDS_PER_QUERY], month__in=days
            ).values_list("seller_id", "month", "actual"):
                found[(SellerId(seller_id), Month.of(month))] = actual
        return found

    def won_totals(self, first: Month, last: Month) -> Mapping[tuple[SellerId, Month], Decimal]:
        """This source's won deals summed per seller and month, in one grouped query.

        Grouped by day in SQL (a few thousand rows at most), by month here: the two
        databases write months differently, days alike.
        """
        if connection.vendor == "sqlite":
            # SQLite holds a decimal as an integer or a float: whole units and cents are
            # summed apart, as integers, so the total is exact at any size krutt keeps.
            amounts = (
                "SUM(CAST(amount AS INTEGER)),"
                " SUM(CAST(ROUND((amount - CAST(amount AS INTEGER)) * 100) AS INTEGER))"
            )
        else:
            amounts = "SUM(amount), 0"
        totals: dict[tuple[SellerId, Month], Decimal] = defaultdict(Decimal)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT seller_id, closed_on, {amounts} FROM {_q(self._table)}"  # noqa: S608
                " WHERE organisation_id = %s AND source = %s AND status = %s"
                " AND closed_on >= %s AND closed_on < %s AND seller_id IS NOT NULL"
                " AND amount IS NOT NULL GROUP BY seller_id, closed_on",
                [
                    self.organisation_id,
                    self.source,
                    DealStatus.WON.value,
                    self._day(first.first_day()),
                    self._day(last.plus(1).first_day()),
                ],
            )
            for seller_id, closed_on, whole, cents in cursor.fetchall():
                day = _as_day(closed_on)
                if day is not None:  # never: the range above excludes no day
                    key = (SellerId(seller_id), Month.of(day))
                    totals[key] += Decimal(whole) + Decimal(cents) / 100
        return totals

    def won_totals_of(
        self, pairs: Sequence[tuple[SellerId, Month]]
    ) -> Mapping[tuple[SellerId, Month], Decimal]:
        """This source's won deals summed for each seller-month asked, through the seller index.

        A sync's delta touches a few seller-months; each is read by (seller, close day),
        so the cost follows the deals in those months, not the million kept.
        """
        totals: dict[tuple[SellerId, Month], Decimal] = defaultdict(Decimal)
        amounts = (
            "SUM(CAST(amount AS INTEGER)),"
            " SUM(CAST(ROUND((amount - CAST(amount AS INTEGER)) * 100) AS INTEGER))"
            if connection.vendor == "sqlite"
            else "SUM(amount), 0"
        )
        with connection.cursor() as cursor:
            for seller_id, month in pairs:
                cursor.execute(
                    f"SELECT {amounts} FROM {_q(self._table)}"  # noqa: S608
                    " WHERE seller_id = %s AND closed_on >= %s AND closed_on < %s"
                    " AND organisation_id = %s AND source = %s AND status = %s"
                    " AND amount IS NOT NULL",
                    [
                        seller_id,
                        self._day(month.first_day()),
                        self._day(month.plus(1).first_day()),
                        self.organisation_id,
                        self.source,
                        DealStatus.WON.value,
                    ],
                )
                whole, cents = cursor.fetchone()
                if whole is not None:
                    totals[(seller_id, month)] = Decimal(whole) + Decimal(cents or 0) / 100
        return totals

    def save_actuals(self, changes: Sequence[ActualChange]) -> None:
        existing = {
            (seller_id, month): pk
            for seller_id, month, pk in _results(
                sorted({c.seller_id for c in changes}), sorted({c.month for c in changes})
            )
        }
        creates: list[MonthlyResult] = []
        updates: list[MonthlyResult] = []
        for c in changes:
            row = MonthlyResult(seller_id=c.seller_id, month=c.month.first_day(), actual=c.after)
            pk = existing.get((c.seller_id, c.month.first_day()))
            if pk is None:
                creates.append(row)
            else:
                row.pk = pk
                updates.append(row)
        MonthlyResult.objects.bulk_create(creates, batch_size=2000)
        MonthlyResult.objects.bulk_update(updates, ["actual"], batch_size=2000)
        remember(
            self.batch,
            [
                (
                    "actual",
                    f"{c.seller_id}:{c.month}",
                    None,
                    None,
                    {"existed": c.existed, "actual": _text(c.before)},
                    {"actual": _text(c.after)},
                )
                for c in changes
            ],
        )
        self.touched.update(c.seller_id for c in changes)


def _results(seller_ids: Sequence[int], months: Sequence[Month]) -> Iterable[tuple[Any, ...]]:
    days = [m.first_day() for m in months]
    for start in range(0, len(seller_ids), IDS_PER_QUERY):
        yield from MonthlyResult.objects.filter(
            seller_id__in=seller_ids[start : start + IDS_PER_QUERY], month__in=days
        ).values_list("seller_id", "month", "id")


def _record(key: str, seller_id: int, values: Sequence[Any]) -> DealRecord:
    owner, name, account, amount, currency, status, stage, closed_on, created_on, line = values
    return DealRecord(
        key=key,
        seller_id=SellerId(seller_id),
        owner=owner,
        name=name,
        account=account,
        amount=None if amount is None else Decimal(amount).quantize(Decimal("0.01")),
        currency=currency,
        status=status,
        stage=stage,
        closed_on=_as_day(closed_on),
        created_on=_as_day(created_on),
        line=line,
    )


def _as_day(value: Any) -> date | None:
    """A date column read with plain SQL (SQLite may hand back its text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _deal_image(stored: StoredDeal) -> dict[str, Any]:
    """A kept deal as JSON, enough to write it back exactly."""
    r = stored.record
    return {
        "id": stored.row_id,
        "key": r.key,
        "seller_id": r.seller_id,
        "owner": r.owner,
        "name": r.name,
        "account": r.account,
        "amount": _text(r.amount),
        "currency": r.currency,
        "status": r.status,
        "stage": r.stage,
        "closed_on": _iso(r.closed_on),
        "created_on": _iso(r.created_on),
        "line": r.line,
        "batch_id": stored.batch_id,
    }


def _same(value: Any) -> Any:
    return value


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def remember(batch: ImportBatch, changes: Sequence[Change]) -> None:
    """Keep what each row was before the batch changed it, and the batch that had written it.

    Each change is (table, key, row id, previous batch, before, after); `before` None
    means the row did not exist.
    """
    insert_rows(
        ImportChange._meta.db_table,
        ("batch_id", "table", "key", "row_id", "previous_batch_id", "before", "after"),
        [
            (
                batch.pk,
                table,
                key[:255],
                row_id,
                previous,
                None if before is None else json.dumps(before, ensure_ascii=False),
                None if after is None else json.dumps(after, ensure_ascii=False),
            )
            for table, key, row_id, previous, before, after in changes
        ],
    )


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Plain parameterised INSERTs: far cheaper than model instances for thousands of rows."""
    if not rows:
        return
    names = ", ".join(_q(c) for c in columns)
    if connection.vendor == "sqlite":
        # Straight to the driver, inside the same transaction: Django's SQLite cursor
        # re-iterates the rows through itertools.tee, a third of the cost of a large import.
        marks = ", ".join(["?"] * len(columns))
        connection.ensure_connection()
        with connection.wrap_database_errors:
            connection.connection.executemany(
                f"INSERT INTO {_q(table)} ({names}) VALUES ({marks})",  # noqa: S608
                rows,
            )
        return
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {_q(table)} ({names}) VALUES ({marks})",  # noqa: S608
            rows,
        )


def _q(name: str) -> str:
    return connection.ops.quote_name(name)
