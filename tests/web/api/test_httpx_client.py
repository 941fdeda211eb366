"""A plain HTTP client (httpx) against a live server: log time, then read it in the report."""

from __future__ import annotations

import httpx
import pytest

from tests.web.api.conftest import token_for
from tests.web.factories import build_world


@pytest.mark.django_db(transaction=True)
def test_httpx_logs_time_and_reads_the_report(live_server):
    world = build_world()
    token = token_for(world.manager_a, "httpx")
    tora = world.sellers_a[0]
    headers = {"Authorization": f"Bearer {token}"}

    with httpx.Client(base_url=f"{live_server.url}/api/v1", headers=headers, timeout=30) as api:
        schema = api.get("/openapi.json").json()
        before = api.get("/reports", params={"week": "2026-W47"}).json()
        made = api.post(
            "/time-entries",
            json={
                "seller": [tora.email],
                "minutes": 90,
                "activity": "coaching",
                "at": "2026-11-17T09:00",
            },
            headers={"Idempotency-Key": "httpx-1"},
        )
        after = api.get("/reports", params={"week": "2026-W47"}).json()

    assert "/api/v1/time-entries" in schema["paths"]
    assert made.status_code == 201
    assert after["seller_hours"] == before["seller_hours"] + 1.5
    assert after["segments"]["top"]["hours"] == before["segments"]["top"]["hours"] + 1.5
