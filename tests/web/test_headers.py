"""Every route answers with the browser protections (RELIABILITY Part B, item 11; ASVS 3.4, 14.3.2).

Whatever the answer — a page, a download, a redirect, a 404 for another role's route or a
405 for a form's POST-only address — the browser gets the same headers.
"""

from __future__ import annotations

import pytest

from tests.web.routes import all_routes, own_url

ROUTES = all_routes()


def _directives(policy: str) -> dict[str, str]:
    parts = (p.strip().split(None, 1) for p in policy.split(";") if p.strip())
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_every_route_answers_a_managers_get_with_the_security_headers(world, client, route):
    client.force_login(world.manager_a)

    response = client.get(own_url(route, world))

    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    # Every answer to a signed-in user may be about people: never kept by a browser or proxy.
    assert response["Cache-Control"] == "no-store"


def test_the_walk_reaches_the_pages_and_the_download(world, client):
    # Guards the test above against passing on redirects alone.
    client.force_login(world.manager_a)
    statuses = {r.name: client.get(own_url(r, world)).status_code for r in ROUTES}

    assert {n for n, s in statuses.items() if s == 200} >= {
        "dashboard",
        "seller_list",
        "seller_detail",
        "time_log",
        "entry_edit",
        "plan",
        "plan_ics",
        "imports",
        "import_history",
        "settings",
        "account",
        "password_change",
    }
    assert statuses["seller_note_add"] == 405
