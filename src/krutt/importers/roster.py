"""The team roster: who sells, since when, on which team, under which manager."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from krutt.domain.addresses import normalise_email
from krutt.domain.limits import EMAIL_MAX, NAME_MAX, TEAM_NAME_MAX
from krutt.domain.messages import gettext_noop
from krutt.importers.columns import is_email, map_columns
from krutt.importers.dates import NotADate, parse_day
from krutt.importers.problems import Problem
from krutt.importers.tables import Row, UnreadableFile, read_table

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("navn", "full name", "fullt navn", "seller", "selger"),
    "email": ("e-mail", "e-post", "epost", "mail"),
    "start_date": ("start", "started", "startdato", "ansatt fra", "tiltredelse"),
    "end_date": ("end", "sluttdato", "slutt"),
    "team": ("team name", "avdeling", "lag"),
    "manager_email": ("manager", "manager e-mail", "leder", "leder_epost", "salgssjef"),
    "aliases": ("alias", "alias emails", "aliaser"),
}
REQUIRED = ("name", "email", "start_date", "team", "manager_email")


@dataclass(frozen=True, kw_only=True, slots=True)
class RosterRow:
    line: int
    name: str
    email: str
    started_on: date
    ended_on: date | None
    team: str
    manager_email: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class RosterRead:
    rows: list[RosterRow]
    problems: list[Problem]


def read_roster(data: bytes) -> RosterRead:
    """Every seller row of a roster CSV, or every problem with its line number."""
    try:
        table = read_table(data)
    except UnreadableFile as error:
        return RosterRead(rows=[], problems=[error.problem])
    columns, problems = map_columns(table.headers, COLUMNS, required=REQUIRED)
    if problems:
        return RosterRead(rows=[], problems=problems)
    problems = list(table.problems)
    if not table.rows and not problems:
        return RosterRead(rows=[], problems=[Problem.at(0, NO_SELLERS)])
    rows: list[RosterRow] = []
    first_line: dict[str, int] = {}
    team_managers: dict[str, tuple[str, int]] = {}
    for raw in table.rows:
        row, row_problems = _read_row(raw, columns)
        problems.extend(row_problems)
        if row is None:
            continue
        for address in (row.email, *row.aliases):
            if address in first_line:
                problems.append(
                    Problem.at(
                        row.line,
                        gettext_noop("{email} is already used on line {other}."),
                        email=address,
                        other=first_line[address],
                    )
                )
            else:
                first_line[address] = row.line
        known = team_managers.setdefault(row.team.casefold(), (row.manager_email, row.line))
        if known[0] != row.manager_email:
            problems.append(
                Problem.at(
                    row.line,
                    gettext_noop(
                        "Team {team} has manager {manager} on line {other}, but {this} here."
                    ),
                    team=row.team,
                    manager=known[0],
                    other=known[1],
                    this=row.manager_email,
                )
            )
        rows.append(row)
    for row in rows:
        manager = team_managers[row.team.casefold()][0]
        if row.email == manager or manager in row.aliases:
            problems.append(
                Problem.at(
                    row.line,
                    gettext_noop("{email} is listed as a seller on the team {team} they manage."),
                    email=row.email,
                    team=row.team,
                )
            )
    problems.sort(key=lambda p: p.line)
    return RosterRead(rows=rows if not problems else [], problems=problems)


NO_SELLERS = gettext_noop("There are no sellers in the file, only the header line.")
TOO_LONG = gettext_noop("The {column} is longer than {limit} characters.")


def _read_row(raw: Row, columns: dict[str, str]) -> tuple[RosterRow | None, list[Problem]]:
    problems: list[Problem] = []

    def value(field: str) -> str:
        header = columns.get(field)
        return raw.get(header) if header else ""

    name = " ".join(value("name").split())
    email = normalise_email(value("email"))
    team = " ".join(value("team").split())
    manager = normalise_email(value("manager_email"))
    if not name:
        problems.append(Problem.at(raw.line, gettext_noop("The name is missing.")))
    if not team:
        problems.append(Problem.at(raw.line, gettext_noop("The team is missing.")))
    for text, column, limit in (
        (name, "name", NAME_MAX),
        (team, "team", TEAM_NAME_MAX),
        (email, "email", EMAIL_MAX),
        (manager, "manager_email", EMAIL_MAX),
    ):
        if len(text) > limit:
            problems.append(Problem.at(raw.line, TOO_LONG, column=column, limit=limit))
    for address, field in ((email, "email"), (manager, "manager_email")):
        if len(address) <= EMAIL_MAX and not is_email(address):
            problems.append(
                Problem.at(
                    raw.line,
                    gettext_noop("{value} in {column} is not an e-mail address."),
                    value=address or "«»",
                    column=field,
                )
            )
    started = _day(raw.line, value("start_date"), "start_date", problems, required=True)
    ended = _day(raw.line, value("end_date"), "end_date", problems, required=False)
    if started and ended and ended < started:
        problems.append(
            Problem.at(raw.line, gettext_noop("The end date is before the start date."))
        )
    aliases: list[str] = []
    for alias in value("aliases").replace(",", ";").split(";"):
        alias = normalise_email(alias)
        if not alias or alias == email or alias in aliases:
            continue
        if len(alias) > EMAIL_MAX:
            problems.append(Problem.at(raw.line, TOO_LONG, column="aliases", limit=EMAIL_MAX))
            continue
        if not is_email(alias):
            problems.append(
                Problem.at(
                    raw.line,
                    gettext_noop("{value} in {column} is not an e-mail address."),
                    value=alias,
                    column="aliases",
                )
            )
            continue
        aliases.append(alias)
    if problems or started is None:
        return None, problems
    return (
        RosterRow(
            line=raw.line,
            name=name,
            email=email,
            started_on=started,
            ended_on=ended,
            team=team,
            manager_email=manager,
            aliases=tuple(aliases),
        ),
        problems,
    )


def _day(
    line: int, text: str, column: str, problems: list[Problem], *, required: bool
) -> date | None:
    if not text:
        if required:
            problems.append(
                Problem.at(line, gettext_noop("The {column} is missing."), column=column)
            )
        return None
    try:
        return parse_day(text)
    except NotADate:
        problems.append(
            Problem.at(
                line,
                gettext_noop("{value} in {column} is not a date (YYYY-MM-DD or DD.MM.YYYY)."),
                value=text,
                column=column,
            )
        )
        return None
