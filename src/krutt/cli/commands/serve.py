"""`krutt serve`: the web app on a production-grade server, migrations applied first."""

from __future__ import annotations

import argparse
import subprocess
import sys
from typing import Any

from krutt.cli.commands.common import common_options, start


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "serve", parents=[common_options()], help="serve the web app (gunicorn)"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--with-worker",
        action="store_true",
        help="also run `krutt worker` (queued jobs, calendar syncs) beside the server",
    )
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

    worker = _start_worker() if args.with_worker else None
    try:
        serve(host=args.host, port=args.port, workers=args.workers)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
    return 0


def _start_worker() -> subprocess.Popen[bytes]:
    """`krutt worker` as a child process: it stops when the server stops."""
    print("krutt: the worker runs beside the server (queued jobs, calendar syncs)")
    return subprocess.Popen([sys.executable, "-m", "krutt.cli.main", "worker"])
