"""`krutt calendar connect|list|sync|disconnect`, and `krutt worker`.

Secrets never come as arguments: `--password-stdin` and `--secret-stdin` read them from
standard input (one line), so they stay out of the shell history and the process list.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from krutt.cli.commands.common import common_options, language, print_json, say, start, table
from krutt.domain.errors import InvalidInput
from krutt.domain.messages import Message, gettext_noop

KINDS = ("ics-url", "caldav", "microsoft365", "google")


def register(sub: argparse._SubParsersAction[Any]) -> None:
    calendar = sub.add_parser("calendar", help="connected calendars that sync themselves")
    actions = calendar.add_subparsers(dest="action", metavar="ACTION", required=True)

    connect = actions.add_parser(
        "connect", parents=[common_options()], help="connect a calendar (tested before saving)"
    )
    connect.add_argument("--manager", metavar="EMAIL", required=True)
    connect.add_argument("--kind", choices=KINDS, required=True)
    connect.add_argument("--url", help="the calendar's address (ics-url, caldav)")
    connect.add_argument("--username", help="CalDAV user name")
    connect.add_argument(
        "--password-stdin", action="store_true", help="read the CalDAV password from stdin"
    )
    connect.add_argument("--calendar", metavar="NAME", help="CalDAV calendar by display name")
    connect.add_argument("--tenant", help="Microsoft 365 tenant id")
    connect.add_argument("--client-id", help="Microsoft 365 app (client) id")
    connect.add_argument(
        "--secret-stdin", action="store_true", help="read the client secret from stdin"
    )
    connect.add_argument("--mailbox", metavar="ADDRESS", help="whose calendar (M365, Google)")
    connect.add_argument("--key-file", metavar="KEY.json", help="Google service account key")
    connect.add_argument(
        "--every", type=int, default=60, metavar="MINUTES", help="minutes between syncs"
    )
    connect.set_defaults(handler=run_connect)

    listing = actions.add_parser("list", parents=[common_options()], help="connected calendars")
    listing.add_argument("--manager", metavar="EMAIL")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=run_list)

    sync = actions.add_parser(
        "sync",
        parents=[common_options()],
        help="sync now, inline (JSON: one object for --id, a list otherwise)",
    )
    which = sync.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", type=int)
    which.add_argument("--manager", metavar="EMAIL")
    which.add_argument("--all", action="store_true")
    sync.add_argument("--json", action="store_true")
    sync.set_defaults(handler=run_sync)

    disconnect = actions.add_parser(
        "disconnect", parents=[common_options()], help="remove a connection (and its entries)"
    )
    disconnect.add_argument("id", type=int)
    disconnect.add_argument(
        "--keep-entries", action="store_true", help="keep the time entries it wrote"
    )
    disconnect.set_defaults(handler=run_disconnect)

    worker = sub.add_parser(
        "worker", parents=[common_options()], help="run queued jobs and due calendar and CRM syncs"
    )
    worker.add_argument("--once", action="store_true", help="run what is due, then exit")
    worker.add_argument(
        "--interval", type=float, default=5.0, metavar="SECONDS", help="pause between rounds"
    )
    worker.set_defaults(handler=run_worker)


def _setup(args: argparse.Namespace) -> Any:
    from krutt.web import runtime
    from krutt.web.accounts.directory import the_organisation

    start()
    with runtime.atomic():
        organisation = the_organisation(args.org)
    args.resolved_lang = language(args, organisation.language)
    return organisation


def _read_secret(flag: str) -> str:
    if sys.stdin is None or sys.stdin.isatty():
        raise InvalidInput(gettext_noop("Pipe the secret into {flag}."), flag=flag)
    secret = sys.stdin.readline().rstrip("\r\n")
    if not secret:
        raise InvalidInput(gettext_noop("{flag} read nothing from standard input."), flag=flag)
    return secret


def _read_key_file(path: str | None) -> str:
    """The service account's key file; it is stored encrypted, so it may be deleted after."""
    if not path:
        raise InvalidInput(gettext_noop("A Google calendar needs --key-file KEY.json."))
    try:
        with Path(path).open(encoding="utf-8") as key:
            return key.read(64 * 1024)
    except (OSError, UnicodeDecodeError):
        raise InvalidInput(gettext_noop("The key file {path} cannot be read."), path=path) from None


def run_connect(args: argparse.Namespace) -> int:
    from krutt.web.accounts.directory import the_manager
    from krutt.web.connections.sync import ConnectionRequest, connect, label

    organisation = _setup(args)
    manager = the_manager(organisation, args.manager)
    secret = ""
    if args.kind == "caldav":
        if not args.password_stdin:
            raise InvalidInput(gettext_noop("A CalDAV calendar needs --password-stdin."))
        secret = _read_secret("--password-stdin")
    elif args.kind == "microsoft365":
        if not args.secret_stdin:
            raise InvalidInput(
                gettext_noop("A Microsoft 365 calendar needs the client secret on --secret-stdin.")
            )
        secret = _read_secret("--secret-stdin")
    elif args.kind == "google":
        secret = _read_key_file(args.key_file)
    connection = connect(
        organisation,
        manager=manager,
        request=ConnectionRequest(
            kind=args.kind,
            url=args.url or "",
            username=args.username or "",
            calendar=args.calendar or "",
            secret=secret,
            every_minutes=args.every,
            tenant=args.tenant or "",
            client_id=args.client_id or "",
            mailbox=args.mailbox or "",
        ),
    )
    print(
        say(
            Message(
                gettext_noop(
                    "Calendar {id} ({label}) connected for {manager}; it syncs every "
                    "{every} minutes (now: krutt calendar sync --id {id})."
                ),
                {
                    "id": connection.pk,
                    "label": label(connection),
                    "manager": manager.email,
                    "every": connection.every_minutes,
                },
            ),
            args.resolved_lang,
        )
    )
    return 0


def _stamp(value: Any) -> str | None:
    from django.utils import timezone

    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _connections(organisation: Any, manager: str | None) -> Any:
    from krutt.web.accounts.directory import the_manager
    from krutt.web.connections.models import CalendarConnection

    found = CalendarConnection.objects.filter(organisation=organisation).select_related("manager")
    if manager:
        found = found.filter(manager=the_manager(organisation, manager))
    return found.order_by("pk")


def _error(connection: Any, lang: str) -> str | None:
    from krutt.web.connections.sync import last_error

    message = last_error(connection)
    return say(message, lang) if message else None


def run_list(args: argparse.Namespace) -> int:
    organisation = _setup(args)
    lang = args.resolved_lang
    rows = [
        {
            "id": c.pk,
            "manager": c.manager.email,
            "kind": c.kind,
            "every_minutes": c.every_minutes,
            "last_sync_at": _stamp(c.last_sync_at),
            "last_status": c.last_status,
            "last_error": _error(c, lang),
            "next_sync_at": _stamp(c.next_sync_at),
        }
        for c in _connections(organisation, args.manager)
    ]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print(say(Message(gettext_noop("No calendars are connected.")), lang))
        return 0
    print(
        table(
            ["id", "manager", "kind", "every", "last sync", "status", "next sync"],
            [
                [
                    str(r["id"]),
                    str(r["manager"]),
                    str(r["kind"]),
                    f"{r['every_minutes']} min",
                    str(r["last_sync_at"] or "–")[:16].replace("T", " "),
                    str(r["last_status"]),
                    str(r["next_sync_at"] or "–")[:16].replace("T", " "),
                ]
                for r in rows
            ],
            right={0},
        )
    )
    for r in rows:
        if r["last_error"]:
            print(f"{r['id']}: {r['last_error']}")
    return 0


def sync_json(report: Any, lang: str) -> dict[str, Any]:
    """A sync as `krutt import calendar --json` gives an import, plus the connection."""
    from krutt.web.answers.imports import calendar_json
    from krutt.web.connections.sync import label
    from krutt.web.privacy.notices import manager_warnings

    connection, outcome = report.connection, report.outcome
    data: dict[str, Any] = {}
    if outcome.result is not None:
        data = calendar_json(
            outcome.result,
            file=label(connection),
            manager=connection.manager.email,
            lang=lang,
            dry_run=False,
            batch=report.batch.pk if report.batch is not None else None,
            warnings=manager_warnings(connection.manager),
        )
        data["committed"] = report.batch is not None
    data.update(
        {
            "connection": connection.pk,
            "status": outcome.status,
            "error": say(outcome.error, lang) if outcome.error else None,
            "next_sync_at": _stamp(connection.next_sync_at),
        }
    )
    return data


def _sync_line(report: Any, lang: str) -> str:
    connection, outcome = report.connection, report.outcome
    if outcome.status == "failed":
        return say(
            Message(
                gettext_noop("Calendar {id}: the sync failed: {error}"),
                {"id": connection.pk, "error": say(outcome.error, lang) if outcome.error else ""},
            ),
            lang,
        )
    if outcome.result is None or report.batch is None:
        return say(
            Message(gettext_noop("Calendar {id}: nothing changed."), {"id": connection.pk}), lang
        )
    summary, busy = outcome.result.summary, outcome.result.busy
    return say(
        Message(
            gettext_noop(
                "Calendar {id}: time entries {created} created, {updated} updated, "
                "{removed} removed; busy time {busy} changed; import {batch} "
                "(undo: krutt import undo {batch})."
            ),
            {
                "id": connection.pk,
                "created": summary.created,
                "updated": summary.updated,
                "removed": summary.removed,
                "busy": busy.created + busy.updated + busy.removed,
                "batch": report.batch.pk,
            },
        ),
        lang,
    )


def run_sync(args: argparse.Namespace) -> int:
    from krutt.web.connections.sync import connection_for, sync_now

    organisation = _setup(args)
    lang = args.resolved_lang
    if args.id is not None:
        ids = [connection_for(organisation, args.id).pk]
    else:
        ids = [c.pk for c in _connections(organisation, args.manager)]
    reports = [sync_now(connection_id) for connection_id in ids]
    failed = [r for r in reports if r.outcome.status == "failed"]
    if args.json:
        rendered = [sync_json(r, lang) for r in reports]
        print_json(rendered[0] if args.id is not None else rendered)
    else:
        for report in reports:
            line = _sync_line(report, lang)
            if report.outcome.status == "failed":
                sys.stderr.write(f"krutt: {line}\n")
            else:
                print(line)
    return 2 if failed else 0


def run_disconnect(args: argparse.Namespace) -> int:
    from krutt.web.connections.sync import connection_for, disconnect

    organisation = _setup(args)
    connection = connection_for(organisation, args.id)
    removed = disconnect(connection, keep_entries=args.keep_entries)
    print(
        say(
            Message(
                gettext_noop(
                    "Calendar {id} disconnected; {entries} time entries and {busy} busy "
                    "blocks it wrote were removed."
                ),
                {"id": args.id, **removed},
            ),
            args.resolved_lang,
        )
    )
    return 0


def run_worker(args: argparse.Namespace) -> int:
    from krutt.web.connections.worker import run_worker as work

    start()  # the worker serves every organisation
    lang = language(args)

    from krutt.cli.commands.crm import sync_line

    def show(report: Any, line: str) -> None:
        stream = sys.stderr if report.outcome.status == "failed" else sys.stdout
        stream.write(f"{line}\n")
        stream.flush()

    work(
        once=args.once,
        interval=args.interval,
        on_sync=lambda report: show(report, _sync_line(report, lang)),
        on_crm_sync=lambda report: show(report, sync_line(report, lang)),
    )
    return 0
