"""Template filters that show domain values the way the reader's language writes them."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from django import template
from django.utils.translation import gettext, gettext_noop

from krutt.domain.activities import Activity
from krutt.domain.messages import Message
from krutt.domain.periods import iso_week_label
from krutt.domain.segments import Segment
from krutt.web.messages import format_hours, format_percent, render

register = template.Library()

STATUS_LABELS = {
    "below": gettext_noop("below band"),
    "within": gettext_noop("within band"),
    "above": gettext_noop("above band"),
    "empty": gettext_noop("no sellers"),
}


@register.filter
def hours(minutes: Fraction | int | None) -> str:
    """Minutes shown as hours: 90 → «1,5 t»."""
    return format_hours(Fraction(minutes or 0) / 60)


@register.filter
def percent(value: Fraction | float | None) -> str:
    return "–" if value is None else format_percent(value)


@register.filter
def segment_label(segment: Segment | str) -> str:
    return gettext(Segment(segment).label.text)


@register.filter
def activity_label(activity: Activity | str) -> str:
    return gettext(Activity(activity).label.text)


@register.filter
def status_label(status: str) -> str:
    return gettext(STATUS_LABELS[str(status)])


@register.filter
def say(message: Message) -> str:
    return render(message)


@register.filter
def week_label(day: date) -> str:
    """The ISO week, as a Norwegian calendar prints it: «uke 47» / «week 47»."""
    return gettext("week %(number)s") % {"number": iso_week_label(day).split("-W")[1].lstrip("0")}


@register.filter
def get_item(mapping: dict[object, object], key: object) -> object:
    return mapping.get(key)


@register.filter
def slot_row(rows: dict[tuple[Any, Any], object], slot: object) -> object:
    """The saved row behind a slot of the week view (by seller and start)."""
    return rows.get((getattr(slot, "seller_id", None), getattr(slot, "start", None)))


SUPPORT_STATES = {
    "needs_plan": gettext_noop("needs a plan"),
    "in_support": gettext_noop("in support"),
    "responded": gettext_noop("responding"),
    "not_responding": gettext_noop("not responding"),
}


@register.filter
def support_state(state: str) -> str:
    return gettext(SUPPORT_STATES[str(state)])


@register.filter
def support_kind(kind: str) -> str:
    from krutt.domain.support import SupportKind

    return gettext(SupportKind(str(kind)).label.text)


@register.filter
def decision_label(decision: str) -> str:
    from krutt.domain.support import Decision

    return gettext(Decision(str(decision)).label.text)
