"""The subcommands, each in its own module; they share the options in `common`."""

from __future__ import annotations

import argparse
from typing import Any

from krutt.cli.commands import (
    demo,
    export,
    imports,
    init,
    log,
    plan,
    privacy,
    report,
    segments,
    serve,
    support,
    user,
)
from krutt.cli.commands.common import render_error

__all__ = ["register", "render_error"]


def register(sub: argparse._SubParsersAction[Any]) -> None:
    for module in (
        init,
        imports,
        log,
        segments,
        report,
        plan,
        support,
        export,
        demo,
        serve,
        user,
        privacy,
    ):
        module.register(sub)
