"""The roster through the API: create and update sellers from a roster file, as `krutt import sellers`.

An admin's file may touch the whole organisation, as the CLI's; a director's only the
teams under them, and only sellers already on those teams or new to the organisation
(a row naming anyone else is refused as a whole, without saying whom it found).
"""

from __future__ import annotations

from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import File, Query, Router, Schema, Status, UploadedFile

from krutt.domain.addresses import normalise_email
from krutt.domain.messages import Message, gettext_noop
from krutt.importers.roster import read_roster
from krutt.services.imports import ImportRejected
from krutt.web.access import teams_visible_to
from krutt.web.accounts.models import Role, User
from krutt.web.answers.imports import summary_document
from krutt.web.api.auth import only
from krutt.web.api.errors import Rejected, TooLarge, responses
from krutt.web.api.scope import language, require
from krutt.web.imports.team_files import import_roster_file
from krutt.web.messages import render
from krutt.web.sellers.models import Seller

router = Router(tags=["sellers"])
MAX_ROSTER_BYTES = 5 * 1024 * 1024


class RosterQuery(Schema):
    dry_run: bool = False
    lang: Literal["nb", "en"] | None = None


def _outside_scope(user: User, data: bytes) -> list[dict[str, Any]]:
    """The lines of a director's file that reach beyond their teams."""
    if user.role != Role.DIRECTOR or user.organisation_id is None:
        return []
    teams = set(teams_visible_to(user).values_list("name", flat=True))
    elsewhere = set(
        Seller.objects.filter(organisation_id=user.organisation_id)
        .exclude(team__name__in=teams)
        .values_list("email", flat=True)
    )
    sentence = render(Message(gettext_noop("Only sellers of your own teams can be changed."), {}))
    return [
        {"loc": ["file", row.line], "msg": sentence}
        for row in read_roster(data).rows
        if row.team not in teams or normalise_email(row.email) in elsewhere
    ]


@router.post(
    "/sellers/roster",
    response={**responses(dict[str, Any], 201), 200: dict[str, Any]},
    url_name="roster",
    auth=only(Role.DIRECTOR, Role.ADMIN),
)
def roster(request: HttpRequest, query: Query[RosterQuery], file: File[UploadedFile]) -> Any:
    """Create and update sellers from a roster CSV (`krutt import sellers --json`): 201, or 400 by line."""
    user = require(request, Role.DIRECTOR, Role.ADMIN)
    assert user.organisation is not None
    if file.size is not None and file.size > MAX_ROSTER_BYTES:
        raise TooLarge(f"The file is larger than {MAX_ROSTER_BYTES // (1024 * 1024)} MB.")
    data = file.read()
    lang = language(user, query.lang)
    name = (file.name or "sellers.csv")[:200]
    refused = _outside_scope(user, data)
    if refused:
        raise Rejected(
            render(Message(gettext_noop("The file has problems; nothing was imported."), {}), lang),
            refused,
        )
    try:
        with transaction.atomic():
            summary = import_roster_file(
                data, user.organisation, filename=name, actor=user, channel="api"
            )
            document = summary_document(summary, file=name, lang=lang, dry_run=query.dry_run)
            if query.dry_run:
                transaction.set_rollback(True)
                return Status(200, document)
    except ImportRejected as rejected:
        raise Rejected(
            render(Message(gettext_noop("The file has problems; nothing was imported."), {}), lang),
            [
                {"loc": ["file", p.line or 0], "msg": render(p.message, lang)}
                for p in rejected.summary.problems
            ],
        ) from None
    return Status(201, document)
