"""`krutt log`: record time spent with one or more sellers."""

from __future__ import annotations

import argparse
from typing import Any

from krutt.cli.commands.common import common_options, language, say, start
from krutt.domain.activities import Activity
from krutt.domain.messages import Message, gettext_noop
from krutt.domain.moments import parse_moment


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("log", parents=[common_options()], help="log time spent with sellers")
    parser.add_argument("--manager", metavar="EMAIL", help="the manager (default: the only one)")
    parser.add_argument(
        "--seller",
        metavar="EMAIL",
        action="append",
        required=True,
        help="a seller; repeat for a group",
    )
    parser.add_argument("--minutes", type=_minutes, required=True)
    parser.add_argument("--activity", choices=[a.value for a in Activity], required=True)
    parser.add_argument(
        "--at",
        metavar="DATETIME",
        help="when it started (ISO; local time unless Z/+hh:mm); default now",
    )
    parser.add_argument("--note", default="")
    parser.add_argument(
        "--energy", type=_energy, metavar="1-5", help="how draining it was, 1 (easy) to 5"
    )
    parser.set_defaults(handler=run)


def _minutes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of minutes") from None
    return value


def _energy(text: str) -> int:
    if text not in {"1", "2", "3", "4", "5"}:
        raise argparse.ArgumentTypeError(f"energy is 1 to 5, not {text!r}")
    return int(text)


def run(args: argparse.Namespace) -> int:
    from krutt.domain.sellers import SellerId
    from krutt.services.record_time import TimeRecord, record_time
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_manager, the_organisation, the_sellers
    from krutt.web.clock import SystemClock
    from krutt.web.sellers.models import Seller
    from krutt.web.sellers.policies import organisation_zone
    from krutt.web.timelog.repositories import TimeRepository

    start()
    now = SystemClock().now()
    with runtime.atomic():
        organisation = the_organisation(args.org)
        args.resolved_lang = language(args, organisation.language)
        zone = organisation_zone(organisation)
        manager = the_manager(organisation, args.manager)
        sellers = the_sellers(organisation, args.seller)
        started_at = parse_moment(args.at, zone) if args.at else now
        recorded = record_time(
            log=TimeRepository(organisation, actor=manager, channel="cli"),
            record=TimeRecord(
                seller_ids=tuple(SellerId(s) for s in sellers),
                started_at=started_at,
                minutes=args.minutes,
                activity=Activity(args.activity),
                note=args.note,
                energy=args.energy,
            ),
            manager_id=manager.pk,
            zone=zone,
            now=now,
        )
        names = ", ".join(
            Seller.objects.filter(id__in=sellers).order_by("name").values_list("name", flat=True)
        )
    local = started_at.astimezone(zone)
    print(
        say(
            Message(
                gettext_noop(
                    "Logged {minutes} min of {activity} with {sellers} on {day} at {time} (entry {id})."
                ),
                {
                    "minutes": args.minutes,
                    "activity": Activity(args.activity).label,
                    "sellers": names,
                    "day": local.date(),
                    "time": local.strftime("%H:%M"),
                    "id": recorded.entry_id,
                },
            ),
            args.resolved_lang,
        )
    )
    return 0
