"""Who is asking: a bearer token acts as its user, within that user's scope, at a bounded rate."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from krutt.web.accounts.models import Role, User
from krutt.web.api.errors import Forbidden, TooLarge
from krutt.web.api.tokens import token_user
from krutt.web.clock import SystemClock
from krutt.web.imports.uploads import MAX_UPLOAD_BYTES


class TokenAuth(HttpBearer):
    """`Authorization: Bearer krutt_…`; revoked, expired, unknown or missing → 401.

    With roles, a user of another role is refused with 403 before the request's parameters
    are read, so a seller learns nothing from a team endpoint's validation errors.
    """

    def __init__(self, roles: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.roles = roles

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        # Checked before the body is read: an oversized request is refused unparsed.
        length = str(request.META.get("CONTENT_LENGTH") or "0")
        # A file upload may be as large as on the web; everything else is small JSON.
        limit = (
            MAX_UPLOAD_BYTES + 64 * 1024
            if request.path.startswith("/api/v1/imports/")
            or request.path == "/api/v1/sellers/roster"
            else settings.KRUTT_API_MAX_BODY_BYTES
        )
        if not length.isdigit() or int(length) > limit:
            raise TooLarge(f"The request body is larger than {limit} bytes.")
        # No text column takes a NUL (PostgreSQL refuses it outright): refuse it at the door.
        if any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            raise HttpError(400, "A query parameter contains a NUL character.")
        found = token_user(token, now=SystemClock().now())
        if found is None:
            return None
        row, user = found
        # The limit's key: the token's digest (random per token, unlike a reused row id).
        request.api_token_key = row.digest[:32]  # type: ignore[attr-defined]
        if self.roles and user.role not in self.roles:
            raise Forbidden
        organisation = user.organisation
        assert organisation is not None
        # Sentences in the answer (reasons, alerts) in the user's language, as on the web.
        translation.activate(user.language or organisation.language or "nb")
        timezone.activate(organisation.time_zone)
        return user


def only(*roles: Role) -> TokenAuth:
    """The auth of an endpoint open to these roles (the access matrix lists the same)."""
    return TokenAuth(frozenset(r.value for r in roles))


class TokenRateThrottle(SimpleRateThrottle):
    """At most KRUTT_API_RATE_PER_MINUTE requests a minute per token (ninja answers 429 + Retry-After).

    The count lives in Django's cache: per process with the default in-memory cache, shared
    when CACHES points at a shared backend.
    """

    scope = "token"

    def __init__(self) -> None:
        super().__init__(rate="600/min")

    def allow_request(self, request: HttpRequest) -> bool:
        # Read per request, so a changed setting (and a test's override) takes effect at once.
        self.num_requests, self.duration = int(settings.KRUTT_API_RATE_PER_MINUTE), 60
        return bool(super().allow_request(request))

    def get_cache_key(self, request: HttpRequest) -> str | None:
        key: Any = getattr(request, "api_token_key", None)
        if key is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": key}
