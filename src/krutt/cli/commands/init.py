"""`krutt init`: create or migrate the database; safe to run again."""

from __future__ import annotations

import argparse
from typing import Any

from krutt.cli.commands.common import common_options, start


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "init", parents=[common_options()], help="create or update the database (idempotent)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from krutt.web import runtime

    start(migrate=True)
    print(f"krutt: database ready at {runtime.database_label()}")
    return 0
