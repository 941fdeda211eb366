"""The domain's text limits as database constraints, so SQLite refuses what PostgreSQL does.

A varchar's length is enforced by PostgreSQL only, and a TEXT column by neither; a CHECK on
the length holds on both. The use cases refuse over-long texts with a sentence first, so
these only catch a write path that forgot to (the database error is then loud, not silent).
"""

from __future__ import annotations

from django.db.models import CheckConstraint, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual


def length_at_most(field: str, limit: int, *, name: str) -> CheckConstraint:
    """A constraint that `field` holds at most `limit` characters."""
    return CheckConstraint(condition=Q(LessThanOrEqual(Length(field), limit)), name=name)
