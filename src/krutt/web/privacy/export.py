"""Everything krutt holds about one seller (GDPR Art. 15 and 20), as one document and a ZIP.

`seller_document` reads every table that refers to the seller; `TABLES_ABOUT_A_SELLER`
names them with the section that carries their rows, and a test walks Django's model
graph so that a new table pointing at `Seller` cannot be left out. Nothing about another
person is included: a time entry shared with colleagues says how many others were there,
never who, and its note (which may name them) is withheld.
"""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from krutt.exporters.seller_archive import seller_archive
from krutt.web.audit.models import AuditEvent
from krutt.web.audit.trail import record
from krutt.web.imports.models import Deal
from krutt.web.messages import decode_message, in_language, render
from krutt.web.planning.models import PlannedSlot
from krutt.web.sellers.models import (
    MonthlyResult,
    SegmentOverride,
    SegmentPeriod,
    Seller,
    SellerAlias,
    SellerNote,
)
from krutt.web.support.models import SupportDecision, SupportLogEntry, SupportPlan
from krutt.web.timelog.models import RunningTimer, TimeEntrySeller

SECTIONS = (
    "seller",
    "employment",
    "performance",
    "deals",
    "segments",
    "overrides",
    "time_entries",
    "support",
    "notes",
    "audit",
)

# Every table with a foreign key to Seller, and the section its rows are exported in.
TABLES_ABOUT_A_SELLER = {
    "accounts.User": "seller",
    "sellers.SellerAlias": "seller",
    "sellers.MonthlyResult": "performance",
    "imports.Deal": "deals",
    "sellers.SegmentPeriod": "segments",
    "sellers.SegmentOverride": "overrides",
    "timelog.TimeEntrySeller": "time_entries",
    "timelog.RunningTimer_sellers": "time_entries",
    "planning.PlannedSlot": "time_entries",
    "support.SupportPlan": "support",
    "support.SupportLogEntry": "support",
    "support.SupportDecision": "support",
    "sellers.SellerNote": "notes",
}


def login_of(seller: Seller) -> Any:
    """The seller's own login, if they have one."""
    return getattr(seller, "login", None)


def _who(user: Any) -> str:
    if user is None:
        return ""
    return str(user.name or user.email)


def _fraction(text: str) -> str | None:
    return f"{float(Fraction(text)):.4f}" if text else None


def _at(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def seller_document(seller: Seller) -> dict[str, Any]:
    """The seller's data by section (stable keys, `SECTIONS`), in the active language."""
    login = login_of(seller)
    document: dict[str, Any] = {
        "seller": {
            "id": seller.pk,
            "name": seller.name,
            "email": seller.email,
            "aliases": list(
                SellerAlias.objects.filter(seller=seller)
                .order_by("email")
                .values_list("email", flat=True)
            ),
            "team": seller.team.name,
            "login": None
            if login is None
            else {
                "email": login.email,
                "role": login.role,
                "language": login.language,
                "date_joined": _at(login.date_joined),
                "last_login": _at(login.last_login),
            },
        },
        "employment": {
            "started_on": _iso(seller.started_on),
            "ended_on": _iso(seller.ended_on),
            "team": seller.team.name,
        },
        "performance": [
            {
                "month": month.strftime("%Y-%m"),
                "target": target,
                "actual": actual,
                "attainment": f"{float(actual / target):.4f}"
                if target and actual is not None
                else None,
            }
            for month, target, actual in MonthlyResult.objects.filter(seller=seller)
            .order_by("month")
            .values_list("month", "target", "actual")
        ],
        "deals": [
            {
                "id": d.pk,
                "source": d.source,
                "key": d.key,
                "owner": d.owner,
                "name": d.name,
                "account": d.account,
                "amount": d.amount,
                "currency": d.currency,
                "status": d.status,
                "stage": d.stage,
                "closed_on": _iso(d.closed_on),
                "created_on": _iso(d.created_on),
            }
            for d in Deal.objects.filter(seller=seller).order_by("closed_on", "pk")
        ],
        "segments": [
            {
                "id": p.pk,
                "valid_from": _iso(p.valid_from),
                "valid_until": _iso(p.valid_until),
                "segment": p.segment,
                "source": p.source,
                "reason": render(decode_message(p.reason)),
                "attainment": _fraction(p.attainment),
                "months_of_data": p.months_of_data,
            }
            for p in SegmentPeriod.objects.filter(seller=seller).order_by("valid_from")
        ],
        "overrides": [
            {
                "id": o.pk,
                "segment": o.segment,
                "reason": o.reason,
                "starts_on": _iso(o.starts_on),
                "expires_on": _iso(o.expires_on),
                "decided_by": _who(o.created_by),
                "created_at": _at(o.created_at),
                "withdrawn_at": _at(o.withdrawn_at),
            }
            for o in SegmentOverride.objects.filter(seller=seller)
            .select_related("created_by")
            .order_by("created_at", "pk")
        ],
        "time_entries": _time_entries(seller),
        "support": _support(seller),
        "notes": [
            {
                "id": n.pk,
                "text": n.text,
                "author": _who(n.author),
                "created_at": _at(n.created_at),
            }
            for n in SellerNote.objects.filter(seller=seller)
            .select_related("author")
            .order_by("created_at", "pk")
        ],
        "audit": _audit(seller, login),
    }
    return document


def _time_entries(seller: Seller) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for link in (
        TimeEntrySeller.objects.filter(seller=seller)
        .select_related("entry__manager")
        .order_by("entry__started_at", "entry_id")
    ):
        entry = link.entry
        shared = entry.seller_count > 1
        rows.append(
            {
                "record": "time_entry",
                "id": entry.pk,
                "day": _iso(entry.day),
                "started_at": _at(entry.started_at),
                "minutes": entry.minutes,
                "activity": entry.activity,
                "source": entry.source,
                "manager": _who(entry.manager),
                "other_sellers": entry.seller_count - 1,
                # A shared entry's note may be about the colleagues too: withheld (README).
                "note": "" if shared else entry.note,
                "note_withheld": shared and bool(entry.note),
                "energy": entry.energy,
            }
        )
    for slot in (
        PlannedSlot.objects.filter(seller=seller)
        .select_related("manager")
        .order_by("starts_at", "pk")
    ):
        rows.append(
            {
                "record": "planned_session",
                "id": slot.pk,
                "day": _iso(timezone.localtime(slot.starts_at).date()),
                "started_at": _at(slot.starts_at),
                "minutes": int((slot.ends_at - slot.starts_at).total_seconds() // 60),
                "activity": slot.activity,
                "source": "plan",
                "manager": _who(slot.manager),
                "cancelled": slot.cancelled,
            }
        )
    for timer in RunningTimer.objects.filter(sellers=seller).select_related("manager"):
        rows.append(
            {
                "record": "running_timer",
                "id": timer.pk,
                "started_at": _at(timer.started_at),
                "activity": timer.activity,
                "manager": _who(timer.manager),
                "other_sellers": timer.sellers.count() - 1,
            }
        )
    return rows


def _support(seller: Seller) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for plan in (
        SupportPlan.objects.filter(seller=seller)
        .select_related("created_by")
        .prefetch_related("actions")
        .order_by("started_on", "pk")
    ):
        rows.append(
            {
                "record": "plan",
                "id": plan.pk,
                "goal": plan.goal,
                "started_on": _iso(plan.started_on),
                "review_on": _iso(plan.review_on),
                "written_by": _who(plan.created_by),
                "created_at": _at(plan.created_at),
            }
        )
        for action in plan.actions.order_by("pk"):
            rows.append(
                {
                    "record": "plan_action",
                    "id": action.pk,
                    "plan": plan.pk,
                    "kind": action.kind,
                    "description": action.description,
                    "minutes": action.minutes,
                }
            )
    for entry in (
        SupportLogEntry.objects.filter(seller=seller)
        .select_related("created_by")
        .order_by("day", "pk")
    ):
        rows.append(
            {
                "record": "support_given",
                "id": entry.pk,
                "day": _iso(entry.day),
                "kind": entry.kind,
                "minutes": entry.minutes,
                "note": entry.note,
                "written_by": _who(entry.created_by),
            }
        )
    for decision in (
        SupportDecision.objects.filter(seller=seller)
        .select_related("created_by")
        .order_by("decided_on", "pk")
    ):
        rows.append(
            {
                "record": "decision",
                "id": decision.pk,
                "decision": decision.decision,
                "decided_on": _iso(decision.decided_on),
                "reason": decision.reason,
                "written_by": _who(decision.created_by),
            }
        )
    return rows


def audit_events_about(seller: Seller, login: Any = None) -> Q:
    """The audit events about the seller: on their row, on their login, or naming them."""
    about = Q(object_type="seller", object_id=str(seller.pk)) | Q(changes__seller=seller.pk)
    if login is not None:
        about |= Q(object_type="user", object_id=str(login.pk))
    return about & Q(organisation_id=seller.organisation_id)


def _audit(seller: Seller, login: Any) -> list[dict[str, Any]]:
    return [
        {
            "at": _at(e.at),
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "channel": e.channel,
            "by": e.actor_label,
            "changes": e.changes,
        }
        for e in AuditEvent.objects.filter(audit_events_about(seller, login)).order_by("at", "pk")
    ]


def readme(seller: Seller) -> str:
    """What each file of the archive holds, in the active language."""
    lines = [
        _("Everything krutt holds about %(name)s, exported %(day)s.")
        % {"name": seller.name, "day": timezone.localdate().isoformat()},
        "",
        _(
            "seller.json holds all of it in one document; each section is also a CSV file "
            "that opens in a spreadsheet."
        ),
        "",
    ]
    described = {
        "seller": _("Your name, e-mail, other addresses krutt knows you by, team and login."),
        "employment": _("When you started and (if so) left, and your team."),
        "performance": _("Your monthly targets and results as imported, and their ratio."),
        "deals": _("The deals the CRM export credited to you."),
        "segments": _("Your segment month by month, with the reason krutt gave."),
        "overrides": _("Your manager's decisions to set your segment by hand, with reasons."),
        "time_entries": _(
            "The time your manager recorded with you, planned sessions and running timers. "
            "For a meeting with colleagues only their number is given, and its note is "
            "withheld because it may be about them."
        ),
        "support": _("Support plans, their actions, the support given and the decisions."),
        "notes": _(
            "Your manager's private notes about you. They are not shown on your page in "
            "krutt, but the law gives you a copy."
        ),
        "audit": _("Who changed or exported your data, and when."),
    }
    for key in SECTIONS:
        lines.append(f"{key}.csv: {described[key]}")
    lines += [
        "",
        _(
            "You may ask for wrong data to be corrected, object to the measurement, or ask "
            "for erasure once you have left; ask your manager or the organisation's admin."
        ),
        "",
    ]
    return "\n".join(lines)


def export_seller(
    seller: Seller, *, language: str, actor_id: int | None, actor_label: str, channel: str
) -> bytes:
    """The ZIP for one seller in `language`; recorded in the audit trail (who, when, for whom)."""
    with in_language(language):
        document = seller_document(seller)
        archive = seller_archive(document=document, readme=readme(seller))
    record(
        action="privacy.export",
        object_type="seller",
        object_id=seller.pk,
        organisation_id=seller.organisation_id,
        actor_id=actor_id,
        actor_label=actor_label,
        channel=channel,
        changes={section: _count(document[section]) for section in SECTIONS},
    )
    return archive


def _count(section: Any) -> int:
    return len(section) if isinstance(section, list) else 1


def seller_language(seller: Seller) -> str:
    """The seller's own language (their login's), else their organisation's."""
    login = login_of(seller)
    return str(
        (login.language if login is not None else "") or seller.organisation.language or "nb"
    )
