"""The Imports pages: upload, preview (change the format and columns), commit, history, undo.

The preview runs the whole import in a transaction that is rolled back, so it shows
exactly what the commit will do; the commit runs it again in its own transaction.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krutt.domain.errors import KruttError
from krutt.domain.messages import gettext_noop
from krutt.importers.crm_presets import FIELDS, PRESETS
from krutt.importers.deals import stream_deals
from krutt.services.import_calendar import (
    CalendarImport,
    calendar_message,
    summary_message,
)
from krutt.services.import_deals import DealsImport
from krutt.services.imports import ImportSummary
from krutt.web.access import get_or_404, sellers_managed_by
from krutt.web.accounts.models import Role, User
from krutt.web.imports.batches import batches_visible_to
from krutt.web.imports.forms import KINDS, DealChoicesForm, PeriodForm, UploadForm
from krutt.web.imports.running import run_import as _run
from krutt.web.imports.undo import undo_batch
from krutt.web.imports.unmatched import unmatched_rows
from krutt.web.imports.uploads import (
    MAX_UPLOAD_BYTES,
    TOO_LARGE,
    UploadRefused,
    discard_upload,
    keep_preview,
    kept_preview,
    store_upload,
    upload_path,
)
from krutt.web.jobs.views import queue_import
from krutt.web.messages import render as say
from krutt.web.privacy.notices import manager_warnings

CONCURRENT = gettext_noop(
    "Another import wrote the same rows at the same time; nothing of this one was written. "
    "Run it again."
)
SESSION_KEY = "krutt_uploads"
# Uploads a session keeps waiting for a commit; older ones are dropped.
PENDING = 3


def _manager(request: HttpRequest) -> User | None:
    user = request.user
    if isinstance(user, User) and user.role == Role.MANAGER and user.organisation is not None:
        return user
    return None


def _pending(request: HttpRequest) -> dict[str, dict[str, Any]]:
    found = request.session.get(SESSION_KEY)
    return found if isinstance(found, dict) else {}


def _remember(request: HttpRequest, token: str, meta: dict[str, Any]) -> None:
    pending = _pending(request)
    pending[token] = meta
    while len(pending) > PENDING:
        oldest = next(iter(pending))
        discard_upload(oldest)
        del pending[oldest]
    request.session[SESSION_KEY] = pending


def _pending_only_forget(request: HttpRequest, token: str) -> None:
    """The session lets go of the upload; the file stays for the job that imports it."""
    pending = _pending(request)
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending


def _forget(request: HttpRequest, token: str) -> None:
    pending = _pending(request)
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    discard_upload(token)


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    if user is None:
        return redirect("dashboard")
    wants_json = request.headers.get("X-Krutt-Upload") == "1"
    if request.method == "POST":
        # Refused before Django reads the body: a file over the limit is never parsed.
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD_BYTES + 64 * 1024:
            return _upload_refused(request, UploadForm(), say_text(TOO_LARGE), wants_json)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            sent = form.cleaned_data["file"]
            kind = form.cleaned_data["kind"]
            try:
                token = store_upload(kind, sent.chunks(), sent.size)
            except UploadRefused as refused:
                return _upload_refused(request, form, say_text(refused.message), wants_json)
            first, last = form.cleaned_data["first"], form.cleaned_data["last"]
            _remember(
                request,
                token,
                {
                    "kind": kind,
                    "filename": sent.name or "",
                    "preset": form.cleaned_data["preset"],
                    "mapping": {},
                    "first": first.isoformat() if first else None,
                    "last": last.isoformat() if last else None,
                },
            )
            target = f"{reverse('import_preview')}?upload={token}"
            if wants_json:
                return JsonResponse({"next": target})
            return redirect(target)
        if wants_json:
            errors = [str(e) for field in form.errors.values() for e in field]
            return JsonResponse({"errors": errors}, status=400)
    else:
        kind = request.GET.get("kind", "")
        form = UploadForm(initial={"kind": kind} if kind in dict(KINDS) else None)
    return render(
        request,
        "imports/upload.html",
        {"form": form, "limit_mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
    )


def say_text(msgid: str) -> str:
    return _(msgid)


def _upload_refused(
    request: HttpRequest, form: UploadForm, text: str, wants_json: bool
) -> HttpResponse:
    if wants_json:
        return JsonResponse({"errors": [text]}, status=400)
    form.errors.setdefault("__all__", form.error_class()).append(text)
    return render(
        request,
        "imports/upload.html",
        {"form": form, "limit_mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
        status=400,
    )


def _upload(request: HttpRequest, token: str) -> tuple[dict[str, Any], bytes] | None:
    meta = _pending(request).get(token)
    path = upload_path(token)
    if meta is None or path is None:
        return None
    return meta, path.read_bytes()


@login_required
def preview(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    if user is None:
        return redirect("dashboard")
    token = request.GET.get("upload") or request.POST.get("upload") or ""
    found = _upload(request, token)
    if found is None:
        messages.error(request, _("That upload is no longer here; please upload the file again."))
        return redirect("imports")
    meta, data = found
    if request.method == "POST":
        _change_choices(request, token, meta, data)
        return redirect(f"{reverse('import_preview')}?upload={token}")
    outcome = kept_preview(token, meta)
    if outcome is None:
        try:
            outcome, _batch = _run(user, meta, data, commit=False)
        except KruttError as error:
            messages.error(request, say(error.message))
            return redirect("imports")
        keep_preview(token, meta, outcome)
    context: dict[str, Any] = {"token": token, "meta": meta, "outcome": outcome}
    if isinstance(outcome, ImportSummary):
        context["problems"] = _problem_rows(outcome.problems)
    elif isinstance(outcome, DealsImport):
        context.update(_deals_context(user, meta, outcome))
    else:
        context.update(_calendar_context(user, outcome))
        context.update(unmatched_rows(user, getattr(outcome, "unmatched", [])))
    return render(request, "imports/preview.html", context)


def _change_choices(request: HttpRequest, token: str, meta: dict[str, Any], data: bytes) -> None:
    if meta["kind"] == "calendar":
        period = PeriodForm(request.POST)
        if period.is_valid():
            meta["first"] = period.cleaned_data["first"].isoformat()
            meta["last"] = period.cleaned_data["last"].isoformat()
        else:
            messages.error(request, _("Give a period whose end is not before its start."))
    else:
        read = stream_deals(
            data, preset=meta["preset"], mapping=meta["mapping"], filename=meta["filename"]
        ).result([])
        form = DealChoicesForm(request.POST, headers=read.headers)
        if form.is_valid():
            preset = form.cleaned_data["preset"]
            if preset != meta["preset"]:
                meta["preset"], meta["mapping"] = preset, {}
            else:
                chosen = form.mapping()
                # Only what the manager changed becomes a choice; the rest stays krutt's.
                meta["mapping"] = {
                    name: header
                    for name, header in chosen.items()
                    if name in meta["mapping"] or header != read.mapping.get(name)
                }
    _remember(request, token, meta)


def _deals_context(user: User, meta: dict[str, Any], outcome: DealsImport) -> dict[str, Any]:
    read = outcome.read
    names = dict(sellers_managed_by(user).values_list("id", "name"))
    initial = {"preset": meta["preset"]}
    initial.update({f"map_{name}": header for name, header in read.mapping.items()})
    form = DealChoicesForm(initial=initial, headers=read.headers)
    return {
        "choices": form,
        "columns": [(name, form[f"map_{name}"]) for name in FIELDS],
        "crm": _(PRESETS[read.preset].name) if read.preset in PRESETS else "",
        "rows": [
            {
                "line": p.deal.line,
                "name": p.deal.name,
                "owner": p.deal.owner or p.deal.owner_email or "",
                "seller": names.get(p.seller_id) if p.seller_id is not None else None,
                "amount": p.deal.amount,
                "currency": p.deal.currency or "",
                "status": p.deal.status.value,
                "closed_on": p.deal.closed_on,
            }
            for p in outcome.preview
        ],
        "problems": _problem_rows(outcome.summary.problems),
        "skipped": [(s.line, say(s.reason)) for s in read.skipped],
        "unknown": [
            {
                "owner": u.owner,
                "lines": ", ".join(str(n) for n in u.lines[:20]),
                "more": len(u.lines) > 20,
                "amount": u.won_amount,
                "reason": say(u.reason),
            }
            for u in outcome.unknown_owners
        ],
        "months": [str(m) for m in outcome.months],
    }


def _calendar_context(user: User, outcome: CalendarImport) -> dict[str, Any]:
    calendar = outcome.calendar
    zone = calendar.zone
    names = dict(sellers_managed_by(user).values_list("id", "name"))
    first = calendar.start.astimezone(zone).date()
    last = calendar.end.astimezone(zone).date() - timedelta(days=1)
    return {
        "period": PeriodForm(initial={"first": first, "last": last}),
        "first": first,
        "last": last,
        "rows": [
            {
                "start": m.record.started_at.astimezone(zone),
                "minutes": m.record.minutes,
                "activity": m.record.activity.value,
                "summary": m.summary,
                "sellers": ", ".join(names.get(s, "?") for s in m.record.seller_ids),
            }
            for m in outcome.preview
        ],
        "problems": _problem_rows(outcome.summary.problems),
        "review": [
            {
                "start": r.start.astimezone(zone) if r.start else None,
                "summary": r.summary,
                "reason": say(r.reason),
                "line": r.line,
                "not_read": r.not_read,
            }
            for r in outcome.review
        ],
        "skipped": sorted(outcome.skipped.items()),
        "calendar_name": say(named) if (named := calendar_message(outcome)) else "",
        "summary": say(summary_message(outcome.counts())),
        "notice_warnings": manager_warnings(user),
    }


def _problem_rows(problems: list[Any]) -> list[tuple[int, str]]:
    return [(p.line, say(p.message)) for p in problems]


@login_required
@require_POST
def commit(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    if user is None:
        return redirect("dashboard")
    token = request.POST.get("upload") or ""
    found = _upload(request, token)
    if found is None:
        messages.error(request, _("That upload is no longer here; please upload the file again."))
        return redirect("imports")
    meta, data = found
    if len(data) > settings.KRUTT_IMPORT_INLINE_BYTES:
        # A big file is imported by a worker; the page follows it with a progress bar.
        job = queue_import(user, token, meta)
        _pending_only_forget(request, token)
        return redirect(f"{reverse('import_job')}?job={job.pk}")
    try:
        outcome, batch = _run(user, meta, data, commit=True)
    except KruttError as error:
        messages.error(request, say(error.message))
        return redirect(f"{reverse('import_preview')}?upload={token}")
    except IntegrityError:
        messages.error(request, say_text(CONCURRENT))
        return redirect(f"{reverse('import_preview')}?upload={token}")
    summary = outcome if isinstance(outcome, ImportSummary) else outcome.summary
    if summary.problems:
        messages.error(request, _("The file has problems; nothing was imported."))
        return redirect(f"{reverse('import_preview')}?upload={token}")
    _forget(request, token)
    if isinstance(outcome, ImportSummary):
        messages.success(
            request,
            _(
                "%(file)s is imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged."
            )
            % {
                "file": meta["filename"],
                "created": outcome.created,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
            },
        )
        return redirect("team_setup")
    if batch is None:
        messages.success(request, _("Nothing changed: krutt already has what this file holds."))
    elif isinstance(outcome, CalendarImport):
        messages.success(
            request,
            _("Import %(id)s of %(file)s is done.") % {"id": batch.pk, "file": batch.filename}
            + " "
            + say(summary_message(outcome.counts())),
        )
        for warning in manager_warnings(user):
            messages.warning(request, say(warning))
    else:
        messages.success(
            request,
            _("Import %(id)s of %(file)s is done: %(created)s new, %(updated)s changed.")
            % {
                "id": batch.pk,
                "file": batch.filename,
                "created": outcome.summary.created,
                "updated": outcome.summary.updated,
            },
        )
    return redirect("import_history")


@login_required
def history(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    if user is None:
        return redirect("dashboard")
    batches = list(
        batches_visible_to(user)
        .select_related("created_by", "team", "undone_by")
        .order_by("-created_at", "-id")[:200]
    )
    rows = [
        {
            "batch": b,
            # A calendar import changes entries and busy time: both, from the one summary.
            "summary": say(summary_message(b.counts)) if b.kind == "calendar" else "",
        }
        for b in batches
    ]
    return render(request, "imports/history.html", {"batches": batches, "rows": rows})


@login_required
@require_POST
def undo(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = _manager(request)
    batch = get_or_404(batches_visible_to(user), pk=batch_id)
    assert user is not None
    try:
        with transaction.atomic():
            _undone, restored = undo_batch(
                batches_visible_to(user), batch.pk, actor=user, channel="web"
            )
    except KruttError as error:
        messages.error(request, say(error.message))
    else:
        messages.success(
            request,
            _("Import %(id)s is undone: %(removed)s rows removed, %(restored)s put back.")
            % {"id": batch.pk, "removed": restored.removed, "restored": restored.restored},
        )
    return redirect("import_history")
