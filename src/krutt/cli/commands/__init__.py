"""The subcommands, each in its own module; they share the options in `common`."""

from __future__ import annotations

import argparse
from typing import Any

from krutt.cli.commands import (
    calendar,
    crm,
    demo,
    export,
    imports,
    init,
    log,
    outcome,
    perceived,
    plan,
    privacy,
    report,
    segments,
    seller,
    serve,
    support,
    token,
    user,
)
from krutt.cli.commands.common import render_error

__all__ = ["register", "render_error"]


def register(sub: argparse._SubParsersAction[Any]) -> None:
    for module in (
        init,
        imports,
        calendar,
        crm,
        log,
        segments,
        report,
        perceived,
        outcome,
        plan,
        support,
        export,
        demo,
        serve,
        user,
        token,
        seller,
        privacy,
    ):
        module.register(sub)
