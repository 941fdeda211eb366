"""What the manager should know before trusting a week's plan.

Above all the capacity check: the common guideline is 3–5 hours of coaching per seller
a month (Gartner); hours that cannot give each seller that much are worth a sentence
saying what they do give. Then: no free time, bands out of reach, hours no one could
take, each seller left without a session by name and why, and sessions that did not fit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from krutt.domain.messages import Hours, Message, gettext_noop
from krutt.domain.periods import Period, iso_week_label
from krutt.domain.planning_hours import SessionRules

# The common guideline (Gartner): 3–5 hours of coaching per seller per month.
GUIDELINE_MONTHLY_MINUTES = (3 * 60, 5 * 60)
WEEKS_PER_MONTH = Fraction(52, 12)


class PlanWarningCode(StrEnum):
    NO_SELLERS = "no_sellers"
    LOW_CAPACITY = "low_capacity"
    BANDS_UNREACHABLE = "bands_unreachable"
    UNASSIGNED = "unassigned"
    SELLERS_WITHOUT_TIME = "sellers_without_time"
    SELLERS_WITHOUT_SHARE = "sellers_without_share"
    SELLERS_WITHOUT_SLOT = "sellers_without_slot"
    NO_FREE_TIME = "no_free_time"
    UNPLACED = "unplaced"


class LeftOut(StrEnum):
    """Why a seller gets no session this week."""

    HOURS = "hours"  # the hours do not stretch to a first session for everyone
    NO_SHARE = "no_share"  # the policy gives their segment no share of the time
    NO_SLOT = "no_slot"  # no free slot of the minimum length fits (or no working day)


@dataclass(frozen=True, kw_only=True, slots=True)
class PlanWarning:
    code: PlanWarningCode
    message: Message


def capacity_warning(*, available_minutes: int, sellers: int) -> Message | None:
    """A sentence when the week's hours, kept up, give each seller under 3 hours a month."""
    if sellers <= 0:
        return None
    monthly = Fraction(available_minutes) * WEEKS_PER_MONTH / sellers
    low, high = GUIDELINE_MONTHLY_MINUTES
    if monthly >= low:
        return None
    needed = Fraction(low * sellers) / WEEKS_PER_MONTH
    return Message(
        gettext_noop(
            "{hours} a week for {sellers} sellers is about {monthly} per seller a month; the "
            "common guideline is {low} to {high} of coaching per seller a month. Giving everyone "
            "{low} would take {needed} a week, so at this level most sellers get little more "
            "than a check-in."
        ),
        {
            "hours": Hours(Fraction(available_minutes, 60)),
            "sellers": sellers,
            "monthly": Hours(monthly / 60),
            "low": Hours(Fraction(low, 60)),
            "high": Hours(Fraction(high, 60)),
            "needed": Hours(needed / 60),
        },
    )


def plan_warnings(
    *,
    week: Period,
    available_minutes: int,
    team_size: int,
    within_bands: bool,
    unassigned: int,
    left_out: Mapping[LeftOut, Sequence[str]],
    usable_days: int,
    unplaced_minutes: int,
    rules: SessionRules,
) -> list[PlanWarning]:
    """What the manager should know before trusting the plan, most fundamental first."""
    warnings: list[PlanWarning] = []
    if team_size == 0:
        return [
            PlanWarning(
                code=PlanWarningCode.NO_SELLERS,
                message=Message(gettext_noop("There are no sellers on your team to plan for.")),
            )
        ]
    capacity = capacity_warning(available_minutes=available_minutes, sellers=team_size)
    if capacity is not None:
        warnings.append(PlanWarning(code=PlanWarningCode.LOW_CAPACITY, message=capacity))
    if usable_days == 0:
        warnings.append(
            PlanWarning(
                code=PlanWarningCode.NO_FREE_TIME,
                message=Message(
                    gettext_noop(
                        "Week {week} has no free working time for a session: holidays and busy "
                        "events fill it."
                    ),
                    {"week": iso_week_label(week.first)},
                ),
            )
        )
    if not within_bands:
        warnings.append(
            PlanWarning(
                code=PlanWarningCode.BANDS_UNREACHABLE,
                message=Message(
                    gettext_noop(
                        "The segments that have sellers cannot take all the time within their "
                        "bands; the plan goes beyond their maximums."
                    )
                ),
            )
        )
    warnings += _left_out_warnings(
        left_out, available_minutes=available_minutes, team_size=team_size, rules=rules
    )
    if unassigned >= rules.minimum:
        warnings.append(
            PlanWarning(
                code=PlanWarningCode.UNASSIGNED,
                message=Message(
                    gettext_noop(
                        "{hours} of the week's {available} is left unplanned: the sellers cannot "
                        "take more within at most one session of {maximum} minutes a day and the "
                        "policy's bands."
                    ),
                    {
                        "hours": Hours(Fraction(unassigned, 60)),
                        "available": Hours(Fraction(available_minutes, 60)),
                        "maximum": rules.maximum,
                    },
                ),
            )
        )
    if unplaced_minutes:
        warnings.append(
            PlanWarning(
                code=PlanWarningCode.UNPLACED,
                message=Message(
                    gettext_noop(
                        "{hours} of the plan did not fit in your free time; see the sessions "
                        "not placed."
                    ),
                    {"hours": Hours(Fraction(unplaced_minutes, 60))},
                ),
            )
        )
    return warnings


def _left_out_warnings(
    left_out: Mapping[LeftOut, Sequence[str]],
    *,
    available_minutes: int,
    team_size: int,
    rules: SessionRules,
) -> list[PlanWarning]:
    """One sentence per cause, naming each seller it leaves without a session."""
    warnings: list[PlanWarning] = []
    if names := left_out.get(LeftOut.HOURS):
        warnings.append(
            PlanWarning(
                code=PlanWarningCode.SELLERS_WITHOUT_TIME,
                message=Message(
                    gettext_noop(
                        "No time this week for {names}: {hours} does not stretch to a session "
                        "of {minimum} minutes for each of the {sellers} sellers."
                    ),
                    {
                        "names": ", ".join(names),
                        "hours": Hours(Fraction(available_minutes, 60)),
                        "minimum": rules.minimum,
                        "sellers": team_size,
                    },
                ),
            )
        )
    if names := left_out.get(LeftOut.NO_SHARE):
        warnings.append(
            PlanWarning(
                code=PlanWarningCode.SELLERS_WITHOUT_SHARE,
                message=Message(
                    gettext_noop(
                        "No time this week for {names}: the policy gives their segment no "
                        "share of your seller time."
                    ),
                    {"names": ", ".join(names)},
                ),
            )
        )
    if names := left_out.get(LeftOut.NO_SLOT):
        warnings.append(
            PlanWarning(
                code=PlanWarningCode.SELLERS_WITHOUT_SLOT,
                message=Message(
                    gettext_noop(
                        "No session this week with {names}: no free slot of {minimum} minutes "
                        "is left in your working hours."
                    ),
                    {"names": ", ".join(names), "minimum": rules.minimum},
                ),
            )
        )
    return warnings
