"""How long krutt keeps each kind of personal data, and why (the organisation may change it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from krutt.domain.errors import InvalidInput
from krutt.web.accounts.models import Organisation
from krutt.web.audit.trail import record
from krutt.web.privacy.models import RetentionSettings


@dataclass(frozen=True, kw_only=True)
class Category:
    key: str
    label: str
    months: int
    reason: str


# The defaults and the reasoning shown next to them on the settings page.
CATEGORIES = (
    Category(
        key="entry_notes",
        label=gettext_noop("Notes on time entries"),
        months=12,
        reason=gettext_noop(
            "A note helps the next conversation; after a year it no longer does. The time "
            "itself stays, so past reports do not change."
        ),
    ),
    Category(
        key="private_notes",
        label=gettext_noop("Managers' private notes"),
        months=12,
        reason=gettext_noop(
            "Private notes are the most sensitive text krutt holds; a year covers a full "
            "cycle of follow-up conversations."
        ),
    ),
    Category(
        key="deal_rows",
        label=gettext_noop("Deal rows from the CRM"),
        months=36,
        reason=gettext_noop(
            "Segments look back at most 24 months; a year more lets a disputed result be "
            "checked. Monthly totals stay."
        ),
    ),
    Category(
        key="leaver_audit",
        label=gettext_noop("Audit events about people who have left"),
        months=36,
        reason=gettext_noop(
            "Three years after someone leaves, the general limitation period for claims "
            "(foreldelsesloven § 2) has run out; the trail is no longer needed as evidence."
        ),
    ),
)


# The shortest and longest period an organisation may choose, in months. Nothing is kept
# for ever; and a period under a month would purge notes before the next conversation.
MIN_MONTHS = 1
MAX_MONTHS = 120


def retention_months(organisation: Organisation) -> dict[str, int]:
    """Months kept per category: the organisation's choice, else the default."""
    row = RetentionSettings.objects.filter(organisation=organisation).first()
    chosen = row.months if row is not None else {}
    return {c.key: int(chosen.get(c.key, c.months)) for c in CATEGORIES}


def retention_rows(organisation: Organisation) -> list[tuple[str, int, str]]:
    """(label, months, reason) per category, translated for the page."""
    months = retention_months(organisation)
    return [(_(c.label), months[c.key], _(c.reason)) for c in CATEGORIES]


def default_months() -> dict[str, int]:
    return {c.key: c.months for c in CATEGORIES}


def set_retention(
    organisation: Organisation,
    months: dict[str, int],
    *,
    actor_id: int | None,
    actor_label: str,
    channel: str,
) -> dict[str, list[int]]:
    """Store the organisation's periods (audited); the changed ones as {key: [old, new]}."""
    known = {c.key for c in CATEGORIES}
    for key, value in months.items():
        if key not in known:
            raise InvalidInput(gettext_noop("There is no retention category {key}."), key=key)
        if not MIN_MONTHS <= value <= MAX_MONTHS:
            raise InvalidInput(
                gettext_noop("A retention period is between {low} and {high} months, not {value}."),
                low=MIN_MONTHS,
                high=MAX_MONTHS,
                value=value,
            )
    before = retention_months(organisation)
    row, _created = RetentionSettings.objects.get_or_create(organisation=organisation)
    row.months = {**before, **months}
    row.save(update_fields=["months"])
    changed = {k: [before[k], v] for k, v in months.items() if before[k] != v}
    if changed:
        record(
            action="privacy.retention",
            object_type="organisation",
            object_id=organisation.pk,
            organisation_id=organisation.pk,
            actor_id=actor_id,
            actor_label=actor_label,
            channel=channel,
            changes=changed,
        )
    return changed
