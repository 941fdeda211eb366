"""`krutt …`: the command line for people who live in a terminal and for automation."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from krutt import __version__
from krutt.cli import commands
from krutt.domain.errors import InvalidInput, KruttError
from krutt.domain.messages import gettext_noop

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
# The same sentence as krutt.web.busy.BUSY (the CLI must not import Django to say it).
BUSY = gettext_noop("The database is busy with another import; try again in a minute.")


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(
            f"krutt: {message} (see krutt {self.prog.partition(' ')[2] or ''} --help)\n".replace(
                "  ", " "
            )
        )
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> Parser:
    parser = Parser(
        prog="krutt", description="Where a sales manager's time goes, against the policy."
    )
    parser.add_argument("--version", action="version", version=f"krutt {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    commands.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        from krutt.web import runtime

        runtime.setup()
        return int(args.handler(args) or EXIT_OK)
    except KruttError as error:
        sys.stderr.write(f"krutt: {commands.render_error(error, args)}\n")
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader went away (krutt … | head): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write("krutt: interrupted; nothing was written\n")
        return 130
    except Exception as error:
        if _is_database_busy(error):
            sys.stderr.write(f"krutt: {commands.render_error(InvalidInput(BUSY), args)}\n")
            return EXIT_BAD_INPUT
        if os.environ.get("KRUTT_TRACEBACK"):
            raise
        detail = " ".join(f"{type(error).__name__}: {error}".split())
        sys.stderr.write(f"krutt: unexpected error ({detail}); set KRUTT_TRACEBACK=1 for details\n")
        return EXIT_FAILED


def _is_database_busy(error: Exception) -> bool:
    try:
        from krutt.web.busy import is_database_busy
    except Exception:  # Django itself failed to load: not a lock
        return False
    return is_database_busy(error)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
