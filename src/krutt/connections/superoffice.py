"""SuperOffice CRM Online sales (`superoffice`): the REST web API's OData search on `Sale`.

`GET {tenant}/api/v1/Sale?$select=…&$filter=updated ge '…'&$orderBy=updated&$top=…&$skip=…`
answers `{"value": [...], "odata.nextLink": …}`; pages are followed by the next link,
else by `$skip` until an empty page. Status is 1 open, 2 sold, 3 lost, 4 stalled (or its
name). SuperOffice does not report deleted sales in this search, so deletions are found
by the weekly full read. Auth: the system user's ticket (`Authorization: SOTicket …`)
or an OAuth access token (`Bearer …`), with the application's `SO-AppToken`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from typing import Any

from krutt.connections.crm_http import UNEXPECTED, CrmClient, instant, local_day, money
from krutt.connections.crm_records import CrmDeal, CrmFetch
from krutt.connections.errors import ConnectionFailed
from krutt.connections.http import SafeHttp

SALES = "/api/v1/Sale"
COLUMNS = (
    "saleId,heading,amount,currency,status,saleDate,registered,updated,"
    "associate/fullName,associate/personEmail,contact/name,saleType"
)
PAGE = 500
STATUS = {"1": "open", "2": "sold", "3": "lost", "4": "stalled"}


def superoffice_client(
    http: SafeHttp, *, ticket: str, base: str, app_token: str = "", **pace: Any
) -> CrmClient:
    scheme = "" if ticket.startswith(("Bearer ", "SOTicket ")) else "SOTicket "
    headers = {"Authorization": f"{scheme}{ticket}", "Accept-Language": "en"}
    if app_token:
        headers["SO-AppToken"] = app_token
    return CrmClient(http=http, base=base, headers=headers, **pace)


def fetch_superoffice(*, client: CrmClient, since: datetime | None, zone: tzinfo) -> CrmFetch:
    """Every sale (`since` None) or those updated since (deletions: the weekly full read)."""
    params: dict[str, Any] = {"$select": COLUMNS, "$orderBy": "updated", "$top": PAGE}
    if since is not None:
        stamp = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
        params["$filter"] = f"updated ge '{stamp}'"
    deals = [_deal(row, zone) for row in _rows(client, params)]
    return CrmFetch(
        complete=since is None,
        deals=deals,
        deleted=[],
        watermark=max((d.modified_at for d in deals), default=None),
    )


def _rows(client: CrmClient, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    skip = 0
    page = client.get(SALES, params)
    while True:
        if not isinstance(page, dict) or not isinstance(page.get("value"), list):
            raise ConnectionFailed(UNEXPECTED, detail="value")
        rows = [r for r in page["value"] if isinstance(r, dict)]
        yield from rows
        following = page.get("odata.nextLink") or page.get("@odata.nextLink")
        if following:
            page = client.get(str(following))
        elif rows:
            # A server may give fewer than $top a page: only an empty page ends the list.
            skip += len(rows)
            page = client.get(SALES, {**params, "$skip": skip})
        else:
            return


def _deal(row: dict[str, Any], zone: tzinfo) -> CrmDeal:
    status = str(row.get("status") or "1").strip().lower()
    status = STATUS.get(status, status)
    modified = instant(row.get("updated")) or instant(row.get("registered"))
    if modified is None:
        raise ConnectionFailed(UNEXPECTED, detail="updated")
    return CrmDeal(
        deal_id=str(row.get("saleId")),
        name=str(row.get("heading") or ""),
        owner=str(row.get("associate/fullName") or row.get("associate/personEmail") or ""),
        owner_email=row.get("associate/personEmail") or None,
        amount=money(row.get("amount")),
        currency=row.get("currency") or None,
        stage=str(row.get("saleType") or ""),
        won=status == "sold",
        closed=status in ("sold", "lost"),
        closed_on=local_day(row.get("saleDate"), zone),
        created_on=local_day(row.get("registered"), zone),
        account=str(row.get("contact/name") or ""),
        modified_at=modified,
    )
