"""Every refusal of the API as one JSON body, described once in the OpenAPI document.

A `KruttError` is the same sentence the web and the CLI show: bad input is 400, an
unknown or out-of-scope object 404 (never 403, so nothing reveals that it exists).
403 is for a role that may not use the endpoint at all, 409 for a request that
conflicts with what is stored, 422 for a request the schema rejects.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from krutt.domain.errors import KruttError, NotFound
from krutt.web.messages import render


class FieldProblem(Schema):
    loc: list[str | int]
    msg: str


class ErrorBody(Schema):
    """What went wrong, as a code a program checks and a sentence a person reads."""

    code: str
    detail: str
    errors: list[FieldProblem] = Field(default_factory=list)


ERROR_STATUSES = (400, 401, 403, 404, 409, 413, 422, 429)


def responses(ok: Any, status: int = 200) -> dict[int, Any]:
    """An operation's answers: its own and every refusal, each with its body in the schema."""
    return {status: ok, **dict.fromkeys(ERROR_STATUSES, ErrorBody)}


class Forbidden(HttpError):
    """The user's role may not use this endpoint (a seller on a team report, an admin on time)."""

    def __init__(self, message: str = "Your role may not use this endpoint.") -> None:
        super().__init__(403, message)


class Conflict(HttpError):
    def __init__(self, message: str) -> None:
        super().__init__(409, message)


class TooLarge(HttpError):
    def __init__(self, message: str) -> None:
        super().__init__(413, message)


class Rejected(HttpError):
    """A file or batch refused as a whole, with each problem where it was found."""

    def __init__(self, message: str, errors: list[dict[str, Any]]) -> None:
        super().__init__(400, message)
        self.errors = errors


CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
}


def _body(
    request: HttpRequest, api: NinjaAPI, status: int, detail: str, **extra: Any
) -> HttpResponse:
    return api.create_response(
        request, {"code": CODES[status], "detail": detail, "errors": [], **extra}, status=status
    )


def install(api: NinjaAPI) -> None:
    """Translate every kind of refusal once, for every endpoint."""

    @api.exception_handler(KruttError)
    def domain(request: HttpRequest, exc: KruttError) -> HttpResponse:
        status = 404 if isinstance(exc, NotFound) else 400
        return _body(request, api, status, render(exc.message))

    @api.exception_handler(Http404)
    def missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _body(request, api, 404, "Not found.")

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = _body(
            request,
            api,
            401,
            "A valid access token is needed: Authorization: Bearer TOKEN.",
        )
        response["WWW-Authenticate"] = 'Bearer realm="krutt"'
        return response

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return _body(request, api, 429, "Too many requests with this token; wait and retry.")

    @api.exception_handler(Rejected)
    def rejected(request: HttpRequest, exc: Rejected) -> HttpResponse:
        return _body(request, api, 400, str(exc), errors=exc.errors)

    @api.exception_handler(HttpError)
    def refused(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code if exc.status_code in CODES else 400
        return _body(request, api, status, str(exc))

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        problems = [
            {
                "loc": [str(p) if not isinstance(p, int) else p for p in e.get("loc", ())],
                "msg": str(e.get("msg", "")),
            }
            for e in exc.errors
        ]
        return _body(request, api, 422, "The request does not match the schema.", errors=problems)
