"""`krutt support show|plan|log|decide`: the support ledger of a seller who does not deliver."""

from __future__ import annotations

import argparse
from typing import Any

from krutt.cli.commands.common import common_options, language, print_json, say, start
from krutt.domain.support import Decision, SupportKind


def _action(text: str) -> tuple[SupportKind, str, int]:
    """`training:4:Produktkurs` → (training, "Produktkurs", 240 minutes)."""
    kind, _, rest = text.partition(":")
    hours, _, description = rest.partition(":")
    try:
        return (
            SupportKind(kind.strip()),
            description.strip(),
            round(float(hours.replace(",", ".") or 0) * 60),
        )
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: write KIND:HOURS:WHAT with KIND one of {', '.join(k.value for k in SupportKind)}"
        ) from None


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("support", help="the support ledger of a seller who does not deliver")
    actions = parser.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=type(parser)
    )
    common = common_options()

    show = actions.add_parser("show", parents=[common], help="the seller's support status and why")
    show.add_argument("--seller", required=True, metavar="EMAIL")
    show.add_argument("--at", metavar="DATE", help="judge on this day (default: today)")
    show.add_argument("--json", action="store_true")

    plan = actions.add_parser("plan", parents=[common], help="write a support plan")
    plan.add_argument("--seller", required=True, metavar="EMAIL")
    plan.add_argument("--goal", required=True)
    plan.add_argument("--start", metavar="DATE", help="default: today")
    plan.add_argument("--review", required=True, metavar="DATE")
    plan.add_argument(
        "--action",
        dest="actions",
        type=_action,
        action="append",
        default=[],
        metavar="KIND:HOURS:WHAT",
        help="an agreed action, e.g. training:4:Produktkurs; repeatable",
    )

    log = actions.add_parser("log", parents=[common], help="log support given outside the time log")
    log.add_argument("--seller", required=True, metavar="EMAIL")
    log.add_argument("--kind", required=True, choices=[k.value for k in SupportKind])
    log.add_argument("--minutes", type=int, required=True)
    log.add_argument("--day", metavar="DATE", help="default: today")
    log.add_argument("--note", default="")

    decide = actions.add_parser(
        "decide", parents=[common], help="record your decision after sufficient support"
    )
    decide.add_argument("--seller", required=True, metavar="EMAIL")
    decide.add_argument("--decision", required=True, choices=[d.value for d in Decision])
    decide.add_argument("--reason", required=True)
    decide.add_argument("--on", metavar="DATE", help="default: today")

    for p in (show, plan, log, decide):
        p.add_argument("--manager", metavar="EMAIL", help="the manager (default: the only one)")
        p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from krutt.domain.errors import NotFound
    from krutt.domain.messages import Message, gettext_noop
    from krutt.domain.periods import parse_day
    from krutt.domain.sellers import SellerId
    from krutt.web import runtime
    from krutt.web.access import sellers_managed_by
    from krutt.web.accounts.directory import the_manager, the_organisation, the_sellers
    from krutt.web.clock import today_in
    from krutt.web.support.ledger import decide, log_support, write_plan
    from krutt.web.support.repositories import support_statuses

    start()
    with runtime.atomic():
        organisation = the_organisation(args.org)
        lang = args.resolved_lang = language(args, organisation.language)
        manager = the_manager(organisation, args.manager)
        (seller_id,) = the_sellers(organisation, [args.seller])
        seller = sellers_managed_by(manager).filter(pk=seller_id).first()
        if seller is None:
            raise NotFound(gettext_noop("{seller} is not on your team."), seller=args.seller)
        today = today_in(organisation)
        if args.action == "plan":
            started = parse_day(args.start) if args.start else today
            write_plan(
                seller=seller,
                goal=args.goal,
                started_on=started,
                review_on=parse_day(args.review),
                actions=args.actions,
                actor_id=manager.pk,
                channel="cli",
            )
        elif args.action == "log":
            log_support(
                seller=seller,
                day=parse_day(args.day) if args.day else today,
                kind=SupportKind(args.kind),
                minutes=args.minutes,
                note=args.note,
                actor_id=manager.pk,
                channel="cli",
            )
        elif args.action == "decide":
            decide(
                seller=seller,
                decision=Decision(args.decision),
                decided_on=parse_day(args.on) if args.on else today,
                reason=args.reason,
                actor_id=manager.pk,
                channel="cli",
            )
        on = parse_day(args.at) if getattr(args, "at", None) else today
        status = support_statuses([seller.pk], on=on)[SellerId(seller.pk)]
    if getattr(args, "json", False):
        print_json(
            {
                "email": seller.email,
                "state": status.state.value,
                "explanation": say(status.explanation, lang),
                "sufficient": status.sufficiency.sufficient if status.sufficiency else False,
                "sufficiency": say(status.sufficiency.message, lang)
                if status.sufficiency
                else None,
                "response": status.response.response.value if status.response else None,
                "response_message": say(status.response.message, lang) if status.response else None,
                "suggestion": say(status.suggestion, lang) if status.suggestion else None,
                "decision": status.decision.decision.value if status.decision else None,
                "decided_on": status.decision.decided_on.isoformat() if status.decision else None,
                "decision_reason": status.decision.reason if status.decision else None,
                "plan": None
                if status.plan is None
                else {
                    "goal": status.plan.goal,
                    "start": status.plan.started_on.isoformat(),
                    "review": status.plan.review_on.isoformat(),
                    "actions": [
                        {
                            "kind": a.kind.value,
                            "description": a.description,
                            "hours": round(a.minutes / 60, 2),
                        }
                        for a in status.plan.actions
                    ],
                },
                "delivered_hours": {k.value: round(m / 60, 2) for k, m in status.delivered.items()},
            }
        )
        return 0
    print(f"{seller.name} <{seller.email}>: {status.state.value}")
    lines: list[str] = []
    for message in (
        status.explanation,
        status.sufficiency.message if status.sufficiency else None,
        status.response.message if status.response else None,
        status.suggestion,
    ):
        # The explanation often is the sufficiency or response sentence: print it once.
        if message is not None and (text := say(message, lang)) not in lines:
            lines.append(text)
    if status.decision is not None:
        lines.append(
            say(
                Message(
                    gettext_noop("Decided {day}: {decision} ({reason})."),
                    {
                        "day": status.decision.decided_on,
                        "decision": status.decision.decision.label,
                        "reason": status.decision.reason,
                    },
                ),
                lang,
            )
        )
    print("\n".join(lines))
    if args.action != "show":
        print(say(Message(gettext_noop("Saved.")), lang))
    return 0
