"""Pipedrive deals (`pipedrive`): API v2's deal list with cursor paging and `updated_since`.

Deals come 500 a page, sorted by update time, from the window's start; an incremental
read also asks for deleted deals (`status=…,deleted`, kept by Pipedrive for 30 days),
which carry `is_deleted`. A full read lists every deal not deleted. Owners are the
account's users (v1: there is no v2 users endpoint), stage names the v2 stages.
Auth: the API token, sent as the `x-api-token` header.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from typing import Any

from krutt.connections.crm_http import UNEXPECTED, CrmClient, instant, local_day, money
from krutt.connections.crm_records import CrmDeal, CrmFetch
from krutt.connections.errors import ConnectionFailed

BASE_URL = "https://api.pipedrive.com"
DEALS = "/api/v2/deals"
STAGES = "/api/v2/stages"
USERS = "/api/v1/users"
PAGE = 500
ALL_STATUSES = "open,won,lost,deleted"


def pipedrive_client(http: Any, *, token: str, base: str = BASE_URL, **pace: Any) -> CrmClient:
    return CrmClient(http=http, base=base, headers={"x-api-token": token}, **pace)


def fetch_pipedrive(*, client: CrmClient, since: datetime | None, zone: tzinfo) -> CrmFetch:
    """Every deal (`since` None) or those updated since, with the deals deleted since."""
    owners = _users(client)
    stages = {str(s.get("id")): str(s.get("name") or "") for s in _paged(client, STAGES, {})}
    params: dict[str, Any] = {"sort_by": "update_time", "sort_direction": "asc"}
    if since is not None:
        params["updated_since"] = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        params["status"] = ALL_STATUSES
    deals: list[CrmDeal] = []
    deleted: list[str] = []
    marks: list[datetime] = []
    for item in _paged(client, DEALS, params):
        modified = instant(item.get("update_time"))
        if modified is None:
            raise ConnectionFailed(UNEXPECTED, detail="update_time")
        marks.append(modified)
        if item.get("is_deleted"):
            deleted.append(str(item.get("id")))
            continue
        deals.append(_deal(item, owners, stages, zone, modified))
    return CrmFetch(
        complete=since is None, deals=deals, deleted=deleted, watermark=max(marks, default=None)
    )


def _paged(client: CrmClient, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    cursor: str | None = None
    while True:
        page = client.get(path, {**params, "limit": PAGE, "cursor": cursor})
        if not isinstance(page, dict) or not isinstance(page.get("data"), list):
            raise ConnectionFailed(UNEXPECTED, detail="data")
        yield from (item for item in page["data"] if isinstance(item, dict))
        cursor = (page.get("additional_data") or {}).get("next_cursor") or None
        if cursor is None:
            return


def _users(client: CrmClient) -> dict[str, tuple[str, str | None]]:
    page = client.get(USERS)
    if not isinstance(page, dict) or not isinstance(page.get("data"), list):
        raise ConnectionFailed(UNEXPECTED, detail="users")
    return {
        str(u.get("id")): (str(u.get("name") or u.get("email") or ""), u.get("email") or None)
        for u in page["data"]
        if isinstance(u, dict)
    }


def _deal(
    item: dict[str, Any],
    owners: dict[str, tuple[str, str | None]],
    stages: dict[str, str],
    zone: tzinfo,
    modified: datetime,
) -> CrmDeal:
    status = str(item.get("status") or "open")
    owner_id = str(item.get("owner_id") or "")
    owner, email = owners.get(owner_id, (f"Pipedrive user {owner_id}" if owner_id else "", None))
    if status == "won":
        closed = item.get("won_time") or item.get("close_time")
    elif status == "lost":
        closed = item.get("lost_time") or item.get("close_time")
    else:
        closed = item.get("expected_close_date")
    return CrmDeal(
        deal_id=str(item.get("id")),
        name=str(item.get("title") or ""),
        owner=owner,
        owner_email=email,
        amount=money(item.get("value")),
        currency=item.get("currency") or None,
        stage=stages.get(str(item.get("stage_id")), ""),
        won=status == "won",
        closed=status in ("won", "lost"),
        closed_on=local_day(closed, zone),
        created_on=local_day(item.get("add_time"), zone),
        account="",
        modified_at=modified,
    )
