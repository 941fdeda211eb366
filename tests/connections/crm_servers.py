"""Local CRM servers on loopback, answering as the documented APIs do.

Each holds the sample team's deals (tests/data/crm, the same 342 deals the file import
tests read) in the CRM's own JSON shape, checks the token, pages and filters as its
documentation says, and can be told to answer 429 with a `Retry-After` for a while.
Changing a deal moves the server's clock ten minutes on, past the sync's overlap.
"""

from __future__ import annotations

import base64
import csv
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.conftest import DATA

CRM = DATA / "crm"
START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
Answer = tuple[int, dict[str, Any] | list[Any] | None]


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]


@dataclass
class JsonServer:
    """A threaded http.server that hands each request to `answer` and keeps a log of them."""

    requests: list[Seen] = field(default_factory=list)
    busy: list[int] = field(default_factory=list)  # Retry-After of the next 429s to send
    now: datetime = START

    def start(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                ctype = self.headers.get("Content-Type", "")
                if raw and "json" in ctype:
                    body: Any = json.loads(raw)
                elif raw:
                    body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                else:
                    body = None
                seen = Seen(
                    method=self.command,
                    path=parts.path,
                    query={k: v[0] for k, v in parse_qs(parts.query).items()},
                    body=body,
                    headers={k.lower(): v for k, v in self.headers.items()},
                )
                server.requests.append(seen)
                extra: dict[str, str] = {}
                if server.busy:
                    wait = server.busy.pop(0)
                    status, payload = 429, server.too_many()
                    extra["Retry-After"] = str(wait)
                else:
                    status, payload = server.answer(seen)
                data = json.dumps(payload).encode() if payload is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = _any

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def tick(self) -> datetime:
        self.now += timedelta(minutes=10)
        return self.now

    def answer(self, seen: Seen) -> Answer:
        raise NotImplementedError

    def too_many(self) -> dict[str, Any]:
        return {"message": "rate limited"}


def _rows(name: str, encoding: str = "utf-8-sig", delimiter: str = ",") -> list[dict[str, str]]:
    with (CRM / name).open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def _roster_emails() -> dict[str, str]:
    with (DATA / "sellers.csv").open(encoding="utf-8", newline="") as handle:
        return {row["name"]: row["email"] for row in csv.DictReader(handle)}


def _iso(text: str) -> str:
    """`2026-01-26 12:00` (an export's time) as the API writes it."""
    day = datetime.fromisoformat(text.strip())
    return day.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def _ms(when: datetime) -> str:
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- HubSpot -------------------------------------------------------------------------

HUBSPOT_STAGES = {"Closed won": "closedwon", "Closed lost": "closedlost"}


class HubSpotServer(JsonServer):
    """CRM v3: deals search (10,000 results a query), deals list, owners, deal pipelines."""

    def __init__(self, *, token: str = "pat-na1-test", search_limit: int = 10_000) -> None:
        super().__init__()
        self.token = token
        self.search_limit = search_limit
        emails = _roster_emails()
        self.owners: dict[str, dict[str, Any]] = {}
        self.deals: dict[str, dict[str, Any]] = {}
        for number, row in enumerate(_rows("hubspot-deals.csv")):
            owner = self._owner(row["Deal owner"], emails)
            stage = HUBSPOT_STAGES.get(row["Deal Stage"], "contractsent")
            modified = START - timedelta(days=30) + timedelta(seconds=number)
            self.deals[row["Record ID"]] = {
                "id": row["Record ID"],
                "properties": {
                    "dealname": row["Deal Name"],
                    "amount": row["Amount"],
                    "deal_currency_code": "NOK",
                    "dealstage": stage,
                    "closedate": _iso(row["Close Date"]),
                    "createdate": _iso(row["Create Date"]),
                    "hubspot_owner_id": owner,
                    "hs_lastmodifieddate": _ms(modified),
                    "hs_is_closed_won": str(stage == "closedwon").lower(),
                    "hs_is_closed": str(stage in ("closedwon", "closedlost")).lower(),
                    "hs_object_id": row["Record ID"],
                },
                "createdAt": _iso(row["Create Date"]),
                "updatedAt": _ms(modified),
                "archived": False,
            }
        self.start()

    def _owner(self, name: str, emails: dict[str, str]) -> str:
        for owner_id, owner in self.owners.items():
            if f"{owner['firstName']} {owner['lastName']}" == name:
                return owner_id
        first, _, last = name.partition(" ")
        owner_id = str(7100 + len(self.owners))
        email = emails.get(name) or f"{first.lower()}.{last.lower()}@crm.example"
        self.owners[owner_id] = {
            "id": owner_id,
            "email": email,
            "firstName": first,
            "lastName": last,
            "userId": int(owner_id) + 1000,
            "archived": False,
        }
        return owner_id

    # changes as a HubSpot user makes them
    def change(self, deal_id: str, **properties: str) -> None:
        when = _ms(self.tick())
        deal = self.deals[deal_id]
        deal["properties"].update(properties, hs_lastmodifieddate=when)
        deal["updatedAt"] = when

    def archive(self, deal_id: str) -> None:
        deal = self.deals[deal_id]
        deal["archived"], deal["archivedAt"] = True, _ms(self.tick())

    def too_many(self) -> dict[str, Any]:
        return {
            "status": "error",
            "message": "You have reached your secondly limit.",
            "errorType": "RATE_LIMIT",
            "policyName": "SECONDLY",
        }

    def answer(self, seen: Seen) -> Answer:
        if seen.headers.get("authorization") != f"Bearer {self.token}":
            return 401, {
                "status": "error",
                "message": "Authentication credentials not found.",
                "category": "INVALID_AUTHENTICATION",
            }
        routes: dict[tuple[str, str], Callable[[Seen], Answer]] = {
            ("POST", "/crm/v3/objects/deals/search"): self._search,
            ("GET", "/crm/v3/objects/deals"): self._list,
            ("GET", "/crm/v3/owners"): self._owners,
            ("GET", "/crm/v3/pipelines/deals"): self._pipelines,
        }
        route = routes.get((seen.method, seen.path))
        if route is None:
            return 404, {"status": "error", "message": "Not found", "category": "OBJECT_NOT_FOUND"}
        return route(seen)

    def _search(self, seen: Seen) -> Answer:
        body = seen.body or {}
        limit = min(int(body.get("limit", 10)), 200)
        offset = int(body.get("after") or 0)
        if offset + limit > self.search_limit:
            return 400, {
                "status": "error",
                "message": f"Cannot page beyond {self.search_limit} results.",
                "category": "VALIDATION_ERROR",
            }
        found = [d for d in self.deals.values() if not d["archived"]]
        for group in body.get("filterGroups", []):
            for f in group.get("filters", []):
                assert (f["propertyName"], f["operator"]) == ("hs_lastmodifieddate", "GTE")
                low = datetime.fromtimestamp(int(f["value"]) / 1000, UTC)
                found = [d for d in found if _when(d["properties"]["hs_lastmodifieddate"]) >= low]
        for sort in body.get("sorts", []):
            assert sort == {"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}
            found.sort(key=lambda d: (d["properties"]["hs_lastmodifieddate"], d["id"]))
        page = found[offset : offset + limit]
        wanted = body.get("properties") or ["dealname", "amount", "closedate", "createdate"]
        answer: dict[str, Any] = {
            "total": len(found),
            "results": [self._shaped(d, wanted) for d in page],
        }
        if offset + limit < len(found):
            answer["paging"] = {"next": {"after": str(offset + limit)}}
        return 200, answer

    def _list(self, seen: Seen) -> Answer:
        archived = seen.query.get("archived") == "true"
        limit = min(int(seen.query.get("limit", 10)), 100)
        offset = int(seen.query.get("after", "c0").lstrip("c") or 0)
        found = sorted(
            (d for d in self.deals.values() if d["archived"] == archived),
            key=lambda d: int(d["id"]),
        )
        wanted = seen.query.get("properties", "").split(",")
        page = found[offset : offset + limit]
        answer: dict[str, Any] = {"results": [self._shaped(d, wanted) for d in page]}
        if offset + limit < len(found):
            # HubSpot's cursors are opaque; this one is not a number on purpose.
            answer["paging"] = {"next": {"after": f"c{offset + limit}", "link": "…"}}
        return 200, answer

    def _shaped(self, deal: dict[str, Any], wanted: list[str]) -> dict[str, Any]:
        shaped = {k: v for k, v in deal.items() if k != "properties"}
        shaped["properties"] = {
            k: v for k, v in deal["properties"].items() if k in wanted or k == "hs_object_id"
        }
        return shaped

    def _owners(self, seen: Seen) -> Answer:
        archived = seen.query.get("archived") == "true"
        owners = [o for o in self.owners.values() if o["archived"] == archived]
        return 200, {"results": owners}

    def _pipelines(self, seen: Seen) -> Answer:
        stages = [
            {"id": "contractsent", "label": "Contract sent", "metadata": {"isClosed": "false"}},
            {"id": "closedwon", "label": "Closed won", "metadata": {"isClosed": "true"}},
            {"id": "closedlost", "label": "Closed lost", "metadata": {"isClosed": "true"}},
        ]
        return 200, {"results": [{"id": "default", "label": "Sales Pipeline", "stages": stages}]}


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# --- Pipedrive -----------------------------------------------------------------------


class PipedriveServer(JsonServer):
    """API v2 deals (cursor paging, `updated_since`, `status`), v2 stages, v1 users."""

    def __init__(self, *, token: str = "pd-test-token", page_cap: int = 500) -> None:
        super().__init__()
        self.token = token
        self.page_cap = page_cap
        emails = _roster_emails()
        self.users: dict[str, dict[str, Any]] = {}
        self.stages = {"Kontrakt": 5, "Tilbud": 4, "Forhandling": 3}
        self.deals: dict[int, dict[str, Any]] = {}
        for number, row in enumerate(_rows("pipedrive-deals.csv")):
            name = row["Deal - Owner"]
            user = next((u for u in self.users.values() if u["name"] == name), None)
            if user is None:
                user = {
                    "id": 12000 + len(self.users),
                    "name": name,
                    "email": emails.get(name, f"{name.split()[0].lower()}@crm.example"),
                    "active_flag": True,
                }
                self.users[str(user["id"])] = user
            stage = self.stages.setdefault(row["Deal - Stage"], 10 + len(self.stages))
            status = row["Deal - Status"].lower()
            modified = START - timedelta(days=30) + timedelta(seconds=number)
            deal_id = int(row["Deal - ID"])
            self.deals[deal_id] = {
                "id": deal_id,
                "title": row["Deal - Title"],
                "owner_id": user["id"],
                "value": float(row["Deal - Value"]),
                "currency": row["Deal - Currency of Value"],
                "status": status,
                "stage_id": stage,
                "add_time": _iso(row["Deal - Deal created"]),
                "update_time": _iso(modified.strftime("%Y-%m-%d %H:%M:%S")),
                "won_time": _iso(row["Deal - Won time"]) if row["Deal - Won time"] else None,
                "lost_time": (
                    _iso(row["Deal - Expected close date"] + " 12:00") if status == "lost" else None
                ),
                "close_time": None,
                "expected_close_date": row["Deal - Expected close date"] or None,
                "is_deleted": False,
                "org_id": 900 + number,
            }
        self.start()

    def change(self, deal_id: int, **values: Any) -> None:
        deal = self.deals[deal_id]
        deal.update(values, update_time=_iso(self.tick().strftime("%Y-%m-%d %H:%M:%S")))

    def delete(self, deal_id: int) -> None:
        self.change(deal_id, is_deleted=True)

    def too_many(self) -> dict[str, Any]:
        return {"success": False, "error": "Request over limit", "errorCode": 429}

    def answer(self, seen: Seen) -> Answer:
        token = seen.headers.get("x-api-token") or seen.query.get("api_token")
        if token != self.token:
            return 401, {"success": False, "error": "unauthorized access", "errorCode": 401}
        if seen.method == "GET" and seen.path == "/api/v2/deals":
            return self._deals(seen)
        if seen.method == "GET" and seen.path == "/api/v2/stages":
            data = [{"id": i, "name": n, "pipeline_id": 1} for n, i in self.stages.items()]
            return 200, {"success": True, "data": data, "additional_data": {"next_cursor": None}}
        if seen.method == "GET" and seen.path == "/api/v1/users":
            return 200, {"success": True, "data": list(self.users.values())}
        return 404, {"success": False, "error": "Unknown method .", "errorCode": 404}

    def _deals(self, seen: Seen) -> Answer:
        q = seen.query
        limit = int(q.get("limit", 100))
        if limit > 500:
            return 400, {"success": False, "error": "limit must be at most 500", "errorCode": 400}
        limit = min(limit, self.page_cap)
        wanted = set(q.get("status", "open,won,lost").split(","))
        found = [
            d
            for d in self.deals.values()
            if ("deleted" in wanted if d["is_deleted"] else d["status"] in wanted)
        ]
        if "updated_since" in q:
            since = _when(q["updated_since"])
            found = [d for d in found if _when(d["update_time"]) >= since]
        key = q.get("sort_by", "id")
        found.sort(key=lambda d: (d[key], d["id"]), reverse=q.get("sort_direction") == "desc")
        offset = int(base64.b64decode(q["cursor"]).decode()) if q.get("cursor") else 0
        page = found[offset : offset + limit]
        more = offset + limit < len(found)
        cursor = base64.b64encode(str(offset + limit).encode()).decode() if more else None
        return 200, {"success": True, "data": page, "additional_data": {"next_cursor": cursor}}


# --- Salesforce ----------------------------------------------------------------------


def _norwegian_amount(text: str) -> float:
    return float(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))


def _norwegian_day(text: str) -> str:
    day, month, year = text.split(".")
    return f"{year}-{month}-{day}"


def _sf_stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.000+0000")


class SalesforceServer(JsonServer):
    """OAuth client credentials, `query` and `queryAll` (deleted records) with nextRecordsUrl.

    Understands the two SOQL statements krutt sends: every opportunity, or those with
    `SystemModstamp >= <datetime>`, ordered by SystemModstamp.
    """

    def __init__(
        self, *, client_id: str = "3MVG9-krutt", client_secret: str = "sf-secret", batch: int = 200
    ) -> None:
        super().__init__()
        self.client_id, self.client_secret = client_id, client_secret
        self.batch = batch
        self.tokens: set[str] = set()
        self.cursors: dict[str, tuple[list[dict[str, Any]], int]] = {}
        emails = _roster_emails()
        self.records: dict[str, dict[str, Any]] = {}
        for number, row in enumerate(
            _rows("salesforce-opportunities-nb.csv", encoding="utf-8-sig", delimiter=";")
        ):
            if not row.get("Opportunity ID"):
                break  # the report's footer
            owner = row["Opportunity Owner"]
            stage = row["Stage"]
            record_id = row["Opportunity ID"]
            self.records[record_id] = {
                "attributes": {
                    "type": "Opportunity",
                    "url": f"/services/data/v62.0/sobjects/Opportunity/{record_id}",
                },
                "Id": record_id,
                "Name": row["Opportunity Name"],
                "OwnerId": "005" + str(abs(hash(owner)) % 10**12).zfill(12),
                "Owner": {
                    "attributes": {"type": "User"},
                    "Name": owner,
                    "Email": emails.get(owner),
                },
                "Amount": _norwegian_amount(row["Amount"]),
                "CurrencyIsoCode": "NOK",
                "StageName": stage,
                "IsWon": stage == "Closed Won",
                "IsClosed": stage in ("Closed Won", "Closed Lost"),
                "CloseDate": _norwegian_day(row["Close Date"]),
                "CreatedDate": _norwegian_day(row["Created Date"]) + "T09:00:00.000+0000",
                "SystemModstamp": _sf_stamp(START - timedelta(days=30) + timedelta(seconds=number)),
                "Account": {"attributes": {"type": "Account"}, "Name": row["Account Name"]},
                "IsDeleted": False,
            }
        self.start()

    def change(self, record_id: str, **values: Any) -> None:
        self.records[record_id].update(values, SystemModstamp=_sf_stamp(self.tick()))

    def delete(self, record_id: str) -> None:
        self.change(record_id, IsDeleted=True)

    def too_many(self) -> list[dict[str, Any]]:  # type: ignore[override]
        return [{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}]

    def answer(self, seen: Seen) -> Answer:
        if seen.method == "POST" and seen.path == "/services/oauth2/token":
            body = seen.body or {}
            if (body.get("grant_type"), body.get("client_id"), body.get("client_secret")) != (
                "client_credentials",
                self.client_id,
                self.client_secret,
            ):
                return 400, {
                    "error": "invalid_client",
                    "error_description": "invalid client credentials",
                }
            token = f"00D!token{len(self.tokens)}"
            self.tokens.add(token)
            return 200, {
                "access_token": token,
                "instance_url": self.base,
                "token_type": "Bearer",
                "issued_at": "1700000000000",
            }
        auth = seen.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.tokens:
            return 401, [
                {"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}
            ]
        if seen.path in ("/services/data/v62.0/query", "/services/data/v62.0/queryAll"):
            return self._query(seen.query.get("q", ""), include_deleted=seen.path.endswith("All"))
        prefix = "/services/data/v62.0/query/"
        if seen.path.startswith(prefix) and seen.path[len(prefix) :] in self.cursors:
            return self._page(seen.path[len(prefix) :])
        return 404, [{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}]

    def _query(self, soql: str, *, include_deleted: bool) -> Answer:
        assert soql.startswith(
            "SELECT Id, Name, OwnerId, Owner.Name, Owner.Email, Amount, CurrencyIsoCode"
        )
        found = [r for r in self.records.values() if include_deleted or not r["IsDeleted"]]
        if " WHERE " in soql:
            condition = soql.split(" WHERE ", 1)[1].split(" ORDER BY ")[0]
            field_name, op, value = condition.split(" ")
            assert (field_name, op) == ("SystemModstamp", ">=")
            low = _when(value)
            found = [
                r for r in found if _when(r["SystemModstamp"].replace("+0000", "+00:00")) >= low
            ]
        found.sort(key=lambda r: r["SystemModstamp"])
        cursor = f"01gD{len(self.cursors):04d}"
        self.cursors[cursor] = (found, 0)
        return self._page(cursor)

    def _page(self, cursor: str) -> Answer:
        found, offset = self.cursors[cursor]
        page = found[offset : offset + self.batch]
        done = offset + self.batch >= len(found)
        answer: dict[str, Any] = {"totalSize": len(found), "done": done, "records": page}
        if not done:
            following = f"{cursor[:8]}-{offset + self.batch}"
            self.cursors[following] = (found, offset + self.batch)
            answer["nextRecordsUrl"] = f"/services/data/v62.0/query/{following}"
        return 200, answer


# --- SuperOffice ---------------------------------------------------------------------

SUPEROFFICE_STATUS = {"Solgt": 2, "Tapt": 3, "Åpen": 1}


class SuperOfficeServer(JsonServer):
    """The web API's OData search on Sale: $select, $filter on updated, $orderBy, $top/$skip."""

    def __init__(self, *, ticket: str = "7T:so-ticket", page_cap: int = 500) -> None:
        super().__init__()
        self.ticket = ticket
        self.page_cap = page_cap
        emails = _roster_emails()
        self.sales: dict[int, dict[str, Any]] = {}
        for number, row in enumerate(
            _rows("superoffice-salg.csv", encoding="cp1252", delimiter=";")
        ):
            sale_id = 5000 + number
            owner = row["Eier"]
            self.sales[sale_id] = {
                "PrimaryKey": sale_id,
                "EntityName": "sale",
                "saleId": sale_id,
                "heading": row["Salg"],
                "amount": _norwegian_amount(row["Beløp"]),
                "currency": row["Valuta"],
                "status": SUPEROFFICE_STATUS[row["Status"]],
                "saleDate": _norwegian_day(row["Salgsdato"]) + "T00:00:00",
                "registered": _norwegian_day(row["Registrert"]) + "T09:00:00",
                "updated": (START - timedelta(days=30) + timedelta(seconds=number)).strftime(
                    "%Y-%m-%dT%H:%M:%S"
                ),
                "associate/fullName": owner,
                "associate/personEmail": emails.get(owner, ""),
                "contact/name": row["Firma"],
                "saleType": row["Fase"],
            }
        self.start()

    def change(self, sale_id: int, **values: Any) -> None:
        self.sales[sale_id].update(values, updated=self.tick().strftime("%Y-%m-%dT%H:%M:%S"))

    def answer(self, seen: Seen) -> Answer:
        if seen.headers.get("authorization") != f"SOTicket {self.ticket}":
            return 401, {
                "Error": True,
                "ErrorType": "SoAuthenticationException",
                "Message": "Invalid ticket",
            }
        if seen.method != "GET" or seen.path != "/api/v1/Sale":
            return 404, {"Error": True, "Message": "Not found"}
        q = seen.query
        found = list(self.sales.values())
        if "$filter" in q:
            field_name, op, value = q["$filter"].split(" ", 2)
            assert (field_name, op) == ("updated", "ge")
            low = value.strip("'")
            found = [s for s in found if s["updated"] >= low]
        if q.get("$orderBy") == "updated":
            found.sort(key=lambda s: (s["updated"], s["saleId"]))
        top = min(int(q.get("$top", 50)), self.page_cap)
        skip = int(q.get("$skip", 0))
        columns = q.get("$select", "saleId").split(",")
        page = [
            {k: s[k] for k in ("PrimaryKey", "EntityName", *columns) if k in s}
            for s in found[skip : skip + top]
        ]
        return 200, {"odata.metadata": f"{self.base}/api/v1/$metadata", "value": page}
