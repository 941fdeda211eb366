"""Salesforce opportunities (`salesforce`): SOQL over plain HTTP, `nextRecordsUrl`, `queryAll`.

Auth is the OAuth 2.0 client-credentials flow of a connected app (its client id and
secret, posted to the org's My Domain `/services/oauth2/token`); the answer names the
instance to query. An incremental read runs `queryAll` (which includes deleted records,
`IsDeleted = true`) on `SystemModstamp >= the window's start`; a full read runs `query`
on every opportunity. Pages are followed by `nextRecordsUrl` until `done`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from typing import Any

from krutt.connections import http as h
from krutt.connections.crm_http import (
    REFUSED,
    UNEXPECTED,
    CrmClient,
    instant,
    local_day,
    money,
)
from krutt.connections.crm_records import CrmDeal, CrmFetch
from krutt.connections.errors import ConnectionFailed
from krutt.connections.http import SafeHttp

API = "/services/data/v62.0"
FIELDS = (
    "Id, Name, OwnerId, Owner.Name, Owner.Email, Amount, CurrencyIsoCode, StageName, IsWon, "
    "IsClosed, CloseDate, CreatedDate, SystemModstamp, Account.Name, IsDeleted"
)


def salesforce_client(
    http: SafeHttp, *, client_id: str, client_secret: str, base: str, **pace: Any
) -> CrmClient:
    """A client for the org's instance, with an access token from the client-credentials flow."""
    login = CrmClient(http=http, base=base, headers={}, **pace)
    try:
        token = login.form(
            "/services/oauth2/token",
            {
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": client_secret,
            },
        )
    except ConnectionFailed as failed:
        # Salesforce answers a wrong client id or secret with 400 invalid_client.
        if failed.message.text == h.SERVER_ERROR and failed.message.params.get("status") == 400:
            raise ConnectionFailed(REFUSED, status=400) from None
        raise
    if not isinstance(token, dict) or not token.get("access_token"):
        raise ConnectionFailed(UNEXPECTED, detail="access_token")
    instance = str(token.get("instance_url") or base)
    return CrmClient(
        http=http,
        base=instance,
        headers={"Authorization": f"Bearer {token['access_token']}"},
        **pace,
    )


def fetch_salesforce(*, client: CrmClient, since: datetime | None, zone: tzinfo) -> CrmFetch:
    """Every opportunity (`since` None) or those modified since, deleted ones included."""
    if since is None:
        # SOQL of constants; the only value is a timestamp krutt formats itself.
        soql = f"SELECT {FIELDS} FROM Opportunity ORDER BY SystemModstamp"  # noqa: S608
        endpoint = f"{API}/query"
    else:
        stamp = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        soql = (
            f"SELECT {FIELDS} FROM Opportunity WHERE SystemModstamp >= {stamp} "  # noqa: S608
            "ORDER BY SystemModstamp"
        )
        endpoint = f"{API}/queryAll"
    deals: list[CrmDeal] = []
    deleted: list[str] = []
    marks: list[datetime] = []
    for record in _records(client, endpoint, soql):
        modified = instant(record.get("SystemModstamp"))
        if modified is None:
            raise ConnectionFailed(UNEXPECTED, detail="SystemModstamp")
        marks.append(modified)
        if record.get("IsDeleted"):
            deleted.append(str(record.get("Id")))
        else:
            deals.append(_deal(record, zone, modified))
    return CrmFetch(
        complete=since is None, deals=deals, deleted=deleted, watermark=max(marks, default=None)
    )


def _records(client: CrmClient, endpoint: str, soql: str) -> Iterator[dict[str, Any]]:
    page = client.get(endpoint, {"q": soql})
    while True:
        if not isinstance(page, dict) or not isinstance(page.get("records"), list):
            raise ConnectionFailed(UNEXPECTED, detail="records")
        yield from (r for r in page["records"] if isinstance(r, dict))
        following = page.get("nextRecordsUrl")
        if page.get("done", True) or not following:
            return
        page = client.get(str(following))


def _deal(record: dict[str, Any], zone: tzinfo, modified: datetime) -> CrmDeal:
    owner = record.get("Owner") or {}
    account = record.get("Account") or {}
    return CrmDeal(
        deal_id=str(record.get("Id")),
        name=str(record.get("Name") or ""),
        owner=str(owner.get("Name") or owner.get("Email") or record.get("OwnerId") or ""),
        owner_email=owner.get("Email") or None,
        amount=money(record.get("Amount")),
        currency=record.get("CurrencyIsoCode") or None,
        stage=str(record.get("StageName") or ""),
        won=bool(record.get("IsWon")),
        closed=bool(record.get("IsClosed")),
        closed_on=local_day(record.get("CloseDate"), zone),
        created_on=local_day(record.get("CreatedDate"), zone),
        account=str(account.get("Name") or ""),
        modified_at=modified,
    )
