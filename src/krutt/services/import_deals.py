"""Import a CRM deal export: keep its deals, and recompute the monthly actuals it covers.

A deal is kept under its CRM (the preset) and its key: the deal id, or a digest of what
does not change over the deal's life (`deal_key`), so a re-import or a newer export
updates in place and never duplicates. Owners resolve to sellers of the directory by
e-mail, alias or full name; an owner no seller matches is listed, and their deals are
neither kept nor counted. For each seller with deals in the file (or who lost one of
them to another owner) and each month the file covers, the actual becomes the sum of
all won deals kept from the same CRM, this file's and earlier ones (0 when there are
none): an incremental export adds to what earlier ones brought, while the same deals
exported by a second CRM replace, never double, the first one's figures. Sellers the
file does not mention keep their numbers, so an export of one team leaves the others
alone. Targets are never touched. The whole file is read and checked in one pass: any
problem rejects the import, and the caller's transaction keeps nothing of it.

A CRM sync goes through the same function with a `CrmChanges`: deals the CRM reports
deleted are removed, a complete listing also removes what it no longer holds, and an
incremental sync recounts only the seller-months its changed deals were in, before and
after the change (a file covers a span of months; a delta only the months it touched).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple, Protocol

from krutt.domain.messages import gettext_noop
from krutt.domain.months import Month
from krutt.domain.sellers import SellerId
from krutt.importers.deals import Deal, DealsRead, DealStatus, DealStream, stream_deals
from krutt.importers.outcome_names import OutcomeNames
from krutt.importers.problems import Problem
from krutt.importers.workbooks import DEFAULT_LIMITS, WorkbookLimits
from krutt.services.deal_actuals import (
    SellerDirectory,
    SellerDirectoryEntry,
    SellerMonthActual,
    UnmatchedOwner,
    compute_deal_actuals,
    deal_key,
    resolve_owner,
)
from krutt.services.imports import ImportRejected, ImportSummary
from krutt.services.ports import SegmentStore
from krutt.services.refresh_segments import refresh_segments

PREVIEW_ROWS = 20
# Deals are compared with what is stored and written this many at a time, so a file of a
# million rows never has to be held as deals.
CHUNK = 2000
MAX_KEY = 255
CENT = Decimal("0.01")
# A monthly actual is stored with 16 digits, 2 of them decimals.
MAX_ACTUAL = Decimal("1e14")


class DealRecord(NamedTuple):
    """A deal as krutt keeps it: the file's values, its key and the seller who owns it.

    A named tuple rather than a dataclass: an export of a million rows makes a million
    of these, and a tuple is made (and written) in half the time.
    """

    key: str
    seller_id: SellerId
    owner: str
    name: str
    account: str
    amount: Decimal | None
    currency: str
    status: str
    stage: str
    closed_on: date | None
    created_on: date | None
    line: int

    def content(self) -> tuple[object, ...]:
        """What a newer export can change: all but the key and the line it sits on."""
        return self[1:11]


@dataclass(frozen=True, kw_only=True, slots=True)
class StoredDeal:
    """A kept deal, with the row and the import that wrote it last."""

    row_id: int
    batch_id: int | None
    record: DealRecord


@dataclass(frozen=True, kw_only=True, slots=True)
class ActualChange:
    """A seller-month actual the import sets; `existed` says the month had a row before."""

    seller_id: SellerId
    month: Month
    existed: bool
    before: Decimal | None
    after: Decimal


class DealStore(Protocol):
    def directory(self) -> list[SellerDirectoryEntry]:
        """The sellers deals may belong to (and whose actuals the import recomputes)."""
        ...

    def stored_deals(self, keys: Sequence[str]) -> Mapping[str, StoredDeal]:
        """The kept deals of the import's source under these keys."""
        ...

    def save_deals(
        self, *, created: Sequence[DealRecord], updated: Sequence[tuple[StoredDeal, DealRecord]]
    ) -> None:
        """Add the new deals and overwrite the changed ones, remembering what they were."""
        ...

    def stored_actuals(
        self, seller_ids: Sequence[SellerId], months: Sequence[Month]
    ) -> Mapping[tuple[SellerId, Month], Decimal | None]:
        """The actual of each seller-month that has a row (None: the row has no actual)."""
        ...

    def won_totals(self, first: Month, last: Month) -> Mapping[tuple[SellerId, Month], Decimal]:
        """The kept won deals of the import's source, summed per seller and month of closing.

        Covers the months `first` to `last`, deals written by this import included.
        """
        ...

    def won_totals_of(
        self, pairs: Sequence[tuple[SellerId, Month]]
    ) -> Mapping[tuple[SellerId, Month], Decimal]:
        """The same sums as `won_totals`, for these seller-months only (a sync's delta)."""
        ...

    def save_actuals(self, changes: Sequence[ActualChange]) -> None: ...

    def remove_deals(self, stored: Sequence[StoredDeal]) -> None:
        """Delete these kept deals, remembering what they were."""
        ...

    def source_keys(self) -> set[str]:
        """Every key kept under the import's source (a complete CRM listing compares them)."""
        ...


class DealSource(Protocol):
    """Deals read once, in order, with the problems found reading them (a file or a CRM)."""

    problems: list[Problem]

    def __iter__(self) -> Iterator[Deal]: ...

    def result(self, deals: list[Deal]) -> DealsRead: ...


@dataclass(frozen=True, kw_only=True, slots=True)
class CrmChanges:
    """How a CRM sync differs from a file: what the CRM deleted and whether it sent all.

    `deleted` are deal ids the CRM reports removed; `complete` says the deals are the
    CRM's whole listing, so a kept deal not among them was deleted too. Without
    `complete` only the seller-months the changed deals were in are recounted.
    """

    deleted: tuple[str, ...] = ()
    complete: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class PreviewDeal:
    """One of the first deals of the file as krutt read it, with the seller it belongs to."""

    deal: Deal
    key: str
    seller_id: SellerId | None


@dataclass(kw_only=True)
class DealsImport:
    """What the import found and did; `summary` counts deals, `actuals_*` seller-months.

    `sellers` are those with deals in the file (whose actuals the import sets), `refreshed`
    those whose actuals changed and whose segment histories were recomputed.
    """

    summary: ImportSummary
    read: DealsRead
    unknown_owners: list[UnmatchedOwner] = field(default_factory=list)
    preview: list[PreviewDeal] = field(default_factory=list)
    months: tuple[Month, ...] = ()
    actuals_changed: int = 0
    actuals_unchanged: int = 0
    refreshed: tuple[SellerId, ...] = ()
    sellers: tuple[SellerId, ...] = ()


class DealsRejected(ImportRejected):
    """The file has problems; nothing of it may be kept."""

    def __init__(self, result: DealsImport) -> None:
        super().__init__(result.summary)
        self.result = result


NO_NAMES = OutcomeNames()


def open_deals(
    data: bytes,
    *,
    filename: str,
    preset: str = "auto",
    mapping: Mapping[str, str] | None = None,
    names: OutcomeNames = NO_NAMES,
    extra_names: OutcomeNames = NO_NAMES,
    workbook_limits: WorkbookLimits = DEFAULT_LIMITS,
) -> DealStream:
    """The reader's stream over a CRM export, for `import_deals`.

    Besides krutt's own names, `names` (the organisation's) and `extra_names` (this
    import's) are read as won and lost. Raises InvalidInput when together they make a
    name both won and lost.
    """
    chosen = names.plus(extra_names)
    return stream_deals(
        data,
        preset=preset,
        mapping=mapping,
        filename=filename,
        won_values=chosen.won,
        lost_values=chosen.lost,
        workbook_limits=workbook_limits,
    )


def import_deals(
    *,
    deals: DealSource,
    store: DealStore,
    segments: SegmentStore,
    through: date,
    progress: Callable[[int], None] | None = None,
    crm: CrmChanges | None = None,
) -> DealsImport:
    """Keep the export's deals and set the actuals of the months it covers; reject on any problem.

    `deals` is the reader's stream (`open_deals`) or a CRM's fetched deals, read once;
    `through` is how far the segment histories of sellers whose actuals changed are
    recomputed. `progress` is told the line reached every few thousand deals. `crm`
    makes it a sync (see `CrmChanges`).
    """
    directory = store.directory()
    run = _Run(store=store, directory=SellerDirectory(directory), progress=progress)
    actuals = compute_deal_actuals(deals=run.follow(deals), directory=directory)
    run.flush()
    problems = run.problems(deals.problems, actuals.problems)
    removed: list[StoredDeal] = []
    if crm is not None and not problems:
        removed = _removed_deals(store, run, crm)
    read = deals.result([p.deal for p in run.preview])
    unreadable = {p.line for p in deals.problems if p.line > read.header_line}
    summary = ImportSummary(
        kind="deals",
        read=run.seen_deals + len(read.skipped) + len(unreadable),
        created=run.created,
        updated=run.updated,
        unchanged=run.unchanged,
        removed=len(removed),
        skipped=len(read.skipped) + run.unknown,
        problems=problems,
    )
    result = DealsImport(
        summary=summary,
        read=read,
        unknown_owners=actuals.unmatched,
        preview=run.preview,
        months=actuals.months,
        sellers=tuple(sorted(run.sellers)),
    )
    if crm is None and not problems and run.seen_deals == 0:
        problems.append(Problem.at(0, gettext_noop("The file has no deals.")))
    elif crm is None and not problems and not run.sellers:
        problems.append(Problem.at(0, NO_KNOWN_OWNER))
    changes: list[ActualChange] = []
    if not problems:
        emails = {e.seller_id: e.email for e in directory}
        if crm is not None and not crm.complete:
            touched = {p for p in run.touched if p[0] in emails}
            rows = _touched_actuals(store, touched, result)
        else:
            # Only sellers with deals in the file: an export of one team says nothing of
            # another. A seller who lost a deal to another owner is recounted too, within
            # the directory, and so is one whose deal the CRM deleted.
            sellers = run.sellers | ((run.former | {p[0] for p in run.touched}) & emails.keys())
            months = tuple(sorted(set(actuals.months) | {p[1] for p in run.touched}))
            result.months = months
            result.sellers = tuple(sorted(sellers))
            rows = _kept_actuals(store, sellers, months)
        changes = _actual_changes(store, rows, emails, problems, result)
    if problems:
        summary.created = summary.updated = summary.unchanged = summary.removed = 0
        raise DealsRejected(result)
    if changes:
        store.save_actuals(changes)
        result.refreshed = tuple(sorted({c.seller_id for c in changes}))
        refresh_segments(store=segments, through=through, seller_ids=list(result.refreshed))
    return result


def _removed_deals(store: DealStore, run: _Run, crm: CrmChanges) -> list[StoredDeal]:
    """Remove the kept deals the CRM deleted (or, listing all, no longer has).

    A kept deal the CRM now gives to an owner no seller matches is removed too: it no
    longer counts for the seller who had it, and comes back once the owner is known.
    """
    gone = {f"id:{deal_id}" for deal_id in crm.deleted} - run.keys.keys()
    gone |= set(run.unknown_keys)
    if crm.complete:
        gone |= store.source_keys() - run.keys.keys()
    if not gone:
        return []
    stored = store.stored_deals(sorted(gone))
    removed = [stored[key] for key in sorted(stored)]
    for old in removed:
        run.touch(old.record)
    if removed:
        store.remove_deals(removed)
    return removed


def _touched_actuals(
    store: DealStore, touched: set[tuple[SellerId, Month]], result: DealsImport
) -> list[SellerMonthActual]:
    """The actual of each seller-month a delta changed a deal in, from the kept won deals."""
    result.months = tuple(sorted({month for _, month in touched}))
    result.sellers = tuple(sorted({seller for seller, _ in touched}))
    if not touched:
        return []
    totals = store.won_totals_of(sorted(touched))
    zero = Decimal(0)
    return [
        SellerMonthActual(seller_id=seller, month=month, actual=totals.get((seller, month), zero))
        for seller, month in sorted(touched)
    ]


NO_KNOWN_OWNER = gettext_noop(
    "No deal in the file belongs to a seller krutt knows; check the owner column and the roster."
)


@dataclass(kw_only=True)
class _Run:
    """The state of one pass over the file: keys seen, deals waiting to be written, counts."""

    store: DealStore
    directory: SellerDirectory
    progress: Callable[[int], None] | None
    owners: dict[tuple[str, str | None], SellerId | str] = field(default_factory=dict)
    keys: dict[str, int] = field(default_factory=dict)
    pending: list[DealRecord] = field(default_factory=list)
    preview: list[PreviewDeal] = field(default_factory=list)
    found: list[Problem] = field(default_factory=list)
    currencies: dict[str, int] = field(default_factory=dict)
    sellers: set[SellerId] = field(default_factory=set)
    former: set[SellerId] = field(default_factory=set)
    # The seller-months of every deal written or removed, before and after the change.
    touched: set[tuple[SellerId, Month]] = field(default_factory=set)
    unknown_keys: list[str] = field(default_factory=list)
    seen_deals: int = 0
    unknown: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    broken: bool = False

    def follow(self, deals: DealSource) -> Iterator[Deal]:
        """Pass the deals on to the actuals, keeping each one whose owner is a known seller."""
        # The loop runs once per row of exports of a million rows: lookups are kept local.
        reader_problems = deals.problems
        owners, keys, pending, preview = self.owners, self.keys, self.pending, self.preview
        currencies, directory, sellers = self.currencies, self.directory, self.sellers
        unknown_keys = self.unknown_keys
        won = DealStatus.WON
        for deal in deals:
            self.seen_deals += 1
            owner = (deal.owner, deal.owner_email)
            seller = owners.get(owner)
            if seller is None:
                seller = owners[owner] = resolve_owner(directory, deal.owner, deal.owner_email)
            key = deal_key(deal)
            if keys.setdefault(key, deal.line) != deal.line or len(key) > MAX_KEY:
                key = self._again(deal, key)
            if len(preview) < PREVIEW_ROWS:
                known = None if isinstance(seller, str) else seller
                preview.append(PreviewDeal(deal=deal, key=key, seller_id=known))
            if deal.currency and deal.status is won:
                currencies.setdefault(deal.currency, deal.line)
            if isinstance(seller, str):
                self.unknown += 1
                unknown_keys.append(key)
            else:
                sellers.add(seller)
                pending.append(_record(deal, key, seller))
                if len(pending) >= CHUNK:
                    self.broken = self.broken or bool(reader_problems)
                    self.flush()
                    if self.progress is not None:
                        self.progress(deal.line)
            yield deal
        self.broken = self.broken or bool(reader_problems)

    def _again(self, deal: Deal, key: str) -> str:
        """The key of a deal whose key is too long, or already taken earlier in the file."""
        if len(key) > MAX_KEY:
            self._problem(
                deal.line,
                gettext_noop("The deal id is longer than {count} characters."),
                count=MAX_KEY - 3,
            )
            return key[:MAX_KEY]
        first = self.keys[key]
        if deal.deal_id:
            self._problem(
                deal.line,
                gettext_noop("The deal id {id} is also on line {first}."),
                id=deal.deal_id,
                first=first,
            )
            return key
        # The same name, customer and day twice: two deals, told apart by their order.
        number = 2
        while f"{key}#{number}" in self.keys:
            number += 1
        self.keys[f"{key}#{number}"] = deal.line
        return f"{key}#{number}"

    def _problem(self, at: int, text: str, **params: int | str) -> None:
        self.found.append(Problem.at(at, text, **params))
        self.broken = True

    def flush(self) -> None:
        """Compare the waiting deals with the kept ones and write what is new or changed.

        Once the file has a problem nothing more is written: the import will be rejected.
        """
        pending = list(self.pending)
        self.pending.clear()
        if self.broken or self.found or not pending:
            return
        stored = self.store.stored_deals([r.key for r in pending])
        created: list[DealRecord] = []
        updated: list[tuple[StoredDeal, DealRecord]] = []
        for record in pending:
            old = stored.get(record.key)
            if old is None:
                created.append(record)
                self.touch(record)
            elif old.record.content() != record.content():
                updated.append((old, record))
                self.touch(record)
                self.touch(old.record)
                if old.record.seller_id != record.seller_id:
                    self.former.add(old.record.seller_id)
            else:
                self.unchanged += 1
        self.created += len(created)
        self.updated += len(updated)
        if created or updated:
            self.store.save_deals(created=created, updated=updated)

    def touch(self, record: DealRecord) -> None:
        """Note the seller-month a won or lost deal counts in (an open deal counts nowhere)."""
        if record.seller_id is None:  # kept from a seller who has since been deleted
            return
        if record.status != DealStatus.OPEN.value and record.closed_on is not None:
            self.touched.add((record.seller_id, Month.of(record.closed_on)))

    def problems(self, *groups: list[Problem]) -> list[Problem]:
        found = [p for group in groups for p in group] + self.found
        if len(self.currencies) > 1:
            ordered = sorted(self.currencies.items(), key=lambda item: item[1])
            found.append(
                Problem.at(
                    ordered[1][1],
                    gettext_noop(
                        "The file has won deals in {currencies}; krutt never converts amounts, "
                        "so export one currency at a time."
                    ),
                    currencies=", ".join(c for c, _ in ordered),
                )
            )
        return sorted(found, key=lambda p: p.line)


def _record(deal: Deal, key: str, seller: SellerId) -> DealRecord:
    amount = deal.amount
    return DealRecord(
        key,
        seller,
        deal.owner or deal.owner_email or "",
        deal.name,
        deal.account,
        None if amount is None else amount.quantize(CENT),
        deal.currency or "",
        deal.status.value,
        deal.stage,
        deal.closed_on,
        deal.created_on,
        deal.line,
    )


def _kept_actuals(
    store: DealStore, sellers: set[SellerId], months: Sequence[Month]
) -> list[SellerMonthActual]:
    """Each seller's actual per covered month: the source's kept won deals, in one query."""
    if not sellers or not months:
        return []
    totals = store.won_totals(months[0], months[-1])
    zero = Decimal(0)
    return [
        SellerMonthActual(seller_id=seller, month=month, actual=totals.get((seller, month), zero))
        for seller in sorted(sellers)
        for month in months
    ]


def _actual_changes(
    store: DealStore,
    rows: Sequence[SellerMonthActual],
    emails: Mapping[SellerId, str],
    problems: list[Problem],
    result: DealsImport,
) -> list[ActualChange]:
    """The seller-months whose actual the file changes; a total too large to keep is a problem."""
    stored = store.stored_actuals(sorted({r.seller_id for r in rows}), list(result.months))
    changes: list[ActualChange] = []
    for row in rows:
        amount = row.actual.quantize(CENT)
        if abs(amount) >= MAX_ACTUAL:
            problems.append(
                Problem.at(
                    0,
                    gettext_noop("{seller} won {amount} in {month}: more than krutt can keep."),
                    seller=emails.get(row.seller_id, ""),
                    month=str(row.month),
                    amount=amount,
                )
            )
            continue
        key = (row.seller_id, row.month)
        existed = key in stored
        before = stored.get(key)
        if existed and before == amount:
            result.actuals_unchanged += 1
            continue
        changes.append(
            ActualChange(
                seller_id=row.seller_id,
                month=row.month,
                existed=existed,
                before=before,
                after=amount,
            )
        )
    result.actuals_changed = len(changes)
    return changes
