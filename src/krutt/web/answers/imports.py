"""Imports as `krutt import calendar|history|undo --json` print them and the API returns them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from krutt.domain.messages import Message
from krutt.importers.problems import Problem
from krutt.services.import_calendar import CalendarImport
from krutt.services.import_deals import DealsImport
from krutt.web.messages import render


def problems_document(problems: Sequence[Problem], lang: str) -> list[dict[str, Any]]:
    return [{"line": p.line, "message": render(p.message, lang)} for p in problems]


def summary_document(summary: Any, *, file: str, lang: str, dry_run: bool) -> dict[str, Any]:
    """`krutt import sellers|performance --json`: what a team file did (or would do)."""
    return {
        "file": file,
        "kind": summary.kind,
        "read": summary.read,
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "skipped": summary.skipped,
        "committed": summary.committed and not dry_run,
        "dry_run": dry_run,
        "problems": problems_document(summary.problems, lang),
    }


def history_document(batches: Sequence[Any], *, organisation: Any) -> list[dict[str, Any]]:
    zone = ZoneInfo(organisation.time_zone)
    return [
        {
            "batch": b.pk,
            "at": b.created_at.astimezone(zone).isoformat(timespec="seconds"),
            "kind": b.kind,
            "file": b.filename,
            "preset": b.preset,
            "by": b.created_by.email if b.created_by else None,
            "manager": b.manager.email if b.manager else None,
            "team": b.team.name if b.team else None,
            "channel": b.channel,
            "counts": {k: v for k, v in b.counts.items() if k != "scope"},
            "undone_at": b.undone_at.astimezone(zone).isoformat(timespec="seconds")
            if b.undone_at
            else None,
        }
        for b in batches
    ]


def undo_document(batch: Any, restored: Any) -> dict[str, Any]:
    return {
        "batch": batch.pk,
        "kind": batch.kind,
        "file": batch.filename,
        "removed": restored.removed,
        "restored": restored.restored,
        "actuals": restored.actuals,
        "segments_refreshed": len(restored.sellers),
    }


def calendar_json(
    outcome: CalendarImport,
    *,
    file: str,
    manager: str,
    lang: str,
    dry_run: bool,
    batch: int | None,
    warnings: Sequence[Message] = (),
) -> dict[str, Any]:
    """`krutt import calendar --json` (and each synced calendar in `krutt calendar sync`)."""
    summary, calendar, counts = outcome.summary, outcome.calendar, outcome.counts()
    zone = calendar.zone
    first = calendar.start.astimezone(zone).date()
    last = calendar.end.astimezone(zone).date() - timedelta(days=1)
    review = [
        {
            "line": item.line,
            "uid": item.uid,
            "start": item.start.astimezone(zone).isoformat() if item.start else None,
            "summary": item.summary,
            "reason": render(item.reason, lang),
            "not_read": item.not_read,
        }
        for item in outcome.review
    ]
    return {
        "file": file,
        "kind": "calendar",
        "manager": manager,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "calendar": {
            "name": outcome.name.name,
            "source": outcome.name.source or None,
            "replaced": outcome.replaced,
        },
        "events": counts["events"],
        "read": counts["read"],
        "created": counts["created"],
        "updated": counts["updated"],
        "unchanged": counts["unchanged"],
        "removed": counts["removed"],
        "skipped": counts["skipped"],
        "skipped_reasons": outcome.skipped,
        "busy": {
            "created": counts["busy_created"],
            "updated": counts["busy_updated"],
            "unchanged": counts["busy_unchanged"],
            "removed": counts["busy_removed"],
        },
        "review": review,
        "unmatched": [
            {"address": u.address, "name": u.name, "events": u.events}
            for u in getattr(outcome, "unmatched", [])
        ],
        "repairs": problems_document(calendar.repairs, lang),
        "committed": summary.committed and not dry_run,
        "dry_run": dry_run,
        "batch": batch,
        "problems": problems_document(summary.problems, lang),
        # The § 9-2 notice missing or due for review, per team (arbeidsmiljøloven).
        "warnings": [render(w, lang) for w in warnings],
    }


def deals_json(
    outcome: DealsImport, *, file: str, lang: str, dry_run: bool, batch: int | None
) -> dict[str, Any]:
    """`krutt import deals --json` (and each CRM sync in `krutt crm sync --json`): what a CRM
    export did (or would do), deal by deal kind."""
    summary, read = outcome.summary, outcome.read
    committed = summary.committed and not dry_run
    return {
        "file": file,
        "kind": "deals",
        "preset": read.preset,
        "detected": read.detected,
        "mapping": read.mapping,
        "header_line": read.header_line,
        "encoding": read.encoding,
        "read": summary.read,
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "skipped": summary.skipped,
        "skipped_rows": [{"line": s.line, "reason": render(s.reason, lang)} for s in read.skipped],
        "unknown_owners": [
            {
                "owner": u.owner,
                "lines": list(u.lines),
                "won_amount": str(u.won_amount),
                "reason": render(u.reason, lang),
            }
            for u in outcome.unknown_owners
        ],
        "months": [str(m) for m in outcome.months],
        "actuals": {
            "changed": outcome.actuals_changed,
            "unchanged": outcome.actuals_unchanged,
        },
        "segments_refreshed": len(outcome.refreshed),
        "committed": committed,
        "dry_run": dry_run,
        "batch": batch,
        "problems": problems_document(summary.problems, lang),
    }
