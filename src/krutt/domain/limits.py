"""How long the texts krutt keeps may be: the same limits in the importers, forms and database.

Chosen so any real roster or CRM export passes (a name of 200 characters, the longest
e-mail address the standards allow) while a damaged or hostile file cannot fill the
database with one cell.
"""

from __future__ import annotations

from typing import Final

NAME_MAX: Final = 200
"""A seller's, manager's or organisation's name."""

EMAIL_MAX: Final = 254
"""An e-mail address (RFC 5321's limit on a path, less the angle brackets)."""

TEAM_NAME_MAX: Final = 200
"""A team's name."""

NOTE_MAX: Final = 5000
"""A manager's note about a seller."""
