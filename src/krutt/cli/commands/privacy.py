"""`krutt privacy export|erase`: a seller's rights of access, portability and erasure."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from krutt.cli.commands.common import common_options, language, say, start
from krutt.domain.errors import InvalidInput
from krutt.domain.messages import Message, gettext_noop


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("privacy", help="a seller's data: export, erase")
    actions = parser.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=type(parser)
    )
    common = common_options()
    export = actions.add_parser(
        "export", parents=[common], help="everything about one seller, as a ZIP"
    )
    export.add_argument("--seller", required=True, metavar="SELLER", help="e-mail, alias or id")
    export.add_argument("--out", required=True, type=Path, metavar="FILE.zip")
    export.set_defaults(handler=run_export)
    erase = actions.add_parser(
        "erase", parents=[common], help="remove a seller's name and texts, keep the numbers"
    )
    erase.add_argument("--seller", required=True, metavar="SELLER", help="e-mail, alias or id")
    erase.add_argument("--reason", required=True)
    erase.add_argument("--dry-run", action="store_true", help="say what would go; change nothing")
    erase.add_argument("--json", action="store_true", help="print the result as JSON")
    erase.add_argument(
        "--force", action="store_true", help="erase a seller who has not left (needs --reason)"
    )
    erase.set_defaults(handler=run_erase)


def run_export(args: argparse.Namespace) -> int:
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_organisation
    from krutt.web.privacy.export import export_seller, seller_language
    from krutt.web.privacy.people import the_seller

    if args.out.exists():
        raise InvalidInput(
            gettext_noop("{file} exists already; choose a new file name."), file=str(args.out)
        )
    start()
    with runtime.atomic():
        organisation = the_organisation(args.org)
        lang = args.resolved_lang = language(args, organisation.language)
        seller = the_seller(organisation, args.seller)
        archive = export_seller(
            seller,
            language=args.lang or seller_language(seller),
            actor_id=None,
            actor_label="cli",
            channel="cli",
        )
        try:
            fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as error:
            raise InvalidInput(
                gettext_noop("{file} cannot be written: {reason}"),
                file=str(args.out),
                reason=error.strerror or str(error),
            ) from None
        with os.fdopen(fd, "wb") as stream:
            stream.write(archive)
    print(
        say(
            Message(
                gettext_noop("Exported everything about {name} to {file}."),
                {"name": seller.name, "file": str(args.out)},
            ),
            lang,
        )
    )
    return 0


def run_erase(args: argparse.Namespace) -> int:
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_organisation
    from krutt.web.privacy.erasure import erase_seller
    from krutt.web.privacy.people import the_seller

    start()
    with runtime.atomic():
        organisation = the_organisation(args.org)
        lang = args.resolved_lang = language(args, organisation.language)
        seller = the_seller(organisation, args.seller)
        result = erase_seller(
            seller,
            reason=args.reason,
            force=args.force,
            dry_run=args.dry_run,
            actor_id=None,
            actor_label="cli",
            channel="cli",
        )
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        return 0
    head = (
        gettext_noop("Dry run: erasing {name} would remove:")
        if args.dry_run
        else gettext_noop("Erased {name}; they are now «{pseudonym}». Removed:")
    )
    print(say(Message(head, {"name": result.masked, "pseudonym": result.pseudonym}), lang))
    for what, count in result.removed.items():
        print(f"  {what}: {count}")
    return 0
