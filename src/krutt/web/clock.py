"""The one place the shell reads the clock; the core gets the time passed in."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from krutt.web.accounts.models import Organisation


class SystemClock:
    def now(self) -> datetime:
        return timezone.now()


def today_in(organisation: Organisation, clock: SystemClock | None = None) -> date:
    """Today's date where the organisation is."""
    return (clock or SystemClock()).now().astimezone(ZoneInfo(organisation.time_zone)).date()
