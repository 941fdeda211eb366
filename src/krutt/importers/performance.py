"""Monthly numbers per seller: email, month, target and/or actual."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from krutt.domain.addresses import normalise_email
from krutt.domain.messages import gettext_noop
from krutt.domain.months import Month
from krutt.importers.columns import is_email, map_columns
from krutt.importers.numbers import NotANumber, parse_amount
from krutt.importers.problems import Problem
from krutt.importers.tables import UnreadableFile, read_table

COLUMNS: dict[str, tuple[str, ...]] = {
    "email": ("e-mail", "e-post", "epost", "seller", "selger"),
    "month": ("period", "periode", "måned", "maaned"),
    "target": ("quota", "budget", "budsjett", "mål", "maal"),
    "actual": ("sales", "salg", "faktisk", "resultat", "booked"),
}
MAX_AMOUNT = Decimal("1e12")
NO_ROWS = gettext_noop("There are no monthly numbers in the file, only the header line.")


@dataclass(frozen=True, kw_only=True, slots=True)
class MonthlyRow:
    """One seller-month; None means the file says nothing about that number."""

    line: int
    email: str
    month: Month
    target: Decimal | None
    actual: Decimal | None


@dataclass(frozen=True, kw_only=True, slots=True)
class MonthlyRead:
    rows: list[MonthlyRow]
    problems: list[Problem]


def read_monthly_numbers(data: bytes) -> MonthlyRead:
    """Every row of a monthly numbers CSV, or every problem with its line number."""
    try:
        table = read_table(data)
    except UnreadableFile as error:
        return MonthlyRead(rows=[], problems=[error.problem])
    columns, problems = map_columns(table.headers, COLUMNS, required=("email", "month"))
    if not problems and "target" not in columns and "actual" not in columns:
        problems.append(
            Problem.at(1, gettext_noop("The header line needs a target or an actual column."))
        )
    if problems:
        return MonthlyRead(rows=[], problems=problems)
    problems = list(table.problems)
    if not table.rows and not problems:
        return MonthlyRead(rows=[], problems=[Problem.at(0, NO_ROWS)])
    rows: list[MonthlyRow] = []
    seen: dict[tuple[str, Month], int] = {}
    for raw in table.rows:
        line_problems: list[Problem] = []
        email = normalise_email(raw.get(columns["email"]))
        if not is_email(email):
            line_problems.append(
                Problem.at(
                    raw.line, gettext_noop("{value} is not an e-mail address."), value=email or "«»"
                )
            )
        month_text = raw.get(columns["month"])
        month: Month | None = None
        try:
            month = Month.parse(month_text)
        except ValueError:
            line_problems.append(
                Problem.at(
                    raw.line,
                    gettext_noop("{value} is not a month (YYYY-MM)."),
                    value=month_text or "«»",
                )
            )
        amounts: dict[str, Decimal | None] = {}
        for field in ("target", "actual"):
            text = raw.get(columns[field]) if field in columns else ""
            amounts[field] = None
            if not text:
                continue
            try:
                amount = parse_amount(text)
            except NotANumber:
                line_problems.append(
                    Problem.at(
                        raw.line,
                        gettext_noop("{value} in {column} is not an amount."),
                        value=text,
                        column=field,
                    )
                )
                continue
            if amount < 0 or amount >= MAX_AMOUNT:
                line_problems.append(
                    Problem.at(
                        raw.line,
                        gettext_noop("{value} in {column} is out of range."),
                        value=text,
                        column=field,
                    )
                )
                continue
            amounts[field] = amount
        if not line_problems and amounts["target"] is None and amounts["actual"] is None:
            line_problems.append(
                Problem.at(raw.line, gettext_noop("The line has neither a target nor an actual."))
            )
        if month is not None and not line_problems:
            key = (email, month)
            if key in seen:
                line_problems.append(
                    Problem.at(
                        raw.line,
                        gettext_noop("{email} {month} is already on line {other}."),
                        email=email,
                        month=str(month),
                        other=seen[key],
                    )
                )
            seen[key] = raw.line
        problems.extend(line_problems)
        if not line_problems and month is not None:
            rows.append(
                MonthlyRow(
                    line=raw.line,
                    email=email,
                    month=month,
                    target=amounts["target"],
                    actual=amounts["actual"],
                )
            )
    problems.sort(key=lambda p: p.line)
    return MonthlyRead(rows=rows if not problems else [], problems=problems)
