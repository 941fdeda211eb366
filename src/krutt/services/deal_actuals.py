"""Won deals → each seller's actual per month, with every deal owner matched to a seller.

An owner is matched by e-mail or alias, else by full name, ignoring case, spacing and
accents (`kari  NORDMANN`, `Kåri Nordmann` and `Nordmann, Kari` are Kari Nordmann). An
owner no seller matches, or more than one does, is listed with its lines, never guessed.
A won deal counts in the month of its close day. The months a file covers run from the
first to the last month in which any of its deals was won or lost, and in each of them
every seller of the directory gets an actual, 0 when they won nothing: a covered month
without deals is a month the seller sold nothing, not a month krutt knows nothing about.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from krutt.domain.messages import Message, gettext_noop
from krutt.domain.months import Month, months_from
from krutt.domain.sellers import SellerId
from krutt.importers.deals import Deal, DealStatus
from krutt.importers.problems import Problem


@dataclass(frozen=True, kw_only=True, slots=True)
class SellerDirectoryEntry:
    """How a seller can be recognised in files: e-mail, alias e-mails and full name."""

    seller_id: SellerId
    email: str
    aliases: tuple[str, ...] = ()
    name: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class UnmatchedOwner:
    """A deal owner krutt could not tie to one seller, where it appears, and what it won."""

    owner: str
    lines: tuple[int, ...]
    won_amount: Decimal
    reason: Message


@dataclass(frozen=True, kw_only=True, slots=True)
class SellerMonthActual:
    seller_id: SellerId
    month: Month
    actual: Decimal


@dataclass(frozen=True, kw_only=True, slots=True)
class DealActuals:
    """Actuals per seller for every covered month; `unmatched` owners' deals are not in them."""

    months: tuple[Month, ...]
    actuals: dict[SellerId, dict[Month, Decimal]]
    won_deals: int
    counted_deals: int
    unmatched: list[UnmatchedOwner]
    problems: list[Problem]

    def rows(self) -> list[SellerMonthActual]:
        """One row per seller and covered month, ordered by seller, then month."""
        return [
            SellerMonthActual(seller_id=seller_id, month=month, actual=amount)
            for seller_id in sorted(self.actuals)
            for month, amount in sorted(self.actuals[seller_id].items())
        ]


_FOLD = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l", "ð": "d", "þ": "th"})


def name_key(text: str) -> str:
    """A person's name as compared: case, spacing, dots and accents do not matter."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_FOLD)
    return " ".join(bare.replace(".", " ").split())


class SellerDirectory:
    """Finds sellers by e-mail or alias (case-insensitive) and by full name (folded)."""

    def __init__(self, entries: Iterable[SellerDirectoryEntry]) -> None:
        self.entries = list(entries)
        self._addresses: dict[str, SellerId] = {}
        self._names: dict[str, set[SellerId]] = defaultdict(set)
        for entry in self.entries:
            for address in (entry.email, *entry.aliases):
                if address.strip():
                    self._addresses.setdefault(address.strip().lower(), entry.seller_id)
            if entry.name.strip():
                self._names[name_key(entry.name)].add(entry.seller_id)

    def by_address(self, address: str) -> SellerId | None:
        return self._addresses.get(address.strip().lower())

    def by_name(self, name: str) -> set[SellerId]:
        """Every seller with this full name; `Last, First` is read as `First Last`."""
        key = name_key(name)
        found = self._names.get(key)
        if not found and "," in name:
            last, _, first = name.partition(",")
            found = self._names.get(name_key(f"{first} {last}"))
        return set(found or ())

    def names(self) -> dict[str, set[SellerId]]:
        """Folded full name → sellers, for matching names inside longer texts."""
        return self._names


NO_SELLER = gettext_noop("No seller has this name or e-mail address.")
SEVERAL_SELLERS = gettext_noop("More than one seller has this name.")


def resolve_owner(
    directory: SellerDirectory, owner: str, owner_email: str | None = None
) -> SellerId | str:
    """The seller who owns a deal, or the reason (a msgid) no single seller does."""
    for address in (owner_email, owner):
        if address and "@" in address:
            found = directory.by_address(address)
            if found is not None:
                return found
    matches = directory.by_name(owner)
    if len(matches) == 1:
        return next(iter(matches))
    return SEVERAL_SELLERS if matches else NO_SELLER


def compute_deal_actuals(
    *,
    deals: Iterable[Deal],
    directory: Sequence[SellerDirectoryEntry],
    currency: str | None = None,
) -> DealActuals:
    """Each seller's won amount per covered month, from a CRM export's deals.

    Owners of open deals are matched too, so every unknown owner is listed at once.

    `deals` may be a stream (`stream_deals`): it is read once. With `currency` set, a won
    deal in another currency is a problem and is left out (amounts are never converted).
    """
    sellers = SellerDirectory(directory)
    resolved: dict[tuple[str, str | None], SellerId | str] = {}
    totals: dict[tuple[SellerId, Month], Decimal] = defaultdict(Decimal)
    unmatched: dict[str, tuple[list[int], list[Decimal], str]] = {}
    problems: list[Problem] = []
    first: Month | None = None
    last: Month | None = None
    won = counted = 0
    for deal in deals:
        month: Month | None = None
        if deal.status is not DealStatus.OPEN and deal.closed_on is not None:
            month = Month(deal.closed_on.year, deal.closed_on.month)
            first = month if first is None or month < first else first
            last = month if last is None or month > last else last
        key = (deal.owner, deal.owner_email)
        seller = resolved.get(key)
        if seller is None:
            seller = resolved[key] = resolve_owner(sellers, deal.owner, deal.owner_email)
        if isinstance(seller, str):
            lines, amounts, _ = unmatched.setdefault(
                deal.owner or deal.owner_email or "", ([], [], seller)
            )
            lines.append(deal.line)
            if deal.status is DealStatus.WON and deal.amount is not None:
                amounts.append(deal.amount)
            continue
        if deal.status is not DealStatus.WON or deal.amount is None or month is None:
            continue
        won += 1
        if currency and deal.currency and deal.currency != currency.upper():
            problems.append(
                Problem.at(
                    deal.line,
                    gettext_noop("The deal is in {currency}, not {expected}; it is not counted."),
                    currency=deal.currency,
                    expected=currency.upper(),
                )
            )
            continue
        counted += 1
        totals[(seller, month)] += deal.amount
    months = tuple(months_from(first, last)) if first and last else ()
    actuals = {
        entry.seller_id: {
            month: totals.get((entry.seller_id, month), Decimal(0)) for month in months
        }
        for entry in sellers.entries
    }
    return DealActuals(
        months=months,
        actuals=actuals,
        won_deals=won + sum(len(a) for _, a, _ in unmatched.values()),
        counted_deals=counted,
        unmatched=[
            UnmatchedOwner(
                owner=owner,
                lines=tuple(lines),
                won_amount=sum(amounts, Decimal(0)),
                reason=Message(reason),
            )
            for owner, (lines, amounts, reason) in sorted(unmatched.items())
        ],
        problems=problems,
    )


def deal_key(deal: Deal) -> str:
    """A key that stays the same when the same deal is imported again.

    The CRM's id where the file has one; otherwise a digest of what does not change
    over a deal's life (name, customer, created day, and the owner when there is no
    created day), so a deal that moves from open to won keeps its key.
    """
    if deal.deal_id:
        return f"id:{deal.deal_id}"
    created = deal.created_on.isoformat() if deal.created_on else name_key(deal.owner)
    content = "\x1f".join((name_key(deal.name), name_key(deal.account), created))
    return "content:" + hashlib.sha256(content.encode()).hexdigest()[:32]


def deal_keys(deals: Iterable[Deal]) -> list[str]:
    """`deal_key` for each deal, with `#2`, `#3` … on repeats within the file, in file order."""
    seen: dict[str, int] = defaultdict(int)
    keys: list[str] = []
    for deal in deals:
        key = deal_key(deal)
        seen[key] += 1
        keys.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return keys
