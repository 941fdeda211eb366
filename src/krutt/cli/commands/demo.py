"""`krutt demo`: a realistic demo organisation to look around in."""

from __future__ import annotations

import argparse
from typing import Any

from krutt.cli.commands.common import common_options, start


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "demo", parents=[common_options()], help="fill the database with a demo organisation"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from krutt.web import runtime
    from krutt.web.demo import install_demo

    start(migrate=True)
    with runtime.atomic():
        result = install_demo()
    state = "created" if result.created else "already there"
    print(
        f"krutt: demo organisation «{result.organisation.name}» {state} ({runtime.database_label()})."
    )
    print()
    print(
        "Log in at http://127.0.0.1:8000/login/ (krutt serve) with password "
        + result.password
        + ":"
    )
    for login in result.logins:
        team = f" — {login.team}" if login.team else ""
        print(f"  {login.role:<9} {login.email:<28} {login.name}{team}")
    manager = next((x for x in result.logins if x.role == "manager"), None)
    if manager is not None:
        print()
        print("Or look from the terminal:")
        print(f"  krutt report --org '{result.organisation.name}' --manager {manager.email}")
        print(f"  krutt segments --org '{result.organisation.name}' --manager {manager.email}")
    return 0
