"""`krutt report`: where the manager's seller time went in a period, against the policy."""

from __future__ import annotations

import argparse
from fractions import Fraction
from typing import Any

from krutt.cli.commands.common import common_options, language, print_json, say, start, table
from krutt.domain.messages import message_numbers
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


def _period(args: argparse.Namespace, today: Any) -> Any:
    from krutt.domain.errors import InvalidInput
    from krutt.domain.messages import gettext_noop
    from krutt.domain.periods import Period, calendar_month, iso_week, parse_day, week_containing

    if args.last and not args.first:
        raise InvalidInput(gettext_noop("--to needs --from."))
    if args.first:
        if not args.last:
            raise InvalidInput(gettext_noop("--from needs --to."))
        return Period(first=parse_day(args.first), last=parse_day(args.last))
    if args.week:
        return iso_week(args.week)
    if args.month:
        return calendar_month(args.month)
    return week_containing(today)


def _round(value: Fraction, places: int = 4) -> float:
    return round(float(value), places)


def run(args: argparse.Namespace) -> int:
    from krutt.services.allocation_report import allocation_report
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_manager, the_organisation
    from krutt.web.clock import SystemClock, today_in
    from krutt.web.planning.alerts import alerts_for
    from krutt.web.sellers.models import Team
    from krutt.web.sellers.policies import resolve_policy
    from krutt.web.team.perceived import perceived_for_week
    from krutt.web.timelog.repositories import TimeRepository

    start()
    with runtime.atomic():
        organisation = the_organisation(args.org)
        lang = args.resolved_lang = language(args, organisation.language)
        manager = the_manager(organisation, args.manager)
        period = _period(args, today_in(organisation))
        teams = list(Team.objects.filter(manager=manager))
        policy = resolve_policy(
            organisation, teams[0] if len(teams) == 1 else None, key=args.policy
        )
        now = SystemClock().now()
        result = allocation_report(
            manager_id=manager.pk,
            period=period,
            policy=policy,
            source=TimeRepository(organisation),
            now=now,
            team_wide_above=organisation.team_wide_above,
        )
        # The judgement calls as they stood at the end of the period (or today, if it is not over).
        on = min(period.last, today_in(organisation))
        alerts = alerts_for(manager, on=on, now=now, policy=policy, allocation=result.allocation)
        # The manager's own estimate, for a period that is one ISO week they gave one for.
        perceived = (
            perceived_for_week(manager, period.first)
            if period.first.isoweekday() == 1 and (period.last - period.first).days == 6
            else None
        )
    allocation, planned = result.allocation, result.planned
    if args.json:
        print_json(
            {
                "manager": manager.email,
                "from": period.first.isoformat(),
                "to": period.last.isoformat(),
                "policy": policy.key,
                "seller_hours": _round(allocation.seller_minutes / 60),
                "team_wide_hours": _round(allocation.team_wide_minutes / 60),
                # Calendar time in the period that has not happened yet (not in the shares).
                "planned_hours": _round(planned.seller_minutes / 60),
                "segments": {
                    segment.value: {
                        "hours": _round(a.minutes / 60),
                        "share": _round(a.share),
                        "min": _round(a.band.minimum),
                        "max": _round(a.band.maximum) if a.band.maximum is not None else None,
                        "status": a.status.value,
                        "sellers": a.sellers,
                        "planned_hours": _round(planned.segments[segment].minutes / 60),
                    }
                    for segment, a in allocation.segments.items()
                },
                "sellers": [
                    {
                        "email": s.email,
                        "name": s.name,
                        "segment": s.segment.value,
                        "hours": _round(s.minutes / 60),
                        "share": _round(s.share),
                    }
                    for s in allocation.sellers
                ],
                "alerts": [
                    {
                        "code": alert.code.value,
                        "segment": alert.segment.value if alert.segment else None,
                        "seller": alert.seller_email,
                        "message": say(alert.message, lang),
                        "numbers": message_numbers(alert.message),
                    }
                    for alert in alerts
                ],
                "perceived": (
                    {s.value: _round(share) for s, share in perceived.items()}
                    if perceived is not None
                    else None
                ),
                "moves": [
                    {
                        "from": m.source.value,
                        "to": m.target.value,
                        "hours": _round(m.minutes / 60, 2),
                    }
                    for m in result.moves
                ],
            }
        )
        return 0
    print(render_text(manager.label, result, alerts, lang))
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
