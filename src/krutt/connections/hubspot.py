"""HubSpot deals (`hubspot`): CRM search by `hs_lastmodifieddate`, archived deals as deletions.

An incremental read searches deals modified at or after the window's start, sorted
ascending. The search answers at most 10,000 results per query, so when the paging
would pass that, the window moves forward to the last modification time read and a new
query begins (deals read twice are de-duplicated by the sync). A full read lists every
deal (the list endpoint has no such cap). Deals deleted in HubSpot are archived and
listed with `archived=true`. Owners come from the owners endpoint, stage labels from
the deal pipelines. Auth: a private app's access token.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, tzinfo
from typing import Any

from krutt.connections.crm_http import UNEXPECTED, CrmClient, instant, local_day, money
from krutt.connections.crm_records import CrmDeal, CrmFetch
from krutt.connections.errors import ConnectionFailed
from krutt.domain.messages import gettext_noop

BASE_URL = "https://api.hubapi.com"
SEARCH = "/crm/v3/objects/deals/search"
DEALS = "/crm/v3/objects/deals"
OWNERS = "/crm/v3/owners"
PIPELINES = "/crm/v3/pipelines/deals"
PROPERTIES = [
    "dealname",
    "amount",
    "deal_currency_code",
    "dealstage",
    "closedate",
    "createdate",
    "hubspot_owner_id",
    "hs_lastmodifieddate",
    "hs_is_closed_won",
    "hs_is_closed",
]
PAGE = 100
SEARCH_LIMIT = 10_000
# HubSpot allows about 4 search requests per second per token.
MIN_INTERVAL = 0.25


def hubspot_client(http: Any, *, token: str, base: str = BASE_URL, **pace: Any) -> CrmClient:
    return CrmClient(
        http=http,
        base=base,
        headers={"Authorization": f"Bearer {token}"},
        min_interval=pace.pop("min_interval", MIN_INTERVAL),
        **pace,
    )


def fetch_hubspot(
    *,
    client: CrmClient,
    since: datetime | None,
    zone: tzinfo,
    search_limit: int = SEARCH_LIMIT,
) -> CrmFetch:
    """Every deal (`since` None) or those modified since, with the deals archived since."""
    owners = _owners(client)
    stages = _stages(client)
    raw = (
        list(_listed(client, archived=False))
        if since is None
        else list(_searched(client, since, search_limit))
    )
    deals = [_deal(item, owners, stages, zone) for item in raw]
    deleted: list[str] = []
    marks = [d.modified_at for d in deals]
    if since is not None:
        for item in _listed(client, archived=True):
            archived_at = instant(item.get("archivedAt"))
            if archived_at is not None and archived_at >= since:
                deleted.append(str(item["id"]))
                marks.append(archived_at)
    return CrmFetch(
        complete=since is None, deals=deals, deleted=deleted, watermark=max(marks, default=None)
    )


def _searched(client: CrmClient, since: datetime, limit: int) -> Iterator[dict[str, Any]]:
    low = int(since.timestamp() * 1000)
    after: str | None = None
    while True:
        body: dict[str, Any] = {
            "filterGroups": [
                {
                    "filters": [
                        {
                            "propertyName": "hs_lastmodifieddate",
                            "operator": "GTE",
                            "value": str(low),
                        }
                    ]
                }
            ],
            "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}],
            "properties": PROPERTIES,
            "limit": PAGE,
        }
        if after is not None:
            body["after"] = after
        page = _object(client.post(SEARCH, body))
        results = _results(page)
        yield from results
        after = _next(page)
        if after is None:
            return
        if not after.isdigit() or int(after) + PAGE > limit:
            # The search stops at `limit` results: start a new query where this one got to.
            last = max((_modified(r) for r in results), default=None)
            moved = int(last.timestamp() * 1000) if last is not None else low
            if moved <= low:
                raise ConnectionFailed(SAME_MOMENT, count=limit)
            low, after = moved, None


def _listed(client: CrmClient, *, archived: bool) -> Iterator[dict[str, Any]]:
    after: str | None = None
    while True:
        page = _object(
            client.get(
                DEALS,
                {
                    "limit": PAGE,
                    "properties": ",".join(PROPERTIES),
                    "archived": "true" if archived else "false",
                    "after": after,
                },
            )
        )
        yield from _results(page)
        after = _next(page)
        if after is None:
            return


def _owners(client: CrmClient) -> dict[str, tuple[str, str | None]]:
    """Owner id → (full name, e-mail), those who left HubSpot (archived) included."""
    found: dict[str, tuple[str, str | None]] = {}
    for archived in ("false", "true"):
        after: str | None = None
        while True:
            page = _object(
                client.get(OWNERS, {"limit": PAGE, "archived": archived, "after": after})
            )
            for owner in _results(page):
                name = " ".join(
                    part for part in (owner.get("firstName"), owner.get("lastName")) if part
                )
                email = owner.get("email") or None
                found.setdefault(str(owner.get("id")), (name or email or "", email))
            after = _next(page)
            if after is None:
                break
    return found


def _stages(client: CrmClient) -> dict[str, str]:
    """Stage id → label, over every deal pipeline."""
    page = _object(client.get(PIPELINES))
    return {
        str(stage.get("id")): str(stage.get("label") or stage.get("id"))
        for pipeline in _results(page)
        for stage in pipeline.get("stages") or []
    }


def _deal(
    item: dict[str, Any],
    owners: dict[str, tuple[str, str | None]],
    stages: dict[str, str],
    zone: tzinfo,
) -> CrmDeal:
    props = item.get("properties") or {}
    owner_id = str(props.get("hubspot_owner_id") or "")
    owner, email = owners.get(owner_id, (f"HubSpot owner {owner_id}" if owner_id else "", None))
    stage_id = str(props.get("dealstage") or "")
    return CrmDeal(
        deal_id=str(item.get("id")),
        name=str(props.get("dealname") or ""),
        owner=owner,
        owner_email=email,
        amount=money(props.get("amount")),
        currency=props.get("deal_currency_code") or None,
        stage=stages.get(stage_id, stage_id),
        won=_flag(props.get("hs_is_closed_won")),
        closed=_flag(props.get("hs_is_closed")),
        closed_on=local_day(props.get("closedate"), zone),
        created_on=local_day(props.get("createdate"), zone),
        account="",
        modified_at=_modified(item),
    )


def _modified(item: dict[str, Any]) -> datetime:
    props = item.get("properties") or {}
    found = instant(props.get("hs_lastmodifieddate") or item.get("updatedAt"))
    if found is None:
        raise ConnectionFailed(UNEXPECTED, detail="hs_lastmodifieddate")
    return found


def _flag(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    return str(value).lower() == "true"


def _object(page: Any) -> dict[str, Any]:
    if not isinstance(page, dict):
        raise ConnectionFailed(UNEXPECTED, detail="not an object")
    return page


def _results(page: dict[str, Any]) -> list[dict[str, Any]]:
    results = page.get("results")
    if not isinstance(results, list):
        raise ConnectionFailed(UNEXPECTED, detail="results")
    return [r for r in results if isinstance(r, dict)]


def _next(page: dict[str, Any]) -> str | None:
    after = ((page.get("paging") or {}).get("next") or {}).get("after")
    return None if after in (None, "") else str(after)


SAME_MOMENT = gettext_noop(
    "More than {count} HubSpot deals were changed at the same moment; krutt cannot page past them."
)
