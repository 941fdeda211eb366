"""`krutt report`: where the manager's seller time went in a period, against the policy."""

from __future__ import annotations

import argparse
from typing import Any

from krutt.cli.commands.common import common_options, language, print_json, say, start, table
from krutt.domain.policy import PRESETS


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "report", parents=[common_options()], help="seller time per segment against the policy"
    )
    parser.add_argument("--manager", metavar="EMAIL", help="the manager (default: the only one)")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--week", metavar="YYYY-Www", help="an ISO week, e.g. 2026-W47")
    when.add_argument("--month", metavar="YYYY-MM", help="a calendar month")
    when.add_argument("--from", dest="first", metavar="DATE", help="first day (with --to)")
    parser.add_argument(
        "--to", dest="last", metavar="DATE", help="last day, inclusive (with --from)"
    )
    parser.add_argument(
        "--policy", choices=sorted(PRESETS), help="judge against this preset instead of the team's"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_manager, the_organisation
    from krutt.web.answers.report import report_document, report_period, run_report
    from krutt.web.clock import SystemClock, today_in
    from krutt.web.privacy.notices import manager_warnings

    start()
    with runtime.atomic():
        organisation = the_organisation(args.org)
        lang = args.resolved_lang = language(args, organisation.language)
        manager = the_manager(organisation, args.manager)
        period = report_period(
            week=args.week,
            month=args.month,
            first=args.first,
            last=args.last,
            today=today_in(organisation),
        )
        result, alerts = run_report(
            manager, period=period, policy_key=args.policy, now=SystemClock().now()
        )
        warnings = manager_warnings(manager)
    if args.json:
        print_json(report_document(manager, result, alerts, lang))
        return 0
    print(render_text(manager.label, result, alerts, lang))
    for warning in warnings:
        print("! " + say(warning, lang))
    return 0


def render_text(manager: str, result: Any, alerts: list[Any], lang: str) -> str:
    from krutt.domain.messages import Hours, Message, gettext_noop
    from krutt.domain.segments import Segment
    from krutt.web.messages import format_hours, format_percent, format_value, in_language
    from krutt.web.messages import tr as gettext

    allocation = result.allocation
    period = result.period
    with in_language(lang):
        status_words = {
            "below": gettext("below band"),
            "within": gettext("within band"),
            "above": gettext("above band"),
            "empty": gettext("no sellers"),
        }
        rows = []
        for segment, a in allocation.segments.items():
            band = (
                f"{format_percent(a.band.minimum)}–{format_percent(a.band.maximum)}"
                if a.band.maximum is not None
                else f"≥ {format_percent(a.band.minimum)}"
            )
            rows.append(
                [
                    format_value(segment.label),
                    str(a.sellers),
                    format_hours(a.minutes / 60),
                    format_percent(a.share),
                    band,
                    status_words[a.status.value],
                ]
            )
        lines = [
            f"{manager} · {format_value(period.first)}–{format_value(period.last)} · {gettext(result.policy.name)}",
            "",
            table(
                [
                    gettext("Segment"),
                    gettext("Sellers"),
                    gettext("Hours"),
                    gettext("Share"),
                    gettext("Band"),
                    gettext("Status"),
                ],
                rows,
                right={1, 2, 3},
            ),
            "",
            say(
                Message(
                    gettext_noop(
                        "Seller time {hours}; team-wide meetings {team_wide} (not split)."
                    ),
                    {
                        "hours": Hours(allocation.seller_minutes / 60),
                        "team_wide": Hours(allocation.team_wide_minutes / 60),
                    },
                ),
                lang,
            ),
        ]
        if result.planned.seller_minutes:
            lines.append(
                say(
                    Message(
                        gettext_noop(
                            "Planned in the period, not yet happened: {hours}, of which "
                            "{top} with top performers (not in the shares above)."
                        ),
                        {
                            "hours": Hours(result.planned.seller_minutes / 60),
                            "top": Hours(result.planned.segments[Segment.TOP].minutes / 60),
                        },
                    ),
                    lang,
                )
            )
        for move in result.moves:
            lines.append(
                say(
                    Message(
                        gettext_noop("Move about {hours} from {source} to {target}."),
                        {
                            "hours": Hours(move.minutes / 60),
                            "source": move.source.label,
                            "target": move.target.label,
                        },
                    ),
                    lang,
                )
            )
        for alert in alerts:
            lines.append("! " + say(alert.message, lang))
    return "\n".join(lines)
