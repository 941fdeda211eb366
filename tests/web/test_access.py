"""Every route is classified, and nobody reaches another team's data (ASVS 8.2.2)."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from django.core import serializers
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from krutt.web.access_matrix import ACCESS_MATRIX, API_ROUTES, WEB_ROUTES
from krutt.web.imports.models import Deal, ImportBatch
from krutt.web.planning.models import PlannedSlot
from krutt.web.sellers.models import MonthlyResult, SegmentOverride, Seller, SellerNote, Team
from krutt.web.support.models import SupportDecision, SupportLogEntry, SupportPlan
from krutt.web.timelog.models import RunningTimer, TimeEntry, TimeEntrySeller
from tests.web.factories import PASSWORD, World
from tests.web.routes import all_routes, database_fingerprint, own_url


def _names(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[str | None]:
    names: list[str | None] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            names += _names(p.url_patterns, f"{prefix}{p.namespace + ':' if p.namespace else ''}")
        else:
            names.append(f"{prefix}{p.name}" if p.name else None)
    return names


def test_every_route_is_named_and_in_the_access_matrix():
    names = _names(get_resolver().url_patterns)
    assert None not in names
    # django-ninja lists a path once per HTTP method, under the same name.
    assert sorted({n for n in names if n}) == sorted(ACCESS_MATRIX)


def _url(name: str, world: World, *, foreign: bool) -> str:
    route = ACCESS_MATRIX[name]
    if route.obj is None:
        return reverse(name)
    objects = {
        "seller": (world.sellers_b[0] if foreign else world.sellers_a[0]).pk,
        "note": (world.note_b if foreign else world.note_a).pk,
        "entry": (world.entry_b if foreign else world.entry_a).pk,
        "slot": (world.slot_b if foreign else world.slot_a).pk,
        "batch": (world.batch_b if foreign else world.batch_a).pk,
    }
    key = KEYS[route.obj]
    return reverse(name, kwargs={key: objects[route.obj]})


KEYS = {
    "seller": "seller_id",
    "note": "note_id",
    "entry": "entry_id",
    "slot": "slot_id",
    "batch": "batch_id",
}


def _fingerprint() -> str:
    """A checksum of every table a page could change."""
    rows = []
    for model in (
        Seller,
        Team,
        MonthlyResult,
        SegmentOverride,
        SellerNote,
        TimeEntry,
        TimeEntrySeller,
        RunningTimer,
        PlannedSlot,
        SupportPlan,
        SupportLogEntry,
        SupportDecision,
        ImportBatch,
        Deal,
    ):
        rows.append(serializers.serialize("json", model.objects.order_by("pk")))
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


def _normalised(body: bytes) -> bytes:
    # The language switch carries a fresh CSRF token and the current path on every page.
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)
    return re.sub(rb'name="next" value="[^"]*"', b"", body)


# The web's walk; the API's routes have their own (tests/web/api/test_api_access.py).
PROTECTED = [n for n, r in WEB_ROUTES.items() if not r.public]
OBJECT_ROUTES = [n for n, r in WEB_ROUTES.items() if r.obj]


@pytest.mark.parametrize("name", PROTECTED)
def test_anonymous_users_are_sent_to_log_in(world, client, name):
    for method in ACCESS_MATRIX[name].methods:
        response = getattr(client, method.lower())(_url(name, world, foreign=False))
        assert response.status_code == 302, (name, method)
        assert response["Location"].startswith(reverse("login")), (name, method)


@pytest.mark.parametrize("name", OBJECT_ROUTES)
@pytest.mark.parametrize("who", ["manager_a", "director_a", "admin", "seller_a"])
def test_another_teams_objects_are_a_plain_404_and_change_nothing(world, client, name, who):
    client.force_login(getattr(world, who))
    missing = reverse(name, kwargs={KEYS[ACCESS_MATRIX[name].obj]: 999999})
    before = _fingerprint()
    for method in ACCESS_MATRIX[name].methods:
        call = getattr(client, method.lower())
        data = {
            "segment": "top",
            "reason": "x",
            "text": "x",
            "minutes": "10",
            "activity": "coaching",
        }
        foreign = (
            call(_url(name, world, foreign=True), data)
            if method == "POST"
            else call(_url(name, world, foreign=True))
        )
        nothing = call(missing, data) if method == "POST" else call(missing)
        assert foreign.status_code == 404, (name, method, who)
        assert nothing.status_code == 404
        assert _normalised(foreign.content) == _normalised(nothing.content)
        assert b"CANARY" not in foreign.content
    assert _fingerprint() == before


@pytest.mark.parametrize("name", [n for n in PROTECTED if "director" not in ACCESS_MATRIX[n].roles])
def test_a_director_cannot_use_manager_only_routes_on_their_own_teams(world, client, name):
    client.force_login(world.director_a)
    before = _fingerprint()
    for method in ACCESS_MATRIX[name].methods:
        response = getattr(client, method.lower())(
            _url(name, world, foreign=False), {"text": "x", "segment": "top", "reason": "x"}
        )
        assert response.status_code in (302, 404), (name, method, response.status_code)
    assert _fingerprint() == before


def test_pages_about_people_are_never_cached(world, client):
    client.force_login(world.manager_a)
    for name in ("dashboard", "seller_list", "time_log", "settings"):
        assert client.get(reverse(name))["Cache-Control"] == "no-store"


def test_a_manager_sees_only_their_own_team_in_lists(world, client):
    client.force_login(world.manager_a)
    for name in ("dashboard", "seller_list", "time_log", "settings", "import_history"):
        body = client.get(reverse(name)).content
        assert b"CANARY" not in body, name
    assert b"Tora Topp" in client.get(reverse("seller_list")).content


def test_a_director_reads_their_teams_but_never_private_notes(world, client):
    client.force_login(world.director_a)
    page = client.get(reverse("seller_detail", kwargs={"seller_id": world.sellers_a[0].pk}))
    assert page.status_code == 200
    assert b"Tora Topp" in page.content
    assert b"CANARY-NOTE-A" not in page.content
    assert b"Team B" not in client.get(reverse("org_overview")).content


def test_every_form_needs_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.manager_a)
    before = _fingerprint()
    for name, route in WEB_ROUTES.items():
        if "POST" in route.methods and not route.public:
            response = client.post(_url(name, world, foreign=False), {"text": "x", "minutes": "5"})
            assert response.status_code == 403, name
    assert _fingerprint() == before


SELLER_ROUTES = {
    "me",
    "me_download",
    "account",
    "password_change",
    "logout",
    # A seller may sign in with a second factor too (optional per user).
    "two_factor_setup",
    "two_factor_verify",
    "two_factor_recovery",
    "two_factor_disable",
    # A seller's own API tokens (their own record only).
    "token_create",
    "token_revoke",
}
PUBLIC = {n for n, r in WEB_ROUTES.items() if r.public}
ROUTES = [r for r in all_routes() if r.name not in API_ROUTES]


def test_the_matrix_gives_a_seller_exactly_their_own_page_its_download_and_their_account():
    given = {n for n, r in WEB_ROUTES.items() if "seller" in r.roles}
    assert given == SELLER_ROUTES
    assert {n for n, r in API_ROUTES.items() if "seller" in r.roles} == {"api:me"}


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if r.name not in SELLER_ROUTES | PUBLIC],
    ids=[r.name for r in ROUTES if r.name not in SELLER_ROUTES | PUBLIC],
)
def test_a_seller_gets_a_plain_404_on_every_other_route_and_changes_nothing(world, client, route):
    client.force_login(world.seller_a)
    missing = client.get("/no-such-page/")
    before = database_fingerprint()

    answers = [
        client.get(own_url(route, world)),
        client.post(own_url(route, world), {"text": "x", "segment": "top", "reason": "x"}),
    ]

    assert [a.status_code for a in answers] == [404, 404]
    for answer in answers:
        assert _normalised(answer.content) == _normalised(missing.content)
        assert b"Tora" not in answer.content.replace(b"Tora Topp</a>", b"")
    assert database_fingerprint() == before


def test_a_seller_opens_their_own_page_their_account_and_logs_out(world, client):
    client.force_login(world.seller_a)

    statuses = {
        name: client.get(reverse(name)).status_code for name in ("me", "account", "password_change")
    }

    assert statuses == {"me": 200, "account": 200, "password_change": 200}
    assert client.get(reverse("me_download")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("me")).status_code == 302


@pytest.mark.parametrize("who", ["manager_a", "director_a", "admin"])
def test_the_sellers_own_page_is_a_404_for_every_other_role(world, client, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("me")).status_code == 404
    assert client.post(reverse("me_download")).status_code == 404


def test_a_seller_logging_in_lands_on_their_own_page(world, client):
    response = client.post(
        reverse("login"), {"username": "tora@test.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("me")
