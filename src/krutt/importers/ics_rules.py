"""Recurrence rules checked before expansion: refused when too costly, dropped when empty.

An RRULE can ask for one occurrence a second, dense BY-lists (every minute of every day
since 1970), or a day that never comes (`BYMONTH=2;BYMONTHDAY=30`). dateutil, under
recurring-ical-events, walks a rule period by period from DTSTART and only stops at an
occurrence past the window (or UNTIL, or COUNT), so a rule that never occurs is walked
to the year 9999. Such rules are found here without walking them: a rule that repeats
more often than hourly, or whose walk would be too long, is refused for its series; a
rule that can never occur is dropped, leaving the event's first occurrence.
`COUNT=1000000000` needs nothing: the walk stops at the end of the window.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from icalendar import Event
from icalendar.prop import vRecur

from krutt.domain.messages import gettext_noop

# Rule periods dateutil may walk from DTSTART to the window's end, times the largest
# number of candidate times in one period; ~1 µs each.
MAX_WALK = 300_000
# Upper bound on the occurrences a rule may have inside the import window.
MAX_EXPANSION = 100_000
_PERIOD = {
    "YEARLY": timedelta(days=366),
    "MONTHLY": timedelta(days=31),
    "WEEKLY": timedelta(days=7),
    "DAILY": timedelta(days=1),
    "HOURLY": timedelta(hours=1),
}
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_RANGES = {
    "BYMONTH": (1, 12, False),
    "BYMONTHDAY": (1, 31, True),
    "BYYEARDAY": (1, 366, True),
    "BYWEEKNO": (1, 53, True),
    "BYHOUR": (0, 23, False),
    "BYMINUTE": (0, 59, False),
    "BYSECOND": (0, 60, False),
    "BYSETPOS": (1, 366, True),
}
# 28 years hold every combination of weekday, day of month and leap year.
_SCAN_FROM, _SCAN_DAYS = date(2000, 1, 1), 10_227

# No meeting lasts longer, and no override moves an occurrence further: the expansion
# widens its search by both, so larger values would make it walk for years.
MAX_SPAN = timedelta(days=366)
TOO_LONG = gettext_noop("The repeating event lasts more than a year; it was not read.")
FAR_OVERRIDE = gettext_noop(
    "A change to one occurrence moves it by more than a year; the change was ignored."
)
TOO_FREQUENT = gettext_noop("The event repeats more often than every hour; it was not read.")
TOO_COSTLY = gettext_noop("The event's repeat rule is too large to expand; it was not read.")
BAD_RULE = gettext_noop("The event's repeat rule cannot be read; the event was not read.")
NEVER = gettext_noop("The event's repeat rule gives no dates; only its first date was read.")


def check_rules(
    event: Event, *, window: tuple[datetime, datetime], zone: tzinfo
) -> tuple[str | None, str | None]:
    """(reason to skip the series, note) for the event's RRULEs, both msgids or None.

    A rule that never occurs is removed from `event` and noted.
    """
    rules = event.get("RRULE")
    if rules is None:
        return None, None
    start = getattr(event.get("DTSTART"), "dt", None)
    if not isinstance(start, date):
        return BAD_RULE, None
    kept: list[vRecur] = []
    note = None
    for rule in rules if isinstance(rules, list) else [rules]:
        verdict = _judge(rule, start, window=window, zone=zone)
        if verdict == NEVER:
            note = NEVER
        elif verdict is not None:
            return verdict, None
        else:
            kept.append(rule)
    if len(kept) != (len(rules) if isinstance(rules, list) else 1):
        event.pop("RRULE")
        if kept:
            event["RRULE"] = kept if len(kept) > 1 else kept[0]
    return None, note


def check_span(event: Event, zone: tzinfo) -> str | None:
    """TOO_LONG or FAR_OVERRIDE (msgids) when a series member would widen the search too far."""
    start = getattr(event.get("DTSTART"), "dt", None)
    if not isinstance(start, date):
        return None
    first = _wall(start, zone)
    end = getattr(event.get("DTEND"), "dt", None)
    duration = getattr(event.get("DURATION"), "dt", None)
    if isinstance(end, date):
        length = _wall(end, zone) - first
    elif isinstance(duration, timedelta):
        length = duration
    else:
        length = timedelta(0)
    if abs(length) > MAX_SPAN:
        return TOO_LONG
    recurrence = getattr(event.get("RECURRENCE-ID"), "dt", None)
    if isinstance(recurrence, date) and abs(_wall(recurrence, zone) - first) > MAX_SPAN:
        return FAR_OVERRIDE
    return None


def usable_zone_rule(value: str) -> bool:
    """Whether a VTIMEZONE observance's RRULE is yearly and can occur (dateutil walks it too)."""
    try:
        rule = vRecur.from_ical(value)
        if str(_first(rule, "FREQ") or "").upper() != "YEARLY":
            return False
        parts = {key: _numbers(rule, key) for key in _RANGES}
        given = [_weekday(str(v)) for v in _values(rule, "BYDAY")]
    except (TypeError, ValueError):
        return False
    weekdays = tuple(w for w in given if w[1] >= 0)
    if any(values == () for values in parts.values()) or (given and not weekdays):
        return False
    interval = max(1, int(_first(rule, "INTERVAL") or 1))
    return not _never("YEARLY", interval, (0, 0, 1), _key(parts), weekdays)


def _judge(
    rule: vRecur, start: date, *, window: tuple[datetime, datetime], zone: tzinfo
) -> str | None:
    freq = str(_first(rule, "FREQ") or "").upper()
    if freq in ("SECONDLY", "MINUTELY"):
        return TOO_FREQUENT
    if freq not in _PERIOD:
        return BAD_RULE
    try:
        interval = max(1, int(_first(rule, "INTERVAL") or 1))
        parts = {key: _numbers(rule, key) for key in _RANGES}
        given = [_weekday(str(value)) for value in _values(rule, "BYDAY")]
    except (TypeError, ValueError):
        return BAD_RULE
    weekdays = tuple(w for w in given if w[1] >= 0)
    if any(values == () for values in parts.values()) or (given and not weekdays):
        return NEVER  # a BY-list whose every value is out of range selects nothing
    local = start.tzinfo if isinstance(start, datetime) and start.tzinfo else zone
    first = _wall(start, local)
    end = _wall(window[1] + _PERIOD[freq] * interval, local)
    until = _first(rule, "UNTIL")
    if isinstance(until, date):
        end = min(end, _wall(until, local) + timedelta(days=1))
    period = _PERIOD[freq] * interval
    per_period = _per_period(freq, parts, weekdays)
    walked = max(0.0, (end - first) / period) + 1
    in_window = (window[1] - window[0]) / period + 1
    if walked * per_period > MAX_WALK or in_window * per_period > MAX_EXPANSION:
        return TOO_COSTLY
    anchor = start if isinstance(start, datetime) else datetime.combine(start, datetime.min.time())
    if _never(freq, interval, (anchor.weekday(), anchor.hour, anchor.month), _key(parts), weekdays):
        return NEVER
    return None


def _first(rule: vRecur, key: str) -> Any:
    values = rule.get(key)
    if isinstance(values, list):
        return values[0] if values else None
    return values


def _values(rule: vRecur, key: str) -> list[Any]:
    values = rule.get(key)
    if values is None:
        return []
    return values if isinstance(values, list) else [values]


def _numbers(rule: vRecur, key: str) -> tuple[int, ...] | None:
    """The valid values of a numeric BY-part; None when absent, () when none is valid."""
    values = _values(rule, key)
    if not values:
        return None
    low, high, signed = _RANGES[key]
    numbers = [int(str(value)) for value in values]
    return tuple(n for n in numbers if low <= n <= high or (signed and -high <= n <= -low))


def _weekday(text: str) -> tuple[int, int]:
    """(ordinal, weekday 0–6) of a BYDAY value; weekday -1 when the ordinal can never be."""
    match = _BYDAY.match(text.strip().upper())
    if match is None:
        raise ValueError(text)
    ordinal = int(match.group(1) or 0)
    return ordinal, _WEEKDAYS.index(match.group(2)) if abs(ordinal) <= 53 else -1


def _wall(moment: date, zone: tzinfo | None) -> datetime:
    if not isinstance(moment, datetime):
        return datetime.combine(moment, datetime.min.time())
    if moment.tzinfo is None or zone is None:
        return moment.replace(tzinfo=None)
    return moment.astimezone(zone).replace(tzinfo=None)


def _per_period(
    freq: str, parts: dict[str, tuple[int, ...] | None], weekdays: tuple[tuple[int, int], ...]
) -> int:
    """An upper bound on the candidate times dateutil looks at in one period of the rule."""

    def size(key: str) -> int:
        values = parts[key]
        return len(values) if values else 1

    days = 1
    if freq == "YEARLY":
        day_rules = weekdays or parts["BYMONTHDAY"] or parts["BYYEARDAY"] or parts["BYWEEKNO"]
        days = 366 if day_rules else size("BYMONTH")
    elif freq == "MONTHLY":
        days = 31 if weekdays or parts["BYMONTHDAY"] or parts["BYYEARDAY"] else 1
    elif freq == "WEEKLY":
        days = len({w for _, w in weekdays}) or 1
    times = size("BYMINUTE") * size("BYSECOND") * (size("BYHOUR") if freq != "HOURLY" else 1)
    return days * times


def _key(
    parts: dict[str, tuple[int, ...] | None],
) -> tuple[tuple[str, tuple[int, ...] | None], ...]:
    return tuple(sorted(parts.items()))


@functools.lru_cache(maxsize=1024)
def _never(
    freq: str,
    interval: int,
    anchor: tuple[int, int, int],
    parts_key: tuple[tuple[str, tuple[int, ...] | None], ...],
    weekdays: tuple[tuple[int, int], ...],
) -> bool:
    """Whether no date can ever satisfy the rule (checked on the calendar, not by walking it)."""
    parts = dict(parts_key)
    weekday, hour, month = anchor
    plain = {w for n, w in weekdays if n == 0 or freq not in ("MONTHLY", "YEARLY")}
    # An interval can keep a rule off the days, hours or months it asks for.
    if freq == "DAILY" and weekdays and not plain & _reachable(weekday, interval, 7):
        return True
    hours = parts["BYHOUR"]
    if freq == "HOURLY" and hours and not set(hours) & _reachable(hour, interval, 24):
        return True
    months = parts["BYMONTH"]
    if (
        freq == "MONTHLY"
        and months
        and not {m - 1 for m in months} & _reachable(month - 1, interval, 12)
    ):
        return True
    setpos = parts["BYSETPOS"]
    if setpos and min(abs(p) for p in setpos) > _per_period(freq, parts, weekdays):
        return True
    ordinals = any(n for n, _ in weekdays) and freq in ("MONTHLY", "YEARLY")
    scope_month = freq == "MONTHLY" or bool(months)
    if not (parts["BYMONTHDAY"] or parts["BYYEARDAY"] or parts["BYWEEKNO"]):
        # Every month has a fifth of some weekday now and then, every year a 53rd.
        return ordinals and all(abs(n) > (5 if scope_month else 53) for n, _ in weekdays if n)
    return not any(_day_fits(day, parts, weekdays, scope_month, ordinals) for day in _scan())


def _reachable(start: int, interval: int, modulus: int) -> set[int]:
    step = math.gcd(interval, modulus)
    return {(start + i * step) % modulus for i in range(modulus // step)}


def _scan() -> Iterable[date]:
    return (_SCAN_FROM + timedelta(days=i) for i in range(_SCAN_DAYS))


def _day_fits(
    day: date,
    parts: dict[str, tuple[int, ...] | None],
    weekdays: tuple[tuple[int, int], ...],
    scope_month: bool,
    ordinals: bool,
) -> bool:
    months, monthdays = parts["BYMONTH"], parts["BYMONTHDAY"]
    if months and day.month not in months:
        return False
    month_length = (date(day.year + day.month // 12, day.month % 12 + 1, 1) - timedelta(days=1)).day
    if monthdays and not any(d in (day.day, day.day - month_length - 1) for d in monthdays):
        return False
    yeardays = parts["BYYEARDAY"]
    if yeardays:
        number, length = day.timetuple().tm_yday, 366 if day.year % 4 == 0 else 365
        if not any(d in (number, number - length - 1) for d in yeardays):
            return False
    weeknos = parts["BYWEEKNO"]
    if weeknos:
        week = day.isocalendar().week
        weeks = date(day.year, 12, 28).isocalendar().week
        if not any(w in (week, week - weeks - 1) for w in weeknos):
            return False
    if not weekdays:
        return True
    for ordinal, weekday in weekdays:
        if weekday != day.weekday():
            continue
        if not ordinal or not ordinals:
            return True
        if scope_month:
            nth, last = (day.day - 1) // 7 + 1, (month_length - day.day) // 7 + 1
        else:
            yday = day.timetuple().tm_yday
            nth, last = (yday - 1) // 7 + 1, ((366 if day.year % 4 == 0 else 365) - yday) // 7 + 1
        if ordinal in (nth, -last):
            return True
    return False
