"""`krutt export TABLE` and `krutt backup FILE`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from krutt.cli.commands.common import common_options, language, say, start


def register(sub: argparse._SubParsersAction[Any]) -> None:
    export = sub.add_parser(
        "export", parents=[common_options()], help="a table as CSV (safe to open in Excel)"
    )
    export.add_argument("table", choices=["sellers", "performance", "segments", "time"])
    export.add_argument(
        "--out", type=Path, metavar="FILE", help="write here instead of standard output"
    )
    export.set_defaults(handler=run_export)
    backup = sub.add_parser(
        "backup", parents=[common_options()], help="a consistent copy of the SQLite database"
    )
    backup.add_argument("file", type=Path, metavar="FILE")
    backup.set_defaults(handler=run_backup)


def run_export(args: argparse.Namespace) -> int:
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_organisation
    from krutt.web.exports import export_table

    start()
    with runtime.atomic():
        organisation = the_organisation(args.org)
        args.resolved_lang = language(args, organisation.language)
        if args.out:
            with args.out.open("w", encoding="utf-8-sig", newline="") as stream:
                count = export_table(organisation, args.table, stream, actor_id=None, channel="cli")
            sys.stderr.write(f"krutt: {count} rows → {args.out}\n")
        else:
            export_table(organisation, args.table, sys.stdout, actor_id=None, channel="cli")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from krutt.domain.messages import Message, gettext_noop
    from krutt.web.exports import backup_sqlite

    start()
    size = backup_sqlite(args.file)
    print(
        say(
            Message(
                gettext_noop("Backup written to {file} ({size} bytes), integrity checked."),
                {"file": str(args.file), "size": size},
            ),
            language(args),
        )
    )
    return 0
