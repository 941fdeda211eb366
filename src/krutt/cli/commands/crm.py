"""`krutt crm connect|list|sync|disconnect`: the organisation's CRM, synced on the task queue.

The token or secret never comes as an argument: `--secret-stdin` reads it from standard
input (one line), so it stays out of the shell history and the process list.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from krutt.cli.commands.calendar import _read_secret, _setup, _stamp
from krutt.cli.commands.common import common_options, print_json, say, table
from krutt.domain.errors import InvalidInput
from krutt.domain.messages import Message, gettext_noop

KINDS = ("hubspot", "pipedrive", "salesforce", "superoffice")


def register(sub: argparse._SubParsersAction[Any]) -> None:
    crm = sub.add_parser("crm", help="the organisation's CRM: deals that sync themselves")
    actions = crm.add_subparsers(dest="action", metavar="ACTION", required=True)

    connect = actions.add_parser(
        "connect", parents=[common_options()], help="connect the CRM (tested before saving)"
    )
    connect.add_argument("--kind", choices=KINDS, required=True)
    connect.add_argument("--url", metavar="BASE", help="the CRM API's address")
    connect.add_argument(
        "--secret-stdin",
        action="store_true",
        help="read the token (HubSpot, Pipedrive), client secret (Salesforce) or ticket "
        "(SuperOffice) from stdin",
    )
    connect.add_argument("--client-id", help="Salesforce connected app's client id")
    connect.add_argument(
        "--every", type=int, default=360, metavar="MINUTES", help="minutes between syncs"
    )
    connect.add_argument("--won", nargs="+", default=[], metavar="NAME", help="stages read as won")
    connect.add_argument(
        "--lost", nargs="+", default=[], metavar="NAME", help="stages read as lost"
    )
    connect.set_defaults(handler=run_connect)

    listing = actions.add_parser("list", parents=[common_options()], help="the CRM connections")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=run_list)

    sync = actions.add_parser(
        "sync", parents=[common_options()], help="sync now, inline (every connection, or --id)"
    )
    sync.add_argument("--id", type=int)
    sync.add_argument("--full", action="store_true", help="read the whole CRM, not the changes")
    sync.add_argument("--json", action="store_true")
    sync.set_defaults(handler=run_sync)

    disconnect = actions.add_parser(
        "disconnect", parents=[common_options()], help="remove the connection (and its deals)"
    )
    disconnect.add_argument("id", type=int)
    disconnect.add_argument("--keep-deals", action="store_true", help="keep the deals it wrote")
    disconnect.set_defaults(handler=run_disconnect)


def run_connect(args: argparse.Namespace) -> int:
    from krutt.web.crm.sync import CrmRequest, connect

    organisation = _setup(args)
    if not args.secret_stdin:
        raise InvalidInput(gettext_noop("Give the CRM's token or secret with --secret-stdin."))
    secret = _read_secret("--secret-stdin")
    connection = connect(
        organisation,
        request=CrmRequest(
            kind=args.kind,
            secret=secret,
            url=args.url or "",
            client_id=args.client_id or "",
            every_minutes=args.every,
            won=tuple(args.won),
            lost=tuple(args.lost),
        ),
    )
    print(
        say(
            Message(
                gettext_noop(
                    "CRM {id} ({kind}) connected; it syncs every {every} minutes "
                    "(now: krutt crm sync --id {id})."
                ),
                {"id": connection.pk, "kind": connection.kind, "every": connection.every_minutes},
            ),
            args.resolved_lang,
        )
    )
    return 0


def _connections(organisation: Any) -> Any:
    from krutt.web.crm.models import CrmConnection

    return CrmConnection.objects.filter(organisation=organisation).order_by("pk")


def _row(connection: Any, lang: str) -> dict[str, Any]:
    from krutt.web.crm.sync import last_error

    error = last_error(connection)
    return {
        "id": connection.pk,
        "kind": connection.kind,
        "every_minutes": connection.every_minutes,
        "last_sync_at": _stamp(connection.last_sync_at),
        "last_status": connection.last_status,
        "last_error": say(error, lang) if error else None,
        "watermark": _stamp(connection.watermark),
    }


def run_list(args: argparse.Namespace) -> int:
    organisation = _setup(args)
    lang = args.resolved_lang
    rows = [_row(c, lang) for c in _connections(organisation)]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print(say(Message(gettext_noop("No CRM is connected.")), lang))
        return 0
    print(
        table(
            ["id", "kind", "every", "last sync", "status", "watermark"],
            [
                [
                    str(r["id"]),
                    str(r["kind"]),
                    f"{r['every_minutes']} min",
                    str(r["last_sync_at"] or "–")[:16].replace("T", " "),
                    str(r["last_status"]),
                    str(r["watermark"] or "–")[:16].replace("T", " "),
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
    """A sync as `krutt import deals --json` gives an import, plus the connection."""
    from krutt.web.answers.imports import deals_json
    from krutt.web.crm.sync import label

    connection, outcome = report.connection, report.outcome
    data: dict[str, Any] = {}
    if outcome.result is not None:
        data = deals_json(
            outcome.result,
            file=label(connection),
            lang=lang,
            dry_run=False,
            batch=report.batch.pk if report.batch is not None else None,
        )
        data["removed"] = outcome.result.summary.removed
        data["committed"] = report.batch is not None
    data.update(
        {
            "connection": connection.pk,
            "status": outcome.status,
            "full": outcome.full,
            "error": say(outcome.error, lang) if outcome.error else None,
            "watermark": _stamp(connection.watermark),
            "next_sync_at": _stamp(connection.next_sync_at),
        }
    )
    return data


def sync_line(report: Any, lang: str) -> str:
    connection, outcome = report.connection, report.outcome
    if outcome.status == "failed":
        return say(
            Message(
                gettext_noop("CRM {id} ({kind}): the sync failed: {error}"),
                {
                    "id": connection.pk,
                    "kind": connection.kind,
                    "error": say(outcome.error, lang) if outcome.error else "",
                },
            ),
            lang,
        )
    if outcome.result is None or report.batch is None:
        return say(
            Message(
                gettext_noop("CRM {id} ({kind}): nothing changed."),
                {"id": connection.pk, "kind": connection.kind},
            ),
            lang,
        )
    result = outcome.result
    summary = result.summary
    return say(
        Message(
            gettext_noop(
                "CRM {id} ({kind}): deals {created} created, {updated} updated, {removed} "
                "removed; {actuals} monthly actuals changed; {unknown} unknown owner(s); "
                "import {batch} (undo: krutt import undo {batch})."
            ),
            {
                "id": connection.pk,
                "kind": connection.kind,
                "created": summary.created,
                "updated": summary.updated,
                "removed": summary.removed,
                "actuals": result.actuals_changed,
                "unknown": len(result.unknown_owners),
                "batch": report.batch.pk,
            },
        ),
        lang,
    )


def run_sync(args: argparse.Namespace) -> int:
    from krutt.web.crm.sync import connection_for, sync_now

    organisation = _setup(args)
    lang = args.resolved_lang
    if args.id is not None:
        ids = [connection_for(organisation, args.id).pk]
    else:
        ids = [c.pk for c in _connections(organisation)]
        if not ids:
            raise InvalidInput(gettext_noop("No CRM is connected (krutt crm connect)."))
    reports = [sync_now(connection_id, full=args.full, channel="cli") for connection_id in ids]
    failed = [r for r in reports if r.outcome.status == "failed"]
    if args.json:
        rendered = [sync_json(r, lang) for r in reports]
        print_json(rendered[0] if args.id is not None else rendered)
    else:
        for report in reports:
            line = sync_line(report, lang)
            if report.outcome.status == "failed":
                sys.stderr.write(f"krutt: {line}\n")
            else:
                print(line)
    return 2 if failed else 0


def run_disconnect(args: argparse.Namespace) -> int:
    from krutt.web.crm.sync import connection_for, disconnect

    organisation = _setup(args)
    connection = connection_for(organisation, args.id)
    removed, batch = disconnect(connection, keep_deals=args.keep_deals)
    text = (
        gettext_noop(
            "CRM {id} disconnected; {removed} deals it wrote were removed "
            "(import {batch}; undo: krutt import undo {batch})."
        )
        if batch is not None
        else gettext_noop("CRM {id} disconnected; its deals were kept.")
    )
    params: dict[str, Any] = {"id": args.id}
    if batch is not None:
        params |= {"removed": removed, "batch": batch.pk}
    print(say(Message(text, params), args.resolved_lang))
    return 0
