"""`krutt plan`: next week's coaching plan by the policy, placed in the manager's free time."""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from krutt.cli.commands.common import common_options, language, print_json, say, start
from krutt.domain.policy import PRESETS


def _hours(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of hours") from None


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "plan", parents=[common_options()], help="plan a week's seller time as calendar slots"
    )
    parser.add_argument("--manager", metavar="EMAIL", help="the manager (default: the only one)")
    parser.add_argument(
        "--week", metavar="YYYY-Www", help="the ISO week to plan (default: next week)"
    )
    parser.add_argument("--hours", type=_hours, required=True, help="hours of seller time to plan")
    parser.add_argument(
        "--policy", choices=sorted(PRESETS), help="plan by this preset instead of the team's"
    )
    parser.add_argument(
        "--ics", type=Path, metavar="FILE", help="write the plan as an iCalendar file"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from krutt.domain.periods import iso_week, week_containing
    from krutt.exporters.plan_ics import plan_calendar
    from krutt.exporters.plan_json import plan_document
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_manager, the_organisation
    from krutt.web.clock import SystemClock, today_in
    from krutt.web.planning.plans import propose

    start()
    now = SystemClock().now()
    with runtime.atomic():
        organisation = the_organisation(args.org)
        lang = args.resolved_lang = language(args, organisation.language)
        manager = the_manager(organisation, args.manager)
        week = (
            iso_week(args.week)
            if args.week
            else week_containing(today_in(organisation) + timedelta(days=7))
        )
        plan = propose(manager, week=week, hours=args.hours, now=now, policy_key=args.policy)

    def render(message: Any) -> str:
        return say(message, lang)

    if args.ics:
        body = plan_calendar(
            plan, manager=str(manager.pk), stamp=now, organizer_email=manager.email, render=render
        )
        try:
            args.ics.write_bytes(body)
        except OSError as error:
            from krutt.domain.errors import InvalidInput
            from krutt.domain.messages import gettext_noop

            raise InvalidInput(
                gettext_noop("{file} cannot be written: {reason}"),
                file=str(args.ics),
                reason=error.strerror or "",
            ) from None
    if args.json:
        print_json(plan_document(plan, render=render))
        return 0
    print(render_text(plan, render, lang))
    if args.ics:
        print(f"→ {args.ics}")
    return 0


def render_text(plan: Any, render: Any, lang: str) -> str:
    from fractions import Fraction

    from django.utils import dateformat

    from krutt.web.messages import format_hours, format_value, in_language
    from krutt.web.messages import tr as gettext

    with in_language(lang):
        lines = [
            f"{plan.label} · {format_hours(Fraction(plan.available_minutes, 60))} · {gettext(plan.policy.name)}",
            "",
        ]
        for slot_seller, slot in sorted(
            ((s, slot) for s in plan.sellers for slot in s.slots), key=lambda x: x[1].start
        ):
            lines.append(
                f"{dateformat.format(slot.start, 'D')} {slot.start:%d.%m %H:%M}–{slot.end:%H:%M}  {slot_seller.name} "
                f"({format_value(slot_seller.segment.label)}) · {format_value(slot.activity.label)} — {render(slot.reason)}"
            )
        for item in plan.unplaced:
            lines.append(
                f"- {item.name}: {format_hours(Fraction(item.minutes, 60))} — {render(item.reason)}"
            )
        for warning in plan.warnings:
            lines.append("! " + render(warning.message))
    return "\n".join(lines)
