"""One CRM row → one Deal: each cell read by the conventions of its column.

A column's decimal mark and date order are learnt once from a sample of its cells, so
`1,234` in an English export and `1 234,50` or `250.000` in a Norwegian one all read
right; an amount the column leaves ambiguous is a problem on its line, never a guess. Work
per row is kept small (exports run to a million rows): repeated texts such as owners,
stages and dates are read once and shared.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from krutt.domain.messages import gettext_noop
from krutt.importers.crm_presets import FIELDS, status_key
from krutt.importers.dates import NotADate, day_from_serial, guess_month_first, parse_day
from krutt.importers.numbers import (
    AmbiguousAmount,
    NotANumber,
    guess_decimal_mark,
    parse_amount,
)
from krutt.importers.problems import Problem
from krutt.importers.workbooks import Cell

MAX_AMOUNT = Decimal("1e12")
# Spreadsheets show long numbers as 2,19E+10 and save them so: the digits are gone.
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
# Integers above 2**53 do not survive a float; XLSX stores numbers as floats.
_EXACT_FLOAT_LIMIT = 2**53


class DealStatus(StrEnum):
    WON = "won"
    LOST = "lost"
    OPEN = "open"


@dataclass(frozen=True, kw_only=True, slots=True)
class Deal:
    """One deal as the CRM has it.

    `closed_on` is the day a won or lost deal closed (the won date where the CRM has
    one, else the close date) and an open deal's expected close day; `owner` is as
    written in the file (a name or an e-mail), `owner_email` from an owner e-mail column.
    """

    line: int
    deal_id: str | None
    name: str
    owner: str
    owner_email: str | None
    amount: Decimal | None
    currency: str | None
    status: DealStatus
    stage: str
    closed_on: date | None
    created_on: date | None
    account: str


def text_of(cell: Cell) -> str:
    """A spreadsheet cell as the text a user would see in it."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < _EXACT_FLOAT_LIMIT:
        return str(int(cell))
    if isinstance(cell, date | datetime):
        return cell.isoformat()
    return str(cell)


_SLOT = {name: slot for slot, name in enumerate(FIELDS)}
_ID, _NAME, _OWNER, _EMAIL, _AMOUNT, _CURRENCY = (
    _SLOT[f] for f in ("deal_id", "name", "owner", "owner_email", "amount", "currency")
)
_STATUS, _STAGE, _WON_ON, _CLOSED_ON, _CREATED_ON, _ACCOUNT, _LOST_REASON = (
    _SLOT[f]
    for f in ("status", "stage", "won_on", "closed_on", "created_on", "account", "lost_reason")
)
# Caches of repeated texts stop growing here, so a hostile file cannot exhaust memory.
_CACHE_LIMIT = 100_000


@dataclass(kw_only=True, slots=True)
class DealRowReader:
    """Turns the rows of one file into Deals; built once the columns are known.

    `pick` finds, for each field, the first of its columns that is filled in a row;
    `deal` reads the picked cells.
    """

    plan: tuple[tuple[int, tuple[int, ...]], ...]
    headers: Sequence[str]
    won: frozenset[str]
    lost: frozenset[str]
    decimal_mark: str | None = None
    month_first: bool = False
    _days: dict[str, date | None] = field(default_factory=dict)
    _statuses: dict[tuple[str, str, bool], DealStatus] = field(default_factory=dict)
    _shared: dict[str, str] = field(default_factory=dict)

    @classmethod
    def learn(
        cls,
        *,
        columns: Mapping[str, tuple[int, ...]],
        headers: Sequence[str],
        sample: Sequence[Sequence[Cell]],
        won: frozenset[str],
        lost: frozenset[str],
    ) -> DealRowReader:
        """A reader whose decimal mark and date order come from the `sample` rows."""

        def texts(name: str) -> list[str]:
            indexes = columns.get(name, ())
            return [
                cell
                for row in sample
                for i in indexes
                if i < len(row) and isinstance(cell := row[i], str)
            ]

        dates = [t for name in ("won_on", "closed_on", "created_on") for t in texts(name)]
        return cls(
            plan=tuple((_SLOT[name], cols) for name, cols in columns.items()),
            headers=headers,
            won=won,
            lost=lost,
            decimal_mark=guess_decimal_mark(texts("amount")),
            month_first=guess_month_first(dates),
        )

    def pick(self, row: Sequence[Cell]) -> list[int]:
        """For each field (in FIELDS order) the index of its first filled cell, or -1."""
        picked = [-1] * len(FIELDS)
        size = len(row)
        for slot, indexes in self.plan:
            for index in indexes:
                if index < size:
                    value = row[index]
                    if value.__class__ is str:
                        if not value or value.isspace():
                            continue
                    elif value is None:
                        continue
                    picked[slot] = index
                    break
        return picked

    @staticmethod
    def has_owner(picked: list[int]) -> bool:
        return picked[_OWNER] >= 0 or picked[_EMAIL] >= 0

    def deal(
        self, line: int, row: Sequence[Cell], picked: list[int], problems: list[Problem]
    ) -> Deal | None:
        """The row's deal, or None with the reasons added to `problems`."""
        before = len(problems)

        def text(slot: int) -> str:
            index = picked[slot]
            if index < 0:
                return ""
            value = row[index]
            return value.strip() if isinstance(value, str) else text_of(value)

        owner = text(_OWNER)
        if "  " in owner:
            owner = " ".join(owner.split())
        email = text(_EMAIL).lower()
        owner_email = email if "@" in email else None
        if not owner and owner_email is None:
            problems.append(Problem.at(line, gettext_noop("The deal has no owner.")))
        status_text, stage_text = text(_STATUS), text(_STAGE)
        status = self._status(status_text, stage_text, picked[_LOST_REASON] >= 0)
        amount = self._amount(line, row, picked[_AMOUNT], problems)
        if status is DealStatus.OPEN:
            closed_on = self._day(line, row, picked[_CLOSED_ON], picked[_WON_ON], problems)
        else:
            closed_on = self._day(line, row, picked[_WON_ON], picked[_CLOSED_ON], problems)
        created_on = self._day(line, row, picked[_CREATED_ON], -1, problems)
        deal_id = self._deal_id(line, row, picked[_ID], problems)
        if status is DealStatus.WON and len(problems) == before:
            if amount is None:
                problems.append(Problem.at(line, gettext_noop("The won deal has no amount.")))
            if closed_on is None:
                problems.append(Problem.at(line, gettext_noop("The won deal has no close date.")))
        if len(problems) > before:
            return None
        currency = text(_CURRENCY).upper()
        shared = self._shared
        if len(shared) > _CACHE_LIMIT:
            shared.clear()
        return Deal(
            line=line,
            deal_id=deal_id,
            name=text(_NAME),
            owner=shared.setdefault(owner, owner),
            owner_email=owner_email,
            amount=amount,
            currency=shared.setdefault(currency, currency) if currency else None,
            status=status,
            stage=shared.setdefault(stage_text or status_text, stage_text or status_text),
            closed_on=closed_on,
            created_on=created_on,
            account=shared.setdefault(account := text(_ACCOUNT), account),
        )

    def _status(self, status: str, stage: str, lost_reason: bool) -> DealStatus:
        key = (status, stage, lost_reason)
        known = self._statuses.get(key)
        if known is not None:
            return known
        known = DealStatus.LOST if lost_reason else DealStatus.OPEN
        for text in (status, stage):
            value = status_key(text)
            if value in self.won:
                known = DealStatus.WON
                break
            if value in self.lost:
                known = DealStatus.LOST
                break
        if len(self._statuses) < _CACHE_LIMIT:
            self._statuses[key] = known
        return known

    def _amount(
        self, line: int, row: Sequence[Cell], index: int, problems: list[Problem]
    ) -> Decimal | None:
        if index < 0:
            return None
        value = row[index]
        try:
            if isinstance(value, str):
                amount = parse_amount(value, decimal_mark=self.decimal_mark)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                amount = _decimal_of(value)
            else:
                raise NotANumber(text_of(value))
        except AmbiguousAmount:
            problems.append(self._bad(line, index, value, AMBIGUOUS_AMOUNT))
            return None
        except NotANumber:
            problems.append(self._bad(line, index, value, self._unreadable(value)))
            return None
        if abs(amount) >= MAX_AMOUNT:
            problems.append(self._bad(line, index, value, OUT_OF_RANGE))
            return None
        return amount

    def _unreadable(self, value: Cell) -> str:
        """Why an amount was refused: the column's decimal mark, or not an amount at all."""
        if self.decimal_mark is not None and isinstance(value, str):
            try:
                parse_amount(value)
            except NotANumber:
                return NOT_AN_AMOUNT
            return OTHER_DECIMAL_MARK
        return NOT_AN_AMOUNT

    def _day(
        self, line: int, row: Sequence[Cell], index: int, fallback: int, problems: list[Problem]
    ) -> date | None:
        if index < 0:
            index = fallback
            if index < 0:
                return None
        value = row[index]
        day = self._read_day(value)
        if day is None:
            problems.append(self._bad(line, index, value, NOT_A_DATE))
        return day

    def _read_day(self, value: Cell) -> date | None:
        if isinstance(value, str):
            known = self._days.get(value, date.min)
            if known is not date.min:
                return known
            try:
                day: date | None = parse_day(value, month_first=self.month_first)
            except NotADate:
                day = None
            if len(self._days) < _CACHE_LIMIT:
                self._days[value] = day
            return day
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                return day_from_serial(value)
            except NotADate:
                return None
        return None

    def _deal_id(
        self, line: int, row: Sequence[Cell], index: int, problems: list[Problem]
    ) -> str | None:
        if index < 0:
            return None
        value = row[index]
        if isinstance(value, str):
            text = value.strip()
            if ("E" not in text and "e" not in text) or not _SCIENTIFIC.match(text):
                return text
        elif not isinstance(value, float) or (
            value.is_integer() and abs(value) < _EXACT_FLOAT_LIMIT
        ):
            return text_of(value)
        problems.append(self._bad(line, index, value, SHORTENED_ID))
        return None

    def _bad(self, line: int, index: int, value: Cell, text: str) -> Problem:
        return Problem.at(line, text, value=text_of(value).strip(), column=self.headers[index])


NOT_AN_AMOUNT = gettext_noop("{value} in {column} is not an amount.")
AMBIGUOUS_AMOUNT = gettext_noop(
    "{value} in {column} is ambiguous: its separator could group thousands or start three "
    "decimals. Export the amounts with two decimals or without thousands separators."
)
OTHER_DECIMAL_MARK = gettext_noop(
    "{value} in {column} uses its separators the other way round from the other amounts "
    "in the column."
)
OUT_OF_RANGE = gettext_noop("{value} in {column} is out of range.")
NOT_A_DATE = gettext_noop("{value} in {column} is not a date.")
SHORTENED_ID = gettext_noop(
    "The id {value} in {column} was shortened by a spreadsheet; its digits are lost."
)


def _decimal_of(number: int | float) -> Decimal:
    """A spreadsheet number as the Decimal it shows: the float's shortest repr, no binary noise."""
    if isinstance(number, int):
        return Decimal(number)
    if not math.isfinite(number):
        raise NotANumber(repr(number))
    return Decimal(repr(number))
