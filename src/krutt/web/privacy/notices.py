"""The § 9-2 notice per team: recording it, and the warnings while it is missing or old.

Until a team's sellers were informed and the measure discussed with their representatives,
calendar imports still work but every report, the overview and the import summary say
so, and a connected (automatic) calendar cannot be switched on for the team's manager.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery

from krutt.domain.errors import InvalidInput, NotFound
from krutt.domain.measurement import (
    REVIEW_AFTER_MONTHS,
    Notice,
    NoticeState,
    measurement_announced,
    notice_state,
)
from krutt.domain.messages import Message, gettext_noop
from krutt.domain.retention import kept_from
from krutt.web.accounts.models import Organisation, User
from krutt.web.audit.trail import record
from krutt.web.clock import today_in
from krutt.web.privacy.models import MeasurementNotice
from krutt.web.sellers.models import Team

NOT_ANNOUNCED = gettext_noop(
    "Calendar measurement for {team} has not been announced to the sellers "
    "(Working Environment Act § 9-2)"
)
REVIEW_DUE = gettext_noop(
    "The calendar measurement notice for {team} is from {day}, over a year ago: evaluate "
    "the measure with the employee representatives and record a new notice "
    "(Working Environment Act § 9-2)"
)
ENDED = gettext_noop(
    "Calendar measurement for {team} ended on {day} by its notice: record a new notice "
    "before measuring again (Working Environment Act § 9-2)"
)


def the_team(organisation: Organisation, name: str) -> Team:
    """A team by name, ignoring case (also ÆØÅ, which SQLite's own folding does not)."""
    wanted = name.strip().casefold()
    for team in Team.objects.filter(organisation=organisation).select_related("manager"):
        if team.name.casefold() == wanted:
            return team
    raise NotFound(gettext_noop("No team is called {team}."), team=name)


def latest_notice(team: Team) -> MeasurementNotice | None:
    return team.measurement_notices.order_by("-recorded_at", "-pk").first()


def team_state(
    team: Team, *, today: date | None = None
) -> tuple[NoticeState, MeasurementNotice | None]:
    today = today or today_in(team.organisation)
    row = latest_notice(team)
    notice = (
        None
        if row is None
        else Notice(informed_on=row.informed_on, discussed_on=row.discussed_on, until=row.until)
    )
    state = notice_state(notice, today=today, review_from=kept_from(today, REVIEW_AFTER_MONTHS))
    return state, row


def notice_warning(team: Team, *, today: date | None = None) -> Message | None:
    """The sentence a report shows for the team, or None when its notice is current."""
    state, row = team_state(team, today=today)
    if state is NoticeState.CURRENT:
        return None
    if state is NoticeState.REVIEW_DUE and row is not None:
        return Message(REVIEW_DUE, {"team": team.name, "day": row.informed_on})
    if state is NoticeState.ENDED and row is not None and row.until is not None:
        return Message(ENDED, {"team": team.name, "day": row.until})
    return Message(NOT_ANNOUNCED, {"team": team.name})


def notice_warnings(teams: Iterable[Team], *, today: date | None = None) -> list[Message]:
    """The warnings for each of `teams`, in name order."""
    found = [notice_warning(t, today=today) for t in sorted(teams, key=lambda t: t.name)]
    return [w for w in found if w is not None]


def manager_warnings(manager: User, *, today: date | None = None) -> list[Message]:
    """The warnings for every team a manager measures, read in one query (the overview's)."""
    assert manager.organisation is not None
    by_team = teams_warnings(
        Team.objects.filter(manager=manager), manager.organisation, today=today
    )
    return [w for warnings in by_team.values() for w in warnings]


def teams_warnings(
    teams: QuerySet[Team], organisation: Organisation, *, today: date | None = None
) -> dict[int, list[Message]]:
    """Each team's warnings (in name order), read in one query however many teams there are
    (the director's teams page)."""
    latest = MeasurementNotice.objects.filter(team=OuterRef("pk")).order_by("-recorded_at", "-pk")
    rows = (
        teams.annotate(
            informed_on=Subquery(latest.values("informed_on")[:1]),
            discussed_on=Subquery(latest.values("discussed_on")[:1]),
            until=Subquery(latest.values("until")[:1]),
        )
        .order_by("name")
        .values_list("pk", "name", "informed_on", "discussed_on", "until")
    )
    today = today or today_in(organisation)
    review_from = kept_from(today, REVIEW_AFTER_MONTHS)
    warnings: dict[int, list[Message]] = {}
    for pk, name, informed, discussed, until in rows:
        notice = (
            None
            if informed is None
            else Notice(informed_on=informed, discussed_on=discussed, until=until)
        )
        state = notice_state(notice, today=today, review_from=review_from)
        found = warnings.setdefault(pk, [])
        if state is NoticeState.REVIEW_DUE:
            found.append(Message(REVIEW_DUE, {"team": name, "day": informed}))
        elif state is NoticeState.ENDED:
            found.append(Message(ENDED, {"team": name, "day": until}))
        elif state is NoticeState.MISSING:
            found.append(Message(NOT_ANNOUNCED, {"team": name}))
    return warnings


def require_announced(manager: User) -> None:
    """Refuse an automatic calendar for a manager whose team's measurement is not announced."""
    for team in Team.objects.filter(manager=manager).order_by("name"):
        state, _row = team_state(team)
        if not measurement_announced(state):
            raise InvalidInput(
                gettext_noop(
                    "A connected calendar cannot be switched on for {team} until the sellers "
                    "have been informed and the measure discussed with the employee "
                    "representatives (Working Environment Act § 9-2): record it with krutt "
                    "privacy notice or on the Privacy page."
                ),
                team=team.name,
            )


def record_notice(
    team: Team,
    *,
    informed_on: date,
    discussed_on: date,
    purpose: str,
    until: date | None,
    actor: User | None,
    actor_label: str,
    channel: str,
) -> MeasurementNotice:
    """Record that the team was informed and the measure discussed (audited)."""
    purpose = purpose.strip()
    if not purpose:
        raise InvalidInput(
            gettext_noop("Say what the measurement is for with --purpose; the letter quotes it.")
        )
    today = today_in(team.organisation)
    for day, what in ((informed_on, "--informed-on"), (discussed_on, "--discussed-on")):
        if day > today:
            raise InvalidInput(
                gettext_noop(
                    "{option} {day} is in the future; record the notice once it has happened."
                ),
                option=what,
                day=day,
            )
    if until is not None and until < informed_on:
        raise InvalidInput(
            gettext_noop("--until {until} is before the sellers were informed ({informed})."),
            until=until,
            informed=informed_on,
        )
    notice = MeasurementNotice.objects.create(
        organisation=team.organisation,
        team=team,
        informed_on=informed_on,
        discussed_on=discussed_on,
        purpose=purpose,
        until=until,
        recorded_by=actor,
    )
    record(
        action="privacy.notice",
        object_type="team",
        object_id=team.pk,
        organisation_id=team.organisation_id,
        actor_id=actor.pk if actor is not None else None,
        actor_label=actor_label,
        channel=channel,
        changes={
            "informed_on": informed_on.isoformat(),
            "discussed_on": discussed_on.isoformat(),
            "until": until.isoformat() if until else None,
        },
    )
    return notice
