"""Which fetcher reads which CRM, with the connection's address, secret and the org's zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from krutt.connections.crm_records import CrmFetch
from krutt.connections.errors import ConnectionFailed
from krutt.connections.http import NetworkPolicy, SafeHttp
from krutt.connections.hubspot import fetch_hubspot, hubspot_client
from krutt.connections.pipedrive import fetch_pipedrive, pipedrive_client
from krutt.connections.salesforce import fetch_salesforce, salesforce_client
from krutt.connections.superoffice import fetch_superoffice, superoffice_client
from krutt.domain.messages import gettext_noop
from krutt.web.connections import secrets
from krutt.web.crm.models import CrmConnection, CrmKind

DEFAULT_URLS = {
    CrmKind.HUBSPOT: "KRUTT_HUBSPOT_URL",
    CrmKind.PIPEDRIVE: "KRUTT_PIPEDRIVE_URL",
    CrmKind.SALESFORCE: "KRUTT_SALESFORCE_URL",
    CrmKind.SUPEROFFICE: "KRUTT_SUPEROFFICE_URL",
}


def base_url(connection: CrmConnection) -> str:
    """The connection's own address, else the setting for its CRM."""
    own = str(connection.settings.get("url") or "")
    return own or str(getattr(settings, DEFAULT_URLS[CrmKind(connection.kind)], "") or "")


def fetch(
    connection: CrmConnection,
    policy: NetworkPolicy,
    *,
    since: datetime | None,
    pace: dict[str, Any] | None = None,
) -> CrmFetch:
    """What changed in the CRM since `since` (everything when None): network only."""
    secret = secrets.decrypt(connection.secret)
    base = base_url(connection)
    if not base:
        raise ConnectionFailed(NO_URL, kind=connection.kind)
    zone = ZoneInfo(connection.organisation.time_zone)
    extra = dict(pace or {})
    with SafeHttp(policy=policy) as http:
        if connection.kind == CrmKind.HUBSPOT:
            client = hubspot_client(http, token=secret, base=base, **extra)
            return fetch_hubspot(client=client, since=since, zone=zone)
        if connection.kind == CrmKind.PIPEDRIVE:
            client = pipedrive_client(http, token=secret, base=base, **extra)
            return fetch_pipedrive(client=client, since=since, zone=zone)
        if connection.kind == CrmKind.SALESFORCE:
            client = salesforce_client(
                http,
                client_id=str(connection.settings.get("client_id") or ""),
                client_secret=secret,
                base=base,
                **extra,
            )
            return fetch_salesforce(client=client, since=since, zone=zone)
        if connection.kind == CrmKind.SUPEROFFICE:
            client = superoffice_client(
                http,
                ticket=secret,
                base=base,
                app_token=str(connection.settings.get("client_id") or ""),
                **extra,
            )
            return fetch_superoffice(client=client, since=since, zone=zone)
    raise ConnectionFailed(UNKNOWN_KIND, kind=connection.kind)


NO_URL = gettext_noop("Give the {kind} API's address (--url).")
UNKNOWN_KIND = gettext_noop("krutt does not know the CRM {kind}.")
