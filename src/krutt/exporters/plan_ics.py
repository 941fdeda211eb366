"""A week's plan as an iCalendar file (RFC 5545) the manager imports into their calendar.

Each placed slot is one VEVENT with the seller as attendee, its times in the
organisation's zone with that zone's VTIMEZONE included. The file leaves krutt (the
manager imports it, the calendar sends it to the seller), so an event says nothing of
krutt's judgement: the same neutral summary for every seller («Meeting: Hanna Eide»),
no segment, reason, attainment, support state or kind of conversation in any property.
Why each session is planned stays in krutt (the plan page, `krutt plan`).
UIDs are derived from the manager, the week, the seller and the slot's number, so
exporting the same week again updates the events in the calendar instead of doubling
them; SEQUENCE grows with the export time so clients take the newer version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache

from icalendar import STATUS, TRANSP, Calendar, Event, Timezone, vCalAddress

from krutt.domain.messages import Message, gettext_noop, render_plain
from krutt.domain.planning import SellerPlan, Slot, WeekPlan

UID_DOMAIN = "plan.krutt"
PRODID = "-//krutt//Week plan//EN"
# SEQUENCE counts minutes since this moment, so every later export carries a higher number.
SEQUENCE_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)

Render = Callable[[Message], str]


def slot_uid(*, manager: str, week: str, seller_id: int, number: int) -> str:
    """The stable UID of a seller's `number`th slot (from 1) in `week`, for one manager."""
    key = f"{manager.strip().lower()}|{week}|{seller_id}|{number}"
    return f"{_digest(key)}@{UID_DOMAIN}"


def _digest(key: str) -> str:
    # Hashed, so a UID does not spell out who is coached, yet stays the same every export.
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def is_plan_uid(uid: str) -> bool:
    """True for events krutt exported: a calendar import should not count them as busy."""
    return uid.endswith("@" + UID_DOMAIN)


def neutral_summary(name: str) -> Message:
    """The summary of every exported session: the seller's name and nothing about why."""
    return Message(gettext_noop("Meeting: {seller}"), {"seller": name})


@dataclass(frozen=True, kw_only=True, slots=True)
class Withdrawn:
    """A slot exported before and since dropped: sent again as cancelled so calendars remove it."""

    uid: str
    start: datetime
    end: datetime
    summary: str


def plan_calendar(
    plan: WeekPlan,
    *,
    manager: str,
    stamp: datetime,
    organizer_email: str | None = None,
    with_attendees: bool = True,
    render: Render = render_plain,
    uids: Mapping[tuple[int, datetime], str] | None = None,
    withdrawn: Sequence[Withdrawn] = (),
) -> bytes:
    """The plan's slots as a `METHOD:PUBLISH` calendar; `render` translates the texts.

    `manager` identifies the manager in the UIDs (their id or e-mail; keep it stable),
    `stamp` is the moment of the export (DTSTAMP, and the SEQUENCE of every event).
    RFC 5545 says a published event should carry no ATTENDEE; the sellers are attendees
    by default because managers want to see who each slot is with, and the clients
    tested read them. `with_attendees=False` leaves them out (the name stays in SUMMARY).
    A saved plan that was adjusted passes its slots' own `uids` (by seller id and start),
    so a moved slot keeps its UID, and its dropped slots as `withdrawn`.
    """
    if stamp.tzinfo is None:
        raise ValueError("stamp must be timezone-aware")
    stamp = stamp.astimezone(UTC).replace(microsecond=0)
    sequence = max(int((stamp - SEQUENCE_EPOCH).total_seconds() // 60), 0)
    calendar = Calendar.new(
        uid=_digest(f"{manager.strip().lower()}|{plan.label}") + "@" + UID_DOMAIN,
        prodid=PRODID,
        method="PUBLISH",
        name=render(Message(gettext_noop("Week plan {week}"), {"week": plan.label})),
    )
    calendar.add_component(_timezone(plan.zone.key, plan.week.first.year))
    for seller in plan.sellers:
        for number, slot in enumerate(sorted(seller.slots, key=lambda s: s.start), start=1):
            calendar.add_component(
                _event(
                    plan,
                    seller,
                    slot,
                    uid=(uids or {}).get((seller.seller_id, slot.start))
                    or slot_uid(
                        manager=manager, week=plan.label, seller_id=seller.seller_id, number=number
                    ),
                    stamp=stamp,
                    sequence=sequence,
                    organizer_email=organizer_email,
                    with_attendees=with_attendees,
                    render=render,
                )
            )
    for gone in withdrawn:
        calendar.add_component(
            Event.new(
                uid=gone.uid,
                stamp=stamp,
                start=gone.start.astimezone(plan.zone),
                end=gone.end.astimezone(plan.zone),
                summary=gone.summary,
                sequence=sequence,
                status=STATUS.CANCELLED,
                transparency=TRANSP.TRANSPARENT,
            )
        )
    ical: bytes = calendar.to_ical()
    return ical


def _event(
    plan: WeekPlan,
    seller: SellerPlan,
    slot: Slot,
    *,
    uid: str,
    stamp: datetime,
    sequence: int,
    organizer_email: str | None,
    with_attendees: bool,
    render: Render,
) -> Event:
    attendee = vCalAddress.new(
        seller.email, cn=seller.name or None, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION"
    )
    description = Message(gettext_noop("Planned in krutt for week {week}."), {"week": plan.label})
    return Event.new(
        uid=uid,
        stamp=stamp,
        start=slot.start.astimezone(plan.zone),
        end=slot.end.astimezone(plan.zone),
        summary=render(neutral_summary(seller.name or seller.email)),
        description=render(description),
        attendees=[attendee] if with_attendees else None,
        organizer=vCalAddress.new(organizer_email) if organizer_email else None,
        sequence=sequence,
        categories=["krutt"],
        status=STATUS.CONFIRMED,
        transparency=TRANSP.OPAQUE,
    )


@lru_cache(maxsize=32)
def _timezone_ical(tzid: str, year: int) -> bytes:
    # Building a VTIMEZONE walks the zone's transitions; a two-year window around the week
    # covers it and keeps the file small. Cached: the same zone and year come back often.
    component = Timezone.from_tzid(
        tzid, first_date=date(year - 1, 1, 1), last_date=date(year + 1, 12, 31)
    )
    ical: bytes = component.to_ical()
    return ical


def _timezone(tzid: str, year: int) -> Timezone:
    parsed = Timezone.from_ical(_timezone_ical(tzid, year))
    assert isinstance(parsed, Timezone)
    return parsed
