"""`krutt outcome`: does the policy pay? The team's outcome, coaching effect, ramp, wear, retention."""

from __future__ import annotations

import argparse
from fractions import Fraction
from typing import Any

from krutt.cli.commands.common import common_options, language, print_json, say, start, table
from krutt.domain.errors import InvalidInput
from krutt.domain.messages import gettext_noop
from krutt.domain.outcome import Outcome
from krutt.domain.segments import SEGMENT_ORDER
from krutt.web.answers.outcome import outcome_json


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "outcome",
        parents=[common_options()],
        help="does the policy pay: results against where the time went, with intervals",
    )
    parser.add_argument("--manager", metavar="EMAIL", help="the manager (default: the only one)")
    parser.add_argument(
        "--months", metavar="N", default="24", help="complete months to look back (default 24)"
    )
    parser.add_argument("--at", metavar="DATE", help="look back from this day (default: today)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def _months(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 120:
        raise InvalidInput(
            gettext_noop("--months must be a whole number from 1 to 120, not {value}."),
            value=text,
        )
    return value


def run(args: argparse.Namespace) -> int:
    from krutt.domain.outcome import OutcomeRules
    from krutt.domain.periods import parse_day
    from krutt.services.outcome import outcome_report
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_manager, the_organisation
    from krutt.web.clock import today_in
    from krutt.web.dashboard.queries import manager_policy
    from krutt.web.outcome.repository import OutcomeRepository

    months = _months(args.months)
    start()
    with runtime.atomic():
        organisation = the_organisation(args.org)
        lang = args.resolved_lang = language(args, organisation.language)
        manager = the_manager(organisation, args.manager)
        outcome = outcome_report(
            manager_id=manager.pk,
            today=parse_day(args.at) if args.at else today_in(organisation),
            policy=manager_policy(organisation, manager),
            source=OutcomeRepository(organisation),
            rules=OutcomeRules(months=months),
        )
    if args.json:
        print_json(outcome_json(outcome, manager.email))
        return 0
    print(outcome_text(outcome, manager.label, lang))
    return 0


def outcome_text(outcome: Outcome, manager: str, lang: str) -> str:
    from krutt.domain.outcome import PUBLISHED_FINDING
    from krutt.web.messages import format_hours, format_percent, format_value, in_language
    from krutt.web.messages import tr as gettext

    def pct(value: Fraction | None) -> str:
        return format_percent(value) if value is not None else "–"

    with in_language(lang):
        lines = [f"{manager} · {outcome.first} – {outcome.last}", ""]
        lines.append(gettext("Team outcome by month"))
        lines.append(
            table(
                [gettext("Month"), gettext("Attainment")]
                + [format_value(s.label) for s in SEGMENT_ORDER]
                + [gettext("Within policy")],
                [
                    [str(m.month), pct(m.attainment)]
                    + [pct(m.shares[s]) if m.shares else "–" for s in SEGMENT_ORDER]
                    + [
                        "–"
                        if m.within_policy is None
                        else gettext("yes")
                        if m.within_policy
                        else gettext("no")
                    ]
                    for m in outcome.team.months
                ],
                right={1, 2, 3, 4, 5},
            )
        )
        lines += [say(outcome.team.message, lang), gettext(CORRELATION_CAVEAT), ""]
        lines.append(gettext("Coaching against later results"))
        lines += [say(outcome.coaching[s].message, lang) for s in SEGMENT_ORDER]
        lines += [gettext(COACHING_CAVEAT), gettext(PUBLISHED_FINDING), ""]
        lines.append(gettext("Ramp"))
        if outcome.ramp:
            lines.append(
                table(
                    [
                        gettext("Seller"),
                        gettext("Month of tenure"),
                        gettext("Attainment so far"),
                        gettext("Earlier hires (median)"),
                        gettext("Middle half"),
                        gettext("Earlier hires"),
                    ],
                    [
                        [
                            r.name,
                            str(r.tenure_month),
                            pct(r.attainment),
                            pct(r.cohort_median),
                            f"{pct(r.cohort_q1)}–{pct(r.cohort_q3)}" if r.cohort_q1 else "–",
                            str(r.cohort_size),
                        ]
                        for r in outcome.ramp
                    ],
                    right={1, 2, 3, 5},
                )
            )
        else:
            lines.append(
                gettext("No seller in their first year has a complete month with numbers yet.")
            )
        lines += ["", gettext("Wear")]
        lines.append(
            table(
                [gettext("Week")]
                + [format_value(s.label) for s in SEGMENT_ORDER]
                + [gettext("Rated")],
                [
                    [format_value(w.week)]
                    + [
                        (pct(w.shares_time[s]) if w.shares_time else "–")
                        + " / "
                        + (pct(w.shares_energy[s]) if w.shares_energy else "–")
                        for s in SEGMENT_ORDER
                    ]
                    + [pct(w.rated_share)]
                    for w in outcome.wear.weeks
                ],
                right={1, 2, 3, 4, 5},
            )
        )
        lines += [
            gettext("Each cell: share of time / share of drained energy."),
            say(outcome.wear.message, lang),
            "",
        ]
        lines.append(gettext("Retention of top sellers"))
        retention = outcome.retention
        if retention is None:
            lines.append(gettext("No top seller left in these months."))
        else:
            lines.append(
                table(
                    [gettext("Seller"), gettext("Left"), gettext("Hours a month, last 3 months")],
                    [
                        [x.name, format_value(x.left_on), format_hours(x.hours_per_month)]
                        for x in retention.leavers
                    ],
                    right={2},
                )
            )
            lines.append(say(retention.message, lang))
    return "\n".join(lines)


CORRELATION_CAVEAT = gettext_noop(
    "A correlation over the team's own months, not proof: other things changed in those months too."
)
COACHING_CAVEAT = gettext_noop(
    "Each figure is how results moved after months with more coaching, not what coaching caused: "
    "sellers who are coached more may differ in other ways."
)
