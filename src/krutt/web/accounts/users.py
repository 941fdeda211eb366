"""Creating and updating the people who log in (the CLI's `krutt user add`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import gettext_noop
from krutt.web.accounts.models import Organisation, Role, User
from krutt.web.audit.trail import record
from krutt.web.sellers.models import Team


@dataclass(frozen=True, kw_only=True)
class UserSaved:
    user: User
    created: bool
    teams: list[str]


def save_user(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    name: str | None,
    teams: Sequence[str],
    password: str | None,
) -> UserSaved:
    """Create the user or update them in place; a manager or director is put over the named teams."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(gettext_noop("{value} is not an e-mail address."), value=email) from None
    if role not in {Role.MANAGER, Role.DIRECTOR, Role.ADMIN}:
        raise InvalidInput(gettext_noop("The role must be manager, director or admin."))
    if teams and role == Role.ADMIN:
        raise InvalidInput(gettext_noop("An admin is not put over teams; leave out --team."))
    user = User.objects.filter(email=email).first()
    created = user is None
    if user is None:
        user = User(email=email, organisation=organisation)
        user.set_unusable_password()
    elif user.organisation_id not in (None, organisation.pk):
        raise InvalidInput(gettext_noop("{email} belongs to another organisation."), email=email)
    user.organisation = organisation
    user.role = role
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
    user.save()
    placed = []
    for team_name in teams:
        team = Team.objects.filter(
            organisation=organisation, name__iexact=team_name.strip()
        ).first()
        if team is None:
            team = Team.objects.create(organisation=organisation, name=team_name.strip())
        if role == Role.MANAGER:
            team.manager = user
        else:
            team.director = user
        team.save()
        placed.append(team.name)
    record(
        action="user.create" if created else "user.update",
        object_type="user",
        object_id=user.pk,
        organisation_id=organisation.pk,
        channel="cli",
        changes={"role": role, "teams": placed, "password_set": password is not None},
    )
    return UserSaved(user=user, created=created, teams=placed)
