"""`krutt privacy …`: a seller's rights (export, erase), retention (purge), and § 9-2 (notice, letter)."""

from __future__ import annotations

import argparse
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from krutt.cli.commands.common import common_options, language, say, start
from krutt.domain.errors import InvalidInput
from krutt.domain.messages import Label, Message, gettext_noop


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "privacy",
        help="a seller's data and the rules on measuring: export, erase, purge, notice, letter",
    )
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
    purge = actions.add_parser(
        "purge", parents=[common], help="remove what is older than the retention periods"
    )
    purge.add_argument("--dry-run", action="store_true", help="say what would go; change nothing")
    purge.add_argument("--json", action="store_true", help="print the result as JSON")
    purge.set_defaults(handler=run_purge)
    notice = actions.add_parser(
        "notice",
        parents=[common],
        help="record that a team was informed of calendar measurement (arbeidsmiljøloven § 9-2)",
    )
    notice.add_argument("--team", required=True, metavar="T")
    notice.add_argument("--informed-on", required=True, type=_day, metavar="DATE")
    notice.add_argument("--discussed-on", required=True, type=_day, metavar="DATE")
    notice.add_argument("--purpose", required=True)
    notice.add_argument("--until", type=_day, metavar="DATE", help="when the measurement ends")
    notice.set_defaults(handler=run_notice)
    letter = actions.add_parser(
        "letter", parents=[common], help="the information letter for a team, as Markdown"
    )
    letter.add_argument("--team", required=True, metavar="T")
    letter.add_argument("--out", type=Path, metavar="FILE.md", help="default: print it")
    letter.set_defaults(handler=run_letter)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, readable by its owner only (personal data)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InvalidInput(
            gettext_noop("{file} exists already; choose a new file name."), file=str(path)
        ) from None
    except OSError as error:
        raise InvalidInput(
            gettext_noop("{file} cannot be written: {reason}"),
            file=str(path),
            reason=error.strerror or str(error),
        ) from None
    with os.fdopen(fd, "wb") as stream:
        stream.write(data)


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


def run_purge(args: argparse.Namespace) -> int:
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_organisation
    from krutt.web.privacy.purge import purge
    from krutt.web.privacy.retention import CATEGORIES

    start()
    with runtime.atomic():
        organisation = the_organisation(args.org)
        lang = args.resolved_lang = language(args, organisation.language)
        result = purge(
            organisation, dry_run=args.dry_run, actor_id=None, actor_label="cli", channel="cli"
        )
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        return 0
    if args.dry_run:
        head = gettext_noop("Dry run: the purge would remove:")
    elif result.total:
        head = gettext_noop("Purged what is past its retention period:")
    else:
        head = gettext_noop("Nothing is past its retention period; nothing was removed.")
    print(say(Message(head), lang))
    if result.total or args.dry_run:
        for category in CATEGORIES:
            print(
                "  "
                + say(
                    Message(
                        gettext_noop("{what}: {count} (kept from {day})"),
                        {
                            "what": Label(category.label),
                            "count": result.removed[category.key],
                            "day": result.kept_from[category.key],
                        },
                    ),
                    lang,
                )
            )
    return 0


def run_notice(args: argparse.Namespace) -> int:
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_organisation
    from krutt.web.privacy.notices import record_notice, the_team

    start()
    with runtime.atomic():
        organisation = the_organisation(args.org)
        lang = args.resolved_lang = language(args, organisation.language)
        team = the_team(organisation, args.team)
        record_notice(
            team,
            informed_on=args.informed_on,
            discussed_on=args.discussed_on,
            purpose=args.purpose,
            until=args.until,
            actor=None,
            actor_label="cli",
            channel="cli",
        )
    print(
        say(
            Message(
                gettext_noop(
                    "Recorded for {team}: sellers informed {informed}, discussed with the "
                    "employee representatives {discussed}."
                ),
                {"team": team.name, "informed": args.informed_on, "discussed": args.discussed_on},
            ),
            lang,
        )
    )
    return 0


def run_letter(args: argparse.Namespace) -> int:
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_organisation
    from krutt.web.privacy.letter import information_letter
    from krutt.web.privacy.notices import the_team

    start()
    with runtime.atomic():
        organisation = the_organisation(args.org)
        lang = args.resolved_lang = language(args, organisation.language)
        team = the_team(organisation, args.team)
        text = information_letter(team, language=lang)
    if args.out is None:
        print(text, end="")
        return 0
    _write_new(args.out, text.encode("utf-8"))
    print(
        say(
            Message(
                gettext_noop("Wrote the information letter for {team} to {file}."),
                {"team": team.name, "file": str(args.out)},
            ),
            lang,
        )
    )
    return 0
