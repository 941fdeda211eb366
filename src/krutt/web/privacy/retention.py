"""How long krutt keeps each kind of personal data, and why (the organisation may change it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from krutt.web.accounts.models import Organisation


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


def retention_months(organisation: Organisation) -> dict[str, int]:
    """Months kept per category: the organisation's choice, else the default."""
    chosen = getattr(organisation, "retention", None) or {}
    return {c.key: int(chosen.get(c.key, c.months)) for c in CATEGORIES}


def retention_rows(organisation: Organisation) -> list[tuple[str, int, str]]:
    """(label, months, reason) per category, translated for the page."""
    months = retention_months(organisation)
    return [(_(c.label), months[c.key], _(c.reason)) for c in CATEGORIES]
