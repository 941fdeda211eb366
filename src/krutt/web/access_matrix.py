"""The written record of who may use which route (ASVS 8.1.1); the access tests read it.

For each named route: the roles that may use it, the HTTP methods it answers, and the
kind of object its URL names (its id must be within the user's scope, else 404).
Anonymous users are sent to the login page for every route not marked public.
"""

from __future__ import annotations

from dataclasses import dataclass

MANAGER = "manager"
DIRECTOR = "director"
ADMIN = "admin"
SELLER = "seller"


@dataclass(frozen=True)
class Route:
    roles: frozenset[str]
    methods: tuple[str, ...]
    obj: str | None = None  # seller, note, entry, slot or batch: the kind of id in the URL
    public: bool = False
    # An API route (/api/v1/): a bearer token instead of a session; a missing or foreign
    # token is 401, a role not listed 403, an object outside the scope 404.
    api: bool = False


def _r(
    *roles: str, methods: tuple[str, ...] = ("GET",), obj: str | None = None, public: bool = False
) -> Route:
    return Route(frozenset(roles), methods, obj, public)


def _api(
    *roles: str, methods: tuple[str, ...] = ("GET",), obj: str | None = None, public: bool = False
) -> Route:
    return Route(frozenset(roles), methods, obj, public, api=True)


ACCESS_MATRIX: dict[str, Route] = {
    "dashboard": _r(MANAGER, DIRECTOR, ADMIN),
    "org_overview": _r(DIRECTOR),
    "seller_list": _r(MANAGER, DIRECTOR),
    "seller_detail": _r(MANAGER, DIRECTOR, obj="seller"),
    "seller_override": _r(MANAGER, methods=("POST",), obj="seller"),
    "seller_override_withdraw": _r(MANAGER, methods=("POST",), obj="seller"),
    "seller_invite": _r(MANAGER, methods=("POST",), obj="seller"),
    "seller_note_add": _r(MANAGER, methods=("POST",), obj="seller"),
    "seller_note_delete": _r(MANAGER, methods=("POST",), obj="note"),
    "time_log": _r(MANAGER, methods=("GET", "POST")),
    "entry_edit": _r(MANAGER, methods=("GET", "POST"), obj="entry"),
    "entry_delete": _r(MANAGER, methods=("POST",), obj="entry"),
    "timer_start": _r(MANAGER, methods=("POST",)),
    "timer_stop": _r(MANAGER, methods=("POST",)),
    "plan": _r(MANAGER),
    "plan_save": _r(MANAGER, methods=("POST",)),
    "plan_slot_add": _r(MANAGER, methods=("POST",)),
    "plan_slot_move": _r(MANAGER, methods=("POST",), obj="slot"),
    "plan_slot_drop": _r(MANAGER, methods=("POST",), obj="slot"),
    "plan_ics": _r(MANAGER),
    "support_plan": _r(MANAGER, methods=("POST",), obj="seller"),
    "support_log": _r(MANAGER, methods=("POST",), obj="seller"),
    "support_decide": _r(MANAGER, methods=("POST",), obj="seller"),
    "imports": _r(MANAGER, methods=("GET", "POST")),
    "import_preview": _r(MANAGER, methods=("GET", "POST")),
    "import_commit": _r(MANAGER, methods=("POST",)),
    "import_history": _r(MANAGER),
    # The upload's token is in the form, scoped to the manager's own session (else nothing).
    "import_unmatched": _r(MANAGER, methods=("POST",)),
    "import_undo": _r(MANAGER, methods=("POST",), obj="batch"),
    # A background import (?job=UUID, one of the manager's own, else 404) and its poll.
    "import_job": _r(MANAGER),
    "results": _r(MANAGER, DIRECTOR),
    "settings": _r(MANAGER, DIRECTOR, ADMIN, methods=("GET", "POST")),
    # The connection's id is in the form, scoped to the manager's own (else 404).
    "calendar_connections": _r(MANAGER, methods=("GET", "POST")),
    "calendar_sync": _r(MANAGER, methods=("POST",)),
    "calendar_disconnect": _r(MANAGER, methods=("POST",)),
    # Privacy (arbeidsmiljøloven § 9-2 and GDPR): a manager records their own teams' notice
    # and prints the letter, a director theirs, the admin every team's; the team's id is in
    # the form or the query, scoped to the user's teams (else 404). Retention, the purge
    # and a seller's requests (export, erasure) are the admin's.
    "privacy": _r(MANAGER, DIRECTOR, ADMIN),
    "privacy_notice": _r(MANAGER, DIRECTOR, ADMIN, methods=("POST",)),
    "privacy_letter": _r(MANAGER, DIRECTOR, ADMIN),
    "privacy_retention": _r(ADMIN, methods=("POST",)),
    "privacy_purge": _r(ADMIN, methods=("POST",)),
    "privacy_export": _r(ADMIN, methods=("POST",)),
    "privacy_erase": _r(ADMIN, methods=("POST",)),
    # The organisation's CRM; the connection's id is in the form, scoped to the organisation.
    "crm_connections": _r(DIRECTOR, ADMIN, methods=("GET", "POST")),
    "crm_sync": _r(DIRECTOR, ADMIN, methods=("POST",)),
    "crm_disconnect": _r(DIRECTOR, ADMIN, methods=("POST",)),
    "crm_alias": _r(DIRECTOR, ADMIN, methods=("POST",)),
    "login": _r(methods=("GET", "POST"), public=True),
    "logout": _r(MANAGER, DIRECTOR, ADMIN, SELLER, methods=("POST",), public=True),
    "account": _r(MANAGER, DIRECTOR, ADMIN, SELLER),
    "password_change": _r(MANAGER, DIRECTOR, ADMIN, SELLER, methods=("GET", "POST")),
    # The second factor (TOTP): set up, the code after the password, recovery codes, off.
    "two_factor_setup": _r(MANAGER, DIRECTOR, ADMIN, SELLER, methods=("GET", "POST")),
    "two_factor_verify": _r(MANAGER, DIRECTOR, ADMIN, SELLER, methods=("GET", "POST")),
    "two_factor_recovery": _r(MANAGER, DIRECTOR, ADMIN, SELLER, methods=("POST",)),
    "two_factor_disable": _r(MANAGER, DIRECTOR, ADMIN, SELLER, methods=("POST",)),
    # Which roles must use it: the admin's choice (default admin and director).
    "two_factor_policy": _r(ADMIN, methods=("POST",)),
    # A seller's own record and its download (the same ZIP as `krutt privacy export`).
    "me": _r(SELLER),
    "me_download": _r(SELLER, methods=("POST",)),
    # The one-time link an invited seller sets their password with (72 h, works once).
    # Its token is the scope: an unknown, spent or expired one says so and changes nothing.
    "invite_accept": _r(methods=("GET", "POST"), public=True),
    "set_language": _r(methods=("POST",), public=True),
    # Personal access tokens on the account page: each user their own.
    "token_create": _r(MANAGER, DIRECTOR, ADMIN, SELLER, methods=("POST",)),
    "token_revoke": _r(MANAGER, DIRECTOR, ADMIN, SELLER, methods=("POST",)),
    # The HTTP API. Its description and docs page name no person and are open to all.
    "api:api-root": _api(methods=("GET",), public=True),
    "api:openapi-json": _api(methods=("GET",), public=True),
    "api:openapi-view": _api(methods=("GET",), public=True),
    "api:me": _api(SELLER),
    "api:sellers": _api(MANAGER, DIRECTOR),
    # A roster file: an admin's for the organisation, a director's for the teams under them.
    "api:roster": _api(DIRECTOR, ADMIN, methods=("POST",)),
    "api:seller": _api(MANAGER, DIRECTOR, obj="seller"),
    "api:segments": _api(MANAGER, DIRECTOR),
    "api:reports": _api(MANAGER, DIRECTOR),
    "api:outcome": _api(MANAGER, DIRECTOR),
    "api:plans": _api(MANAGER, methods=("GET", "POST")),
    "api:time_entries": _api(MANAGER, methods=("GET", "POST")),
    "api:time_entry": _api(MANAGER, methods=("PUT", "DELETE"), obj="entry"),
    # The first page of an installation without users; once anyone exists it sends to login.
    "team_start": _r(methods=("GET", "POST"), public=True),
    "team_setup": _r(MANAGER),
    "team_seller_add": _r(MANAGER, methods=("GET", "POST")),
    "team_numbers": _r(MANAGER, methods=("GET", "POST")),
    "team_invite": _r(MANAGER, methods=("POST",)),
    "team_seller_edit": _r(MANAGER, methods=("GET", "POST"), obj="seller"),
    # The manager's own estimate of a week's split: theirs only, never another's.
    "perceived": _r(MANAGER, methods=("GET", "POST")),
    "api:imports": _api(MANAGER),
    "api:import_calendar": _api(MANAGER, methods=("POST",)),
    "api:import_deals": _api(MANAGER, methods=("POST",)),
    "api:import_undo": _api(MANAGER, methods=("POST",), obj="batch"),
}

WEB_ROUTES = {name: route for name, route in ACCESS_MATRIX.items() if not route.api}
API_ROUTES = {name: route for name, route in ACCESS_MATRIX.items() if route.api}
