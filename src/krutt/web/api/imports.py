"""A manager's import history and undo, as `krutt import history|undo --json` give them."""

from __future__ import annotations

from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile

from krutt.domain.messages import Message, gettext_noop
from krutt.domain.periods import parse_day
from krutt.services.import_calendar import CalendarRejected
from krutt.web.access import get_or_404
from krutt.web.accounts.models import Role
from krutt.web.answers.imports import calendar_json, history_document, undo_document
from krutt.web.api.auth import only
from krutt.web.api.errors import Rejected, TooLarge, responses
from krutt.web.api.people import Page
from krutt.web.api.schemas import DAY
from krutt.web.api.scope import language, require
from krutt.web.imports.batches import batches_visible_to
from krutt.web.imports.calendar import import_calendar_file
from krutt.web.imports.undo import undo_batch
from krutt.web.imports.uploads import MAX_UPLOAD_BYTES
from krutt.web.messages import render
from krutt.web.privacy.notices import manager_warnings

router = Router(tags=["imports"])


class CalendarQuery(Schema):
    first: str | None = Field(default=None, alias="from", pattern=DAY)
    last: str | None = Field(default=None, alias="to", pattern=DAY)
    calendar: str | None = Field(default=None, max_length=200)
    dry_run: bool = False
    lang: Literal["nb", "en"] | None = None


@router.post(
    "/imports/calendar",
    response={**responses(dict[str, Any], 201), 200: dict[str, Any]},
    url_name="import_calendar",
    auth=only(Role.MANAGER),
)
def import_calendar(
    request: HttpRequest, query: Query[CalendarQuery], file: File[UploadedFile]
) -> Any:
    """Import the manager's calendar (.ics), as `krutt import calendar --json`: 201 with its batch.

    A file with problems imports nothing: 400, each problem with its line. `dry_run=true`
    answers 200 with what would change and writes nothing.
    """
    user = require(request, Role.MANAGER)
    assert user.organisation is not None
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise TooLarge(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    data = file.read()
    lang = language(user, query.lang)
    try:
        with transaction.atomic():
            outcome, batch = import_calendar_file(
                data,
                user.organisation,
                manager=user,
                filename=(file.name or "calendar.ics")[:200],
                first=parse_day(query.first) if query.first else None,
                last=parse_day(query.last) if query.last else None,
                actor=user,
                channel="api",
                calendar=query.calendar,
            )
            document = calendar_json(
                outcome,
                file=file.name or "calendar.ics",
                manager=user.email,
                lang=lang,
                dry_run=query.dry_run,
                batch=None if query.dry_run or batch is None else batch.pk,
                warnings=manager_warnings(user),
            )
            if query.dry_run:
                transaction.set_rollback(True)
                return Status(200, document)
    except CalendarRejected as rejected:
        problems = rejected.result.summary.problems
        raise Rejected(
            render(Message(gettext_noop("The file has problems; nothing was imported."), {}), lang),
            [{"loc": ["file", p.line or 0], "msg": render(p.message, lang)} for p in problems],
        ) from None
    return Status(201, document)


class DealsQuery(Schema):
    preset: Literal[
        "auto",
        "salesforce",
        "hubspot",
        "pipedrive",
        "superoffice",
        "dynamics",
        "odoo",
        "zoho",
        "generic",
    ] = "auto"
    dry_run: bool = False
    lang: Literal["nb", "en"] | None = None


@router.post(
    "/imports/deals",
    response={**responses(dict[str, Any], 201), 200: dict[str, Any]},
    url_name="import_deals",
    auth=only(Role.MANAGER),
)
def import_deals(request: HttpRequest, query: Query[DealsQuery], file: File[UploadedFile]) -> Any:
    """Import a CRM export (CSV or XLSX) for the manager's sellers, as `krutt import deals --json`.

    A file with problems imports nothing: 400, each problem with its line. `dry_run=true`
    answers 200 with what would change and writes nothing.
    """
    from krutt.services.import_deals import DealsRejected
    from krutt.web.access import sellers_managed_by
    from krutt.web.answers.imports import deals_json
    from krutt.web.imports.deals import import_deals_file

    user = require(request, Role.MANAGER)
    assert user.organisation is not None
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise TooLarge(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    data = file.read()
    lang = language(user, query.lang)
    name = (file.name or "deals.csv")[:200]
    try:
        with transaction.atomic():
            outcome, batch = import_deals_file(
                data,
                user.organisation,
                filename=name,
                preset=query.preset,
                sellers=sellers_managed_by(user),
                actor=user,
                channel="api",
            )
            document = deals_json(
                outcome,
                file=name,
                lang=lang,
                dry_run=query.dry_run,
                batch=None if query.dry_run or batch is None else batch.pk,
            )
            if query.dry_run:
                transaction.set_rollback(True)
                return Status(200, document)
    except DealsRejected as rejected:
        raise Rejected(
            render(Message(gettext_noop("The file has problems; nothing was imported."), {}), lang),
            [
                {"loc": ["file", p.line or 0], "msg": render(p.message, lang)}
                for p in rejected.result.summary.problems
            ],
        ) from None
    return Status(201, document)


@router.get(
    "/imports",
    response=responses(list[dict[str, Any]]),
    url_name="imports",
    auth=only(Role.MANAGER),
)
def history(request: HttpRequest, page: Query[Page]) -> Any:
    """The manager's imports, newest first: who, when, which file, what it did, undone or not."""
    user = require(request, Role.MANAGER)
    batches = (
        batches_visible_to(user)
        .select_related("created_by", "manager", "team")
        .order_by("-created_at", "-id")
    )
    return history_document(
        list(batches[page.offset : page.offset + page.limit]), organisation=user.organisation
    )


@router.post(
    "/imports/{batch_id}/undo",
    response=responses(dict[str, Any]),
    url_name="import_undo",
    auth=only(Role.MANAGER),
)
def undo(request: HttpRequest, batch_id: int) -> Any:
    """Put back exactly what an import changed; refused while a later import builds on it."""
    user = require(request, Role.MANAGER)
    batch = get_or_404(batches_visible_to(user), pk=batch_id)
    with transaction.atomic():
        undone, restored = undo_batch(batches_visible_to(user), batch.pk, actor=user, channel="api")
    return undo_document(undone, restored)
