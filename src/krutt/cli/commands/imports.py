"""`krutt import sellers|performance FILE`: validate the whole file, then commit all or nothing."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from krutt.cli.commands.common import common_options, language, print_json, say, start
from krutt.domain.errors import InvalidInput
from krutt.domain.messages import Message, gettext_noop
from krutt.importers.problems import Problem
from krutt.services.imports import ImportRejected, ImportSummary

MAX_FILE_BYTES = 200 * 1024 * 1024


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("import", help="import a roster or monthly numbers")
    kinds = parser.add_subparsers(
        dest="kind", metavar="KIND", required=True, parser_class=type(parser)
    )
    for kind, help_text in (
        ("sellers", "the roster: name,email,start_date,team,manager_email,aliases"),
        ("performance", "monthly numbers: email,month,target[,actual]"),
    ):
        p = kinds.add_parser(kind, parents=[common_options()], help=help_text)
        p.add_argument("file", type=Path, metavar="FILE")
        p.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        p.add_argument("--json", action="store_true", help="print the summary as JSON")
        p.set_defaults(handler=run)


class _DryRun(Exception):
    pass


def read_file(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InvalidInput(gettext_noop("{file} is larger than 200 MB."), file=str(path))
        return path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(gettext_noop("{file} does not exist."), file=str(path)) from None
    except IsADirectoryError:
        raise InvalidInput(
            gettext_noop("{file} is a folder, not a file."), file=str(path)
        ) from None
    except PermissionError:
        raise InvalidInput(
            gettext_noop("{file} cannot be read (permission denied)."), file=str(path)
        ) from None


def run(args: argparse.Namespace) -> int:
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_organisation

    data = read_file(args.file)
    start()
    with runtime.atomic():
        organisation = the_organisation(args.org, create=args.kind == "sellers")
    lang = language(args, organisation.language)
    args.resolved_lang = lang
    importer = _importer(args.kind)
    try:
        with runtime.atomic():
            summary = importer(data, organisation)
            if args.dry_run:
                raise _DryRun
    except ImportRejected as rejected:
        summary = rejected.summary
    except _DryRun:
        pass
    return report(summary, file=args.file, lang=lang, as_json=args.json, dry_run=args.dry_run)


def _importer(kind: str) -> Callable[[bytes, Any], ImportSummary]:
    from krutt.web.imports import import_performance_file, import_roster_file

    return {"sellers": import_roster_file, "performance": import_performance_file}[kind]


def report(summary: ImportSummary, *, file: Path, lang: str, as_json: bool, dry_run: bool) -> int:
    """Print the summary; exit 2 when problems kept the file out."""
    if as_json:
        print_json(
            {
                "file": str(file),
                "kind": summary.kind,
                "read": summary.read,
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "skipped": summary.skipped,
                "committed": summary.committed and not dry_run,
                "dry_run": dry_run,
                "problems": [
                    {"line": p.line, "message": say(p.message, lang)} for p in summary.problems
                ],
            }
        )
        return 2 if summary.problems else 0
    if summary.problems:
        for problem in summary.problems:
            sys.stderr.write(_problem_line(file, problem, lang) + "\n")
        sys.stderr.write(
            "krutt: "
            + say(
                Message(
                    gettext_noop("{file}: {count} problem(s); nothing was written."),
                    {"file": file.name, "count": len(summary.problems)},
                ),
                lang,
            )
            + "\n"
        )
        return 2
    text = gettext_noop(
        "{file}: {read} rows read; {created} created, {updated} updated, {unchanged} unchanged."
    )
    if dry_run:
        text = gettext_noop(
            "{file}: {read} rows read; would create {created}, update {updated}, leave {unchanged} unchanged (dry run, nothing written)."
        )
    print(
        say(
            Message(
                text,
                {
                    "file": file.name,
                    "read": summary.read,
                    "created": summary.created,
                    "updated": summary.updated,
                    "unchanged": summary.unchanged,
                },
            ),
            lang,
        )
    )
    return 0


def _problem_line(file: Path, problem: Problem, lang: str) -> str:
    where = f"{file.name}:{problem.line}" if problem.line else file.name
    return f"{where}: {say(problem.message, lang)}"
