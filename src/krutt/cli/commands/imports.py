"""`krutt import sellers|performance|deals|calendar FILE`, `krutt import undo|history`.

Every import checks the whole file first and commits all or nothing, in one
transaction: exit 0 when committed, 2 when problems kept everything out.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from krutt.cli.commands.common import common_options, language, print_json, say, start
from krutt.cli.commands.import_output import (
    Progress,
    report_calendar,
    report_deals,
    report_history,
    report_problems,
    report_undo,
)
from krutt.domain.errors import InvalidInput
from krutt.domain.messages import Message, gettext_noop
from krutt.importers.crm_presets import FIELDS, PRESETS
from krutt.services.imports import ImportRejected, ImportSummary

MAX_FILE_BYTES = 200 * 1024 * 1024
R = TypeVar("R")
CONCURRENT = gettext_noop(
    "Another import wrote the same rows at the same time; nothing of this one was written. "
    "Run it again."
)


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "import", help="import a roster, monthly numbers, CRM deals or a calendar"
    )
    kinds = parser.add_subparsers(
        dest="kind", metavar="KIND", required=True, parser_class=type(parser)
    )
    for kind, help_text in (
        ("sellers", "the roster: name,email,start_date,team,manager_email,aliases"),
        ("performance", "monthly numbers: email,month,target[,actual]"),
    ):
        p = _file_command(kinds, kind, help_text)
        p.set_defaults(handler=run)
    deals = _file_command(kinds, "deals", "a CRM deal export (CSV or XLSX): monthly actuals")
    deals.add_argument(
        "--preset",
        choices=["auto", *PRESETS],
        default="auto",
        help="the CRM that made the file (default: recognised from the column names)",
    )
    deals.add_argument(
        "--map",
        dest="mapping",
        action="append",
        type=_mapping,
        default=[],
        metavar="FIELD=HEADER",
        help=f"read a field from this column; fields: {', '.join(FIELDS)}",
    )
    for outcome in ("won", "lost"):
        deals.add_argument(
            f"--{outcome}",
            action="append",
            default=[],
            metavar="NAME",
            help=f"also read this status or stage as {outcome} in this import (repeatable; "
            "added to the organisation's and krutt's own names)",
        )
    deals.set_defaults(handler=run_deals)
    calendar = _file_command(kinds, "calendar", "a calendar export (.ics): time and busy time")
    calendar.add_argument("--manager", metavar="EMAIL", required=True, help="whose calendar")
    calendar.add_argument("--from", dest="first", metavar="DATE", help="first day to import")
    calendar.add_argument("--to", dest="last", metavar="DATE", help="last day, inclusive")
    calendar.add_argument(
        "--calendar",
        metavar="NAME",
        help="which of your calendars this is (default: as the file names itself); "
        "an import replaces only the same calendar's entries",
    )
    calendar.set_defaults(handler=run_calendar)
    undo = kinds.add_parser("undo", parents=[common_options()], help="undo an import")
    undo.add_argument("batch", type=int, metavar="BATCH_ID", help="the import's number")
    undo.add_argument("--json", action="store_true", help="print the result as JSON")
    undo.set_defaults(handler=run_undo)
    history = kinds.add_parser("history", parents=[common_options()], help="the imports so far")
    history.add_argument("--json", action="store_true", help="print the history as JSON")
    history.set_defaults(handler=run_history)


def _file_command(
    kinds: argparse._SubParsersAction[Any], kind: str, help_text: str
) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = kinds.add_parser(kind, parents=[common_options()], help=help_text)
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    return p


def _mapping(text: str) -> tuple[str, str]:
    name, sep, header = text.partition("=")
    if not sep or not name.strip() or not header.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not FIELD=HEADER (like owner=Eier)")
    return name.strip(), header.strip()


class _DryRun(Exception):
    """Rolls a dry run's transaction back, carrying what the import found."""

    def __init__(self, outcome: object = None) -> None:
        super().__init__("dry run")
        self.outcome = outcome


def _commit_unless_dry_run(
    work: Callable[[], tuple[R, Any]], *, dry_run: bool, progress: Progress | None
) -> tuple[R, int | None]:
    """Run a deal or calendar import in one transaction: its outcome and the batch kept.

    A dry run and a rejected file both roll everything back; a rejection still gives
    the import's findings (its `result`) to report.
    """
    from django.db import IntegrityError

    from krutt.services.import_calendar import CalendarRejected
    from krutt.services.import_deals import DealsRejected
    from krutt.web import runtime

    try:
        with runtime.atomic():
            outcome, batch = work()
            if dry_run:
                raise _DryRun(outcome)
            return outcome, batch.pk if batch is not None else None
    except (DealsRejected, CalendarRejected) as rejected:
        return cast(R, rejected.result), None
    except _DryRun as preview:
        return cast(R, preview.outcome), None
    except IntegrityError:
        raise InvalidInput(CONCURRENT) from None
    finally:
        if progress:
            progress.done()


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
            summary = importer(data, organisation, filename=args.file.name)
            if args.dry_run:
                raise _DryRun
    except ImportRejected as rejected:
        summary = rejected.summary
    except _DryRun:
        pass
    return report(summary, file=args.file, lang=lang, as_json=args.json, dry_run=args.dry_run)


def _importer(kind: str) -> Callable[..., ImportSummary]:
    from krutt.web.imports.team_files import import_performance_file, import_roster_file

    chosen: Callable[..., ImportSummary] = {
        "sellers": import_roster_file,
        "performance": import_performance_file,
    }[kind]
    return chosen


def run_deals(args: argparse.Namespace) -> int:

    from krutt.importers.outcome_names import outcome_names
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_organisation
    from krutt.web.imports.deals import import_deals_file

    data = read_file(args.file)
    start()
    with runtime.atomic():
        organisation = the_organisation(args.org)
    args.resolved_lang = lang = language(args, organisation.language)
    extra_names = outcome_names(won=args.won, lost=args.lost)
    progress = Progress.for_lines(data, args.file.name)
    outcome, batch_id = _commit_unless_dry_run(
        lambda: import_deals_file(
            data,
            organisation,
            filename=args.file.name,
            preset=args.preset,
            mapping=dict(args.mapping),
            progress=progress.lines if progress else None,
            extra_names=extra_names,
        ),
        dry_run=args.dry_run,
        progress=progress,
    )
    return report_deals(
        outcome, file=args.file, lang=lang, as_json=args.json, dry_run=args.dry_run, batch=batch_id
    )


def run_calendar(args: argparse.Namespace) -> int:

    from krutt.domain.periods import parse_day
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_manager, the_organisation
    from krutt.web.imports.calendar import import_calendar_file
    from krutt.web.privacy.notices import manager_warnings

    data = read_file(args.file)
    start()
    first = parse_day(args.first) if args.first else None
    last = parse_day(args.last) if args.last else None
    with runtime.atomic():
        organisation = the_organisation(args.org)
        args.resolved_lang = lang = language(args, organisation.language)
        manager = the_manager(organisation, args.manager)
        warnings = manager_warnings(manager)
    outcome, batch_id = _commit_unless_dry_run(
        lambda: import_calendar_file(
            data,
            organisation,
            manager=manager,
            filename=args.file.name,
            first=first,
            last=last,
            calendar=args.calendar,
        ),
        dry_run=args.dry_run,
        progress=Progress.for_phases(args.file.name),
    )
    from krutt.web.imports.unmatched import still_open

    with runtime.atomic():
        # What the manager said is no seller is not listed again (as in the web preview).
        outcome.unmatched = still_open(manager, outcome.unmatched)
    return report_calendar(
        outcome,
        file=args.file,
        manager=manager.email,
        lang=lang,
        as_json=args.json,
        dry_run=args.dry_run,
        batch=batch_id,
        warnings=warnings,
    )


def run_undo(args: argparse.Namespace) -> int:
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_organisation
    from krutt.web.imports.models import ImportBatch
    from krutt.web.imports.undo import undo_batch

    start()
    with runtime.atomic():
        organisation = the_organisation(args.org)
        args.resolved_lang = lang = language(args, organisation.language)
        batch, restored = undo_batch(
            ImportBatch.objects.filter(organisation=organisation),
            args.batch,
            actor=None,
            channel="cli",
        )
    return report_undo(batch, restored, lang=lang, as_json=args.json)


def run_history(args: argparse.Namespace) -> int:
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_organisation
    from krutt.web.imports.models import ImportBatch

    start()
    with runtime.atomic():
        organisation = the_organisation(args.org)
        args.resolved_lang = lang = language(args, organisation.language)
        batches = list(
            ImportBatch.objects.filter(organisation=organisation)
            .select_related("created_by", "manager", "team")
            .order_by("-created_at", "-id")
        )
    return report_history(batches, organisation=organisation, lang=lang, as_json=args.json)


def report(summary: ImportSummary, *, file: Path, lang: str, as_json: bool, dry_run: bool) -> int:
    """Print the summary; exit 2 when problems kept the file out."""
    if as_json:
        from krutt.web.answers.imports import summary_document

        print_json(summary_document(summary, file=str(file), lang=lang, dry_run=dry_run))
        return 2 if summary.problems else 0
    if summary.problems:
        report_problems(summary.problems, file=file, lang=lang)
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
