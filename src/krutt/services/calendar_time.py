"""Time with sellers, from the manager's calendar: which occurrences count, for whom, as what.

The counting rules: times are judged in the organisation's zone; all-day events,
cancelled events or occurrences, and events the manager declined do not count; a seller
who declined is not counted for that event; a seller is recognised by e-mail or alias
(case-insensitive), or — when the event has no attendees besides the manager and rooms —
by their full name in the subject. Each counted occurrence becomes a meeting
with all its sellers: the even split and the team-wide limit are applied later, by the
report (`krutt.domain.allocation.allocate_time`). The activity comes from keywords in
the subject; a subject without one is coaching, the time the policy is about.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from krutt.domain.activities import Activity
from krutt.domain.messages import Message, gettext_noop
from krutt.domain.sellers import SellerId
from krutt.domain.workweek import Busy
from krutt.importers.calendar import (
    CalendarOccurrence,
    CalendarRead,
    EventStatus,
    ReviewItem,
    Transparency,
)
from krutt.services.deal_actuals import SellerDirectory, SellerDirectoryEntry, name_key
from krutt.services.record_time import TimeRecord

DEFAULT_ACTIVITY = Activity.COACHING
# First match wins, so the specific conversations come before the general ones.
DEFAULT_ACTIVITY_KEYWORDS: tuple[tuple[str, Activity], ...] = (
    *((k, Activity.PERFORMANCE_TALK) for k in (
        "prestasjonssamtale", "medarbeidersamtale", "forbedringsplan",
        "performance review", "performance talk", "performance conversation", "appraisal",
    )),
    *((k, Activity.CAREER_TALK) for k in (
        "karriere", "utviklingssamtale", "overgang", "career", "transition",
    )),
    *((k, Activity.RECRUITMENT) for k in (
        "rekruttering", "intervju", "ansettelse", "recruit", "interview", "hiring",
    )),
    *((k, Activity.JOINT_MEETING) for k in (
        "kundebesøk", "kundemøte", "medbesøk", "customer visit", "customer meeting",
        "client visit", "client meeting", "joint call", "ride-along", "ride along",
    )),
    *((k, Activity.PIPELINE_REVIEW) for k in (
        "pipeline", "avtalegjennomgang", "prognose", "deal review", "forecast",
    )),
    *((k, Activity.TRAINING) for k in (
        "opplæring", "onboarding", "trening", "øving", "rollespill", "kurs",
        "training", "workshop", "role play", "roleplay",
    )),
    *((k, Activity.RECOGNITION) for k in (
        "anerkjennelse", "feiring", "recognition", "celebration", "kudos",
    )),
    *((k, Activity.ONE_ON_ONE) for k in (
        "1:1", "1-1", "1on1", "en-til-en", "oppfølging", "innsjekk",
        "one-on-one", "one on one", "follow-up", "follow up", "check-in",
    )),
    *((k, Activity.COACHING) for k in ("coaching", "veiledning", "sparring", "coach")),
    *((k, Activity.ADMIN) for k in ("admin", "rapportering", "reporting")),
)  # fmt: skip


@dataclass(frozen=True, kw_only=True, slots=True)
class Meeting:
    """A calendar occurrence that is time with sellers: the record for the one write path,
    with where it stands in the file (`line`) and its subject, shown in the preview only.
    """

    record: TimeRecord
    line: int
    summary: str
    matched_by: str


@dataclass(frozen=True, kw_only=True, slots=True)
class UnmatchedAddress:
    """Someone invited to meetings that found no seller: perhaps a seller under another address."""

    address: str
    name: str
    events: int


@dataclass(frozen=True, kw_only=True, slots=True)
class CalendarTime:
    meetings: list[Meeting]
    busy: list[Busy]
    review: list[ReviewItem]
    # Most meetings first; only from meetings in which nobody was recognised.
    unmatched: list[UnmatchedAddress] = field(default_factory=list)


def occurrence_key(uid: str, recurrence_id: str | None) -> str:
    """An occurrence's identity across re-imports: its UID and recurrence id."""
    return f"{uid}|{recurrence_id or ''}"


NAMED_NO_SELLER = gettext_noop(
    "The subject mentions {name}, but no seller was recognised; check who the time was with."
)


def collect_calendar_time(
    *,
    calendar: CalendarRead,
    manager_email: str,
    directory: Sequence[SellerDirectoryEntry],
    manager_aliases: Collection[str] = (),
    keywords: Sequence[tuple[str, Activity]] = DEFAULT_ACTIVITY_KEYWORDS,
    default_activity: Activity = DEFAULT_ACTIVITY,
) -> CalendarTime:
    """Meetings with sellers, busy time and review items from a read calendar."""
    manager = {a.strip().lower() for a in (manager_email, *manager_aliases) if a.strip()}
    sellers = SellerDirectory(directory)
    names = sellers.names()
    given_names = _given_names(directory)
    patterns = [(_keyword_pattern(k), activity) for k, activity in keywords]
    meetings: list[Meeting] = []
    busy: list[Busy] = []
    review = list(calendar.review)
    unmatched: dict[str, tuple[str, int]] = {}
    for occurrence in calendar.occurrences:
        declined = any(
            a.email in manager and a.partstat == "DECLINED" for a in occurrence.attendees
        )
        if occurrence.all_day or occurrence.status is EventStatus.CANCELLED or declined:
            continue
        if occurrence.transparency is Transparency.BUSY:
            busy.append(
                Busy(
                    start=occurrence.start,
                    end=occurrence.end,
                    key=occurrence_key(occurrence.uid, occurrence.recurrence_id),
                )
            )
        folded = _words(occurrence.summary)
        found, matched_by = _sellers(occurrence, manager, sellers, names, folded)
        minutes = round((occurrence.end - occurrence.start).total_seconds() / 60)
        if found and minutes > 0:
            meetings.append(
                Meeting(
                    record=TimeRecord(
                        seller_ids=found,
                        started_at=occurrence.start.astimezone(calendar.zone),
                        minutes=minutes,
                        activity=_activity(occurrence.summary, patterns, default_activity),
                        key=occurrence_key(occurrence.uid, occurrence.recurrence_id),
                    ),
                    line=occurrence.line,
                    summary=occurrence.summary,
                    matched_by=matched_by,
                )
            )
        elif not found:
            for attendee in occurrence.attendees:
                if attendee.email and not attendee.is_resource and attendee.email not in manager:
                    name, events = unmatched.get(attendee.email, (attendee.name, 0))
                    unmatched[attendee.email] = (name or attendee.name, events + 1)
            mentioned = [word for word in folded.split() if word in given_names]
            if mentioned:
                review.append(
                    ReviewItem(
                        line=occurrence.line,
                        uid=occurrence.uid,
                        summary=occurrence.summary,
                        start=occurrence.start,
                        reason=Message(NAMED_NO_SELLER, {"name": given_names[mentioned[0]]}),
                    )
                )
    return CalendarTime(
        meetings=meetings,
        busy=busy,
        review=review,
        unmatched=sorted(
            (UnmatchedAddress(address=a, name=n, events=e) for a, (n, e) in unmatched.items()),
            key=lambda u: (-u.events, u.address),
        ),
    )


def _sellers(
    occurrence: CalendarOccurrence,
    manager: set[str],
    sellers: SellerDirectory,
    names: dict[str, set[SellerId]],
    folded_summary: str,
) -> tuple[tuple[SellerId, ...], str]:
    people = [a for a in occurrence.attendees if not a.is_resource and a.email not in manager]
    if people:
        found: dict[SellerId, None] = {}
        for attendee in people:
            seller = sellers.by_address(attendee.email) if attendee.email else None
            if seller is not None and attendee.partstat != "DECLINED":
                found[seller] = None
        return tuple(found), "email"
    padded = f" {folded_summary} "
    by_name: dict[SellerId, None] = {}
    for name, ids in names.items():
        if len(ids) == 1 and f" {_words(name)} " in padded:
            by_name[next(iter(ids))] = None
    return tuple(by_name), "name"


def _words(text: str) -> str:
    """Folded text with punctuation as spaces: `1:1 Kåri N.` → `1 1 kari n`."""
    return " ".join(re.sub(r"[^\w]+", " ", name_key(text)).split())


def _given_names(directory: Sequence[SellerDirectoryEntry]) -> dict[str, str]:
    """Folded first and last names (three letters or more) → the name as written."""
    found: dict[str, str] = {}
    for entry in directory:
        for part in entry.name.split():
            key = _words(part)
            if len(key) >= 3:
                found.setdefault(key, part)
    return found


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    """Long words match inside compounds (`pipelinemøte`); short ones and `1:1` only whole."""
    folded = name_key(keyword)
    if len(folded) >= 5 and folded.replace(" ", "").isalpha():
        return re.compile(re.escape(folded))
    return re.compile(r"(?<![\w:])" + re.escape(folded) + r"(?![\w:])")


def _activity(
    summary: str, patterns: Sequence[tuple[re.Pattern[str], Activity]], default: Activity
) -> Activity:
    folded = name_key(summary)
    for pattern, activity in patterns:
        if pattern.search(folded):
            return activity
    return default


def read_words(summary: str, *, keywords: Sequence[str], names: Collection[str]) -> str:
    """Only the words of a subject krutt reads: activity keywords and sellers' names.

    What is kept of a synced calendar's subject (data minimisation); reading the kept words
    finds the same activity and the same sellers by name as the whole subject did.
    """
    tokens = summary.split()
    patterns = [_keyword_pattern(k) for k in keywords]
    name_words = {w for n in names for w in _words(n).split() if w}
    keep = [False] * len(tokens)
    for i, token in enumerate(tokens):
        if any(w in name_words for w in _words(token).split()):
            keep[i] = True
        # A keyword of up to three words; the window must need its first token.
        for j in range(i + 1, min(i + 4, len(tokens) + 1)):
            window = name_key(" ".join(tokens[i:j]))
            rest = name_key(" ".join(tokens[i + 1 : j]))
            if any(p.search(window) and not p.search(rest) for p in patterns):
                keep[i:j] = [True] * (j - i)
                break
    return " ".join(t for t, k in zip(tokens, keep, strict=True) if k)
