"""The API object: /api/v1/ with its OpenAPI document, docs page, token auth and rate limit."""

from __future__ import annotations

from ninja import NinjaAPI

from krutt import __version__
from krutt.web.api import errors, imports, people, reading, roster, time_entries
from krutt.web.api.auth import TokenAuth, TokenRateThrottle

api = NinjaAPI(
    title="krutt API",
    version="1",
    description=(
        "Push time entries, read reports: the same use cases and scope as krutt's web app "
        "and its CLI (each answer has the keys of the CLI's --json). Authenticate with a "
        "personal access token: `Authorization: Bearer krutt_…` (krutt token create, or "
        f"your account page). krutt {__version__}."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=[TokenRateThrottle()],
    openapi_url="/openapi.json",
    docs_url="/docs",
)
errors.install(api)
# The roster first: /sellers/roster would otherwise be read as /sellers/{seller_id}.
api.add_router("", roster.router)
api.add_router("", people.router)
api.add_router("", reading.router)
api.add_router("", time_entries.router)
api.add_router("", imports.router)
