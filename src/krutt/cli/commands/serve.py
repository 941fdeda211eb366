"""`krutt serve`: the web app on a production-grade server, migrations applied first."""

from __future__ import annotations

import argparse
from typing import Any

from krutt.cli.commands.common import common_options, start


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "serve", parents=[common_options()], help="serve the web app (gunicorn)"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=3)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from krutt.web import runtime

    start(migrate=True)
    runtime.collect_static()
    # gunicorn forks its workers from this process: a database connection opened by the
    # migration must not be inherited, or the workers would share one socket.
    runtime.close_connections()
    print(
        f"krutt: serving http://{args.host}:{args.port}/ ({runtime.database_label()}); Ctrl+C stops"
    )
    from krutt.web.server import serve

    serve(host=args.host, port=args.port, workers=args.workers)
    return 0
