"""`krutt segments`: the team by segment on a day, with the reason for each seller."""

from __future__ import annotations

import argparse
from typing import Any

from krutt.cli.commands.common import common_options, language, print_json, say, start, table


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "segments", parents=[common_options()], help="each seller's segment and why"
    )
    parser.add_argument("--manager", metavar="EMAIL", help="the manager (default: the only one)")
    parser.add_argument("--at", metavar="DATE", help="the day to judge (default: today)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from krutt.domain.periods import parse_day
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_manager, the_organisation
    from krutt.web.answers.segments import segments_document, team_segments
    from krutt.web.clock import today_in
    from krutt.web.messages import format_percent, format_value

    start()
    with runtime.atomic():
        organisation = the_organisation(args.org)
        lang = args.resolved_lang = language(args, organisation.language)
        manager = the_manager(organisation, args.manager)
        on = parse_day(args.at) if args.at else today_in(organisation)
        result = team_segments(manager, on)
    if args.json:
        print_json(segments_document(result, on, lang))
        return 0
    from krutt.web.messages import in_language
    from krutt.web.messages import tr as gettext

    with in_language(lang):
        headers = [
            gettext("Segment"),
            gettext("Seller"),
            gettext("Attainment"),
            gettext("Tenure"),
            gettext("Reason"),
        ]
        rows = [
            [
                format_value(s.assessment.segment.label)
                + (" *" if s.assessment.source.value == "override" else ""),
                f"{s.member.name} <{s.member.email}>",
                format_percent(s.assessment.attainment)
                if s.assessment.attainment is not None
                else "–",
                gettext("%(months)d mo") % {"months": s.tenure_months},
                say(s.assessment.reason, lang),
            ]
            for s in result
        ]
        print(f"{manager.label} · {format_value(on)}")
        print(table(headers, rows, right={2, 3}))
        if any(s.assessment.source.value == "override" for s in result):
            print(gettext("* set by the manager"))
    return 0
