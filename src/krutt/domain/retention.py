"""How far back krutt keeps a kind of personal data, counted in whole months.

A period of N months kept on day D keeps everything from the same day N months earlier
(the month's last day when that month is shorter); anything before it is due to go.
"""

from __future__ import annotations

import calendar
from datetime import date


def kept_from(today: date, months: int) -> date:
    """The first day still kept when `months` months are kept on `today`."""
    if months < 0:
        raise ValueError("a retention period cannot be negative")
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
