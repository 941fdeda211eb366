"""`krutt token`: personal access tokens for the HTTP API (create, list, revoke)."""

from __future__ import annotations

import argparse
from typing import Any

from krutt.cli.commands.common import common_options, language, print_json, say, start, table
from krutt.domain.errors import NotFound
from krutt.domain.messages import Message, gettext_noop


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("token", help="access tokens for the HTTP API")
    actions = parser.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=type(parser)
    )
    create = actions.add_parser(
        "create", parents=[common_options()], help="make a token (printed once)"
    )
    create.add_argument("--user", metavar="EMAIL", required=True)
    create.add_argument("--name", required=True)
    create.add_argument(
        "--expires", metavar="DATE", help="last day the token works (default: never)"
    )
    create.set_defaults(handler=run_create)
    listing = actions.add_parser("list", parents=[common_options()], help="a user's tokens")
    listing.add_argument("--user", metavar="EMAIL", required=True)
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=run_list)
    revoke = actions.add_parser("revoke", parents=[common_options()], help="revoke a token")
    revoke.add_argument("--user", metavar="EMAIL", required=True)
    revoke.add_argument("--name", required=True)
    revoke.set_defaults(handler=run_revoke)


def _user(args: argparse.Namespace) -> Any:
    from krutt.domain.addresses import normalise_email
    from krutt.web.accounts.directory import the_organisation
    from krutt.web.accounts.models import User

    organisation = the_organisation(args.org)
    args.resolved_lang = language(args, organisation.language)
    user = User.objects.filter(organisation=organisation, email=normalise_email(args.user)).first()
    if user is None:
        raise NotFound(gettext_noop("No user has the e-mail address {email}."), email=args.user)
    return user


def run_create(args: argparse.Namespace) -> int:
    from krutt.domain.periods import parse_day
    from krutt.web import runtime
    from krutt.web.api.tokens import create_token, expiry_at
    from krutt.web.clock import SystemClock
    from krutt.web.sellers.policies import organisation_zone

    start()
    with runtime.atomic():
        user = _user(args)
        expires = (
            expiry_at(parse_day(args.expires), organisation_zone(user.organisation))
            if args.expires
            else None
        )
        made = create_token(
            user=user,
            name=args.name,
            now=SystemClock().now(),
            expires_at=expires,
            actor=user,
            channel="cli",
        )
    # The token alone on its own line, so `krutt token create … | tail -1` captures it.
    print(
        say(
            Message(
                gettext_noop("Token {name} for {email} ({prefix}…); it is shown only this once:"),
                {"name": made.row.name, "email": user.email, "prefix": made.row.prefix},
            ),
            args.resolved_lang,
        )
    )
    print(made.secret)
    return 0


def run_list(args: argparse.Namespace) -> int:
    from krutt.web import runtime
    from krutt.web.api.tokens import token_document, tokens_of
    from krutt.web.clock import SystemClock

    start()
    with runtime.atomic():
        user = _user(args)
        document = token_document(tokens_of(user), SystemClock().now())
    if args.json:
        print_json(document)
        return 0
    if not document:
        print(
            say(
                Message(gettext_noop("{email} has no tokens."), {"email": user.email}),
                args.resolved_lang,
            )
        )
        return 0
    print(
        table(
            ["name", "prefix", "state", "created", "expires", "last used"],
            [
                [
                    t["name"],
                    t["prefix"] + "…",
                    t["state"],
                    t["created"][:16],
                    (t["expires"] or "–")[:16],
                    (t["last_used"] or "–")[:16],
                ]
                for t in document
            ],
        )
    )
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    from krutt.web import runtime
    from krutt.web.api.tokens import revoke_token
    from krutt.web.clock import SystemClock

    start()
    with runtime.atomic():
        user = _user(args)
        row = revoke_token(
            user=user, name=args.name, now=SystemClock().now(), actor=user, channel="cli"
        )
    print(
        say(
            Message(
                gettext_noop("Revoked token {name} ({prefix}…) of {email}."),
                {"name": row.name, "prefix": row.prefix, "email": user.email},
            ),
            args.resolved_lang,
        )
    )
    return 0
