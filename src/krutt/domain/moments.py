"""Reading the times users type: ISO date-times in the organisation's zone unless they say otherwise (CLI and API)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import gettext_noop


def parse_moment(text: str, zone: ZoneInfo) -> datetime:
    """`2026-11-17T09:00` (local), `…Z` or `…+01:00` → an aware UTC datetime."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            gettext_noop("{value} is not a date and time (like 2026-11-17T09:00)."), value=text
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
        # A wall-clock time skipped when clocks go forward does not survive the round trip.
        if value.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != value.replace(
            tzinfo=None
        ):
            raise InvalidInput(
                gettext_noop("{value} does not exist in {zone}: the clocks skip that hour."),
                value=text,
                zone=zone.key,
            )
    return value.astimezone(UTC)
