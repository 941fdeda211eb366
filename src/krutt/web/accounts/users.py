"""Creating and updating the people who log in (the CLI's `krutt user add`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from krutt.domain.addresses import normalise_email
from krutt.domain.errors import InvalidInput
from krutt.domain.limits import (
    EMAIL_FIELD,
    EMAIL_MAX,
    NAME_FIELD,
    NAME_MAX,
    TEAM_FIELD,
    TEAM_NAME_MAX,
    within_limit,
)
from krutt.domain.messages import gettext_noop
from krutt.web.accounts.models import Organisation, Role, User
from krutt.web.audit.trail import record
from krutt.web.sellers.models import Seller, Team
from krutt.web.sellers.repositories import seller_ids_by_address


@dataclass(frozen=True, kw_only=True)
class TeamMoved:
    """A team taken from the manager or director it was under."""

    team: str
    previous: str


@dataclass(frozen=True, kw_only=True)
class UserSaved:
    user: User
    created: bool
    teams: list[str]
    new_teams: list[str] = field(default_factory=list)
    moved: list[TeamMoved] = field(default_factory=list)


def save_user(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    name: str | None,
    teams: Sequence[str],
    password: str | None,
) -> UserSaved:
    """Create the user or update them in place; a manager or director is put over the named teams.

    A team not found by name is created and one under someone else is moved; both are
    reported back so the CLI can say so. A manager keeps the role while managing a team.
    """
    email = within_limit(normalise_email(email), limit=EMAIL_MAX, field=EMAIL_FIELD)
    if name is not None:
        within_limit(name.strip(), limit=NAME_MAX, field=NAME_FIELD)
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(gettext_noop("{value} is not an e-mail address."), value=email) from None
    if role not in {Role.MANAGER, Role.DIRECTOR, Role.ADMIN, Role.SELLER}:
        raise InvalidInput(gettext_noop("The role must be manager, director, admin or seller."))
    if teams and role == Role.ADMIN:
        raise InvalidInput(gettext_noop("An admin is not put over teams; leave out --team."))
    if teams and role == Role.SELLER:
        raise InvalidInput(gettext_noop("A seller's team comes from the roster; leave out --team."))
    on_roster = _roster_seller(organisation, email) if role == Role.SELLER else None
    user = User.objects.filter(email=email).first()
    created = user is None
    if user is None:
        user = User(email=email, organisation=organisation)
        user.set_unusable_password()
    elif user.organisation_id not in (None, organisation.pk):
        raise InvalidInput(gettext_noop("{email} belongs to another organisation."), email=email)
    if user.pk is not None and role != Role.MANAGER:
        _refuse_leaving_teams_without_a_manager(user, organisation, role)
    user.organisation = organisation
    user.role = role
    user.seller = on_roster
    if on_roster is not None and not user.name and name is None:
        user.name = on_roster.name
    if name is not None:
        user.name = name.strip()
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise InvalidInput(
                gettext_noop("The password was refused: {reasons}"),
                reasons=" ".join(error.messages),
            ) from None
        user.set_password(password)
    placements = _placements(organisation, teams)
    user.save()
    placed: list[str] = []
    new_teams: list[str] = []
    moved: list[TeamMoved] = []
    moved_from: dict[str, int] = {}
    for team_name, team in placements:
        if team is None:
            team = Team(organisation=organisation, name=team_name)
            new_teams.append(team_name)
        field_name = "manager" if role == Role.MANAGER else "director"
        previous: User | None = getattr(team, field_name)
        if previous is not None and previous.pk != user.pk:
            moved.append(TeamMoved(team=team.name, previous=previous.email))
            moved_from[team.name] = previous.pk
        setattr(team, field_name, user)
        team.save()
        placed.append(team.name)
    record(
        action="user.create" if created else "user.update",
        object_type="user",
        object_id=user.pk,
        organisation_id=organisation.pk,
        channel="cli",
        changes={
            "role": role,
            "teams": placed,
            "new_teams": new_teams,
            "moved_from": moved_from,
            "password_set": password is not None,
            **({"seller": on_roster.pk} if on_roster is not None else {}),
        },
    )
    return UserSaved(user=user, created=created, teams=placed, new_teams=new_teams, moved=moved)


def _roster_seller(organisation: Organisation, email: str) -> Seller:
    """The roster row a seller's login belongs to: their e-mail or one of their aliases."""
    seller_id = seller_ids_by_address(organisation).get(email)
    if seller_id is None:
        raise InvalidInput(
            gettext_noop(
                "{email} is not on the roster; a seller's login needs their roster e-mail "
                "(krutt import sellers FILE)."
            ),
            email=email,
        )
    seller: Seller = Seller.objects.get(pk=seller_id)
    taken = User.objects.filter(seller=seller).exclude(email=email).first()
    if taken is not None:
        raise InvalidInput(
            gettext_noop("{name} already logs in as {email}."), name=seller.name, email=taken.email
        )
    return seller


def _refuse_leaving_teams_without_a_manager(
    user: User, organisation: Organisation, role: str
) -> None:
    """A team's manager must be a manager: otherwise its sellers and time reach nobody."""
    managed = list(
        Team.objects.filter(organisation=organisation, manager=user)
        .order_by("name")
        .values_list("name", flat=True)
    )
    if managed:
        raise InvalidInput(
            gettext_noop(
                "{email} manages {teams}; give those teams to another manager first "
                "(krutt user add EMAIL --role manager --team TEAM), then make them {role}."
            ),
            email=user.email,
            teams=", ".join(managed),
            role=role,
        )


def _placements(organisation: Organisation, names: Sequence[str]) -> list[tuple[str, Team | None]]:
    """The named teams, each once: the existing team by name (any case), else None for a new one."""
    # Matched in Python: SQLite's case-insensitive comparison knows only ASCII, so
    # "salg øst" would not find "Salg Øst" and would make a second team.
    existing = {
        team.name.casefold(): team
        for team in Team.objects.select_related("manager", "director").filter(
            organisation=organisation
        )
    }
    found: list[tuple[str, Team | None]] = []
    seen: set[str] = set()
    for raw in names:
        team_name = raw.strip()
        if not team_name:
            raise InvalidInput(gettext_noop("A team needs a name; --team was empty."))
        within_limit(team_name, limit=TEAM_NAME_MAX, field=TEAM_FIELD)
        key = team_name.casefold()
        if key not in seen:
            seen.add(key)
            found.append((team_name, existing.get(key)))
    return found
