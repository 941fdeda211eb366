"""What every subcommand shares: Django start-up, the organisation, the language, output."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from krutt.domain.errors import InvalidInput, KruttError
from krutt.domain.messages import Message, gettext_noop, render_plain

LANGUAGES = ("nb", "en")


def common_options() -> argparse.ArgumentParser:
    """--org and --lang, accepted by every subcommand."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--org", metavar="NAME", help="the organisation (needed only when there are several)"
    )
    parent.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=os.environ.get("KRUTT_LANG") or None,
        help="language of the output (default: the organisation's, Norwegian for a Norwegian one)",
    )
    return parent


def start(*, migrate: bool = False) -> None:
    """Start Django; refuse politely when the database is not set up yet."""
    from krutt.web import runtime

    runtime.setup()
    if migrate:
        runtime.migrate()
    elif runtime.has_pending_migrations():
        raise InvalidInput(
            gettext_noop(
                "The database at {where} is not set up (or is older than krutt); run krutt init."
            ),
            where=runtime.database_label(),
        )


def language(args: argparse.Namespace, default: str = "nb") -> str:
    return str(args.lang or default)


def say(message: Message, lang: str) -> str:
    from krutt.web.messages import render

    return render(message, lang)


def render_error(error: KruttError, args: argparse.Namespace) -> str:
    from krutt.web import runtime

    if runtime.is_ready():
        return say(error.message, language(args, getattr(args, "resolved_lang", "nb")))
    # Before Django has started (a missing file, say) the message is shown in English.
    return render_plain(error.message)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def table(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    """A plain text table that lines up in any terminal."""
    right = right or set()
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=False)]
    lines = []
    for row in [headers, *rows]:
        cells = [
            str(c).rjust(w) if i in right else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=False))
        ]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
