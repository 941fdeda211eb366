"""Erasing a seller (GDPR Art. 17) while every past report stays as it was.

Removed: the name and e-mail (the seller becomes «Tidligere selger 7»), aliases, their
login, private notes, the texts of support plans, support given and decisions, override
reasons, the notes of time entries with them, the owner name on their deals (also in the
before-images that undo keeps) and their sign-in attempts. Kept: the time entries and
monthly numbers, so the team's hours and shares do not move. Audit events that hold an
erased value are masked through the one deliberate erasure path (`AuditErasureGate`),
and the erasure itself is recorded with the masked name (`K*** N***`), the reason and who.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog  # type: ignore[import-untyped]
from django.db import connection
from django.db.models import Q

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import Message, gettext_noop
from krutt.web.accounts.models import User
from krutt.web.audit.models import AuditErasureGate, AuditEvent
from krutt.web.audit.trail import record
from krutt.web.clock import today_in
from krutt.web.imports.models import Deal, ImportChange
from krutt.web.messages import render
from krutt.web.sellers.models import SegmentOverride, Seller, SellerAlias, SellerNote
from krutt.web.support.models import (
    SupportDecision,
    SupportLogEntry,
    SupportPlan,
    SupportPlanAction,
)
from krutt.web.timelog.models import TimeEntry

PSEUDONYM = gettext_noop("Former seller {number}")


@dataclass(frozen=True, kw_only=True)
class Erasure:
    seller_id: int
    masked: str
    pseudonym: str
    dry_run: bool
    removed: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "seller": self.seller_id,
            "masked": self.masked,
            "pseudonym": self.pseudonym,
            "dry_run": self.dry_run,
            "removed": self.removed,
        }


def mask(name: str) -> str:
    """«Kari Nordmann» → «K*** N***»: enough to recognise a record, not to read the name."""
    return " ".join(f"{word[0]}***" for word in name.split()) or "***"


def _masked_text(text: str, values: list[str], masked: str) -> str:
    lowered = text.casefold()
    for value in values:
        start = lowered.find(value.casefold())
        while start >= 0:
            text = text[:start] + masked + text[start + len(value) :]
            lowered = text.casefold()
            start = lowered.find(value.casefold(), start + len(masked))
    return text


def _masked_json(value: Any, values: list[str], masked: str) -> Any:
    if isinstance(value, str):
        return _masked_text(value, values, masked)
    if isinstance(value, list):
        return [_masked_json(v, values, masked) for v in value]
    if isinstance(value, dict):
        return {k: _masked_json(v, values, masked) for k, v in value.items()}
    return value


def _holds(value: Any, values: list[str]) -> bool:
    text = json.dumps(value, ensure_ascii=False).casefold()
    return any(v.casefold() in text for v in values)


def erase_seller(
    seller: Seller,
    *,
    reason: str,
    force: bool,
    dry_run: bool,
    actor_id: int | None,
    actor_label: str,
    channel: str,
) -> Erasure:
    """Erase the seller's identity and texts; `dry_run` counts what would go and writes nothing."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput(gettext_noop("Say why with --reason; the audit trail keeps it."))
    organisation = seller.organisation
    today = today_in(organisation)
    if (seller.ended_on is None or seller.ended_on >= today) and not force:
        raise InvalidInput(
            gettext_noop(
                "{name} has not left (no end date before today); a current seller is erased "
                "only with --force and a reason."
            ),
            name=seller.name,
        )
    if seller.email.endswith("@erased.invalid"):
        raise InvalidInput(gettext_noop("Seller {id} has been erased already."), id=seller.pk)
    aliases = list(SellerAlias.objects.filter(seller=seller).values_list("email", flat=True))
    values = sorted({seller.name, seller.email, *aliases} - {""}, key=len, reverse=True)
    emails = [seller.email, *aliases]
    masked = mask(seller.name)
    pseudonym = render(Message(PSEUDONYM, {"number": seller.pk}), organisation.language or "nb")

    plans = SupportPlan.objects.filter(seller=seller)
    entries = TimeEntry.objects.filter(links__seller=seller).exclude(note="")
    changes = [
        c
        for c in ImportChange.objects.filter(table="deal", batch__organisation=organisation)
        if _holds(c.before, values) or _holds(c.after, values)
    ]
    events = [
        e
        for e in AuditEvent.objects.filter(
            Q(organisation_id=organisation.pk) | Q(organisation_id__isnull=True)
        )
        if _holds(e.actor_label, values) or _holds(e.changes, values) or e.object_id in values
    ]
    attempts = Q(username__in=emails)
    removed = {
        "name_and_email": 1,
        "aliases": len(aliases),
        "login": User.objects.filter(seller=seller).count(),
        "private_notes": SellerNote.objects.filter(seller=seller).count(),
        "support_plan_texts": plans.count()
        + SupportPlanAction.objects.filter(plan__in=plans).count(),
        "support_given_notes": SupportLogEntry.objects.filter(seller=seller)
        .exclude(note="")
        .count(),
        "decision_reasons": SupportDecision.objects.filter(seller=seller).count(),
        "override_reasons": SegmentOverride.objects.filter(seller=seller).count(),
        "time_entry_notes": entries.count(),
        "deal_owner_names": Deal.objects.filter(seller=seller).count() + len(changes),
        "sign_in_records": AccessAttempt.objects.filter(attempts).count()
        + AccessLog.objects.filter(attempts).count()
        + AccessFailureLog.objects.filter(attempts).count(),
        "audit_events_masked": len(events),
    }
    result = Erasure(
        seller_id=seller.pk, masked=masked, pseudonym=pseudonym, dry_run=dry_run, removed=removed
    )
    if dry_run:
        return result

    SellerAlias.objects.filter(seller=seller).delete()
    User.objects.filter(seller=seller).delete()
    SellerNote.objects.filter(seller=seller).delete()
    SupportPlanAction.objects.filter(plan__in=plans).update(description="")
    plans.update(goal="")
    SupportLogEntry.objects.filter(seller=seller).update(note="")
    SupportDecision.objects.filter(seller=seller).update(reason="")
    SegmentOverride.objects.filter(seller=seller).update(reason="")
    TimeEntry.objects.filter(pk__in=list(entries.values_list("pk", flat=True))).update(note="")
    Deal.objects.filter(seller=seller).update(owner=pseudonym)
    for change in changes:
        change.before = _masked_json(change.before, values, pseudonym)
        change.after = _masked_json(change.after, values, pseudonym)
        change.save(update_fields=["before", "after"])
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(attempts).delete()
    _mask_audit_events(events, values, masked)
    seller.name = pseudonym
    seller.email = f"former-seller-{seller.pk}@erased.invalid"
    seller.save(update_fields=["name", "email"])
    record(
        action="privacy.erase",
        object_type="seller",
        object_id=seller.pk,
        organisation_id=organisation.pk,
        actor_id=actor_id,
        actor_label=actor_label,
        channel=channel,
        changes={
            "masked": masked,
            "on": today.isoformat(),
            "reason": reason,
            "forced": force,
            "removed": removed,
        },
    )
    return result


def _mask_audit_events(events: list[AuditEvent], values: list[str], masked: str) -> None:
    """Mask erased values in audit rows: the only UPDATE the triggers let through."""
    if not events:
        return
    AuditErasureGate.objects.bulk_create([AuditErasureGate(event_id=e.pk) for e in events])
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    as_json = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        for event in events:
            cursor.execute(
                f"UPDATE {table} SET actor_label = %s, object_id = %s, changes = {as_json} "  # noqa: S608
                "WHERE id = %s",
                [
                    _masked_text(event.actor_label, values, masked),
                    masked if event.object_id in values else event.object_id,
                    json.dumps(_masked_json(event.changes, values, masked)),
                    event.pk,
                ],
            )
    AuditErasureGate.objects.filter(event_id__in=[e.pk for e in events]).delete()
