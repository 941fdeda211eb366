"""Suite-wide settings: Hypothesis profiles (HYPOTHESIS_PROFILE=ci|nightly) and sample paths."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.connections.servers import CalendarServer, GoogleServer, GraphServer, Radicale

# The organisation's required second factor stays off in tests that sign in as a director
# or admin, and in the servers they start; tests/web/test_two_factor.py turns it on.
os.environ.setdefault("KRUTT_TWO_FACTOR_REQUIRED", "0")

settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("nightly", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

REPO = Path(__file__).resolve().parent.parent
# The shared samples live beside the repository; tests use the copies in tests/data.
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def calendar_server() -> Iterator[CalendarServer]:
    """A local HTTP server for calendar connections (tests/connections/servers.py)."""
    server = CalendarServer()
    yield server
    server.stop()


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[Radicale]:
    """A real Radicale CalDAV server on a free loopback port, user marte / secret."""
    server = Radicale(tmp_path, {"marte": "secret"})
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _no_required_second_factor() -> None:
    """In-process, Django's settings were read before this file: set it on them too."""
    from django.conf import settings as django_settings

    if django_settings.configured:
        django_settings.KRUTT_TWO_FACTOR_REQUIRED = False


MAILBOX = "ingrid.berg@nordlys.example"


@pytest.fixture
def graph_server() -> Iterator[GraphServer]:
    """Microsoft Graph and its token endpoint on loopback: tenant nordlys, app krutt-app."""
    server = GraphServer(tenant="nordlys", client_id="krutt-app", secret="s3cret", mailbox=MAILBOX)
    yield server
    server.stop()


@pytest.fixture
def google_server() -> Iterator[GoogleServer]:
    """The Google Calendar API and token endpoint on loopback, delegated for the manager."""
    server = GoogleServer(mailbox=MAILBOX)
    yield server
    server.stop()
