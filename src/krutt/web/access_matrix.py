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


def _r(
    *roles: str, methods: tuple[str, ...] = ("GET",), obj: str | None = None, public: bool = False
) -> Route:
    return Route(frozenset(roles), methods, obj, public)


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
    "results": _r(MANAGER, DIRECTOR),
    "settings": _r(MANAGER, DIRECTOR, ADMIN, methods=("GET", "POST")),
    # The connection's id is in the form, scoped to the manager's own (else 404).
    "calendar_connections": _r(MANAGER, methods=("GET", "POST")),
    "calendar_sync": _r(MANAGER, methods=("POST",)),
    "calendar_disconnect": _r(MANAGER, methods=("POST",)),
    "login": _r(methods=("GET", "POST"), public=True),
    "logout": _r(MANAGER, DIRECTOR, ADMIN, SELLER, methods=("POST",), public=True),
    "account": _r(MANAGER, DIRECTOR, ADMIN, SELLER),
    "password_change": _r(MANAGER, DIRECTOR, ADMIN, SELLER, methods=("GET", "POST")),
    # A seller's own record and its download (the same ZIP as `krutt privacy export`).
    "me": _r(SELLER),
    "me_download": _r(SELLER, methods=("POST",)),
    # The one-time link an invited seller sets their password with (72 h, works once).
    # Its token is the scope: an unknown, spent or expired one says so and changes nothing.
    "invite_accept": _r(methods=("GET", "POST"), public=True),
    "set_language": _r(methods=("POST",), public=True),
    # The first page of an installation without users; once anyone exists it sends to login.
    "team_start": _r(methods=("GET", "POST"), public=True),
    "team_setup": _r(MANAGER),
    "team_seller_add": _r(MANAGER, methods=("GET", "POST")),
    "team_numbers": _r(MANAGER, methods=("GET", "POST")),
    "team_invite": _r(MANAGER, methods=("POST",)),
    "team_seller_edit": _r(MANAGER, methods=("GET", "POST"), obj="seller"),
    # The manager's own estimate of a week's split: theirs only, never another's.
    "perceived": _r(MANAGER, methods=("GET", "POST")),
}
