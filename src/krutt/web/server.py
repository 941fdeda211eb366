"""Serving krutt with gunicorn: a production-grade server that also just works on a laptop."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from krutt.web.wsgi import application


class KruttServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return application


def serve(*, host: str, port: int, workers: int) -> None:
    KruttServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "accesslog": "-",
            "errorlog": "-",
            "timeout": 60,
            "graceful_timeout": 10,
        }
    ).run()
