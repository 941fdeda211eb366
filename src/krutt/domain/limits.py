"""How long the texts krutt keeps may be: the same limits in the importers, forms and database.

Chosen so any real roster or CRM export passes (a name of 200 characters, the longest
e-mail address the standards allow) while a damaged or hostile file cannot fill the
database with one cell. Every use case checks its texts with `within_limit`, so the CLI
and the web refuse an over-long value with a sentence before the database sees it (on
PostgreSQL a too-long varchar is an error; SQLite would store it silently).
"""

from __future__ import annotations

from typing import Final

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import Label, gettext_noop

NAME_MAX: Final = 200
"""A seller's, manager's or organisation's name."""

EMAIL_MAX: Final = 254
"""An e-mail address (RFC 5321's limit on a path, less the angle brackets)."""

TEAM_NAME_MAX: Final = 200
"""A team's name."""

NOTE_MAX: Final = 5000
"""A manager's private note about a seller."""

TEXT_MAX: Final = 2000
"""A time entry's note, a support plan's goal, a support note, the reason for a decision."""

REASON_MAX: Final = 1000
"""The reason for overriding a seller's segment."""

ACTION_MAX: Final = 300
"""The description of one action in a support plan."""

TOO_LONG = gettext_noop("{field} is longer than {limit} characters.")


def within_limit(text: str, *, limit: int, field: str) -> str:
    """The text unchanged, or InvalidInput naming the field (a gettext_noop label) and its limit."""
    if len(text) > limit:
        raise InvalidInput(TOO_LONG, field=Label(field), limit=limit)
    return text


# The fields the sentences name, translated where they are shown.
NAME_FIELD = gettext_noop("The name")
EMAIL_FIELD = gettext_noop("The e-mail address")
TEAM_FIELD = gettext_noop("The team name")
NOTE_FIELD = gettext_noop("The note")
GOAL_FIELD = gettext_noop("The goal")
REASON_FIELD = gettext_noop("The reason")
ACTION_FIELD = gettext_noop("The action's description")
