"""API tests: the web's world of two teams, with a token per role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from krutt.web.accounts.models import User
from krutt.web.api.tokens import create_token
from krutt.web.clock import SystemClock
from tests.web.factories import World


@dataclass
class Api:
    """Requests to /api/v1/ as one token."""

    client: Client
    token: str | None

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = dict(extra or {})
        if self.token is not None:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.get(f"/api/v1{path}", params or {}, headers=self.headers(headers))

    def post(self, path: str, body: Any, **headers: str) -> Any:
        return self.client.post(
            f"/api/v1{path}", body, content_type="application/json", headers=self.headers(headers)
        )

    def put(self, path: str, body: Any, **headers: str) -> Any:
        return self.client.put(
            f"/api/v1{path}", body, content_type="application/json", headers=self.headers(headers)
        )

    def delete(self, path: str, **headers: str) -> Any:
        return self.client.delete(f"/api/v1{path}", headers=self.headers(headers))


def token_for(user: User, name: str = "test") -> str:
    return create_token(user=user, name=name, now=SystemClock().now()).secret


@pytest.fixture
def as_user(world: World) -> Any:
    def make(who: str) -> Api:
        return Api(Client(), token_for(getattr(world, who)))

    return make
