"""The access walk for the API: every route, every role, a missing and a foreign token.

Walked from the resolver (a new API route is requested even if the matrix forgets it):
a role the matrix gives gets an answer, any other role 403, a missing or foreign token 401,
another team's object the same 404 as a missing one; no refusal changes a table.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from krutt.web.access_matrix import API_ROUTES
from krutt.web.api.tokens import revoke_token
from krutt.web.clock import SystemClock
from tests.web.api.conftest import Api, token_for
from tests.web.routes import all_routes, database_fingerprint

ROLES = ("manager_a", "director_a", "admin", "seller_a")
ROUTES = [r for r in all_routes() if r.name.startswith("api:")]
PROTECTED = [r for r in ROUTES if not API_ROUTES[r.name].public]


def _url(route, world, *, foreign: bool = False, missing: bool = False) -> str:
    objects = {
        "seller_id": (world.sellers_b[0] if foreign else world.sellers_a[0]).pk,
        "entry_id": (world.entry_b if foreign else world.entry_a).pk,
        "batch_id": (world.batch_b if foreign else world.batch_a).pk,
    }
    if missing:
        objects = dict.fromkeys(objects, 999999)
    unknown = set(route.kwargs) - set(objects)
    assert not unknown, f"{route.name} takes {sorted(unknown)}: add them here"
    return reverse(route.name, kwargs={k: objects[k] for k in route.kwargs})


def _call(api: Api, method: str, url: str):
    path = url.removeprefix("/api/v1")
    if method == "GET":
        return api.get(path)
    if method == "DELETE":
        return api.delete(path)
    return getattr(api, method.lower())(path, {})


def test_every_api_route_is_in_the_matrix():
    assert {r.name for r in ROUTES} == set(API_ROUTES)


@pytest.mark.parametrize("route", PROTECTED, ids=[r.name for r in PROTECTED])
def test_each_role_gets_what_the_matrix_gives_and_a_403_otherwise(world, route):
    matrix = API_ROUTES[route.name]
    tokens = {who: Api(Client(), token_for(getattr(world, who))) for who in ROLES}
    for method in matrix.methods:
        for who, api in tokens.items():
            before = database_fingerprint()
            answer = _call(api, method, _url(route, world))
            if getattr(world, who).role in matrix.roles:
                assert answer.status_code not in (401, 403, 404, 500), (
                    route.name,
                    method,
                    who,
                    answer.content,
                )
            else:
                assert answer.status_code == 403, (route.name, method, who, answer.status_code)
                assert database_fingerprint() == before, (route.name, method, who)


@pytest.mark.parametrize("route", PROTECTED, ids=[r.name for r in PROTECTED])
def test_a_missing_unknown_or_revoked_token_is_401_and_changes_nothing(world, route):
    revoked = token_for(world.manager_a, "gone")
    revoke_token(user=world.manager_a, name="gone", now=SystemClock().now())
    before = database_fingerprint()
    for method in API_ROUTES[route.name].methods:
        for token in (None, "krutt_" + "A" * 43, revoked, "Basic dXNlcjpwYXNz"):
            answer = _call(Api(Client(), token), method, _url(route, world))
            assert answer.status_code == 401, (route.name, method, token)
            assert answer["WWW-Authenticate"] == 'Bearer realm="krutt"'
    assert database_fingerprint() == before


OBJECT_ROUTES = [r for r in PROTECTED if API_ROUTES[r.name].obj]


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=[r.name for r in OBJECT_ROUTES])
def test_another_teams_object_is_the_same_404_as_a_missing_one(world, route):
    matrix = API_ROUTES[route.name]
    tokens = {
        who: Api(Client(), token_for(getattr(world, who)))
        for who in ROLES
        if getattr(world, who).role in matrix.roles
    }
    before = database_fingerprint()
    for who, api in tokens.items():
        for method in matrix.methods:
            foreign = _call(api, method, _url(route, world, foreign=True))
            missing = _call(api, method, _url(route, world, missing=True))
            if method == "PUT":
                # A body the schema refuses is 422 before any lookup: send a valid one.
                body = {"seller": [world.sellers_a[0].email], "minutes": 5, "activity": "coaching"}
                foreign = api.put(_url(route, world, foreign=True).removeprefix("/api/v1"), body)
                missing = api.put(_url(route, world, missing=True).removeprefix("/api/v1"), body)
            assert (foreign.status_code, missing.status_code) == (404, 404), (
                route.name,
                method,
                who,
            )
            assert foreign.json() == missing.json()
            assert b"CANARY" not in foreign.content
    assert database_fingerprint() == before


def test_the_description_and_docs_are_public_and_name_nobody(world, client):
    for name in ("api:openapi-json", "api:openapi-view"):
        answer = client.get(reverse(name))
        assert answer.status_code == 200
        assert b"test.example" not in answer.content
