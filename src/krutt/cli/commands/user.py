"""`krutt user add`: give a manager, director, admin or seller (from the roster) a login."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from krutt.cli.commands.common import common_options, language, say, start
from krutt.domain.errors import InvalidInput
from krutt.domain.messages import Message, gettext_noop


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("user", help="manage logins")
    actions = parser.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=type(parser)
    )
    add = actions.add_parser("add", parents=[common_options()], help="create or update a login")
    add.add_argument("email", metavar="EMAIL")
    add.add_argument("--role", choices=["manager", "director", "admin", "seller"], required=True)
    add.add_argument("--name")
    add.add_argument(
        "--team",
        action="append",
        default=[],
        metavar="TEAM",
        help="a team they manage or direct; repeatable",
    )
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input",
    )
    add.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_organisation
    from krutt.web.accounts.users import save_user
    from krutt.web.messages import in_language

    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InvalidInput(gettext_noop("No password on standard input."))
    start()
    with runtime.atomic():
        organisation = the_organisation(args.org, create=True)
        lang = args.resolved_lang = language(args, organisation.language)
        with in_language(lang):
            saved = save_user(
                organisation=organisation,
                email=args.email,
                role=args.role,
                name=args.name,
                teams=args.team,
                password=password,
            )
    text = (
        gettext_noop("Created {email} ({role}).")
        if saved.created
        else gettext_noop("Updated {email} ({role}).")
    )
    print(say(Message(text, {"email": saved.user.email, "role": saved.user.role}), lang))
    for team in saved.new_teams:
        # Said out loud: a mistyped --team makes a new, empty team rather than an error.
        print(
            say(
                Message(
                    gettext_noop("Created team {team}: no team had that name."), {"team": team}
                ),
                lang,
            )
        )
    for move in saved.moved:
        print(
            say(
                Message(
                    gettext_noop("Moved team {team} from {previous} to {email}."),
                    {"team": move.team, "previous": move.previous, "email": saved.user.email},
                ),
                lang,
            )
        )
    if saved.teams:
        print(
            say(Message(gettext_noop("Teams: {teams}."), {"teams": ", ".join(saved.teams)}), lang)
        )
    if not saved.user.has_usable_password():
        print(
            say(
                Message(
                    gettext_noop(
                        "No password yet: set one with --password-stdin to let them log in."
                    )
                ),
                lang,
            )
        )
    return 0
