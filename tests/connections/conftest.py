from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.connections.servers import CalendarServer, Radicale


@pytest.fixture
def calendar_server() -> Iterator[CalendarServer]:
    server = CalendarServer()
    yield server
    server.stop()


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[Radicale]:
    server = Radicale(tmp_path, {"marte": "secret"})
    yield server
    server.stop()
