"""Reads about a manager's connected calendars for other pages (the overview)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from krutt.domain.sync_schedule import is_stale
from krutt.web.accounts.models import User
from krutt.web.connections.models import CalendarConnection
from krutt.web.connections.sync import label, last_error
from krutt.web.messages import render as say


@dataclass(frozen=True, kw_only=True)
class StaleCalendar:
    """A connection without a successful sync for a day: since when, and why (if it failed)."""

    label: str
    since: datetime
    when: str  # «Monday 30 November» / «mandag 30. november», in the organisation's zone
    synced_before: bool
    reason: str


def stale_calendars(manager: User, *, now: datetime, lang: str) -> list[StaleCalendar]:
    found: list[StaleCalendar] = []
    for connection in CalendarConnection.objects.filter(manager=manager).order_by("pk"):
        if not is_stale(
            now=now, last_success_at=connection.last_success_at, created_at=connection.created_at
        ):
            continue
        error = last_error(connection)
        since = connection.last_success_at or connection.created_at
        found.append(
            StaleCalendar(
                label=label(connection),
                since=since,
                when=_day(since, manager, lang),
                synced_before=connection.last_success_at is not None,
                reason=_after_colon(say(error, lang)) if error else "",
            )
        )
    return found


def _day(moment: datetime, manager: User, lang: str) -> str:
    from zoneinfo import ZoneInfo

    from django.utils import dateformat, translation

    zone = ZoneInfo(manager.organisation.time_zone if manager.organisation else "Europe/Oslo")
    with translation.override(lang):
        return dateformat.format(moment.astimezone(zone), "l j. F" if lang == "nb" else "l j F")


def _after_colon(sentence: str) -> str:
    """«The server refused …» reads «…: the server refused …»; «HTTP …» stays as it is."""
    sentence = sentence.rstrip(".")
    if len(sentence) > 1 and sentence[0].isupper() and sentence[1].islower():
        return sentence[0].lower() + sentence[1:]
    return sentence
