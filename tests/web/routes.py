"""Every URL pattern of the web app, walked from the resolver, with one URL per route.

The route tests go through the resolver rather than the access matrix, so a route added
without being listed anywhere is still requested.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.web.factories import World


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: tuple[str, ...]


def all_routes(
    patterns: list[URLPattern | URLResolver] | None = None, prefix: str = ""
) -> list[Route]:
    """Each named pattern with the names of the values its URL takes, namespaces included."""
    found: list[Route] = []
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            found += all_routes(
                p.url_patterns, f"{prefix}{p.namespace + ':' if p.namespace else ''}"
            )
        else:
            assert p.name, f"unnamed route {p.pattern}"
            route = Route(f"{prefix}{p.name}", tuple(p.pattern.converters))
            # django-ninja lists a path once per HTTP method, under the same name.
            if route not in found:
                found.append(route)
    return found


def own_url(route: Route, world: World) -> str:
    """The route's URL with team A's objects: what manager A may open (and director A read)."""
    invited = world.seller_a
    objects = {
        "uidb64": urlsafe_base64_encode(force_bytes(invited.pk)) if invited else None,
        "token": default_token_generator.make_token(invited) if invited else None,
        "seller_id": world.sellers_a[0].pk,
        "note_id": world.note_a.pk if world.note_a else None,
        "entry_id": world.entry_a.pk if world.entry_a else None,
        "slot_id": world.slot_a.pk if world.slot_a else None,
        "batch_id": world.batch_a.pk if world.batch_a else None,
    }
    unknown = set(route.kwargs) - set(objects)
    # A new kind of id in a URL needs an object here, or the route would go untested.
    assert not unknown, f"{route.name} takes {sorted(unknown)}: add them to own_url"
    return reverse(route.name, kwargs={k: objects[k] for k in route.kwargs})


# Written by every signed-in request and by every login, and about neither people nor plans:
# the session row records the last activity (the idle limit, SessionTimeoutMiddleware) and
# carries flash messages; axes logs sign-ins and failed attempts; an API token notes when it
# was last used. None of it is business data.
def is_bookkeeping(table: str) -> bool:
    return table in ("django_session", "api_accesstoken") or table.startswith("axes_")


def database_fingerprint() -> dict[str, str]:
    """A SHA-256 over the sorted rows of every table but the bookkeeping ones, per table."""
    digests: dict[str, str] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if is_bookkeeping(table):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(repr(row) for row in cursor.fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests
