"""`krutt seller alias S ADDRESS`: another address a seller appears under (calendars, CRMs).

The same use case as the seller page and the calendar preview's "this is …": audited, and
refused when the address is someone else's.
"""

from __future__ import annotations

import argparse
from typing import Any

from krutt.cli.commands.common import common_options, language, say, start
from krutt.domain.messages import Message, gettext_noop


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("seller", help="change a seller on the roster")
    actions = parser.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=type(parser)
    )
    alias = actions.add_parser(
        "alias", parents=[common_options()], help="store another address of a seller"
    )
    alias.add_argument("seller", metavar="S", help="the seller's e-mail (or an alias)")
    alias.add_argument("address", metavar="ADDRESS", help="the address or name to store")
    alias.set_defaults(handler=run_alias)


def run_alias(args: argparse.Namespace) -> int:
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_organisation
    from krutt.web.sellers.changes import store_alias
    from krutt.web.sellers.models import Seller

    start()
    with runtime.atomic():
        organisation = the_organisation(args.org)
        lang = args.resolved_lang = language(args, organisation.language)
        seller_id = store_alias(organisation, args.seller, args.address, channel="cli")
        name = Seller.objects.get(pk=seller_id).name
    print(
        say(
            Message(
                gettext_noop("{address} is now an address of {name}."),
                {"address": args.address.strip().lower(), "name": name},
            ),
            lang,
        )
    )
    return 0
