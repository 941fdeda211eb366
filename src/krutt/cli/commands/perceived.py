"""`krutt perceived`: how the manager believes a week's seller time split (four shares, sum 100)."""

from __future__ import annotations

import argparse
from typing import Any

from krutt.cli.commands.common import common_options, language, say, start
from krutt.domain.messages import Message, gettext_noop


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "perceived",
        parents=[common_options()],
        help="say how you believe a week's seller time split over the segments",
    )
    parser.add_argument("--manager", metavar="EMAIL", help="the manager (default: the only one)")
    parser.add_argument("--week", metavar="YYYY-Www", required=True, help="e.g. 2026-W47")
    for segment in ("top", "new", "core", "under"):
        parser.add_argument(f"--{segment}", type=int, required=True, metavar="PERCENT")
    parser.add_argument("--share", action="store_true", help="let the director see the estimate")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from krutt.domain.periods import iso_week
    from krutt.domain.segments import Segment
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_manager, the_organisation
    from krutt.web.team.perceived import save_perceived

    week = iso_week(args.week)
    start()
    with runtime.atomic():
        organisation = the_organisation(args.org)
        lang = args.resolved_lang = language(args, organisation.language)
        manager = the_manager(organisation, args.manager)
        save_perceived(
            manager,
            week,
            {s: getattr(args, s.value) for s in Segment},
            shared=args.share,
            channel="cli",
        )
    print(
        say(
            Message(
                gettext_noop(
                    "Saved for {week}: top {top} %, new {new} %, core {core} %, under {under} %."
                ),
                {
                    "week": args.week.strip().upper(),
                    "top": args.top,
                    "new": args.new,
                    "core": args.core,
                    "under": args.under,
                },
            ),
            lang,
        )
    )
    return 0
