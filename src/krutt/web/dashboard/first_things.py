"""What the overview puts first: the next actions under the headline, the move sentence as
`krutt report` says it, the sellers who take the most time, and the alerts grouped by kind."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from krutt.domain.alerts import Alert, AlertCode
from krutt.domain.allocation import Allocation, Move
from krutt.domain.headline import Headline
from krutt.domain.messages import Hours, Message, gettext_noop
from krutt.web.messages import render as say
from krutt.web.ui.charts import share_bar

# The sentence `krutt report` prints for a move (cli/commands/report.py): the same msgid,
# so the overview and the report agree word for word for the same period.
MOVE = gettext_noop("Move about {hours} from {source} to {target}.")
MAX_ACTIONS = 3
TOP_SELLERS = 5

GROUPS: dict[AlertCode, str] = {
    AlertCode.ALLOCATION_BELOW: "allocation",
    AlertCode.ALLOCATION_ABOVE: "allocation",
    AlertCode.NO_TIME_RECORDED: "allocation",
    AlertCode.TOP_NEGLECTED: "top",
    AlertCode.SINK_OR_SWIM: "new",
    AlertCode.JUDGED_LATER: "new",
    AlertCode.SLOW_RAMP: "new",
    AlertCode.PRECONDITION_NOT_MET: "support",
    AlertCode.SUPPORT_EXHAUSTED: "support",
    AlertCode.STALE_DATA: "data",
}
GROUP_ORDER = ("allocation", "top", "new", "support", "data")


@dataclass(frozen=True)
class Action:
    text: str
    url: str


def move_sentence(move: Move) -> str:
    return say(
        Message(
            MOVE,
            {
                "hours": Hours(move.minutes / 60),
                "source": move.source.label,
                "target": move.target.label,
            },
        )
    )


def next_actions(
    headline: Headline,
    allocation: Allocation,
    alerts: Sequence[Alert],
    *,
    extra: Sequence[Action] = (),
) -> list[Action]:
    """At most three things to do, each a link to where it is done, the most pressing first."""
    found: list[Action] = list(extra)
    if headline.segment is None:
        found.append(Action(_("Log time with a seller"), reverse("time_log")))
        found.append(Action(_("Connect your calendar"), reverse("calendar_connections")))
    seen: set[int] = set()
    if headline.seller_id is not None:
        name = next(s.name for s in allocation.sellers if s.seller_id == headline.seller_id)
        found.append(
            Action(
                _("Look at %(name)s's plan and support") % {"name": name},
                reverse("seller_detail", kwargs={"seller_id": headline.seller_id}),
            )
        )
        seen.add(headline.seller_id)
    if headline.segment is not None and any(
        s.status.value in ("below", "above") for s in allocation.segments.values()
    ):
        found.append(Action(_("Plan next week by the policy"), reverse("plan")))
    for alert in alerts:
        if alert.seller_id is not None and alert.seller_id not in seen:
            seen.add(alert.seller_id)
            found.append(
                Action(
                    say(alert.message),
                    reverse("seller_detail", kwargs={"seller_id": alert.seller_id}),
                )
            )
    return found[:MAX_ACTIONS]


@dataclass(frozen=True)
class SellerLine:
    seller_id: int
    name: str
    segment: str
    minutes: Fraction
    share: Fraction

    @property
    def bar(self) -> SafeString:
        return share_bar(self.share, self.segment)


def time_by_seller(allocation: Allocation) -> list[SellerLine]:
    """The sellers who took the most of the period's seller time, with their share of it."""
    total = allocation.seller_minutes
    merged: dict[int, SellerLine] = {}
    for s in allocation.sellers:
        before = merged.get(s.seller_id)
        minutes = s.minutes + (before.minutes if before else 0)
        merged[s.seller_id] = SellerLine(
            seller_id=s.seller_id,
            name=s.name,
            # A seller who changed segment in the period shows the one with most of their time.
            segment=(before.segment if before and before.minutes >= s.minutes else s.segment.value),
            minutes=minutes,
            share=minutes / total if total else Fraction(0),
        )
    ordered = sorted(merged.values(), key=lambda line: (-line.minutes, line.name))
    return [line for line in ordered if line.minutes][:TOP_SELLERS]


# The headline and the bars already say how each segment stands against its band.
SAID_ABOVE = {AlertCode.ALLOCATION_BELOW, AlertCode.ALLOCATION_ABOVE}


def grouped_alerts(alerts: Sequence[Alert]) -> list[dict[str, object]]:
    labels = {
        "allocation": _("Time against the policy"),
        "top": _("Top performers neglected"),
        "new": _("New sellers"),
        "support": _("Support for those not delivering"),
        "data": _("Data"),
    }
    groups: dict[str, list[Alert]] = {}
    for alert in alerts:
        if alert.code not in SAID_ABOVE:
            groups.setdefault(GROUPS.get(alert.code, "data"), []).append(alert)
    return [
        {"key": key, "label": labels[key], "alerts": groups[key]}
        for key in GROUP_ORDER
        if key in groups
    ]
